//! Mutated templates: every corpus template with values swapped for odd
//! ones (wrong types, broken intrinsics, names of nothing) must import or
//! be refused with problems, never panic, and whatever imports must parse
//! (8 single mutations of each JSON template of the corpus).

use serde_json::{json, Value};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn odd_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(7),
        json!(true),
        json!("${Nothing}"),
        json!([]),
        json!({}),
        json!({ "Ref": 5 }),
        json!({ "Ref": "Nothing" }),
        json!({ "Fn::If": ["NoCondition", 1] }),
        json!({ "Fn::GetAtt": "NoDot" }),
        json!({ "Fn::Sub": ["${A}", { "A": { "Fn::Bogus": 1 } }] }),
        json!({ "Fn::Join": [1, 2] }),
        json!({ "Fn::Select": ["x", { "Fn::GetAZs": {} }] }),
        json!({ "Fn::FindInMap": ["M", "a"] }),
        json!({ "Condition": 3 }),
        json!({ "Fn::Not": [] }),
        json!({ "Fn::And": [{ "Condition": "X" }] }),
        json!("line one\n  line two\n\"\"\"\n${x} \\ end\n"),
    ]
}

/// Every node of a value, as paths of keys and indexes.
fn paths(value: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                prefix.push(i.to_string());
                paths(item, prefix, out);
                prefix.pop();
            }
        }
        Value::Object(entries) => {
            for (key, item) in entries {
                prefix.push(key.clone());
                paths(item, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn at<'v>(value: &'v mut Value, path: &[String]) -> &'v mut Value {
    path.iter().fold(value, |v, step| match v {
        Value::Array(items) => &mut items[step.parse::<usize>().expect("an index")],
        Value::Object(entries) => entries.get_mut(step).expect("a key"),
        _ => unreachable!("paths lead through containers"),
    })
}

#[test]
fn mutated_templates_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let odd = odd_values();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/templates/aws");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("the corpus").map(|e| e.expect("entry").path()).collect();
    files.sort();
    let mut imported = 0;
    let mut refused = 0;
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let original: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON");
        let mut all = Vec::new();
        paths(&original, &mut Vec::new(), &mut all);
        for _ in 0..8 {
            let mut mutated = original.clone();
            let place = &all[1 + rng.below(all.len() - 1)];
            *at(&mut mutated, place) = odd[rng.below(odd.len())].clone();
            match infrac_import::import(&mutated, "Mutated") {
                Ok(program) => {
                    imported += 1;
                    assert!(
                        infrac::format::format_source(&program.text).is_ok(),
                        "{}: an imported program must parse:\n{}",
                        format!("{} at {place:?}", path.display()),
                        program.text
                    );
                }
                Err(problems) => {
                    refused += 1;
                    assert!(
                        problems.iter().any(|p| p.is_error()),
                        "{}: refused without an error",
                        format!("{} at {place:?}", path.display())
                    );
                    let unparsed = problems.iter().find(|p| p.message.contains("does not parse"));
                    assert!(unparsed.is_none(), "{}: {unparsed:?}", format!("{} at {place:?}", path.display()));
                }
            }
        }
    }
    assert!(imported > 0 && refused > 0, "imported {imported}, refused {refused}");
}
