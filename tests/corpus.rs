//! Realistic programs that must compile cleanly into consistent templates
//! (`support::consistency`):
//!
//! - the corpus, `.infra` translations of well-known CloudFormation
//!   templates (`tests/corpus/*.infra`) written with L1 resources: no
//!   diagnostics at all, one stack, and a snapshot of the template, so a
//!   dropped property shows;
//! - for each corpus program with its original beside it
//!   (`tests/templates/<name>.yaml` or `.json`, listed with its source and
//!   license in `tests/templates/SOURCES.md`), the template it builds equals
//!   the original after `infrac::normalise` (docs/template-comparison.md),
//!   unless it is listed in `EXCEPTIONS` with the reason;
//! - every example, built as the README and CI build it: `examples/*.infra`
//!   each on its own, and `examples/*/main.infra` for an example with a
//!   library folder.
//!
//! With `INFRAC_TEMPLATES_DIR` set, their templates are also written there,
//! for `.ci/lint-templates.sh`.

mod support;

use std::path::{Path, PathBuf};

use infrac::diagnostics::render;
use infrac::source::SourceMap;
use support::program;

#[test]
fn corpus() {
    let mut count = 0;
    insta::glob!("corpus/*.infra", |path| {
        count += 1;
        let (relative, text) = read(path);
        let name = path.file_name().and_then(|n| n.to_str()).expect("file names are UTF-8");
        let mut sources = SourceMap::new();
        let file = sources.add(name, text.clone());
        let compilation = infrac::compile(&mut sources, &[file]);
        assert!(
            compilation.diagnostics.is_empty(),
            "{relative} should compile without diagnostics:\n{}",
            render::plain(&sources, &compilation.diagnostics)
        );
        assert_eq!(compilation.stacks.len(), 1, "{relative} is one stack");
        program::assert_consistent(&relative, &sources, &compilation);
        program::write_templates(&relative, &compilation);
        let template = infrac::backend::to_text(&compilation.stacks[0].template);
        insta::with_settings!({ description => text.as_str(), omit_expression => true }, {
            insta::assert_snapshot!(template);
        });
    });
    assert!(count >= 10, "the corpus has {count} programs, expected at least ten");
}

/// A corpus program whose template cannot yet equal its original.
struct Exception {
    name: &'static str,
    /// What the language cannot say.
    reason: &'static str,
    /// Where the differences may be (path prefixes as `differences` prints
    /// them): a difference anywhere else fails the test as usual.
    only_under: &'static [&'static str],
}

/// Each must still differ, so that the list shrinks as the language grows.
// Empty since rule names stopped counting (`normalise`, rule 8: `Rules` are
// a set of assertions); vpc-flow-logs-main's rule `CreateVPCFlowLogs`,
// written `@assert` on a parameter, now equals its original.
const EXCEPTIONS: &[Exception] = &[];

/// How many corpus programs must have their original beside them (issue 14).
const ORIGINALS_AT_LEAST: usize = 30;

#[test]
fn corpus_builds_its_originals() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let originals = root.join("tests/templates");
    let sources =
        std::fs::read_to_string(originals.join("SOURCES.md")).expect("tests/templates/SOURCES.md is readable");
    let mut paired = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&originals)
        .expect("tests/templates/ is readable")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml" || ext == "json"))
        .collect();
    entries.sort();
    for original in &entries {
        let stem = original.file_stem().and_then(|s| s.to_str()).expect("file names are UTF-8");
        let file_name = original.file_name().and_then(|s| s.to_str()).expect("file names are UTF-8");
        assert!(sources.contains(&format!("`{file_name}`")), "tests/templates/SOURCES.md does not list `{file_name}`");
        let program = root.join("tests/corpus").join(format!("{stem}.infra"));
        assert!(program.is_file(), "{file_name} has no translation tests/corpus/{stem}.infra");
        paired += 1;

        let text = std::fs::read_to_string(original).expect("the original is readable");
        let expected = infrac::cfn_yaml::read(&text, infrac::cfn_yaml::Tags::CloudFormation)
            .unwrap_or_else(|e| panic!("{file_name}: {e}"))
            .to_json();
        let (relative, program_text) = read(&program);
        let mut map = SourceMap::new();
        let file = map.add(relative.clone(), program_text);
        let compilation = infrac::compile(&mut map, &[file]);
        assert!(
            !compilation.has_errors(),
            "{relative} should compile:\n{}",
            render::plain(&map, &compilation.diagnostics)
        );
        let differences = infrac::normalise::differences(&expected, &compilation.stacks[0].template);
        let exception = EXCEPTIONS.iter().find(|e| e.name == stem);
        let unexpected: Vec<&str> = differences
            .iter()
            .map(String::as_str)
            .filter(|d| !exception.is_some_and(|e| e.only_under.iter().any(|prefix| d.starts_with(prefix))))
            .collect();
        if !unexpected.is_empty() {
            failures.push(format!("{relative} differs from {file_name}:\n  {}", unexpected.join("\n  ")));
        } else if let Some(exception) = exception {
            if differences.is_empty() {
                failures.push(format!("{stem} now equals its original: remove it from EXCEPTIONS"));
            } else {
                eprintln!("{stem}: known difference ({})", exception.reason);
            }
        }
    }
    for Exception { name, .. } in EXCEPTIONS {
        assert!(
            entries.iter().any(|p| p.file_stem().is_some_and(|s| s == *name)),
            "EXCEPTIONS names {name}, which has no original"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        paired >= ORIGINALS_AT_LEAST,
        "{paired} corpus programs have their original, expected at least {ORIGINALS_AT_LEAST}"
    );
}

#[test]
fn examples_compile_consistently() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut entries: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(root.join("examples")).expect("examples/ is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            // An example with a library folder: its entry file only.
            let main = path.join("main.infra");
            if main.is_file() {
                entries.push(main);
            }
        } else if path.extension().is_some_and(|ext| ext == "infra") {
            entries.push(path);
        }
    }
    entries.sort();
    assert!(entries.len() >= 5, "found only {} examples", entries.len());

    for path in &entries {
        let (relative, text) = read(path);
        let mut sources = SourceMap::new();
        let file = sources.add(relative.clone(), text);
        // Imports are read relative to the repository, as `infrac build`
        // run from its root reads them.
        let mut read_import = |name: &str| std::fs::read_to_string(root.join(name)).map_err(|e| e.to_string());
        // So are the files `asset(...)` and `docker_image(...)` name.
        let mut read_asset = |path: &str| read_asset(&root.join(path));
        let options = infrac::Options::default();
        let compilation = infrac::compile_program(&mut sources, &[file], &options, &mut read_import, &mut read_asset);
        assert!(
            !compilation.has_errors(),
            "{relative} should compile:\n{}",
            render::plain(&sources, &compilation.diagnostics)
        );
        program::assert_consistent(&relative, &sources, &compilation);
        program::write_templates(&relative, &compilation);
    }
}

/// A file's bytes, or the files under a folder by their `/`-separated path
/// in it, as the command line reads them for `asset(...)`.
fn read_asset(path: &Path) -> Result<infrac::assets::Source, String> {
    if path.is_file() {
        return std::fs::read(path).map(infrac::assets::Source::File).map_err(|e| e.to_string());
    }
    let mut files = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| e.to_string())? {
            let entry = entry.map_err(|e| e.to_string())?.path();
            if entry.is_dir() {
                pending.push(entry);
            } else {
                let relative = entry.strip_prefix(path).expect("under the folder").to_string_lossy().replace('\\', "/");
                files.push((relative, std::fs::read(&entry).map_err(|e| e.to_string())?));
            }
        }
    }
    Ok(infrac::assets::Source::Folder(files))
}

/// A program's path relative to the repository, and its text.
fn read(path: &Path) -> (String, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
    let text = std::fs::read_to_string(path).expect("the program is readable");
    (relative, text)
}
