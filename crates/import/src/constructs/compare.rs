//! Where an instance would differ from the group it stands for, in the
//! group's terms: the instance is built on its own (the group's members with
//! the template's parameters, mappings and conditions, and the resources
//! they read), its resources are
//! renamed to the members that play their parts, and the two are compared
//! resource by resource after `infrac::normalise`. What differs is said by
//! property, with the construct's reason where it fixes one (subnet sizes),
//! and logical IDs that differ are counted: renaming a resource replaces it.

use serde_json::{Map, Value};

use super::Raise;

/// Why `raise` would not give back its group, one reason a line; empty when
/// the instance builds to the very members.
pub fn group_differences(template: &Value, stack_name: &str, raise: &Raise) -> Vec<String> {
    let Some(sections) = template.as_object() else { return Vec::new() };
    let mut alone = Map::new();
    for key in ["Parameters", "Mappings", "Conditions"] {
        if let Some(section) = sections.get(key) {
            alone.insert(key.to_string(), section.clone());
        }
    }
    let resources = sections.get("Resources").and_then(Value::as_object).cloned().unwrap_or_default();
    // The members, and what they read (a log bucket named by `Ref`), and
    // what that reads in turn, so that the instance's properties resolve.
    let mut kept: Vec<String> = raise.members.clone();
    let mut next = 0;
    while let Some(id) = kept.get(next).cloned() {
        next += 1;
        let mut read = Vec::new();
        names_in(resources.get(&id).unwrap_or(&Value::Null), &mut read);
        for name in read {
            if resources.contains_key(&name) && !kept.contains(&name) {
                kept.push(name);
            }
        }
    }
    let members: Map<String, Value> = resources.into_iter().filter(|(id, _)| kept.contains(id)).collect();
    alone.insert("Resources".into(), Value::Object(members));
    let alone = Value::Object(alone);
    let program = crate::program::program(&alone, stack_name, std::slice::from_ref(raise), &Default::default());
    let text = match crate::finish(program) {
        Ok(imported) => imported.text,
        Err(problems) => return vec![format!("the instance cannot be written: {}", problems[0].message)],
    };
    let built = match crate::build(&text) {
        Ok(built) => built,
        Err(why) => return vec![why],
    };
    let to_group: Vec<(&str, &str)> = raise.roles.iter().map(|(t, c)| (c.as_str(), t.as_str())).collect();
    let renamed = rename(&built, &to_group);
    let (original, renamed) = (infrac::normalise::normalise(&alone), infrac::normalise::normalise(&renamed));
    let empty = Map::new();
    let mine = original.get("Resources").and_then(Value::as_object).unwrap_or(&empty);
    let theirs = renamed.get("Resources").and_then(Value::as_object).unwrap_or(&empty);

    let mut reasons = Vec::new();
    let extra: Vec<&String> = theirs.keys().filter(|id| !mine.contains_key(*id)).collect();
    if let Some(first) = extra.first() {
        let ty = theirs[*first].get("Type").and_then(Value::as_str).unwrap_or_default();
        let count = if extra.len() == 1 { "a resource".to_string() } else { format!("{} resources", extra.len()) };
        reasons.push(format!("the construct also makes {count} the group does not have (`{first}`, {ty})"));
    }
    // By what differs, the members where it does, in the group's order.
    let mut by_key: Vec<(String, Vec<(String, String, Difference)>)> = Vec::new();
    for (id, _) in &raise.roles {
        let (Some(body), Some(other)) = (mine.get(id), theirs.get(id)) else { continue };
        let ty = body.get("Type").and_then(Value::as_str).unwrap_or_default().to_string();
        for difference in differing(body, other) {
            let key = difference.key.clone();
            let index = by_key.iter().position(|(k, _)| *k == key).unwrap_or_else(|| {
                by_key.push((key, Vec::new()));
                by_key.len() - 1
            });
            by_key[index].1.push((id.clone(), ty.clone(), difference));
        }
    }
    const SHOWN: usize = 3;
    for (key, found) in by_key.iter().take(SHOWN) {
        let (id, ty, difference) = &found[0];
        let count = if found.len() == 1 { String::new() } else { format!("{} resources; ", found.len()) };
        let at = &difference.path;
        let reason = match (&difference.left, &difference.right) {
            (Some(left), None) if at == key => {
                format!("the construct does not write `{key}` ({count}`{id}` has {})", shown(left))
            }
            (None, Some(right)) if at == key => {
                format!("the construct writes `{key}` ({count}{} where `{id}` has none)", shown(right))
            }
            (left, right) => {
                let why = raise
                    .explanations
                    .iter()
                    .find(|(t, p, _)| t == ty && p == key)
                    .map_or_else(|| format!("`{key}` differs"), |(_, _, why)| why.to_string());
                let side = |v: &Option<Value>| v.as_ref().map_or("none".to_string(), shown);
                let place = if at == key { String::new() } else { format!(" at `{at}`") };
                format!("{why} ({count}`{id}` has {}{place}, the construct's {})", side(left), side(right))
            }
        };
        reasons.push(reason);
    }
    if let Some(rest) = by_key.get(SHOWN..).filter(|r| !r.is_empty()) {
        let names: Vec<String> = rest.iter().map(|(k, _)| format!("`{k}`")).collect();
        let verb = if names.len() == 1 { "differs" } else { "differ" };
        reasons.push(format!("{} {verb} too", names.join(", ")));
    }
    let renames: Vec<&(String, String)> = raise.roles.iter().filter(|(t, c)| t != c).collect();
    if let Some((from, to)) = renames.first() {
        let only = if reasons.is_empty() && raise.blockers.is_empty() { "only " } else { "" };
        let more = match renames.len() {
            1 => String::new(),
            n => format!(", and {} more", n - 1),
        };
        let count = if renames.len() == 1 { "1 resource".to_string() } else { format!("{} resources", renames.len()) };
        reasons.push(format!(
            "{only}the logical IDs differ from the construct's: raising would replace {count} (`{from}` would be `{to}`{more})"
        ));
    }
    reasons
}

/// Where a member and the construct's resource differ: the property (or
/// resource attribute, `DependsOn`), the first place inside it where they
/// part (`Tags[0].Value`), and the two values there.
struct Difference {
    key: String,
    path: String,
    left: Option<Value>,
    right: Option<Value>,
}

fn differing(left: &Value, right: &Value) -> Vec<Difference> {
    let empty = Map::new();
    let flat = |body: &Value| -> Vec<(String, Value)> {
        let mut entries = Vec::new();
        for (key, value) in body.as_object().unwrap_or(&empty) {
            match (key.as_str(), value) {
                ("Properties", Value::Object(properties)) => {
                    entries.extend(properties.iter().map(|(k, v)| (k.clone(), v.clone())))
                }
                _ => entries.push((key.clone(), value.clone())),
            }
        }
        entries
    };
    let (left, right) = (flat(left), flat(right));
    let mut keys: Vec<&String> = left.iter().map(|(k, _)| k).collect();
    keys.extend(right.iter().map(|(k, _)| k).filter(|k| !left.iter().any(|(l, _)| l == *k)));
    let find = |entries: &[(String, Value)], key: &str| entries.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    keys.into_iter()
        .filter_map(|key| {
            let (a, b) = (find(&left, key), find(&right, key));
            (a != b).then(|| {
                let mut path = key.clone();
                let (left, right) = parting(&mut path, a, b);
                Difference { key: key.clone(), path, left, right }
            })
        })
        .collect()
}

/// Descends into two values while they have the same shape, to the first
/// place they part.
fn parting(path: &mut String, left: Option<Value>, right: Option<Value>) -> (Option<Value>, Option<Value>) {
    match (&left, &right) {
        (Some(Value::Object(a)), Some(Value::Object(b))) if a.len() == b.len() && a.keys().eq(b.keys()) => {
            match a.iter().find(|(k, v)| b.get(*k) != Some(*v)) {
                Some((k, v)) => {
                    path.push_str(&format!(".{k}"));
                    parting(path, Some(v.clone()), b.get(k).cloned())
                }
                None => (left, right),
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
            match a.iter().zip(b).position(|(x, y)| x != y) {
                Some(i) => {
                    path.push_str(&format!("[{i}]"));
                    parting(path, Some(a[i].clone()), Some(b[i].clone()))
                }
                None => (left, right),
            }
        }
        _ => (left, right),
    }
}

fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 48 {
        format!("`{}…`", text.chars().take(47).collect::<String>())
    } else {
        format!("`{text}`")
    }
}

/// The logical IDs a value names: `Ref`, `Fn::GetAtt`, `Fn::Sub` variables,
/// `DependsOn`.
fn names_in(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("Ref", Value::String(id)) => found.push(id.clone()),
                    ("DependsOn", Value::String(id)) => found.push(id.clone()),
                    ("Fn::GetAtt", Value::Array(parts)) => {
                        found.extend(parts.first().and_then(Value::as_str).map(String::from))
                    }
                    ("Fn::GetAtt", Value::String(path)) => {
                        found.push(path.split('.').next().unwrap_or_default().to_string())
                    }
                    ("Fn::Sub", _) => {
                        let text = item.as_str().or_else(|| item.get(0).and_then(Value::as_str)).unwrap_or_default();
                        for piece in text.split("${").skip(1) {
                            let name = piece.split('}').next().unwrap_or_default();
                            found.push(name.split('.').next().unwrap_or_default().to_string());
                        }
                    }
                    _ => {}
                }
                names_in(item, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| names_in(item, found)),
        _ => {}
    }
}

/// `template` with the logical IDs `names` maps renamed, everywhere a
/// template names a resource.
fn rename(template: &Value, names: &[(&str, &str)]) -> Value {
    let new = |id: &str| names.iter().find(|(from, _)| *from == id).map_or(id, |(_, to)| to).to_string();
    match template {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                let renamed = match (key.as_str(), value) {
                    ("Ref", Value::String(id)) => Value::String(new(id)),
                    ("DependsOn", Value::String(id)) => Value::String(new(id)),
                    ("DependsOn", Value::Array(ids)) => Value::Array(
                        ids.iter().map(|i| i.as_str().map_or(i.clone(), |s| Value::String(new(s)))).collect(),
                    ),
                    ("Fn::GetAtt", Value::Array(parts)) if !parts.is_empty() => {
                        let mut parts = parts.clone();
                        if let Some(id) = parts[0].as_str() {
                            parts[0] = Value::String(new(id));
                        }
                        Value::Array(parts)
                    }
                    ("Fn::GetAtt", Value::String(path)) => {
                        let (id, attribute) = path.split_once('.').unwrap_or((path, ""));
                        Value::String(format!("{}.{attribute}", new(id)))
                    }
                    ("Fn::Sub", Value::String(text)) => Value::String(rename_sub(text, &new)),
                    ("Fn::Sub", Value::Array(parts)) if !parts.is_empty() => {
                        let mut parts: Vec<Value> = parts.iter().map(|p| rename(p, names)).collect();
                        if let Some(text) = parts[0].as_str() {
                            parts[0] = Value::String(rename_sub(text, &new));
                        }
                        Value::Array(parts)
                    }
                    _ => rename(value, names),
                };
                out.insert(key.clone(), renamed);
            }
            // The `Resources` section's keys are logical IDs.
            if let Some(Value::Object(resources)) = out.get("Resources").cloned() {
                let renamed: Map<String, Value> = resources.into_iter().map(|(id, body)| (new(&id), body)).collect();
                out.insert("Resources".into(), Value::Object(renamed));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|i| rename(i, names)).collect()),
        other => other.clone(),
    }
}

fn rename_sub(text: &str, new: &dyn Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start + 2]);
        rest = &rest[start + 2..];
        let end = rest.find('}').unwrap_or(rest.len());
        let name = &rest[..end];
        if name.starts_with('!') {
            out.push_str(name);
        } else {
            let (id, attribute) = name.split_once('.').map_or((name, None), |(i, a)| (i, Some(a)));
            out.push_str(&new(id));
            if let Some(attribute) = attribute {
                out.push('.');
                out.push_str(attribute);
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
