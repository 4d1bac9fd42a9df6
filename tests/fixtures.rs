//! The fixture harness: every `.infra` file under `tests/fixtures/` is a test.
//!
//! - `ok/**.infra` must compile without errors; the snapshot holds the
//!   templates (and any warnings).
//! - `err/**.infra` must fail; the snapshot holds the rendered diagnostics.
//! - A file named after a code (`err/E0201_unknown_name.infra`,
//!   `ok/W0201_unused.infra`) must report that code.
//!
//! A fixture may hold several files: a line `//# file: NAME` starts the
//! next one. Adding a case means adding a file, then `cargo insta review`.

use std::path::Path;

use infrac::diagnostics::{render, Code};
use infrac::source::SourceMap;

const FILE_MARKER: &str = "//# file: ";

/// Splits a fixture into its files: `(name, text)`.
fn fixture_files(name: &str, src: &str) -> Vec<(String, String)> {
    if !src.starts_with(FILE_MARKER) {
        return vec![(name.to_string(), src.to_string())];
    }
    let mut files: Vec<(String, String)> = Vec::new();
    for line in src.split_inclusive('\n') {
        match line.strip_prefix(FILE_MARKER) {
            Some(file_name) => files.push((file_name.trim().to_string(), String::new())),
            None => files.last_mut().expect("the fixture starts with a marker").1.push_str(line),
        }
    }
    files
}

fn render_fixture(path: &Path, src: &str) -> String {
    let file_name = path.file_name().and_then(|n| n.to_str()).expect("fixture names are UTF-8");
    let kind = path.parent().and_then(|p| {
        p.components().rev().find_map(|c| {
            let c = c.as_os_str().to_str()?;
            matches!(c, "ok" | "err").then_some(c)
        })
    });
    let kind = kind.expect("fixtures live under ok/ or err/");

    let mut sources = SourceMap::new();
    let ids: Vec<_> = fixture_files(file_name, src).into_iter().map(|(name, text)| sources.add(name, text)).collect();
    let compilation = infrac::compile(&mut sources, &ids);

    for diagnostic in &compilation.diagnostics {
        for label in std::iter::once(&diagnostic.primary).chain(&diagnostic.secondary) {
            let len = sources.get(label.span.file).text.len() as u32;
            assert!(
                label.span.start <= label.span.end && label.span.end <= len,
                "{file_name}: label out of bounds: {label:?}"
            );
        }
    }
    // What a user's program causes is reported in the user's code; the
    // standard library's lines are only context.
    for diagnostic in &compilation.diagnostics {
        assert!(
            !sources.get(diagnostic.primary.span.file).embedded,
            "{file_name}: {} is reported inside the standard library: {:?}",
            diagnostic.code.as_str(),
            diagnostic.primary
        );
    }
    let codes: Vec<&str> = compilation.diagnostics.iter().map(|d| d.code.as_str()).collect();
    match kind {
        "ok" => assert!(!compilation.has_errors(), "{file_name} should compile, but reports {codes:?}"),
        _ => assert!(compilation.has_errors(), "{file_name} should fail to compile"),
    }
    if let Some(code) = file_name.split('_').next().filter(|c| Code::parse(c).is_some()) {
        assert!(codes.contains(&code), "{file_name} should report {code}, but reports {codes:?}");
    }

    let mut out = String::new();
    for stack in &compilation.stacks {
        out.push_str(&format!("----- TEMPLATE {}\n{}", stack.name, infrac::backend::to_text(&stack.template)));
    }
    if !compilation.diagnostics.is_empty() {
        out.push_str("----- DIAGNOSTICS\n");
        out.push_str(&render::plain(&sources, &compilation.diagnostics));
    }
    out
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/**/*.infra", |path| {
        let src = std::fs::read_to_string(path).expect("fixture is readable");
        let rendered = render_fixture(path, &src);
        insta::with_settings!({ description => src.as_str(), omit_expression => true }, {
            insta::assert_snapshot!(rendered);
        });
    });
}

/// Every code has an explanation page and a fixture that reports it.
#[test]
fn catalogue_is_complete() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).expect("fixture folder is readable") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                names.push(name.to_string());
            }
        }
    }
    for code in Code::ALL {
        let explanation = code.explanation();
        assert!(
            explanation.starts_with(&format!("# {}", code.as_str())) && explanation.contains("## Example"),
            "{} needs an explanation page with an example",
            code.as_str()
        );
        assert!(
            names.iter().any(|n| n.starts_with(&format!("{}_", code.as_str()))),
            "{} needs a fixture named {}_*.infra",
            code.as_str(),
            code.as_str()
        );
    }
}

/// `docs/diagnostics.md` lists every code with its title.
#[test]
fn diagnostics_page_lists_every_code() {
    let page = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
        .expect("docs/diagnostics.md exists");
    for code in Code::ALL {
        let row = format!("| [{0}](../src/diagnostics/explanations/{0}.md) | {1} |", code.as_str(), code.title());
        assert!(page.contains(&row), "docs/diagnostics.md lacks the row {row}");
    }
}
