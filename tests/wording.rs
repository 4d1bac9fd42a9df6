//! Every message is worded in `src/diagnostics/`: no other file composes the
//! English of a diagnostic.
//!
//! Outside `src/diagnostics/`, a stage builds a diagnostic only through a
//! constructor of the builder (`diag::name(..)`) and hands it typed facts:
//! no string literal and no `format!` among its arguments, and no note,
//! help or label added afterwards.

use std::path::{Path, PathBuf};

/// Calls that attach wording to a diagnostic; only the builder makes them.
const WORDING_CALLS: &[&str] = &[
    ".with_note(",
    ".with_help(",
    ".with_help_opt(",
    ".with_secondary(",
    ".moved_to(",
    "Diagnostic::new(",
    "Label::new(",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source with comments blanked out and the text of every string and
/// character literal replaced by `_`, keeping its quotes: what is left is
/// code, in which a `"` marks a string literal. Line breaks are kept, so
/// positions map to the same lines.
fn code_only(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let after_word = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            loop {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && !after_word && matches!(next, Some('"' | '#')) {
            // A raw string: r"..." or r#"..."#.
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            out.push('"');
            i += 2 + hashes;
            let closing: Vec<char> = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            while i < chars.len() && chars[i..].iter().take(closing.len()).ne(closing.iter()) {
                out.push(if chars[i] == '\n' { '\n' } else { '_' });
                i += 1;
            }
            out.push('"');
            i += closing.len();
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push('_');
                    i += 1;
                }
                out.push(if chars.get(i) == Some(&'\n') { '\n' } else { '_' });
                i += 1;
            }
            out.push('"');
            i += 1;
        } else if c == '\'' && next == Some('\\') {
            // An escaped character literal: '\n', '\'', '\u{..}'.
            let end = chars[i + 2..].iter().position(|&ch| ch == '\'').map_or(chars.len(), |p| i + 3 + p);
            out.push_str("'_'");
            i = end;
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            out.push_str("'_'");
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The text between the `(` at `open` and its matching `)`.
fn arguments(code: &str, open: usize) -> &str {
    let mut depth = 0;
    for (offset, c) in code[open..].char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return &code[open + 1..open + offset];
                }
            }
            _ => {}
        }
    }
    &code[open + 1..]
}

fn line_of(code: &str, at: usize) -> usize {
    code[..at].matches('\n').count() + 1
}

/// Places outside `src/diagnostics/` that word a diagnostic.
fn wording_outside_diagnostics() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut found = Vec::new();
    for path in files {
        let shown = path.strip_prefix(root).unwrap_or(&path).display().to_string();
        if shown.starts_with("src/diagnostics/") || shown.starts_with("src\\diagnostics\\") {
            continue;
        }
        let code = code_only(&std::fs::read_to_string(&path).expect("source is readable"));
        for call in WORDING_CALLS {
            for (at, _) in code.match_indices(call) {
                found.push(format!(
                    "{shown}:{}: `{}` outside the builder",
                    line_of(&code, at),
                    call.trim_start_matches('.')
                ));
            }
        }
        for (at, _) in code.match_indices("diag::") {
            let rest = &code[at + "diag::".len()..];
            let name_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
            let open = at + "diag::".len() + name_len;
            if !code[open..].starts_with('(') {
                continue;
            }
            let args = arguments(&code, open);
            if args.contains('"') || args.contains("format!") {
                let name = &rest[..name_len];
                found.push(format!(
                    "{shown}:{}: `diag::{name}` is given a phrase; pass typed facts (diagnostics::facts) instead",
                    line_of(&code, at)
                ));
            }
        }
    }
    found
}

#[test]
fn no_wording_outside_diagnostics() {
    let found = wording_outside_diagnostics();
    assert!(found.is_empty(), "wording composed outside src/diagnostics/:\n{}", found.join("\n"));
}

/// The scanner itself: it must see a phrase where there is one, and not in
/// comments or in a literal that merely mentions the builder.
#[test]
fn the_scanner_finds_phrases_and_only_phrases() {
    let flagged = |src: &str| {
        let code = code_only(src);
        let open = code.find("diag::x").map(|at| at + "diag::x".len());
        open.is_some_and(|open| {
            let args = arguments(&code, open);
            args.contains('"') || args.contains("format!")
        })
    };
    assert!(flagged(r#"diag::x(span, "a string")"#));
    assert!(flagged("diag::x(span, &format!(\"{a}\"))"));
    assert!(flagged("diag::x(\n    span,\n    r#\"raw\"#,\n)"));
    assert!(!flagged("diag::x(span, Kind::String, &value.kind())"));
    assert!(!flagged("diag::x(span, '\"', name)"));
    assert!(!flagged("// diag::x(span, \"in a comment\")"));
    assert!(!flagged("let s = \"diag::x(span, name)\";"));
    assert_eq!(code_only("a /* b \"c\" */ d"), format!("a{}d", " ".repeat(13)));
    assert_eq!(code_only("f(\"x\\\"y\", 'z')"), "f(\"____\", '_')");
}

/// The typed facts have no `Display`: only the builder words them.
#[test]
fn facts_are_worded_only_by_the_builder() {
    let facts = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/diagnostics/facts.rs"))
        .expect("facts.rs is readable");
    assert!(!code_only(&facts).contains("Display for"), "a fact implements Display: word it in the builder instead");
}
