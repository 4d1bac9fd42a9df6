//! Image assets: what `docker_image(PATH, {...})` names, and its tag.
//!
//! The tag is the SHA-256 of the build context as Docker sends it (the
//! files `.dockerignore` does not exclude, plus the Dockerfile and
//! `.dockerignore` themselves, which Docker always sends) and of the build
//! options, so an unchanged context is neither rebuilt nor pushed, and the
//! template is final at build time. Images go to the staging repository,
//! [`STAGING_REPOSITORY`] (or the project's, `super::Staging`), named in the
//! template with `Fn::Sub`, or to a user's own `AWS::ECR::Repository` of
//! another stack of the program ([`Repository::Stack`]).

use sha2::{Digest, Sha256};

/// The staging image repository (`infrac bootstrap` creates it).
pub const STAGING_REPOSITORY: &str = "infrac-assets";

/// The account's registry, as an `Fn::Sub` template: an image's URI is
/// this, `/`, the repository and `:` with the tag.
pub const REGISTRY: &str = "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}";

/// Where an image is pushed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Repository {
    /// The staging repository (or the project's own), by name.
    Staging(String),
    /// A user's `AWS::ECR::Repository`, by the stack that declares it and
    /// its logical ID: its name is known once that stack is deployed, which
    /// the stacks that run the image depend on.
    Stack { stack: String, logical_id: String },
}

/// How to build an image: `docker build`'s options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildOptions {
    /// The Dockerfile, relative to the context; `None`: `Dockerfile`.
    pub dockerfile: Option<String>,
    /// `--build-arg`s, sorted by name.
    pub build_args: Vec<(String, String)>,
    /// `--target`: the stage to build.
    pub target: Option<String>,
    /// `--platform`, e.g. `linux/arm64`.
    pub platform: Option<String>,
}

/// An image to build and push.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    /// The build context as the program resolved it (relative to the
    /// working folder).
    pub path: String,
    pub options: BuildOptions,
    pub repository: Repository,
    /// The image tag: lower-case hexadecimal SHA-256 of the context's
    /// files and the options.
    pub tag: String,
    /// The files of the context Docker receives, sorted.
    pub files: Vec<String>,
}

impl Image {
    /// The image's URI in a repository of this name, as an `Fn::Sub` template.
    pub fn uri_in(&self, repository: &str) -> String {
        format!("{REGISTRY}/{repository}:{}", self.tag)
    }
}

/// The image of the build context `files` (paths relative to the context,
/// `/`-separated, with their bytes) built with `options`, for `repository`.
pub fn image(path: &str, files: Vec<(String, Vec<u8>)>, options: BuildOptions, repository: Repository) -> Image {
    let ignore = files.iter().find(|(name, _)| name == ".dockerignore").map(|(_, bytes)| Ignore::parse(bytes));
    let dockerfile = options.dockerfile.clone().unwrap_or_else(|| "Dockerfile".to_string());
    let mut sent: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .filter(|(name, _)| {
            name == ".dockerignore" || *name == dockerfile || !ignore.as_ref().is_some_and(|i| i.excludes(name))
        })
        .collect();
    sent.sort_by(|a, b| a.0.cmp(&b.0));
    let mut hasher = Sha256::new();
    // Every part is length-prefixed, so no two contexts hash alike by
    // moving bytes from one part to the next.
    let mut part = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    part(b"infrac image v1");
    part(dockerfile.as_bytes());
    for (name, value) in &options.build_args {
        part(name.as_bytes());
        part(value.as_bytes());
    }
    part(options.target.as_deref().unwrap_or("").as_bytes());
    part(options.platform.as_deref().unwrap_or("").as_bytes());
    // A user's repository makes the tag its own, so that a tag names one
    // destination (the same context for the staging repository hashes as
    // it always did).
    if let Repository::Stack { stack, logical_id } = &repository {
        part(stack.as_bytes());
        part(logical_id.as_bytes());
    }
    for (name, bytes) in &sent {
        part(name.as_bytes());
        part(bytes);
    }
    let tag = hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect();
    let files = sent.into_iter().map(|(name, _)| name).collect();
    Image { path: path.to_string(), options, repository, tag, files }
}

/// The patterns of a `.dockerignore`, as Docker reads them: one per line,
/// `#` comments, `!` re-includes, the last pattern that matches a path or
/// one of its folders decides; `*` and `?` stay within a path segment,
/// `**` crosses any number of them.
struct Ignore {
    patterns: Vec<(regex_lite::Regex, bool)>,
}

impl Ignore {
    fn parse(bytes: &[u8]) -> Ignore {
        let text = String::from_utf8_lossy(bytes);
        let mut patterns = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (include, pattern) = match line.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, line),
            };
            let cleaned = clean(pattern);
            if cleaned.is_empty() {
                continue;
            }
            // A pattern that cannot compile matches nothing, as in Docker,
            // which reports it instead.
            if let Ok(regex) = regex_lite::Regex::new(&glob_regex(&cleaned)) {
                patterns.push((regex, include));
            }
        }
        Ignore { patterns }
    }

    /// Whether Docker leaves the file `path` out of the context.
    fn excludes(&self, path: &str) -> bool {
        let mut excluded = false;
        for (regex, include) in &self.patterns {
            let mut prefixes = path.match_indices('/').map(|(i, _)| &path[..i]).chain(std::iter::once(path));
            if prefixes.any(|prefix| regex.is_match(prefix)) {
                excluded = !include;
            }
        }
        excluded
    }
}

/// `./a//b/../c/` -> `a/c`, as Go's `filepath.Clean` then without a leading `/`.
fn clean(pattern: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in pattern.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// A Docker path pattern as an anchored regular expression.
fn glob_regex(pattern: &str) -> String {
    let mut out = String::from("^");
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 1;
                // `**/` also matches no folder at all.
                if chars.get(i + 1) == Some(&'/') {
                    i += 1;
                    out.push_str("(?:.*/)?");
                } else {
                    out.push_str(".*");
                }
            }
            '*' => out.push_str("[^/]*"),
            '?' => out.push_str("[^/]"),
            '[' => match chars[i..].iter().position(|&c| c == ']') {
                Some(end) if end > 1 => {
                    let class: String = chars[i + 1..i + end].iter().collect();
                    let class = class.strip_prefix('^').map_or(class.clone(), |rest| format!("^{rest}"));
                    out.push('[');
                    out.push_str(&class.replace('\\', "\\\\").replace('[', "\\["));
                    out.push(']');
                    i += end;
                }
                _ => out.push_str("\\["),
            },
            '\\' if i + 1 < chars.len() => {
                i += 1;
                out.push_str(&regex_lite::escape(&chars[i].to_string()));
            }
            other => out.push_str(&regex_lite::escape(&other.to_string())),
        }
        i += 1;
    }
    out.push('$');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(files: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        files.iter().map(|(n, t)| (n.to_string(), t.as_bytes().to_vec())).collect()
    }

    fn staging() -> Repository {
        Repository::Staging(STAGING_REPOSITORY.to_string())
    }

    fn sent(files: &[(&str, &str)]) -> Vec<String> {
        image("app", context(files), BuildOptions::default(), staging()).files
    }

    #[test]
    fn dockerignore_leaves_files_out_as_docker_does() {
        let files = [
            (".dockerignore", "# build output\nnode_modules\n*.log\n**/*.tmp\n!keep.log\ndocs/\n/secret.txt\n"),
            ("Dockerfile", "FROM scratch\n"),
            ("app.js", "1"),
            ("debug.log", "x"),
            ("keep.log", "x"),
            ("src/debug.log", "x"),
            ("src/a.tmp", "x"),
            ("a.tmp", "x"),
            ("node_modules/left/index.js", "x"),
            ("docs/readme.md", "x"),
            ("secret.txt", "x"),
            ("src/secret.txt", "x"),
        ];
        assert_eq!(
            sent(&files),
            [".dockerignore", "Dockerfile", "app.js", "keep.log", "src/debug.log", "src/secret.txt"]
        );
    }

    #[test]
    fn the_dockerfile_and_dockerignore_are_always_sent() {
        let files = [(".dockerignore", "*\n"), ("Dockerfile", "FROM scratch\n"), ("app.js", "1")];
        assert_eq!(sent(&files), [".dockerignore", "Dockerfile"]);
    }

    #[test]
    fn the_tag_follows_what_docker_receives_and_the_options() {
        let base = [(".dockerignore", "*.log\n"), ("Dockerfile", "FROM scratch\n"), ("app.js", "1")];
        let tag = |files: &[(&str, &str)], options: BuildOptions| image("app", context(files), options, staging()).tag;
        let plain = tag(&base, BuildOptions::default());
        assert_eq!(plain.len(), 64);
        let mut reordered = base.to_vec();
        reordered.reverse();
        reordered.push(("debug.log", "ignored, so it changes nothing"));
        assert_eq!(tag(&reordered, BuildOptions::default()), plain);
        let mut edited = base.to_vec();
        edited[2] = ("app.js", "2");
        assert_ne!(tag(&edited, BuildOptions::default()), plain);
        let arm = BuildOptions { platform: Some("linux/arm64".into()), ..Default::default() };
        assert_ne!(tag(&base, arm), plain);
        let args = BuildOptions { build_args: vec![("MODE".into(), "prod".into())], ..Default::default() };
        assert_ne!(tag(&base, args), plain);
        let own = Repository::Stack { stack: "Images".into(), logical_id: "WebRepository".into() };
        assert_ne!(image("app", context(&base), BuildOptions::default(), own).tag, plain);
    }

    #[test]
    fn patterns() {
        assert_eq!(glob_regex("a/*.js"), "^a/[^/]*\\.js$");
        assert_eq!(glob_regex("**/x"), "^(?:.*/)?x$");
        assert_eq!(clean("./a//b/../c/"), "a/c");
        assert_eq!(clean("/secret.txt"), "secret.txt");
    }
}
