//! The formatter (`infrac::format`), tested two ways.
//!
//! - `fixtures`: every `tests/format/*.infra` file is a messy input. Its
//!   snapshot (`tests/format/snapshots/`) holds the input and the formatted
//!   output, or the diagnostics when the formatter refuses the file.
//! - `every_infra_file`: every `.infra` file in the repository (found at run
//!   time) must satisfy the formatter's contract: it is idempotent, it keeps
//!   the tokens and the comments, it keeps the compiled templates, its
//!   output depends only on the tokens and the line breaks (not on other
//!   whitespace), and it refuses exactly the files with syntax errors.
//!
//! Adding a case means adding a file, then `cargo insta review`.

mod support;

use std::path::{Path, PathBuf};

use infrac::diagnostics::render;
use infrac::format::format_source;
use infrac::source::SourceMap;
use infrac::syntax::lexer::lex;
use infrac::syntax::token::Token;
use support::program::split_files;

#[test]
fn fixtures() {
    insta::with_settings!({ snapshot_path => "format/snapshots", prepend_module_to_snapshot => false }, {
        insta::glob!("format/*.infra", |path| {
            let src = std::fs::read_to_string(path).expect("fixtures are readable");
            insta::assert_snapshot!(render_fixture(path, &src));
        });
    });
}

/// The input, then the formatted output or the reason there is none.
fn render_fixture(path: &Path, src: &str) -> String {
    let output = match format_source(src) {
        Ok(formatted) => format!("----- OUTPUT\n{formatted}"),
        Err(diagnostics) => {
            let mut sources = SourceMap::new();
            sources.add(path.file_name().and_then(|n| n.to_str()).unwrap_or("input.infra"), src);
            format!("----- REFUSED\n{}", render::plain(&sources, &diagnostics))
        }
    };
    format!("----- INPUT\n{src}{output}")
}

#[test]
fn every_infra_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect_infra_files(root, &mut files);
    files.sort();
    assert!(files.len() >= 20, "expected the repository's .infra files, found {}", files.len());

    let mut failures = Vec::new();
    let (mut formatted_count, mut compiled_count) = (0, 0);
    for path in &files {
        // Other work may add or remove files while this runs.
        let Ok(src) = std::fs::read_to_string(path) else { continue };
        let name = path.strip_prefix(root).unwrap_or(path).display().to_string();
        // A fixture holding the files its `asset()` calls package is not
        // all infra; its `.infra` files are formatted alone.
        if split_files(&name, &src).iter().any(|(file, _)| !file.ends_with(".infra")) {
            for (file, text) in split_files(&name, &src).iter().filter(|(file, _)| file.ends_with(".infra")) {
                let outcome = check_formatting_only(text);
                formatted_count += usize::from(outcome.formatted);
                failures.extend(outcome.failures.into_iter().map(|f| format!("{name} ({file}): {f}")));
            }
            continue;
        }
        let outcome = check_contract(&name, &src);
        formatted_count += usize::from(outcome.formatted);
        compiled_count += usize::from(outcome.compared_templates);
        failures.extend(outcome.failures.into_iter().map(|f| format!("{name}: {f}")));
    }
    eprintln!("{} files: {formatted_count} formatted, {compiled_count} compiled and compared", files.len());
    assert!(failures.is_empty(), "{} failure(s):\n\n{}", failures.len(), failures.join("\n\n"));
    assert!(formatted_count >= 20, "only {formatted_count} files formatted");
    assert!(compiled_count >= 10, "only {compiled_count} files compiled");
}

/// Every `.infra` file under `dir`, skipping build output, VCS data and
/// JavaScript dependencies.
fn collect_infra_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if path.is_dir() {
            if !file_name.starts_with('.') && file_name != "target" && file_name != "node_modules" {
                collect_infra_files(&path, files);
            }
        } else if file_name.ends_with(".infra") {
            files.push(path);
        }
    }
}

#[derive(Default)]
struct Outcome {
    formatted: bool,
    compared_templates: bool,
    failures: Vec<String>,
}

fn check_contract(name: &str, src: &str) -> Outcome {
    let mut outcome = Outcome::default();
    let files = split_files(name, src);
    // A fixture that holds a file loaded with `file(...)` (a script) is not
    // one program text.
    if files.iter().any(|(file_name, _)| !file_name.ends_with(".infra")) {
        return outcome;
    }
    let original = compile(&files);
    let has_syntax_errors = original.diagnostics.iter().any(|d| d.is_error() && d.code.as_str().starts_with("E01"));

    let formatted = match format_source(src) {
        Err(_) if has_syntax_errors => return outcome,
        Err(diagnostics) => {
            let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
            outcome.failures.push(format!("refused a file without syntax errors: {codes:?}"));
            return outcome;
        }
        Ok(_) if has_syntax_errors => {
            outcome.failures.push("formatted a file with syntax errors".to_string());
            return outcome;
        }
        Ok(formatted) => formatted,
    };
    outcome.formatted = true;

    match format_source(&formatted) {
        Ok(again) if again == formatted => {}
        Ok(again) => outcome.failures.push(format!("not idempotent:\n{}", first_difference(&formatted, &again))),
        Err(_) => outcome.failures.push("its own output has syntax errors".to_string()),
    }
    if tokens(src) != tokens(&formatted) {
        outcome.failures.push("the tokens changed".to_string());
    }
    let (before, after) = (comments(src), comments(&formatted));
    if before != after {
        outcome.failures.push(format!("the comments changed:\n{before:#?}\n{after:#?}"));
    }
    let scrambled = scramble_whitespace(name, src);
    match format_source(&scrambled) {
        Ok(again) if again == formatted => {}
        Ok(again) => outcome.failures.push(format!(
            "the layout depends on more than the line breaks:\n{}\n--- scrambled input:\n{scrambled}",
            first_difference(&formatted, &again)
        )),
        Err(_) => outcome.failures.push(format!("scrambling whitespace broke the file:\n{scrambled}")),
    }
    if let Some(problem) = layout_problem(&formatted) {
        outcome.failures.push(problem);
    }

    if !original.has_errors() {
        outcome.compared_templates = true;
        let reformatted = compile(&split_files(name, &formatted));
        let codes = |c: &infrac::Compilation| c.diagnostics.iter().map(|d| d.code.as_str()).collect::<Vec<_>>();
        if reformatted.has_errors() {
            outcome.failures.push(format!("compiles, but not once formatted: {:?}", codes(&reformatted)));
        } else if templates(&original) != templates(&reformatted) {
            outcome.failures.push("the compiled templates changed".to_string());
        } else if codes(&original) != codes(&reformatted) {
            outcome.failures.push(format!("the warnings changed: {:?} -> {:?}", codes(&original), codes(&reformatted)));
        }
    }
    outcome
}

/// The formatter's contract without compiling: for a file whose program
/// needs files beside it.
fn check_formatting_only(src: &str) -> Outcome {
    let mut outcome = Outcome::default();
    match format_source(src) {
        Ok(formatted) => {
            outcome.formatted = true;
            if format_source(&formatted).ok().as_ref() != Some(&formatted) {
                outcome.failures.push("not idempotent".to_string());
            }
            if tokens(src) != tokens(&formatted) {
                outcome.failures.push("the tokens changed".to_string());
            }
        }
        Err(_) => outcome.failures.push("refused a file without syntax errors".to_string()),
    }
    outcome
}

fn compile(files: &[(String, String)]) -> infrac::Compilation {
    support::program::compile_files(files).1
}

fn templates(compilation: &infrac::Compilation) -> Vec<(String, String)> {
    compilation.stacks.iter().map(|s| (s.name.clone(), infrac::backend::to_text(&s.template))).collect()
}

/// The tokens, without positions. `[` and `(` keep whether they start a
/// line (`LBracketLine`, `LParenLine`), and string pieces keep their text.
fn tokens(src: &str) -> Vec<String> {
    lex(src, 0).tokens.iter().map(|(token, _)| format!("{token:?}")).collect()
}

/// The comments in order. Line comments lose their trailing whitespace;
/// nothing else about a comment may change.
fn comments(src: &str) -> Vec<(String, String)> {
    lex(src, 0).comments.iter().map(|c| (format!("{:?}", c.kind), c.text.trim_end().to_string())).collect()
}

/// `src` with the whitespace between tokens and comments replaced by other
/// whitespace, chosen pseudo-randomly (seeded by `name`): the same number of
/// newlines, and none where there was none. Strings, interpolations
/// included, and comments are left alone. The formatter must not see the
/// difference.
fn scramble_whitespace(name: &str, src: &str) -> String {
    let mut seed =
        name.bytes().fold(0x9e37_79b9_7f4a_7c15_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let mut random = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let lexed = lex(src, 0);
    // The covered ranges: tokens, whole strings and comments.
    let mut covered: Vec<(usize, usize)> =
        lexed.comments.iter().map(|c| (c.span.range().start, c.span.range().end)).collect();
    let mut depth = 0usize;
    let mut string_start = 0;
    for (token, range) in &lexed.tokens {
        match token {
            Token::StrStart => {
                if depth == 0 {
                    string_start = range.start;
                }
                depth += 1;
            }
            Token::StrEnd => {
                depth -= 1;
                if depth == 0 {
                    covered.push((string_start, range.end));
                }
            }
            _ if depth == 0 => covered.push((range.start, range.end)),
            _ => {}
        }
    }
    covered.sort();
    let mut out = String::with_capacity(src.len() * 2);
    let mut pos = 0;
    for (start, end) in covered {
        if start < pos {
            continue; // A comment inside a string.
        }
        let gap = &src[pos..start];
        let newlines = gap.matches('\n').count();
        if newlines == 0 {
            if !gap.is_empty() {
                out.push_str([" ", "  ", "\t", " \t "][random(4)]);
            }
        } else {
            out.push_str(["", " ", "\t"][random(3)]);
            for _ in 0..newlines {
                out.push_str(["\n", "\r\n", "  \n", "\t\n"][random(4)]);
            }
            out.push_str(["", " ", "    ", "\t\t", "        "][random(5)]);
        }
        out.push_str(&src[start..end]);
        pos = end;
    }
    out.push_str(&src[pos..]);
    out
}

/// What is wrong with the shape of formatted text, if anything. Only lines
/// outside strings and block comments are checked for trailing whitespace.
fn layout_problem(formatted: &str) -> Option<String> {
    if formatted.is_empty() {
        return None;
    }
    if !formatted.ends_with('\n') || formatted.ends_with("\n\n") {
        return Some("does not end with exactly one newline".to_string());
    }
    if formatted.starts_with('\n') {
        return Some("starts with a blank line".to_string());
    }
    if formatted.contains("\n\n\n") && !has_verbatim_multiline(formatted) {
        return Some("has two blank lines in a row".to_string());
    }
    if !has_verbatim_multiline(formatted) {
        if let Some(line) = formatted.lines().find(|line| line.ends_with([' ', '\t'])) {
            return Some(format!("trailing whitespace on `{line}`"));
        }
    }
    None
}

/// Whether text may hold newlines inside a string or a block comment, where
/// whitespace belongs to the content.
fn has_verbatim_multiline(text: &str) -> bool {
    text.contains("\"\"\"") || text.contains("/*")
}

/// The first line where two texts differ, for messages.
fn first_difference(a: &str, b: &str) -> String {
    let line = a.lines().zip(b.lines()).position(|(x, y)| x != y).unwrap_or(a.lines().count().min(b.lines().count()));
    format!(
        "line {}:\n  first:  {:?}\n  second: {:?}",
        line + 1,
        a.lines().nth(line).unwrap_or(""),
        b.lines().nth(line).unwrap_or("")
    )
}
