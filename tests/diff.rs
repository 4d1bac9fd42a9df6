//! The diff harness: every folder under `tests/diff/` is a case. Its `before.infra` and
//! `after.infra` are compiled (each as `app.infra`, or as the files its `//# file:` lines
//! start), their stacks diffed (`infrac::diff`), and the diff snapshotted as
//! text and as JSON. An optional `parameters.json` gives the values the stacks are deployed
//! with, as `{ "before": { "Stack": { "Name": "value" } }, "after": { ... } }` (what
//! `infrac diff --live` knows). Adding a case means adding a folder, then `cargo insta review`.
//!
//! Every program of the cases and every example is also diffed against itself (no differences)
//! and against nothing (everything added, then everything removed).

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use infrac::diff::{self, RenderOptions, StackState};
use serde_json::Value;
use support::program;

/// A compiled side of a case: its stacks and the text of its files, for the locator.
struct Side {
    stacks: Vec<StackState>,
    files: Vec<(String, String)>,
}

fn compile(path: &Path, parameters: Option<&Value>) -> Side {
    let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // Both sides are `app.infra`, so that a program without `stack` blocks is the stack `App`
    // on both sides.
    let files = program::split_files("app.infra", &src);
    let (sources, compilation) = program::compile_files(&files);
    assert!(
        !compilation.has_errors(),
        "{} should compile:\n{}",
        path.display(),
        infrac::diagnostics::render::plain(&sources, &compilation.diagnostics)
    );
    let stacks = compilation
        .stacks
        .into_iter()
        .map(|stack| {
            let given = parameters.and_then(|p| p.get(&stack.name)).and_then(Value::as_object);
            let parameters: BTreeMap<String, String> = given
                .map(|given| {
                    given
                        .iter()
                        .map(|(k, v)| (k.clone(), v.as_str().expect("values are strings").to_string()))
                        .collect()
                })
                .unwrap_or_default();
            StackState { name: stack.name, template: stack.template, parameters }
        })
        .collect();
    Side { stacks, files }
}

/// Where a resource is declared: the line of `resource name:` whose name is the logical ID in
/// PascalCase, inside `stack Name { ... }` (or anywhere in a program without stack blocks,
/// whose stack is `App`), in the new program, else in the old one.
fn locate(after: &Side, before: &Side, stack: &str, logical_id: &str) -> Option<String> {
    for (side, side_name) in [(after, "after"), (before, "before")] {
        for (file, text) in &side.files {
            let mut current = "App";
            for (index, line) in text.lines().enumerate() {
                if let Some(name) = line.strip_prefix("stack ") {
                    current = name.trim_end_matches(['{', ' ']);
                } else if line.starts_with('}') {
                    current = "App";
                }
                let declared = line.trim_start().strip_prefix("resource ").and_then(|rest| rest.split(':').next());
                if current == stack
                    && declared.is_some_and(|name| infrac::check::pascal_case(name.trim()) == logical_id)
                {
                    return Some(format!("{side_name}/{file}:{}", index + 1));
                }
            }
        }
    }
    None
}

#[test]
fn cases() {
    insta::glob!("diff/*/after.infra", |path| {
        let folder = path.parent().expect("a case folder");
        let parameters: Option<Value> = std::fs::read_to_string(folder.join("parameters.json"))
            .ok()
            .map(|text| serde_json::from_str(&text).expect("parameters.json is JSON"));
        let before = compile(&folder.join("before.infra"), parameters.as_ref().and_then(|p| p.get("before")));
        let after = compile(path, parameters.as_ref().and_then(|p| p.get("after")));
        let diff = diff::diff(&before.stacks, &after.stacks);
        let locator = |stack: &str, id: &str| locate(&after, &before, stack, id);
        let text = diff::render_text(&diff, &RenderOptions { color: false, locate: Some(&locator) });
        let json = diff::to_json(&diff, Some(&locator));

        // Byte for byte the same on a second run.
        let again = diff::diff(&before.stacks, &after.stacks);
        assert_eq!(diff::render_text(&again, &RenderOptions { color: false, locate: Some(&locator) }), text);
        // Colour changes only the escapes.
        let coloured = diff::render_text(&diff, &RenderOptions { color: true, locate: Some(&locator) });
        assert_eq!(strip_ansi(&coloured), text);
        // The JSON says what the text says.
        assert_eq!(json["differences"], Value::Bool(!diff.is_empty()));
        assert_eq!(json["broadening"], Value::Bool(diff.is_broadening()));

        // Nothing a secret (`NoEcho`) parameter holds is shown: its default or its value.
        let json_text = json.to_string();
        for stack in before.stacks.iter().chain(&after.stacks) {
            for (name, definition) in stack.template["Parameters"].as_object().into_iter().flatten() {
                if definition["NoEcho"] != Value::Bool(true) {
                    continue;
                }
                let default = definition["Default"].as_str().map(str::to_string);
                for secret in default.into_iter().chain(stack.parameters.get(name).cloned()) {
                    assert!(!text.contains(&secret) && !json_text.contains(&secret), "the secret {name} is shown");
                }
            }
        }

        insta::with_settings!({ omit_expression => true }, {
            insta::assert_snapshot!("text", text);
            insta::assert_snapshot!("json", serde_json::to_string_pretty(&json).expect("JSON"));
        });
    });
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            chars.by_ref().take_while(|c| *c != 'm').for_each(drop);
        } else {
            out.push(c);
        }
    }
    out
}

/// Every case's programs and every single-file example.
fn programs() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let infra_files = |dir: std::path::PathBuf| -> Vec<std::path::PathBuf> {
        let entries = std::fs::read_dir(dir).expect("readable folder");
        entries
            .map(|entry| entry.expect("directory entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "infra"))
            .collect()
    };
    let mut paths = infra_files(root.join("examples"));
    for case in std::fs::read_dir(root.join("tests/diff")).expect("tests/diff") {
        paths.extend(infra_files(case.expect("directory entry").path()));
    }
    paths.sort();
    paths
}

#[test]
fn a_program_against_itself_has_no_differences() {
    for path in programs() {
        let side = compile(&path, None);
        let diff = diff::diff(&side.stacks, &side.stacks);
        assert!(diff.is_empty(), "{}: {}", path.display(), diff::render_text(&diff, &RenderOptions::default()));
        assert!(!diff.is_broadening());
        let text = diff::render_text(&diff, &RenderOptions::default());
        assert!(
            text.lines()
                .all(|line| line.ends_with(": no differences") || line.ends_with("stacks differ.") || line.is_empty()),
            "{text}"
        );
    }
}

#[test]
fn a_program_against_nothing_is_all_added_and_all_removed() {
    for path in programs() {
        let side = compile(&path, None);
        let added = diff::diff(&[], &side.stacks);
        let removed = diff::diff(&side.stacks, &[]);
        for (stack, (up, down)) in side.stacks.iter().zip(added.stacks.iter().zip(&removed.stacks)) {
            let count = stack.template["Resources"].as_object().map_or(0, |r| r.len());
            assert_eq!(up.summary().add, count, "{}: {}", path.display(), stack.name);
            assert_eq!(down.summary().remove, count, "{}: {}", path.display(), stack.name);
            // What one direction adds, the other removes.
            assert_eq!(up.iam_statements.len(), down.iam_statements.len());
            assert_eq!(up.security_group_rules.len(), down.security_group_rules.len());
            assert!(down.iam_statements.iter().all(|row| row.broadening == (row.effect == "Deny")));
        }
        // Rendering never fails on a real template.
        diff::render_text(&added, &RenderOptions::default());
        diff::render_text(&removed, &RenderOptions::default());
    }
}
