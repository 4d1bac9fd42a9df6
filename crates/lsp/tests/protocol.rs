//! The server, spoken to over the protocol: one fixture per case under
//! `tests/cases/<request>/`, one insta snapshot of each answer.
//!
//! A fixture is a program; `//# file: NAME` lines split it into several
//! files (the first is the one opened), and `$0` marks the cursor. A line
//! `//- new_name: NAME` gives a rename its new name. The files are written
//! to a temporary folder, the first is opened, its diagnostics awaited, and
//! the request made at the cursor. Answers are rendered for people: the
//! folder shows as `<dir>`, the standard library's as `<std>`, locations as
//! `file:line:column` with the line's text, edits applied to the file.

mod support;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use support::{position, uri, Session};

const CURSOR: &str = "$0";
const FILE_MARKER: &str = "//# file: ";

struct Case {
    dir: PathBuf,
    std_dir: PathBuf,
    /// `(path, text)` of every file, cursor removed; the first is opened.
    files: Vec<(PathBuf, String)>,
    cursor: Option<usize>,
}

impl Case {
    fn load(kind: &str, fixture: &Path) -> Case {
        let src = std::fs::read_to_string(fixture).expect("a fixture");
        let name = fixture.file_stem().unwrap().to_string_lossy().to_string();
        let dir = support::temp_dir(&format!("{kind}-{name}"));
        let std_dir = dir.join(".std");
        let mut files: Vec<(String, String)> = Vec::new();
        if src.starts_with(FILE_MARKER) {
            for line in src.split_inclusive('\n') {
                match line.strip_prefix(FILE_MARKER) {
                    Some(file) => files.push((file.trim().to_string(), String::new())),
                    None => files.last_mut().unwrap().1.push_str(line),
                }
            }
        } else {
            files.push((format!("{name}.infra"), src));
        }
        let mut cursor = None;
        let files = files
            .into_iter()
            .enumerate()
            .map(|(i, (file, text))| {
                if i == 0 {
                    cursor = text.find(CURSOR);
                }
                assert!(i == 0 || !text.contains(CURSOR), "{}: the cursor goes in the first file", fixture.display());
                let text = text.replacen(CURSOR, "", 1);
                let path = dir.join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &text).unwrap();
                (path, text)
            })
            .collect();
        Case { dir, std_dir, files, cursor }
    }

    fn main(&self) -> (&Path, &str) {
        (&self.files[0].0, &self.files[0].1)
    }

    fn start(&self) -> Session {
        let options = json!({ "debounceMs": 0, "stdDir": self.std_dir.to_string_lossy() });
        let mut session = Session::start(&self.dir, options);
        let (path, text) = self.main();
        session.open(path, text);
        session
    }

    fn position_params(&self) -> Value {
        let (path, text) = self.main();
        let cursor = self.cursor.expect("the fixture marks the cursor with $0");
        json!({ "textDocument": { "uri": uri(path) }, "position": position(text, cursor) })
    }

    /// The text of the file a URI names.
    fn text_of(&self, uri_text: &str) -> String {
        let path = self.path_of(uri_text);
        self.files
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| std::fs::read_to_string(&path).unwrap_or_default())
    }

    fn path_of(&self, uri_text: &str) -> PathBuf {
        let path = uri_text.strip_prefix("file://").expect("a file URI").replace("%20", " ");
        PathBuf::from(path)
    }

    /// A URI with the test's folders named for people.
    fn show_uri(&self, uri_text: &str) -> String {
        let path = self.path_of(uri_text);
        if let Ok(rest) = path.strip_prefix(&self.std_dir) {
            return format!("<std>/{}", rest.display());
        }
        match path.strip_prefix(&self.dir) {
            Ok(rest) => rest.display().to_string(),
            Err(_) => path.display().to_string(),
        }
    }

    /// `file:line:column-line:column  | the line`
    fn show_location(&self, uri_text: &str, range: &Value) -> String {
        let text = self.text_of(uri_text);
        let line = range["start"]["line"].as_u64().unwrap() as usize;
        let line_text = text.lines().nth(line).unwrap_or("").trim();
        format!("{}:{}  | {line_text}", self.show_uri(uri_text), show_range(range))
    }

    fn show_text(&self, text: &str) -> String {
        text.replace(&self.std_dir.to_string_lossy().to_string(), "<std>")
            .replace(&self.dir.to_string_lossy().to_string(), "<dir>")
    }
}

fn show_range(range: &Value) -> String {
    let p = |v: &Value| format!("{}:{}", v["line"].as_u64().unwrap() + 1, v["character"].as_u64().unwrap() + 1);
    format!("{}-{}", p(&range["start"]), p(&range["end"]))
}

/// `text` with `edits` (protocol text edits) applied.
fn apply(text: &str, edits: &[Value]) -> String {
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            let start = support::offset(text, &e["range"]["start"]);
            let end = support::offset(text, &e["range"]["end"]);
            (start, end, e["newText"].as_str().unwrap())
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new_text) in edits {
        out.replace_range(start..end, new_text);
    }
    out
}

fn show_diagnostics(case: &Case, uri_text: &str, diagnostics: &Value) -> String {
    let mut out = String::new();
    for d in diagnostics.as_array().unwrap() {
        let severity = if d["severity"] == 1 { "error" } else { "warning" };
        out.push_str(&format!(
            "{severity}[{}] {}\n",
            d["code"].as_str().unwrap_or(""),
            case.show_location(uri_text, &d["range"])
        ));
        for line in d["message"].as_str().unwrap().lines() {
            out.push_str(&format!("    {line}\n"));
        }
        if let Some(href) = d["codeDescription"]["href"].as_str() {
            out.push_str(&format!("    explained at {href}\n"));
        }
        for related in d["relatedInformation"].as_array().into_iter().flatten() {
            let location =
                case.show_location(related["location"]["uri"].as_str().unwrap(), &related["location"]["range"]);
            out.push_str(&format!("    related: {location}: {}\n", related["message"].as_str().unwrap()));
        }
        if !d["data"].is_null() {
            out.push_str(&format!("    data: {}\n", d["data"]));
        }
    }
    if out.is_empty() {
        out.push_str("(no diagnostics)\n");
    }
    out
}

/// Runs every fixture of `tests/cases/<kind>/` through `answer`, which
/// makes the request and renders the answer.
fn run_cases(kind: &str, answer: fn(&Case, &mut Session) -> String) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases").join(kind);
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|_| panic!("no folder {}", folder.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "infra"))
        .collect();
    fixtures.sort();
    assert!(!fixtures.is_empty(), "no fixtures in {}", folder.display());
    for fixture in fixtures {
        let case = Case::load(kind, &fixture);
        let mut session = case.start();
        let (path, _) = case.main();
        let diagnostics = session.diagnostics(&uri(path));
        let rendered = if kind == "diagnostics" {
            // Every file of the program gets its own, empty ones included.
            let mut out = String::new();
            for (i, (path, _)) in case.files.iter().enumerate() {
                let uri_text = uri(path);
                let published = if i == 0 { diagnostics.clone() } else { session.diagnostics(&uri_text) };
                out.push_str(&format!(
                    "--- {}\n{}",
                    case.show_uri(&uri_text),
                    show_diagnostics(&case, &uri_text, &published)
                ));
            }
            out
        } else {
            answer(&case, &mut session)
        };
        session.shutdown();
        let _ = std::fs::remove_dir_all(&case.dir);
        let name = fixture.file_stem().unwrap().to_string_lossy().to_string();
        let source = std::fs::read_to_string(&fixture).unwrap();
        insta::with_settings!({ snapshot_suffix => name.clone(), omit_expression => true, description => source, prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(kind, case.show_text(&rendered));
        });
    }
}

#[test]
fn diagnostics() {
    run_cases("diagnostics", |_, _| unreachable!());
}

#[test]
fn hover() {
    run_cases("hover", |case, session| {
        let answer = session.request("textDocument/hover", case.position_params());
        if answer.is_null() {
            return "(nothing)\n".to_string();
        }
        format!("range {}\n\n{}\n", show_range(&answer["range"]), answer["contents"]["value"].as_str().unwrap())
    });
}

#[test]
fn completion() {
    run_cases("completion", |case, session| {
        let answer = session.request("textDocument/completion", case.position_params());
        let items = answer["items"].as_array().unwrap();
        let mut sorted: Vec<&Value> = items.iter().collect();
        sorted.sort_by_key(|i| i["sortText"].as_str().unwrap().to_string());
        let mut out = format!("{} items\n", items.len());
        // The whole list when short; the first 40 otherwise.
        for item in sorted.iter().take(40) {
            let kind = completion_kind(item["kind"].as_u64().unwrap());
            let detail = item["detail"].as_str().map(|d| format!(" · {d}")).unwrap_or_default();
            let insert = item["textEdit"]["newText"].as_str().unwrap();
            let insert =
                if insert == item["label"].as_str().unwrap() { String::new() } else { format!("  => {insert:?}") };
            out.push_str(&format!("{} ({kind}){detail}{insert}\n", item["label"].as_str().unwrap()));
        }
        if let Some(first) = sorted.first() {
            let mut first = (*first).clone();
            if first["documentation"].is_null() {
                first = session.request("completionItem/resolve", first);
            }
            let range = show_range(&first["textEdit"]["range"]);
            out.push_str(&format!("\nreplaces {range}; the first item's documentation:\n\n"));
            out.push_str(first["documentation"]["value"].as_str().unwrap_or("(none)"));
            out.push('\n');
        }
        out
    });
}

/// A completion item's kind, as the protocol numbers them.
fn completion_kind(number: u64) -> &'static str {
    const KINDS: [&str; 25] = [
        "text",
        "method",
        "function",
        "constructor",
        "field",
        "variable",
        "class",
        "interface",
        "module",
        "property",
        "unit",
        "value",
        "enum",
        "keyword",
        "snippet",
        "color",
        "file",
        "reference",
        "folder",
        "enum member",
        "constant",
        "struct",
        "event",
        "operator",
        "type parameter",
    ];
    KINDS.get(number as usize - 1).copied().unwrap_or("?")
}

fn show_locations(case: &Case, answer: &Value) -> String {
    let locations: Vec<Value> = match answer {
        Value::Null => Vec::new(),
        Value::Array(items) => items.clone(),
        single => vec![single.clone()],
    };
    if locations.is_empty() {
        return "(nothing)\n".to_string();
    }
    locations.iter().map(|l| format!("{}\n", case.show_location(l["uri"].as_str().unwrap(), &l["range"]))).collect()
}

#[test]
fn definition() {
    run_cases("definition", |case, session| {
        let answer = session.request("textDocument/definition", case.position_params());
        show_locations(case, &answer)
    });
}

#[test]
fn references() {
    run_cases("references", |case, session| {
        let mut params = case.position_params();
        params["context"] = json!({ "includeDeclaration": true });
        let answer = session.request("textDocument/references", params);
        show_locations(case, &answer)
    });
}

#[test]
fn rename() {
    run_cases("rename", |case, session| {
        let (_, text) = case.main();
        let new_name = text
            .lines()
            .find_map(|l| l.strip_prefix("//- new_name: "))
            .expect("a rename fixture says `//- new_name: NAME`")
            .trim()
            .to_string();
        let prepared = session.request("textDocument/prepareRename", case.position_params());
        let mut out = format!("prepare: {}\n", prepared);
        if prepared.get("error").is_some() || prepared.is_null() {
            return out;
        }
        let mut params = case.position_params();
        params["newName"] = json!(new_name);
        let answer = session.request("textDocument/rename", params);
        let changes = answer["changes"].as_object().expect("changes");
        for (uri_text, edits) in changes {
            let after = apply(&case.text_of(uri_text), edits.as_array().unwrap());
            out.push_str(&format!("\n--- {}\n{after}", case.show_uri(uri_text)));
        }
        out
    });
}

#[test]
fn formatting() {
    run_cases("formatting", |case, session| {
        let (path, text) = case.main();
        let params = json!({ "textDocument": { "uri": uri(path) }, "options": { "tabSize": 2, "insertSpaces": true } });
        let answer = session.request("textDocument/formatting", params);
        match answer.as_array() {
            Some(edits) if edits.is_empty() => "(already formatted)\n".to_string(),
            Some(edits) => apply(text, edits),
            None => format!("(not formatted: {answer})\n"),
        }
    });
}

fn show_symbols(symbols: &[Value], depth: usize, out: &mut String) {
    for symbol in symbols {
        let detail = symbol["detail"].as_str().map(|d| format!(": {d}")).unwrap_or_default();
        out.push_str(&format!(
            "{}{}{detail} (kind {}) {} name {}\n",
            "  ".repeat(depth),
            symbol["name"].as_str().unwrap(),
            symbol["kind"],
            show_range(&symbol["range"]),
            show_range(&symbol["selectionRange"])
        ));
        show_symbols(symbol["children"].as_array().map_or(&[], |c| c.as_slice()), depth + 1, out);
    }
}

#[test]
fn symbols() {
    run_cases("symbols", |case, session| {
        let (path, _) = case.main();
        let answer = session.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri(path) } }));
        let mut out = String::new();
        show_symbols(answer.as_array().unwrap(), 0, &mut out);
        let query = session.request("workspace/symbol", json!({ "query": "" }));
        out.push_str("\nworkspace symbols:\n");
        for symbol in query.as_array().unwrap() {
            let location = &symbol["location"];
            out.push_str(&format!(
                "{} (kind {}) {}\n",
                symbol["name"].as_str().unwrap(),
                symbol["kind"],
                case.show_location(location["uri"].as_str().unwrap(), &location["range"])
            ));
        }
        out
    });
}

#[test]
fn semantic_tokens() {
    run_cases("semantic_tokens", |case, session| {
        let (path, text) = case.main();
        let legend =
            ["resource", "class", "parameter", "variable", "property", "namespace", "decorator", "function", "type"];
        let modifiers = ["declaration", "defaultLibrary", "readonly"];
        let answer =
            session.request("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": uri(path) } }));
        let data: Vec<u64> = answer["data"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        let lines: Vec<&str> = text.lines().collect();
        let (mut line, mut column) = (0u64, 0u64);
        let mut out = String::new();
        for token in data.chunks(5) {
            if token[0] > 0 {
                line += token[0];
                column = token[1];
            } else {
                column += token[1];
            }
            let line_text: Vec<u16> = lines[line as usize].encode_utf16().collect();
            let word = String::from_utf16_lossy(&line_text[column as usize..(column + token[2]) as usize]);
            let mods: Vec<&str> =
                modifiers.iter().enumerate().filter(|(i, _)| token[4] & (1 << i) != 0).map(|(_, m)| *m).collect();
            out.push_str(&format!(
                "{}:{} {word} {} {}\n",
                line + 1,
                column + 1,
                legend[token[3] as usize],
                mods.join(",")
            ));
        }
        out
    });
}

#[test]
fn folding() {
    run_cases("folding", |case, session| {
        let (path, text) = case.main();
        let answer = session.request("textDocument/foldingRange", json!({ "textDocument": { "uri": uri(path) } }));
        let lines: Vec<&str> = text.lines().collect();
        let mut out = String::new();
        for fold in answer.as_array().unwrap() {
            let (start, end) =
                (fold["startLine"].as_u64().unwrap() as usize, fold["endLine"].as_u64().unwrap() as usize);
            out.push_str(&format!(
                "{}-{} {}  | {} ... {}\n",
                start + 1,
                end + 1,
                fold["kind"].as_str().unwrap_or(""),
                lines[start].trim(),
                lines[end].trim()
            ));
        }
        out
    });
}

#[test]
fn signature_help() {
    run_cases("signature_help", |case, session| {
        let answer = session.request("textDocument/signatureHelp", case.position_params());
        if answer.is_null() {
            return "(nothing)\n".to_string();
        }
        let mut out = String::new();
        let active = answer["activeSignature"].as_u64().unwrap() as usize;
        for (i, signature) in answer["signatures"].as_array().unwrap().iter().enumerate() {
            let mark = if i == active { "*" } else { " " };
            out.push_str(&format!("{mark} {}\n", signature["label"].as_str().unwrap()));
        }
        out.push_str(&format!("active parameter: {}\n", answer["activeParameter"]));
        out
    });
}

#[test]
fn code_actions() {
    run_cases("code_actions", |case, session| {
        let (path, text) = case.main();
        // The diagnostics the client holds come back with the request, as an editor sends them.
        let held = case_diagnostics(case, session);
        let range = json!({ "start": { "line": 0, "character": 0 }, "end": position(text, text.len()) });
        let params = json!({
            "textDocument": { "uri": uri(path) },
            "range": range,
            "context": { "diagnostics": held },
        });
        let answer = session.request("textDocument/codeAction", params);
        let mut out = String::new();
        for action in answer.as_array().unwrap() {
            out.push_str(&format!("## {}\n", action["title"].as_str().unwrap()));
            let changes = action["edit"]["changes"].as_object().unwrap();
            for (uri_text, edits) in changes {
                out.push_str(&apply(&case.text_of(uri_text), edits.as_array().unwrap()));
            }
            out.push('\n');
        }
        if out.is_empty() {
            out.push_str("(no actions)\n");
        }
        out
    });
}

/// The diagnostics of the opened file, published again after a change
/// that leaves its text as it is.
fn case_diagnostics(case: &Case, session: &mut Session) -> Value {
    let (path, text) = case.main();
    session.change(path, 2, text);
    session.diagnostics(&uri(path))
}

/// A change is checked after the pause, and its diagnostics replace the
/// ones before it; fixing the mistake clears them.
#[test]
fn typing_updates_diagnostics() {
    let dir = support::temp_dir("typing");
    let path = dir.join("main.infra");
    let good = "resource logs: AWS::S3::Bucket {\n  BucketName: \"logs\"\n}\n";
    std::fs::write(&path, good).unwrap();
    let mut session = Session::start(&dir, json!({ "debounceMs": 20, "stdDir": dir.join(".std").to_string_lossy() }));
    session.open(&path, good);
    assert_eq!(session.diagnostics(&uri(&path)), json!([]));
    let bad = good.replace("BucketName", "BucketNme");
    session.change(&path, 2, &bad);
    let diagnostics = session.diagnostics(&uri(&path));
    assert_eq!(diagnostics[0]["code"], "E0401", "{diagnostics}");
    assert_eq!(diagnostics[0]["data"], json!({ "replace": "BucketName" }));
    session.change(&path, 3, good);
    assert_eq!(session.diagnostics(&uri(&path)), json!([]));
    session.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Hover shows the value the text being hovered folds to, even before the
/// pause in typing has had its diagnostics checked.
#[test]
fn hover_folds_the_latest_text() {
    let dir = support::temp_dir("hover-latest");
    let path = dir.join("main.infra");
    let before = "let n = 2 * 3\n\nresource logs: AWS::S3::Bucket {\n  BucketName: \"logs-${n}\"\n}\n";
    std::fs::write(&path, before).unwrap();
    let options = json!({ "debounceMs": 60_000, "stdDir": dir.join(".std").to_string_lossy() });
    let mut session = Session::start(&dir, options);
    session.open(&path, before);
    assert_eq!(session.diagnostics(&uri(&path)), json!([]));
    let after = before.replace("2 * 3", "2 * 4");
    session.change(&path, 2, &after);
    let cursor = after.find("${n}").unwrap() + 2;
    let params = json!({ "textDocument": { "uri": uri(&path) }, "position": position(&after, cursor) });
    let answer = session.request("textDocument/hover", params);
    let markdown = answer["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("```infra\n8\n```"), "{markdown}");
    session.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}

/// A request the client cancels while it waits behind another is answered
/// with `RequestCanceled` and not worked on; the one before it, already
/// being worked on, is answered in full.
#[test]
fn cancelled_requests_waiting_are_not_answered() {
    let dir = support::temp_dir("cancel");
    let path = dir.join("main.infra");
    // Enough for a check to take far longer than sending three messages.
    let mut text = String::from("let n = 2 * 3\n");
    for i in 0..300 {
        text.push_str(&format!("resource queue{i}: AWS::SQS::Queue {{\n  QueueName: \"q-${{n}}-{i}\"\n}}\n"));
    }
    std::fs::write(&path, &text).unwrap();
    let options = json!({ "debounceMs": 60_000, "stdDir": dir.join(".std").to_string_lossy() });
    let mut session = Session::start(&dir, options);
    session.open(&path, &text);
    assert_eq!(session.diagnostics(&uri(&path)), json!([]));
    // Changed text is not checked until a hover needs its folded values.
    let changed = text.replace("2 * 3", "2 * 4");
    session.change(&path, 2, &changed);
    let cursor = changed.find("${n}").unwrap() + 2;
    let params = json!({ "textDocument": { "uri": uri(&path) }, "position": position(&changed, cursor) });
    let first = session.send_request("textDocument/hover", params.clone());
    let second = session.send_request("textDocument/hover", params.clone());
    session.notify("$/cancelRequest", json!({ "id": second.clone() }));
    let answered = session.response(first);
    assert!(answered["contents"]["value"].as_str().unwrap().contains("```infra\n8\n```"), "{answered}");
    let cancelled = session.response(second);
    assert_eq!(cancelled["code"], -32800, "{cancelled}");
    // The session goes on.
    assert!(!session.request("textDocument/hover", params)["contents"].is_null());
    session.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Workspace symbols come from every program of the workspace folder,
/// files not open included, and from an open document not saved yet.
#[test]
fn workspace_symbols_include_unsaved_documents() {
    let dir = support::temp_dir("workspace-unsaved");
    std::fs::write(dir.join("saved.infra"), "let saved_name = 1\n").unwrap();
    let unsaved = dir.join("unsaved.infra");
    let mut session = Session::start(&dir, json!({ "stdDir": dir.join(".std").to_string_lossy() }));
    session.open(&unsaved, "let unsaved_name = 2\n");
    let answer = session.request("workspace/symbol", json!({ "query": "name" }));
    let names: Vec<&str> = answer.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["saved_name", "unsaved_name"]);
    session.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}
