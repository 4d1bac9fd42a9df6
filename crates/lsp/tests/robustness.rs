//! Every question an editor asks, at many places of every example, fixture
//! and standard-library file, whole and cut short as while typing: no
//! answer may panic. (The checker's own robustness is `tests/robustness.rs`
//! of the compiler.)

use std::path::{Path, PathBuf};

use infrac::ide::Snapshot;
use infrac::modules::ParseCache;
use infrac::source::SourceMap;

fn programs() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["examples", "std", "tests/fixtures/err", "tests/fixtures/ok", "crates/lsp/tests/cases"] {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|f| Some((f.to_string_lossy().into_owned(), std::fs::read_to_string(&f).ok()?)))
        .collect()
}

fn collect(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(listing) = std::fs::read_dir(dir) else { return };
    for entry in listing.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, found);
        } else if path.extension().is_some_and(|e| e == "infra") {
            found.push(path);
        }
    }
}

/// Asks everything at every `step`-th offset of `text`.
fn ask_everything(name: &str, text: &str, step: usize, cache: &mut ParseCache) {
    let mut sources = SourceMap::new();
    let file = sources.add(name, text);
    let snapshot = Snapshot::load(sources, &[file], &mut |_| Err("no imports here".into()), cache);
    snapshot.symbols(file);
    snapshot.folding(file);
    snapshot.semantic_tokens(file);
    snapshot.workspace_symbols("a");
    let mut offset = 0;
    while offset <= text.len() {
        let at = offset as u32;
        snapshot.hover(file, at);
        snapshot.completions(file, at);
        snapshot.definition(file, at);
        snapshot.references(file, at);
        let _ = snapshot.rename(file, at);
        snapshot.signature(file, at);
        offset += step;
    }
}

#[test]
fn no_question_panics() {
    let mut cache = ParseCache::default();
    let programs = programs();
    assert!(programs.len() > 50, "the examples, fixtures and library are found");
    for (name, text) in &programs {
        // Everywhere in the bigger programs; the many small fixtures only whole and cut.
        let step = if name.contains("/fixtures/") { text.len().max(1) } else { 17 };
        ask_everything(name, text, step, &mut cache);
        // Cut short at a few places, as while typing, and asked at the end.
        for cut in [text.len() / 3, text.len() / 2, text.len() * 4 / 5] {
            let mut cut = cut;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            ask_everything(name, &text[..cut], cut.max(1), &mut cache);
        }
    }
}
