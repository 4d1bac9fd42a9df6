//! `Fn::ForEach`, the loops of the `AWS::LanguageExtensions` transform.
//!
//! A loop of resources over a collection written in the template (a list,
//! or an `Fn::FindInMap` with written keys that holds one) whose logical
//! IDs are a prefix and the item (`Bucket${Id}`) becomes a resource loop,
//! `resource bucket: TYPE for id in [...]`, the identifier its loop
//! variable. Every other loop over a written collection (conditions and
//! outputs, which the language has no loops for, nested loops, IDs a
//! resource loop cannot name) is written out item by item, as the transform
//! expands it (`infrac::normalise::expand_for_each_entries`, so the round
//! trip compares alike). A loop over a collection known only at deploy time
//! is reported: the compiler does not emit `Fn::ForEach`.

use std::collections::{HashMap, HashSet};

use infrac::check::pascal_case;
use infrac::normalise::{expand_for_each_entries, for_each_collection};
use serde_json::{Map, Value};

use crate::names::{snake_case, Kind, Name, Namer, Names};
use crate::problems::{Code, Problem};

/// A `Fn::ForEach` of resources written as a resource loop.
#[derive(Clone, Debug)]
pub struct Loop {
    /// The template's identifier (`Ref: Id`, `${Id}`).
    pub identifier: String,
    /// The loop variable that stands for it.
    pub var: String,
    /// What the logical IDs start with, before the item.
    pub prefix: String,
    /// The fragment's key (`Bucket${Id}`).
    pub key: String,
    pub items: Vec<String>,
    /// The collection as written: a list, or a lookup with written keys.
    pub collection: Value,
    /// The resource, with `&{Id}` written `${Id}` (the items are
    /// alphanumeric, so the two are alike).
    pub body: Value,
}

/// The template with its `Fn::ForEach` loops over written collections
/// expanded, except those kept as resource loops (under their own key).
pub struct Prepared {
    pub template: Map<String, Value>,
    pub loops: HashMap<String, Loop>,
    /// Warnings: the build holds each loop expanded, not `Fn::ForEach`.
    pub notes: Vec<Problem>,
    /// Loops written out: `(section, loop key, first entry made)`, so that
    /// a comment above the loop goes above what it makes.
    pub written_out: Vec<(String, String, String)>,
}

/// Moves the YAML comments above loops written out to the first entry each
/// makes.
pub fn carry_comments(comments: &mut crate::program::Comments, written_out: &[(String, String, String)]) {
    for (section, from, to) in written_out {
        if let Some(lines) = comments.remove(&(section.clone(), from.clone())) {
            comments.insert((section.clone(), to.clone()), lines);
        }
    }
}

pub fn prepare(template: &Map<String, Value>) -> Prepared {
    let mut loops = HashMap::new();
    let mut notes = Vec::new();
    let mut written_out = Vec::new();
    let mut template = template.clone();
    let mappings = template.get("Mappings").and_then(Value::as_object).cloned().unwrap_or_default();
    let taken = declared_names(&template);
    let waited_for = depends_on_targets(&template);
    for key in ["Conditions", "Resources", "Outputs"] {
        let Some(Value::Object(entries)) = template.get(key) else { continue };
        let mut out = Map::new();
        for (id, body) in entries {
            if !id.starts_with("Fn::ForEach::") {
                // A loop inside a resource's properties makes keys there.
                let made = expand_for_each_entries(&Map::from_iter([(id.clone(), body.clone())]), &mappings);
                match made.get(id) {
                    Some(expanded) if made.len() == 1 && expanded != body => {
                        notes.push(Problem {
                            code: Code::NotKept,
                            message: format!(
                                "the `Fn::ForEach` in `{id}` is written out item by item, as the transform expands it"
                            ),
                            at: vec![key.to_string(), id.clone()],
                        });
                        out.insert(id.clone(), fold_plain_subs(expanded.clone()));
                    }
                    _ => {
                        out.insert(id.clone(), body.clone());
                    }
                }
                continue;
            }
            if key == "Resources" {
                if let Some(found) = as_loop(body, &mappings, &taken).filter(|l| {
                    // `@depends_on` names a whole loop, not one of its resources.
                    !l.items.iter().any(|i| waited_for.contains(&format!("{}{i}", l.prefix)))
                }) {
                    notes.push(Problem {
                        code: Code::NotKept,
                        message: format!(
                            "`{id}` becomes a resource loop, which a build writes out as one resource per item"
                        ),
                        at: vec![key.to_string(), id.clone()],
                    });
                    loops.insert(id.clone(), found);
                    out.insert(id.clone(), body.clone());
                    continue;
                }
            }
            let made = expand_for_each_entries(&Map::from_iter([(id.clone(), body.clone())]), &mappings);
            if !made.contains_key(id) {
                if let Some(first) = made.keys().next() {
                    written_out.push((key.to_string(), id.clone(), first.clone()));
                }
                let why = match key {
                    "Resources" => {
                        "a resource loop cannot say it: logical IDs other than a name and the item, nested loops, \
                         a `Condition` or `DependsOn` built per item, or a resource another waits for"
                    }
                    _ => "infra has loops of resources only",
                };
                notes.push(Problem {
                    code: Code::NotKept,
                    message: format!("`{id}` is written out item by item, as the transform expands it ({why})"),
                    at: vec![key.to_string(), id.clone()],
                });
            }
            for (made, value) in made {
                out.insert(made, fold_plain_subs(value));
            }
        }
        template.insert(key.to_string(), Value::Object(out));
    }
    Prepared { template, loops, notes, written_out }
}

/// Why a loop that stays (its collection is known only at deploy time, or
/// it is malformed) has no form in infra.
pub fn unsupported(body: &Value) -> String {
    let collection = body.as_array().and_then(|args| args.get(1));
    let Some(collection) = collection else {
        return "malformed `Fn::ForEach`: it takes [identifier, collection, fragment]".into();
    };
    let tail = "has no form in infra: a loop's list must be known when the program compiles, and the compiler does not emit `Fn::ForEach`";
    match collection.as_object().and_then(crate::expr::intrinsic) {
        Some(("Ref", Value::String(name))) => {
            format!("`Fn::ForEach` over `{name}`, a list known only at deploy time, {tail}")
        }
        Some(("Fn::FindInMap", _)) => {
            format!("`Fn::ForEach` over an `Fn::FindInMap` with a key known only at deploy time {tail}")
        }
        _ => format!("`Fn::ForEach` over a collection known only at deploy time {tail}"),
    }
}

/// Names each loop after its prefix, and each resource it makes (its
/// logical ID, which `Ref` and `Fn::GetAtt` name) as that loop at its item.
pub fn name_loops(loops: &HashMap<String, Loop>, namer: &mut Namer, names: &mut Names) {
    let mut keys: Vec<&String> = loops.keys().collect();
    keys.sort();
    for key in keys {
        let l = &loops[key];
        let name = namer.name(&l.prefix, false);
        for item in &l.items {
            let ident = format!("{}[{}]", name.ident, crate::layout::quote(item));
            names.entities.insert(format!("{}{item}", l.prefix), (Kind::Resource, Name { ident, logical_id: None }));
        }
        names.entities.insert(key.clone(), (Kind::Resource, name));
    }
}

/// ` for var in ["A", "B"]` after the resource's type, or ` for var in
/// lookup(table, "row", "column")` for a lookup with written keys (which
/// the compiler folds).
pub fn for_clause(l: &Loop, names: &Names) -> String {
    if let Some(("Fn::FindInMap", Value::Array(keys))) = l.collection.as_object().and_then(crate::expr::intrinsic) {
        if let [Value::String(map), Value::String(row), Value::String(column)] = keys.as_slice() {
            if let Some(table) = names.mappings.get(map) {
                let (row, column) = (crate::layout::quote(row), crate::layout::quote(column));
                return format!(" for {} in lookup({}, {row}, {column})", l.var, table.ident);
            }
        }
    }
    let items: Vec<String> = l.items.iter().map(|i| crate::layout::quote(i)).collect();
    format!(" for {} in [{}]", l.var, items.join(", "))
}

/// The loop a resource `Fn::ForEach` can be written as, if any.
fn as_loop(body: &Value, mappings: &Map<String, Value>, taken: &HashSet<String>) -> Option<Loop> {
    let [Value::String(identifier), collection, Value::Object(fragment)] = body.as_array()?.as_slice() else {
        return None;
    };
    let [(key, resource)] = fragment.iter().collect::<Vec<_>>()[..] else { return None };
    let items = for_each_collection(collection, mappings)?;
    // The compiler names each resource by the prefix and the PascalCase of
    // the item: the items must be that already, and distinct.
    let distinct: HashSet<&String> = items.iter().collect();
    if items.is_empty()
        || distinct.len() != items.len()
        || !items.iter().all(|i| i.chars().all(|c| c.is_ascii_alphanumeric()) && pascal_case(i) == *i)
    {
        return None;
    }
    let prefix = key.strip_suffix(&format!("${{{identifier}}}")).or(key.strip_suffix(&format!("&{{{identifier}}}")))?;
    if !prefix.starts_with(|c: char| c.is_ascii_alphabetic()) || !prefix.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let var = snake_case(identifier);
    // `@when` and `@depends_on` name what they name, not text built per item.
    let named = ["Condition", "DependsOn"].iter().all(|k| {
        resource.get(k).is_none_or(|v| v.is_string() || v.as_array().is_some_and(|a| a.iter().all(Value::is_string)))
    });
    let reserved = crate::names::KEYWORDS.contains(&var.as_str()) || var == "aws" || var == snake_case(prefix);
    if taken.contains(&var) || reserved || !crate::layout::is_word(&var) || !named || !plain_body(resource, identifier)
    {
        return None;
    }
    Some(Loop {
        identifier: identifier.clone(),
        var,
        prefix: prefix.to_string(),
        key: key.clone(),
        items,
        collection: collection.clone(),
        body: ampersand_as_dollar(resource, identifier),
    })
}

/// Whether the identifier appears only where a loop variable can stand:
/// `Ref: Id` and `${Id}` in `Fn::Sub` text, never naming a resource or an
/// attribute through a function, and no loop is nested.
fn plain_body(value: &Value, identifier: &str) -> bool {
    match value {
        Value::Array(items) => items.iter().all(|i| plain_body(i, identifier)),
        Value::Object(entries) => {
            let placeholders = [format!("${{{identifier}}}"), format!("&{{{identifier}}}")];
            if entries.keys().any(|k| k.starts_with("Fn::ForEach") || placeholders.iter().any(|p| k.contains(p))) {
                return false;
            }
            match crate::expr::intrinsic(entries) {
                Some(("Ref", arg)) => arg.is_string(),
                Some(("Fn::GetAtt", arg)) => {
                    arg.is_string() || arg.as_array().is_some_and(|a| a.iter().all(Value::is_string))
                }
                _ => entries.values().all(|v| plain_body(v, identifier)),
            }
        }
        _ => true,
    }
}

fn ampersand_as_dollar(value: &Value, identifier: &str) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace(&format!("&{{{identifier}}}"), &format!("${{{identifier}}}"))),
        Value::Array(items) => Value::Array(items.iter().map(|i| ampersand_as_dollar(i, identifier)).collect()),
        Value::Object(entries) => {
            Value::Object(entries.iter().map(|(k, v)| (k.clone(), ampersand_as_dollar(v, identifier))).collect())
        }
        other => other.clone(),
    }
}

/// An expanded fragment with `Fn::Sub` of text without placeholders written
/// as that text (`Fn::GetAtt: [!Sub "BucketA", Arn]` names `BucketA`).
fn fold_plain_subs(value: Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.into_iter().map(fold_plain_subs).collect()),
        Value::Object(entries) => {
            if let Some(("Fn::Sub", Value::String(text))) = crate::expr::intrinsic(&entries) {
                if !text.contains("${") {
                    return Value::String(text.clone());
                }
            }
            Value::Object(entries.into_iter().map(|(k, v)| (k, fold_plain_subs(v))).collect())
        }
        other => other,
    }
}

/// The resources some resource's `DependsOn` names.
fn depends_on_targets(template: &Map<String, Value>) -> HashSet<String> {
    let resources = template.get("Resources").and_then(Value::as_object).into_iter().flat_map(Map::values);
    let mut found = HashSet::new();
    for resource in resources {
        match resource.get("DependsOn") {
            Some(Value::String(s)) => {
                found.insert(s.clone());
            }
            Some(Value::Array(items)) => found.extend(items.iter().filter_map(Value::as_str).map(str::to_string)),
            _ => {}
        }
    }
    found
}

/// The snake_case names the program declares at the top level, which a
/// loop variable must not shadow.
fn declared_names(template: &Map<String, Value>) -> HashSet<String> {
    ["Parameters", "Resources", "Conditions", "Mappings"]
        .iter()
        .filter_map(|s| template.get(*s).and_then(Value::as_object))
        .flat_map(|m| m.keys().map(|k| snake_case(k)))
        .collect()
}
