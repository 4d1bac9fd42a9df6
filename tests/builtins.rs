//! The built-in functions' registry (`src/check/builtins/`) is the one list
//! of functions: `docs/functions.md` and the editor grammars' lists must
//! equal what it generates, and every documented example must compile.
//! Regenerate the files with `UPDATE_DOCS=1 cargo test --test builtins`.
//!
//! The `json_*` tests check `json()` end to end: the `Fn::Sub` it emits,
//! filled in as CloudFormation would, is exactly the JSON of the value.

mod support;

use std::path::{Path, PathBuf};

use infrac::check::builtins;
use infrac::diagnostics::render;
use infrac::source::SourceMap;
use serde_json::{json, Value as Json};
use support::program;

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
        let name = format!("{}.infra", builtin.name);
        let (sources, compilation) = program::compile_files(&program::split_files(&name, builtin.doc.example));
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

// --- json() ------------------------------------------------------------------

/// Compiles `program` and returns its only template.
fn template(program: &str) -> Json {
    let mut sources = SourceMap::new();
    // A template needs a resource.
    let file = sources.add("json.infra", format!("{program}\nresource anchor: AWS::SNS::Topic {{}}\n"));
    let compilation = infrac::compile(&mut sources, &[file]);
    assert!(compilation.diagnostics.is_empty(), "{program}\n{}", render::plain(&sources, &compilation.diagnostics));
    compilation.stacks[0].template.clone()
}

/// What CloudFormation makes of `value` at deploy time, with `parameters`
/// passed (other parameters at their defaults) and a resource's `Ref` and
/// attributes read as `<Id>` and `<Id.Attribute>`.
fn deployed(template: &Json, value: &Json, parameters: &[(&str, &str)]) -> String {
    let reference = |name: &str| -> String {
        if let Some((_, v)) = parameters.iter().find(|(p, _)| *p == name) {
            return v.to_string();
        }
        match &template["Parameters"][name]["Default"] {
            Json::String(s) => s.clone(),
            Json::Number(n) => n.to_string(),
            Json::Null => format!("<{name}>"),
            other => panic!("parameter default {other}"),
        }
    };
    match value {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.to_string(),
        Json::Bool(b) => b.to_string(),
        Json::Object(map) => {
            let (function, args) = map.iter().next().expect("an intrinsic");
            match function.as_str() {
                "Ref" => reference(args.as_str().unwrap()),
                "Fn::GetAtt" => format!("<{}.{}>", args[0].as_str().unwrap(), args[1].as_str().unwrap()),
                "Fn::If" => {
                    let condition = condition(template, args[0].as_str().unwrap(), parameters);
                    deployed(template, &args[if condition { 1 } else { 2 }], parameters)
                }
                "Fn::Sub" => {
                    let (text, variables) = match args {
                        Json::String(text) => (text.as_str(), Json::Null),
                        _ => (args[0].as_str().unwrap(), args[1].clone()),
                    };
                    substitute(text, &mut |name| match &variables[name] {
                        Json::Null => match name.split_once('.') {
                            Some((id, attribute)) => format!("<{id}.{attribute}>"),
                            None => reference(name),
                        },
                        variable => deployed(template, variable, parameters),
                    })
                }
                other => panic!("no model of {other}"),
            }
        }
        other => panic!("no model of {other}"),
    }
}

/// `Fn::Sub`'s text with each `${Name}` replaced and each `${!` read as `${`.
fn substitute(text: &str, lookup: &mut dyn FnMut(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        rest = &rest[start + 2..];
        if let Some(literal) = rest.strip_prefix('!') {
            out.push_str("${");
            rest = literal;
            continue;
        }
        let end = rest.find('}').expect("a reference is closed");
        let name = &rest[..end];
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == ':'),
            "`${{{name}}}` is not a reference: literal text must be escaped"
        );
        out.push_str(&lookup(name));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

fn condition(template: &Json, name: &str, parameters: &[(&str, &str)]) -> bool {
    fn eval(template: &Json, expr: &Json, parameters: &[(&str, &str)]) -> bool {
        let (function, args) = expr.as_object().and_then(|m| m.iter().next()).expect("a condition function");
        match function.as_str() {
            "Fn::Equals" => deployed(template, &args[0], parameters) == deployed(template, &args[1], parameters),
            "Fn::Not" => !eval(template, &args[0], parameters),
            "Condition" => condition(template, args.as_str().unwrap(), parameters),
            other => panic!("no model of {other}"),
        }
    }
    eval(template, &template["Conditions"][name], parameters)
}

/// The JSON document the output `Doc` holds once deployed.
fn deployed_document(program: &str, parameters: &[(&str, &str)]) -> Json {
    let template = template(program);
    let text = deployed(&template, &template["Outputs"]["Doc"]["Value"], parameters);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn json_of_nested_values_with_deploy_time_parts() {
    let program = r#"
param name: string = "web"
param size: number = 3
output doc = json({ service: { name: name, tags: ["a", name], size: size }, list: [[1, 2.5], { deep: [name, null] }], skipped: null })
"#;
    let expected = json!({
        "service": { "name": "web-1", "tags": ["a", "web-1"], "size": 7 },
        "list": [[1, 2.5], { "deep": ["web-1", null] }]
    });
    assert_eq!(deployed_document(program, &[("Name", "web-1"), ("Size", "7")]), expected);
}

#[test]
fn json_keeps_literal_text_exact_beside_deploy_time_parts() {
    // The private-use character once marked deploy-time parts.
    let program = "param p: string = \"x\"\n\
        output doc = json({ a: \"\u{E000}0\u{E000}\", b: p, \"key \\\"q\\\" \\${k}\": \"\\${HOME} and \\${!x} and $\", \
        text: \"say \\\"hi\\\"\\n\\ttab \\\\ back\" })\n";
    let expected = json!({
        "a": "\u{E000}0\u{E000}",
        "b": "from-p",
        "key \"q\" ${k}": "${HOME} and ${!x} and $",
        "text": "say \"hi\"\n\ttab \\ back"
    });
    assert_eq!(deployed_document(program, &[("P", "from-p")]), expected);
}

#[test]
fn json_escapes_the_literal_text_of_an_interpolation() {
    let program = r#"
param host: string = "example.com"
output doc = json({ url: "https://${host}/\"q\"\n\${path}", plain: "${host}" })
"#;
    let expected = json!({ "url": "https://example.com/\"q\"\n${path}", "plain": "example.com" });
    assert_eq!(deployed_document(program, &[]), expected);
}

#[test]
fn json_of_conditions_resources_and_choices() {
    let program = r#"
param stage: string = "dev"
let prod = stage == "prod"
resource queue: AWS::SQS::Queue {}
output doc = json({
  prod: prod
  limits: prod ? { max: 10, tiers: ["a"] } : { max: 1, tiers: [] }
  label: prod ? "big \"one\"" : "small\\one"
  queue: queue
  arn: queue.Arn
})
"#;
    for (stage, prod) in [("prod", true), ("dev", false)] {
        let expected = json!({
            "prod": prod,
            "limits": if prod { json!({ "max": 10, "tiers": ["a"] }) } else { json!({ "max": 1, "tiers": [] }) },
            "label": if prod { "big \"one\"" } else { "small\\one" },
            "queue": "<Queue>",
            "arn": "<Queue.Arn>"
        });
        assert_eq!(deployed_document(program, &[("Stage", stage)]), expected, "stage {stage}");
    }
}

#[test]
fn json_of_compile_time_values_is_a_plain_string() {
    let program = "output doc = json({ a: [1, true, null], \"b\\\"\": \"x\\n\u{E000}\\${\\\"}\" })\n";
    let template = template(program);
    let text = template["Outputs"]["Doc"]["Value"].as_str().expect("a plain string");
    assert_eq!(text, "{\"a\":[1,true,null],\"b\\\"\":\"x\\n\u{E000}${\\\"}\"}");
}
