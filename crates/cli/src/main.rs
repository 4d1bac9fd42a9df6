//! The `infrac` command line: arguments, file I/O, rendering and exit codes.
//! Everything else lives in the libraries: the compiler (`infrac`) and the
//! lifecycle (`infrac-lifecycle`, with AWS through `infrac-aws`).

mod containers;
mod import;
mod init;
mod lifecycle;
mod places;
mod project;
mod terminal;

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use infrac::check::builtins;
use infrac::diagnostics::{render, Code, Diagnostic};
use infrac::source::SourceMap;

/// Compile .infra programs to AWS CloudFormation templates, and deploy them.
///
/// Exit codes: 0 success (warnings allowed), 1 the program has errors (or a
/// deploy failed, or `diff --fail`/`drift` found differences), 2 usage, I/O
/// or AWS environment errors (credentials, permissions, region, network),
/// 130 interrupted.
#[derive(Parser)]
#[command(name = "infrac", version, long_version = LONG_VERSION.as_str(), propagate_version = true)]
pub(crate) struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub(crate) color: ColorChoice,

    /// How to print diagnostics: `human` reports on stderr, or `json`, one
    /// object per line on stdout.
    #[arg(long, value_enum, default_value_t = ErrorFormat::Human, global = true)]
    pub(crate) error_format: ErrorFormat,

    /// A region the templates will be deployed to (repeatable): resource
    /// types that do not exist there are reported.
    #[arg(long = "region", value_name = "REGION", global = true)]
    pub(crate) regions: Vec<String>,

    /// An existing S3 bucket that the program's file assets (and large
    /// templates) are published to, instead of the one `infrac bootstrap`
    /// creates; it may name `${AWS::AccountId}` and `${AWS::Region}`. Wins
    /// over `bucket` under `[staging]` in `infrac.toml`.
    #[arg(long, value_name = "BUCKET", global = true)]
    pub(crate) staging_bucket: Option<String>,

    /// An existing ECR repository that the program's images are pushed to,
    /// instead of `infrac-assets`. Wins over `repository` under `[staging]`
    /// in `infrac.toml`.
    #[arg(long, value_name = "NAME", global = true)]
    pub(crate) staging_repository: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile programs and write their templates and a manifest.
    ///
    /// Each file without `stack` blocks is one stack named after the file
    /// (`cats-vs-dogs.infra` -> `CatsVsDogs`). Writes
    /// `DIR/<Stack>.template.json` per stack and `DIR/manifest.json`;
    /// writes nothing at all when there are errors.
    Build {
        /// The .infra files to compile (default: `app.infra`).
        files: Vec<PathBuf>,
        /// The directory to write templates into (created if missing).
        #[arg(short, long, value_name = "DIR", default_value = infrac::init::OUTPUT_DIR)]
        out: PathBuf,
    },
    /// Check programs and report problems, writing nothing.
    Check {
        /// The .infra files to check (default: `app.infra`).
        files: Vec<PathBuf>,
    },
    /// Format programs in the canonical layout (docs/formatting.md).
    ///
    /// Rewrites each FILE in place. With no FILE, or `-`, reads standard
    /// input and writes the result to standard output. A file with syntax
    /// errors is reported and left as it is.
    Fmt {
        /// The .infra files to format; none, or `-`, for standard input.
        files: Vec<PathBuf>,
        /// Write nothing; list the files that are not formatted, and exit
        /// with 1 if there are any.
        #[arg(long)]
        check: bool,
    },
    /// Explain a diagnostic code (`infrac explain E0201`), a built-in function
    /// (`infrac explain join`), a construct of the standard library
    /// (`infrac explain s3.Bucket`) or a CloudFormation type
    /// (`infrac explain AWS::S3::Bucket`, `AWS::S3::Bucket.VersioningConfiguration`).
    Explain {
        /// What to explain; `infrac explain --list` lists the codes and functions.
        #[arg(required_unless_present = "list", value_name = "NAME")]
        code: Option<String>,
        /// List every code with its title, then every built-in function.
        #[arg(long)]
        list: bool,
    },
    /// Make a new project that builds and deploys as it is (`infrac init --list`).
    Init(init::InitArgs),
    /// Bring CloudFormation templates (YAML or JSON) into infra: one
    /// `.infra` program per template, which builds back to the same
    /// template (docs/import.md). Writes nothing when a template has errors.
    Import(import::ImportArgs),
    /// Show what would change: against the last build (`out/`), another
    /// build (`--against DIR`) or the deployed stacks (`--live`).
    Diff(lifecycle::DiffArgs),
    /// Build, then create or update each stack through a change set: preview,
    /// approval, live progress.
    Deploy(lifecycle::DeployArgs),
    /// Create (or update) the staging bucket and image repository that
    /// deploys upload assets to, once per account and region.
    Bootstrap(lifecycle::BootstrapArgs),
    /// Upload the program's file assets (`asset(...)`) and push its images
    /// (`docker_image(...)`) without deploying; `deploy` does it first anyway.
    Publish(lifecycle::PublishArgs),
    /// Delete the program's stacks, dependents first, after confirmation.
    Destroy(lifecycle::DestroyArgs),
    /// Detect drift: what changed in the account outside CloudFormation
    /// (exit 1 when anything drifted).
    Drift(lifecycle::DriftArgs),
    /// Run the language server (LSP over stdin/stdout) for editors.
    Lsp,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
pub(crate) enum ErrorFormat {
    Human,
    Json,
}

/// `--version`: the compiler's version and the schema data it embeds.
static LONG_VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{} (CloudFormation schemas of {}, from cfn-lint {})",
        env!("CARGO_PKG_VERSION"),
        infrac::schema::schema_date(),
        infrac::schema::source_version()
    )
});

pub(crate) const EXIT_ERRORS: u8 = 1;
pub(crate) const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build { files, out } => compile_files(&cli, files, Some(out)),
        Command::Check { files } => compile_files(&cli, files, None),
        Command::Fmt { files, check } => format_files(&cli, files, *check),
        Command::Explain { code, list } => explain(code.as_deref(), *list),
        Command::Init(args) => init::init(args),
        Command::Import(args) => import::import(&cli, args),
        Command::Diff(args) => lifecycle::diff_command(&cli, args),
        Command::Deploy(args) => lifecycle::deploy(&cli, args),
        Command::Publish(args) => lifecycle::publish(&cli, args),
        Command::Bootstrap(args) => lifecycle::bootstrap(&cli, args),
        Command::Destroy(args) => lifecycle::destroy(&cli, args),
        Command::Drift(args) => lifecycle::drift(&cli, args),
        Command::Lsp => infrac_lsp::run_stdio().map(|()| ExitCode::SUCCESS).map_err(|e| format!("infrac lsp: {e}")),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn compile_files(cli: &Cli, files: &[PathBuf], out: Option<&Path>) -> Result<ExitCode, String> {
    let Some((sources, compilation)) = compile(cli, files)? else {
        return Ok(ExitCode::from(EXIT_ERRORS));
    };
    if let Some(out) = out {
        write_build(out, &sources, &compilation)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The files to compile: those named, or the project's `app.infra`.
fn entry_files(files: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    if !files.is_empty() {
        return Ok(files.to_vec());
    }
    let entry = PathBuf::from(infrac::init::ENTRY_FILE);
    if entry.is_file() {
        return Ok(vec![entry]);
    }
    Err(format!(
        "no .infra files given, and no `{}` here; name the program's files, or make a project with `infrac init`",
        infrac::init::ENTRY_FILE
    ))
}

/// Compiles the program and reports its diagnostics; `None` when it has errors.
pub(crate) fn compile(cli: &Cli, files: &[PathBuf]) -> Result<Option<(SourceMap, infrac::Compilation)>, String> {
    let files = entry_files(files)?;
    let mut sources = SourceMap::new();
    let mut ids = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for path in &files {
        // The same file named twice is compiled once.
        if !seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())) {
            continue;
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        ids.push(sources.add(path.display().to_string(), text));
    }
    for region in &cli.regions {
        if !infrac::schema::regions().contains(&region.as_str()) {
            let suggestion =
                infrac::diagnostics::suggest::did_you_mean(region, infrac::schema::regions().iter().copied());
            let hint = suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default();
            return Err(format!("unknown region `{region}`{hint}"));
        }
    }
    let staging = project::staging(&files[0], cli.staging_bucket.as_deref(), cli.staging_repository.as_deref())?;
    let options = infrac::Options { regions: cli.regions.clone(), staging };
    let mut read = |path: &str| std::fs::read_to_string(path).map_err(|e| e.to_string());
    let compilation = infrac::compile_program(&mut sources, &ids, &options, &mut read, &mut read_asset);
    report(cli, &sources, &compilation.diagnostics).map_err(|e| format!("cannot write diagnostics: {e}"))?;
    if compilation.has_errors() {
        return Ok(None);
    }
    Ok(Some((sources, compilation)))
}

/// What `asset(PATH)` names: a file's bytes, or every file under a folder
/// (following symbolic links, as `zip -r` and the AWS CDK do), by its path
/// relative to the folder with `/` separators.
fn read_asset(path: &str) -> Result<infrac::assets::Source, String> {
    let root = Path::new(path);
    let metadata = std::fs::metadata(root).map_err(|e| e.to_string())?;
    if !metadata.is_dir() {
        return std::fs::read(root).map(infrac::assets::Source::File).map_err(|e| e.to_string());
    }
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?.path();
            if std::fs::metadata(&entry).map_err(|e| format!("cannot read `{}`: {e}", entry.display()))?.is_dir() {
                pending.push(entry);
                continue;
            }
            let bytes = std::fs::read(&entry).map_err(|e| format!("cannot read `{}`: {e}", entry.display()))?;
            let relative = entry.strip_prefix(root).unwrap_or(&entry);
            let name: Vec<String> =
                relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            files.push((name.join("/"), bytes));
        }
    }
    if files.is_empty() {
        return Err("the folder holds no file".to_string());
    }
    Ok(infrac::assets::Source::Folder(files))
}

/// `infrac build`'s output: the packaged assets (`write_assets`), then the
/// templates, source maps and manifest that name them.
pub(crate) fn write_build(dir: &Path, sources: &SourceMap, compilation: &infrac::Compilation) -> Result<(), String> {
    write_assets(dir, &compilation.assets)?;
    write_all(dir, &infrac::build_outputs(sources, compilation))
}

/// Writes the packaged assets under `assets/`; one already there is kept,
/// since its name is the hash of its content.
pub(crate) fn write_assets(dir: &Path, assets: &[infrac::assets::Asset]) -> Result<(), String> {
    let missing: Vec<(String, &[u8])> = assets
        .iter()
        .filter(|asset| !dir.join(asset.file_name()).is_file())
        .map(|asset| (asset.key.clone(), asset.bytes.as_slice()))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    write_all(&dir.join("assets"), &missing)
}

/// Writes every file to a temporary name first and renames only when all
/// were written, so a failure never leaves a half-written output.
pub(crate) fn write_all<T: AsRef<[u8]>>(dir: &Path, files: &[(String, T)]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let mut written = Vec::new();
    for (name, text) in files {
        let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        if let Err(e) = std::fs::write(&temporary, text.as_ref()) {
            for (path, _) in &written {
                let _ = std::fs::remove_file(path);
            }
            let _ = std::fs::remove_file(&temporary);
            return Err(format!("cannot write `{}`: {e}", dir.join(name).display()));
        }
        written.push((temporary, dir.join(name)));
    }
    for (temporary, path) in &written {
        std::fs::rename(temporary, path).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    Ok(())
}

/// `infrac fmt`. Exits with 1 when a file has syntax errors or, with
/// `--check`, when a file is not formatted.
/// The files named, with each folder replaced by the `.infra` files under
/// it, in a stable order.
fn infra_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut pending = vec![path.clone()];
        let mut found = Vec::new();
        while let Some(dir) = pending.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
            for entry in entries {
                let entry = entry.map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?.path();
                if entry.is_dir() {
                    pending.push(entry);
                } else if entry.extension().is_some_and(|e| e == "infra") {
                    found.push(entry);
                }
            }
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

fn format_files(cli: &Cli, files: &[PathBuf], check: bool) -> Result<ExitCode, String> {
    let use_stdin = files.is_empty() || files.iter().any(|f| f.as_os_str() == "-");
    if use_stdin && files.len() > 1 {
        return Err("`-` (standard input) cannot be combined with files".to_string());
    }
    let mut sources = SourceMap::new();
    let mut inputs = Vec::new();
    if use_stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| format!("cannot read standard input: {e}"))?;
        inputs.push((None, sources.add("<stdin>", text)));
    } else {
        for path in infra_files(files)? {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            let id = sources.add(path.display().to_string(), text);
            inputs.push((Some(path), id));
        }
    }
    let mut refused = Vec::new();
    let mut unformatted = false;
    for (path, id) in inputs {
        let source = sources.get(id);
        let formatted = match infrac::format::format_file(id, &source.text) {
            Ok(formatted) => formatted,
            Err(diagnostics) => {
                refused.extend(diagnostics);
                continue;
            }
        };
        let changed = formatted != source.text;
        if check {
            if changed {
                unformatted = true;
                println!("{}", source.name);
            }
        } else if let Some(path) = path {
            if changed {
                write_in_place(&path, &formatted)?;
            }
        } else {
            print!("{formatted}");
        }
    }
    report(cli, &sources, &refused).map_err(|e| format!("cannot write diagnostics: {e}"))?;
    if !refused.is_empty() || unformatted {
        return Ok(ExitCode::from(EXIT_ERRORS));
    }
    Ok(ExitCode::SUCCESS)
}

/// Replaces a file's text through a temporary file and a rename, so that a
/// failure never leaves it half written.
pub(crate) fn write_in_place(path: &Path, text: &str) -> Result<(), String> {
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, text).and_then(|()| std::fs::rename(&temporary, path)).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot write `{}`: {e}", path.display())
    })
}

fn report(cli: &Cli, sources: &SourceMap, diagnostics: &[Diagnostic]) -> std::io::Result<()> {
    match cli.error_format {
        ErrorFormat::Json => {
            let mut stdout = std::io::stdout().lock();
            for diagnostic in diagnostics {
                writeln!(stdout, "{}", render::json(sources, diagnostic))?;
            }
        }
        ErrorFormat::Human => {
            let color = match cli.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            let mut stderr = std::io::stderr().lock();
            for diagnostic in diagnostics {
                render::human(&mut stderr, sources, diagnostic, color)?;
            }
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.len() - errors;
            if errors > 0 {
                writeln!(
                    stderr,
                    "error: could not compile due to {}{}",
                    plural(errors, "error"),
                    if warnings > 0 { format!(" and {}", plural(warnings, "warning")) } else { String::new() }
                )?;
            } else if warnings > 0 {
                writeln!(stderr, "warning: {} emitted", plural(warnings, "warning"))?;
            }
        }
    }
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn explain(code: Option<&str>, list: bool) -> Result<ExitCode, String> {
    let text = if list {
        let codes = Code::ALL.iter().map(|code| format!("{}  {}\n", code.as_str(), code.title()));
        let width = builtins::names().map(str::len).max().unwrap_or_default();
        let functions = builtins::ALL.iter().map(|f| format!("{:width$}  {}\n", f.name, f.doc.summary));
        codes.chain(functions).collect()
    } else {
        let wanted = code.unwrap_or_default();
        let page = if wanted.contains("::") {
            let (type_name, nested) = match wanted.split_once('.') {
                Some((type_name, _)) => (type_name, true),
                None => (wanted, false),
            };
            let page = if nested {
                infrac::schema::describe_definition(wanted)
            } else {
                infrac::schema::describe_type(wanted)
            };
            page.ok_or_else(|| {
                let suggestion = infrac::diagnostics::suggest::did_you_mean(type_name, infrac::schema::type_names());
                let hint = suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default();
                format!("unknown CloudFormation type or property type `{wanted}`{hint}")
            })?
        } else if wanted.contains('.') {
            infrac::stdlib::docs::describe(wanted).ok_or_else(|| {
                let names: Vec<String> =
                    infrac::stdlib::docs::constructs().iter().map(|c| format!("{}.{}", c.namespace, c.name)).collect();
                let suggestion = infrac::diagnostics::suggest::did_you_mean(wanted, names.iter().map(String::as_str));
                let hint = suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default();
                format!("no construct `{wanted}` in the standard library{hint}")
            })?
        } else if let Some(code) = Code::parse(wanted) {
            code.explanation().to_string()
        } else if let Some(function) = builtins::named(wanted) {
            function.page()
        } else {
            let suggestion = infrac::diagnostics::suggest::did_you_mean(wanted, builtins::names());
            let hint = suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default();
            return Err(format!(
                "unknown code or function `{wanted}`{hint}; `infrac explain --list` lists the codes and functions"
            ));
        };
        page
    };
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        // A reader that stopped early (`| head`) is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("cannot write to stdout: {e}")),
        _ => Ok(ExitCode::SUCCESS),
    }
}
