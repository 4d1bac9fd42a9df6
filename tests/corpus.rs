//! Realistic programs that must compile cleanly into consistent templates
//! (`support::consistency`):
//!
//! - the corpus, `.infra` translations of well-known CloudFormation
//!   templates (`tests/corpus/*.infra`) written with L1 resources: no
//!   diagnostics at all, one stack, and a snapshot of the template, so a
//!   dropped property shows;
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
        let compilation = infrac::compile_with(&mut sources, &[file], &infrac::Options::default(), &mut read_import);
        assert!(
            !compilation.has_errors(),
            "{relative} should compile:\n{}",
            render::plain(&sources, &compilation.diagnostics)
        );
        program::assert_consistent(&relative, &sources, &compilation);
        program::write_templates(&relative, &compilation);
    }
}

/// A program's path relative to the repository, and its text.
fn read(path: &Path) -> (String, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
    let text = std::fs::read_to_string(path).expect("the program is readable");
    (relative, text)
}
