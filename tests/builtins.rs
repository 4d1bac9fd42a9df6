//! The built-in functions' registry (`src/check/builtins/`) is the one list
//! of functions: `docs/functions.md` and the editor grammars' lists must
//! equal what it generates, and every documented example must compile.
//! Regenerate the files with `UPDATE_DOCS=1 cargo test --test builtins`.

use std::path::{Path, PathBuf};

use infrac::check::builtins;
use infrac::diagnostics::render;
use infrac::source::SourceMap;
use serde_json::Value as Json;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some()
}

/// Compares `path` with `expected`, or writes it when updating. Returns a
/// complaint when it differs.
fn check_generated(path: &Path, expected: &str) -> Option<String> {
    if updating() {
        std::fs::write(path, expected).unwrap();
        return None;
    }
    let current = std::fs::read_to_string(path).unwrap_or_default();
    (current != expected).then(|| format!("{} is out of date", path.strip_prefix(root()).unwrap_or(path).display()))
}

fn names() -> Vec<&'static str> {
    builtins::names().collect()
}

#[test]
fn functions_reference_is_up_to_date() {
    let stale = check_generated(&root().join("docs/functions.md"), &builtins::reference());
    assert!(stale.is_none(), "{stale:?}: run `UPDATE_DOCS=1 cargo test --test builtins`");
}

#[test]
fn every_example_compiles_without_diagnostics() {
    let mut failures = String::new();
    for builtin in builtins::ALL {
        let mut sources = SourceMap::new();
        let file = sources.add(format!("{}.infra", builtin.name), builtin.doc.example.to_string());
        let compilation = infrac::compile(&mut sources, &[file]);
        if !compilation.diagnostics.is_empty() || compilation.stacks.is_empty() {
            failures.push_str(&format!("--- example of `{}`\n", builtin.name));
            failures.push_str(&render::plain(&sources, &compilation.diagnostics));
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

// --- Editor grammars ---------------------------------------------------------

/// The tree-sitter highlight queries: the source (Neovim's captures) and
/// the Helix and Zed copies `scripts/editor-queries.js` generates from it.
const QUERIES: &[&str] = &[
    "grammar/tree-sitter-infra/queries/highlights.scm",
    "grammar/tree-sitter-infra/queries/helix/highlights.scm",
    "grammar/tree-sitter-infra/queries/zed/highlights.scm",
];

/// Lines of a name list are filled up to this column (before the closing
/// parentheses).
const QUERY_WIDTH: usize = 84;

/// A query with every `(#any-of? @capture ...)` list replaced by the
/// built-in functions, and every `(#not-any-of? @capture ...)` list by
/// `aws` and the built-in functions (a call whose name is neither is a
/// user's mistake, highlighted as a plain call). Those are the only name
/// lists in the queries.
fn query_with_builtins(query: &str) -> String {
    let mut out = String::new();
    let mut rest = query;
    loop {
        let next = [rest.find("(#any-of? @"), rest.find("(#not-any-of? @")].into_iter().flatten().min();
        let Some(start) = next else { break };
        let negated = rest[start..].starts_with("(#not-any-of?");
        let capture_end = start + rest[start..].find('\n').expect("the names start on the next line");
        let list_end = capture_end + rest[capture_end..].find(')').expect("the predicate is closed");
        out.push_str(&rest[..capture_end]);
        let mut names: Vec<&str> = names();
        if negated {
            names.insert(0, "aws");
        }
        let mut line = String::from("    ");
        for name in names {
            let word = format!("\"{name}\"");
            if line.trim().is_empty() {
                line.push_str(&word);
            } else if line.len() + 1 + word.len() > QUERY_WIDTH {
                out.push('\n');
                out.push_str(&line);
                line = format!("    {word}");
            } else {
                line.push(' ');
                line.push_str(&word);
            }
        }
        out.push('\n');
        out.push_str(&line);
        rest = &rest[list_end..];
    }
    out.push_str(rest);
    out
}

/// The TextMate grammar's pattern for calls of a built-in function.
fn textmate_pattern() -> String {
    format!(r"\b(?:{})\b(?=\s*\()", names().join("|"))
}

#[test]
fn editor_grammars_list_every_builtin() {
    let mut stale = Vec::new();
    for query in QUERIES {
        let path = root().join(query);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("(#any-of? @") && text.contains("(#not-any-of? @"), "{query} has no list of functions");
        stale.extend(check_generated(&path, &query_with_builtins(&text)));
    }

    let path = root().join("grammar/infra.tmLanguage.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let grammar: Json = serde_json::from_str(&text).unwrap();
    let patterns = grammar["repository"]["calls"]["patterns"].as_array().expect("a `calls` rule with patterns");
    let builtin = patterns
        .iter()
        .find(|p| p["name"] == "support.function.builtin.infra")
        .expect("a pattern for built-in functions");
    let current = builtin["match"].as_str().unwrap();
    let expected = textmate_pattern();
    if current != expected {
        // Written in place, so the rest of the file keeps its layout.
        let (old, new) = (serde_json::to_string(current).unwrap(), serde_json::to_string(&expected).unwrap());
        assert_eq!(text.matches(&old).count(), 1, "the pattern occurs once");
        stale.extend(check_generated(&path, &text.replace(&old, &new)));
    }
    assert!(stale.is_empty(), "{stale:?}: run `UPDATE_DOCS=1 cargo test --test builtins`");
}

#[test]
fn query_lists_are_rewritten_in_place() {
    let query =
        "(a\n  (#any-of? @function.builtin\n    \"old\"))\n(b\n  (#not-any-of? @function\n    \"aws\" \"old\"))\n";
    let rewritten = query_with_builtins(query);
    let all: Vec<String> = names().iter().map(|n| format!("\"{n}\"")).collect();
    assert!(rewritten.starts_with("(a\n  (#any-of? @function.builtin\n    \"after\" "), "{rewritten}");
    assert!(rewritten.contains("(b\n  (#not-any-of? @function\n    \"aws\" \"after\" "), "{rewritten}");
    assert!(!rewritten.contains("\"old\""));
    for word in &all {
        assert_eq!(rewritten.matches(word.as_str()).count(), 2, "{word} in each list:\n{rewritten}");
    }
    assert!(rewritten.lines().all(|l| l.trim_end_matches(')').len() <= QUERY_WIDTH));
    assert_eq!(query_with_builtins(&rewritten), rewritten, "rewriting is stable");
}
