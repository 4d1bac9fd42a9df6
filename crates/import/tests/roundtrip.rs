//! The round trip: every template of the corpus is imported, the program
//! built with the compiler, and the template it builds compared with the
//! original after `infrac::normalise`. A template that does not come back
//! equal must be listed in `tests/templates/EXCEPTIONS.txt` with its reason,
//! and a listed one must still fail (so the list shrinks as import improves).
//!
//! The corpus is `tests/templates/` here (public templates, sources in its
//! SOURCES.md) and the repository's own `tests/templates/` (the hand
//! translations' originals).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use infrac::source::SourceMap;

/// Every template of the corpus, by its path from the repository root.
pub fn corpus() -> Vec<(String, PathBuf)> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = crate_dir.join("../..");
    let mut found = Vec::new();
    for dir in [crate_dir.join("tests/templates"), root.join("tests/templates")] {
        collect(&dir, &mut found);
    }
    found.sort();
    found
        .into_iter()
        .map(|path| {
            let shown = path.canonicalize().expect("a corpus file");
            let root = root.canonicalize().expect("the repository");
            let relative = shown.strip_prefix(&root).expect("under the repository").to_string_lossy().into_owned();
            (relative, path)
        })
        .collect()
}

fn collect(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(&path, found);
        } else if path.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "yml" || e == "template") {
            found.push(path);
        }
    }
}

/// What happened to one template: `None` when it came back equal,
/// otherwise why not.
fn round_trip(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).expect("a corpus template is readable");
    let original = match infrac::cfn_yaml::read(&text, infrac::cfn_yaml::Tags::CloudFormation) {
        Ok(node) => node.to_json(),
        Err(e) => return Some(format!("unreadable: {e}")),
    };
    let imported = match infrac_import::import_text(&text, "Imported") {
        Ok(imported) => imported,
        Err(problems) => {
            let first = &problems[0].problem;
            return Some(format!("import: {} {} at {}", first.code.as_str(), first.message, first.path()));
        }
    };
    // The program is as `infrac fmt` writes it.
    match infrac::format::format_source(&imported.text) {
        Ok(formatted) if formatted == imported.text => {}
        _ => return Some("import: the program is not formatted".to_string()),
    }
    let mut sources = SourceMap::new();
    let file = sources.add("imported.infra", imported.text.clone());
    let compilation = infrac::compile(&mut sources, &[file]);
    if let Some(error) = compilation.diagnostics.iter().find(|d| d.is_error()) {
        return Some(format!("build: {} {}", error.code.as_str(), error.message));
    }
    let built = &compilation.stacks[0].template;
    let differences = infrac::normalise::differences(&original, built);
    differences.first().map(|d| {
        format!(
            "differs: {d}{}",
            if differences.len() > 1 { format!(" (+{} more)", differences.len() - 1) } else { String::new() }
        )
    })
}

fn exceptions() -> BTreeMap<String, String> {
    let list = include_str!("templates/EXCEPTIONS.txt");
    list.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (path, reason) = l.split_once(": ").unwrap_or((l, ""));
            (path.trim().to_string(), reason.trim().to_string())
        })
        .collect()
}

#[test]
fn corpus_round_trips() {
    let corpus = corpus();
    assert!(corpus.len() >= 60, "the corpus has {} templates, expected at least 60", corpus.len());
    let exceptions = exceptions();
    let mut unexpected = Vec::new();
    let mut passed = 0;
    for (name, path) in &corpus {
        let outcome = round_trip(path);
        match (&outcome, exceptions.get(name)) {
            (None, None) => passed += 1,
            (None, Some(_)) => unexpected.push(format!("{name}: round-trips now; remove it from EXCEPTIONS.txt")),
            (Some(why), None) => unexpected.push(format!("{name}: {why}")),
            (Some(_), Some(_)) => {}
        }
    }
    for name in exceptions.keys() {
        if !corpus.iter().any(|(n, _)| n == name) {
            unexpected.push(format!("{name}: listed in EXCEPTIONS.txt but not in the corpus"));
        }
    }
    eprintln!("round trip: {passed} of {} templates come back equal", corpus.len());
    assert!(unexpected.is_empty(), "unexpected round-trip outcomes:\n{}", unexpected.join("\n"));
}

/// Prints every template's outcome: `cargo test -p infrac-import --test
/// roundtrip -- --ignored --nocapture report`.
#[test]
#[ignore]
fn report() {
    for (name, path) in corpus() {
        match round_trip(&path) {
            None => println!("PASS {name}"),
            Some(why) => println!("FAIL {name}: {why}"),
        }
    }
}
