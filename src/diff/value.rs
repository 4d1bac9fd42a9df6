//! Template values as CloudFormation compares them, the walk that finds what changed between
//! two values, the references a value makes, and the short form values are shown in.

use serde_json::{Map, Value};

use super::{Change, Segment};

/// One changed value found by [`walk`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Leaf {
    pub path: Vec<Segment>,
    pub change: Change,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// `{ "Ref": .. }` or `{ "Fn::Name": .. }`: the function's name and its argument.
pub(crate) fn intrinsic(value: &Value) -> Option<(&str, &Value)> {
    let object = value.as_object()?;
    if object.len() != 1 {
        return None;
    }
    let (name, argument) = object.iter().next()?;
    (name == "Ref" || name.starts_with("Fn::")).then_some((name.as_str(), argument))
}

/// `{ "Ref": "AWS::NoValue" }`, which CloudFormation treats as if the property were absent.
pub(crate) fn is_no_value(value: &Value) -> bool {
    matches!(intrinsic(value), Some(("Ref", Value::String(name))) if name == "AWS::NoValue")
}

/// Whether two values are equal as CloudFormation sees them: a number and a string holding the
/// same number are equal (`5` and `"5"`), so are a boolean and its text (`true` and `"true"`);
/// a property set to `AWS::NoValue` is absent; a list of tags is a set keyed by `Key`.
pub(crate) fn cfn_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::String(s), Value::Number(n)) | (Value::Number(n), Value::String(s)) => {
            s.trim().parse::<f64>().ok().is_some_and(|parsed| Some(parsed) == n.as_f64())
        }
        (Value::String(s), Value::Bool(b)) | (Value::Bool(b), Value::String(s)) => *s == b.to_string(),
        (Value::Array(x), Value::Array(y)) => match (tag_items(x), tag_items(y)) {
            (Some(x), Some(y)) => {
                x.len() == y.len() && x.iter().all(|(key, item)| y.iter().any(|(k, i)| k == key && cfn_eq(item, i)))
            }
            _ => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| cfn_eq(a, b)),
        },
        (Value::Object(x), Value::Object(y)) => {
            let present = |object: &Map<String, Value>| object.iter().filter(|(_, v)| !is_no_value(v)).count();
            present(x) == present(y)
                && x.iter().filter(|(_, v)| !is_no_value(v)).all(|(key, v)| y.get(key).is_some_and(|w| cfn_eq(v, w)))
        }
        _ => a == b,
    }
}

/// The items of a list of tags, by key: every item an object with a string `Key`, no key twice.
/// An empty list is one too, so that tags added to an untagged resource compare by key.
pub(crate) fn tag_items(items: &[Value]) -> Option<Vec<(&str, &Value)>> {
    let mut keyed = Vec::with_capacity(items.len());
    for item in items {
        let key = item.as_object()?.get("Key")?.as_str()?;
        if keyed.iter().any(|(k, _)| *k == key) {
            return None;
        }
        keyed.push((key, item));
    }
    Some(keyed)
}

/// Appends to `out` every place where `old` and `new` differ, below `path`: objects are walked
/// key by key, tag lists tag by tag, other lists item by item (aligned on the items they share,
/// so an inserted item is one addition), and anything else (scalars, intrinsic functions,
/// values of different kinds) is one change.
pub(crate) fn walk(path: &mut Vec<Segment>, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Leaf>) {
    let old = old.filter(|v| !is_no_value(v));
    let new = new.filter(|v| !is_no_value(v));
    let leaf = |change, path: &Vec<Segment>, out: &mut Vec<Leaf>| {
        out.push(Leaf { path: path.clone(), change, old: old.cloned(), new: new.cloned() })
    };
    match (old, new) {
        (None, None) => {}
        (None, Some(_)) => leaf(Change::Added, path, out),
        (Some(_), None) => leaf(Change::Removed, path, out),
        (Some(a), Some(b)) if cfn_eq(a, b) => {}
        (Some(x @ Value::Object(a)), Some(y @ Value::Object(b)))
            if intrinsic(x).is_none() && intrinsic(y).is_none() =>
        {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                path.push(Segment::Key(key.clone()));
                walk(path, a.get(key), b.get(key), out);
                path.pop();
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => match (tag_items(a), tag_items(b)) {
            (Some(x), Some(y)) => {
                let mut keys: Vec<&str> = x.iter().chain(&y).map(|(key, _)| *key).collect();
                keys.sort_unstable();
                keys.dedup();
                let find = |items: &[(&str, &Value)], key: &str| {
                    items.iter().find(|(k, _)| *k == key).map(|(_, v)| (*v).clone())
                };
                for key in keys {
                    path.push(Segment::Tag(key.to_string()));
                    walk(path, find(&x, key).as_ref(), find(&y, key).as_ref(), out);
                    path.pop();
                }
            }
            _ => walk_list(path, a, b, out),
        },
        (Some(_), Some(_)) => leaf(Change::Changed, path, out),
    }
}

/// Above this many item pairs, lists are compared position by position rather than aligned.
const MAX_ALIGNED_PAIRS: usize = 250_000;

fn walk_list(path: &mut Vec<Segment>, old: &[Value], new: &[Value], out: &mut Vec<Leaf>) {
    let matches = if old.len() * new.len() <= MAX_ALIGNED_PAIRS { common_items(old, new) } else { Vec::new() };
    let mut at = (0, 0);
    for (i, j) in matches.into_iter().chain([(old.len(), new.len())]) {
        // The items between two shared ones: pair them up as changed, the rest are added or removed.
        let (removed, added) = (&old[at.0..i], &new[at.1..j]);
        for k in 0..removed.len().max(added.len()) {
            let index = if k < added.len() { at.1 + k } else { at.0 + k };
            path.push(Segment::Index(index));
            walk(path, removed.get(k), added.get(k), out);
            path.pop();
        }
        at = (i + 1, j + 1);
    }
}

/// The longest common subsequence of two lists, as pairs of indices.
fn common_items(old: &[Value], new: &[Value]) -> Vec<(usize, usize)> {
    let (n, m) = (old.len(), new.len());
    let mut lengths = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lengths[at(i, j)] = if cfn_eq(&old[i], &new[j]) {
                lengths[at(i + 1, j + 1)] + 1
            } else {
                lengths[at(i + 1, j)].max(lengths[at(i, j + 1)])
            };
        }
    }
    let (mut i, mut j, mut pairs) = (0, 0, Vec::new());
    while i < n && j < m {
        if cfn_eq(&old[i], &new[j]) {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if lengths[at(i + 1, j)] >= lengths[at(i, j + 1)] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

/// The value at `path` below `value` (a tag segment finds the tag with that key).
pub(crate) fn value_at<'v>(value: &'v Value, path: &[Segment]) -> Option<&'v Value> {
    path.iter().try_fold(value, |value, segment| match segment {
        Segment::Key(key) => value.as_object()?.get(key),
        Segment::Index(index) => value.as_array()?.get(*index),
        Segment::Tag(key) => tag_items(value.as_array()?)?.into_iter().find(|(k, _)| *k == key).map(|(_, v)| v),
    })
}

/// The values at a schema path (`Rules.*.Status`), `*` standing for every item of a list.
pub(crate) fn values_at_pattern<'v>(value: &'v Value, pattern: &[&str], out: &mut Vec<&'v Value>) {
    let Some((first, rest)) = pattern.split_first() else {
        out.push(value);
        return;
    };
    match (*first, value) {
        ("*", Value::Array(items)) => items.iter().for_each(|item| values_at_pattern(item, rest, out)),
        (key, Value::Object(object)) => {
            if let Some(inner) = object.get(key).filter(|v| !is_no_value(v)) {
                values_at_pattern(inner, rest, out)
            }
        }
        // An intrinsic where an object or list was expected: it is the value to compare.
        _ => out.push(value),
    }
}

/// Whether a schema path segment matches a path segment.
pub(crate) fn segment_matches(pattern: &str, segment: &Segment) -> bool {
    match segment {
        Segment::Key(key) => pattern == key,
        Segment::Index(_) | Segment::Tag(_) => pattern == "*",
    }
}

/// What a value refers to: the logical IDs (resources or parameters) it names through `Ref`,
/// `Fn::GetAtt` or `Fn::Sub`, each with the path of the outermost intrinsic that holds it (the
/// place [`walk`] would report a change at). Pseudo parameters (`AWS::Region`) are left out.
pub(crate) fn references(value: &Value, path: &mut Vec<Segment>, out: &mut Vec<(Vec<Segment>, String)>) {
    if intrinsic(value).is_some() {
        let mut names = Vec::new();
        names_in(value, &mut names);
        names.sort();
        names.dedup();
        out.extend(names.into_iter().map(|name| (path.clone(), name)));
        return;
    }
    match value {
        Value::Object(object) => {
            for (key, inner) in object {
                path.push(Segment::Key(key.clone()));
                references(inner, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            let tags = tag_items(items);
            for (index, inner) in items.iter().enumerate() {
                let segment = match &tags {
                    Some(tags) => Segment::Tag(tags[index].0.to_string()),
                    None => Segment::Index(index),
                };
                path.push(segment);
                references(inner, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn names_in(value: &Value, out: &mut Vec<String>) {
    match intrinsic(value) {
        Some(("Ref", Value::String(name))) => out.push(name.clone()),
        Some(("Fn::GetAtt", Value::Array(args))) => {
            if let Some(name) = args.first().and_then(Value::as_str) {
                out.push(name.to_string());
            }
        }
        Some(("Fn::GetAtt", Value::String(dotted))) => {
            out.push(dotted.split('.').next().unwrap_or_default().to_string())
        }
        Some(("Fn::Sub", argument)) => {
            let (text, variables) = match argument {
                Value::String(text) => (text.as_str(), None),
                Value::Array(args) => (args.first().and_then(Value::as_str).unwrap_or_default(), args.get(1)),
                _ => ("", None),
            };
            let own = variables.and_then(Value::as_object);
            for name in sub_names(text) {
                let id = name.split('.').next().unwrap_or_default();
                if !own.is_some_and(|own| own.contains_key(name)) {
                    out.push(id.to_string());
                }
            }
            if let Some(variables) = variables {
                names_in(variables, out);
            }
        }
        _ => match value {
            Value::Object(object) => object.values().for_each(|v| names_in(v, out)),
            Value::Array(items) => items.iter().for_each(|v| names_in(v, out)),
            _ => {}
        },
    }
    out.retain(|name| !name.starts_with("AWS::"));
}

/// The names an `Fn::Sub` text refers to (`${Name}`, `${Name.Attr}`), without literals (`${!x}`).
fn sub_names(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find('}') else { break };
        let name = rest[..end].trim();
        if !name.starts_with('!') {
            names.push(name);
        }
        rest = &rest[end + 1..];
    }
    names
}

/// A scalar's text (`"abc"` → `abc`, `5` → `5`), for values shown in table cells.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A value as a table cell, naming what it stands for: a string as is, `${Bucket}` for a
/// `Ref`, `${Bucket.Arn}` for an `Fn::GetAtt`, an `Fn::Sub` by its text, an `Fn::Join` of a
/// literal list joined; anything else in short form.
pub(crate) fn cell(value: &Value) -> String {
    match (value, intrinsic(value)) {
        (Value::String(s), _) => s.clone(),
        (_, Some(("Ref", Value::String(name)))) => format!("${{{name}}}"),
        (_, Some(("Fn::GetAtt", Value::Array(args)))) if args.iter().all(Value::is_string) => {
            let parts: Vec<&str> = args.iter().filter_map(Value::as_str).collect();
            format!("${{{}}}", parts.join("."))
        }
        (_, Some(("Fn::Sub", Value::String(text)))) => text.clone(),
        (_, Some(("Fn::Join", Value::Array(args)))) => match (args.first().and_then(Value::as_str), args.get(1)) {
            (Some(separator), Some(Value::Array(parts))) => {
                parts.iter().filter(|p| !is_no_value(p)).map(cell).collect::<Vec<_>>().join(separator)
            }
            _ => show(value),
        },
        _ => show(value),
    }
}

/// A value on one line: JSON, with intrinsics in the short form of CloudFormation's YAML
/// (`!Ref Bucket`, `!GetAtt Bucket.Arn`, `!Sub "..."`, `!If [IsProd, 30, 7]`) and object keys
/// unquoted where they are plain names.
pub(crate) fn show(value: &Value) -> String {
    let mut out = String::new();
    write_short(value, &mut out);
    out
}

fn write_short(value: &Value, out: &mut String) {
    if let Some((name, argument)) = intrinsic(value) {
        match (name, argument) {
            ("Ref", Value::String(target)) => {
                out.push_str("!Ref ");
                out.push_str(target);
            }
            ("Fn::GetAtt", Value::Array(args)) if args.iter().all(Value::is_string) => {
                out.push_str("!GetAtt ");
                let parts: Vec<&str> = args.iter().filter_map(Value::as_str).collect();
                out.push_str(&parts.join("."));
            }
            _ => {
                out.push('!');
                out.push_str(name.strip_prefix("Fn::").unwrap_or(name));
                out.push(' ');
                write_short(argument, out);
            }
        }
        return;
    }
    match value {
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_short(item, out);
            }
            out.push(']');
        }
        Value::Object(object) => {
            out.push('{');
            for (index, (key, item)) in object.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                out.push_str(&show_key(key));
                out.push_str(": ");
                write_short(item, out);
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

fn show_key(key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '/'));
    if plain {
        key.to_string()
    } else {
        Value::String(key.to_string()).to_string()
    }
}

/// A path for people: `QueueName`, `Tags[Key=env].Value`, `Rules[0].Status`.
pub(crate) fn show_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&show_key(key));
            }
            Segment::Index(index) => out.push_str(&format!("[{index}]")),
            Segment::Tag(key) => out.push_str(&format!("[Key={}]", show_key(key))),
        }
    }
    out
}

/// A value over several lines when its one-line form is longer than `width`: objects one key a
/// line, lists one item a line, each nested part broken the same way.
pub(crate) fn show_lines(value: &Value, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    write_lines(value, "", "", width, &mut lines);
    lines
}

fn write_lines(value: &Value, prefix: &str, indent: &str, width: usize, lines: &mut Vec<String>) {
    let short = show(value);
    if indent.len() + prefix.len() + short.len() <= width {
        lines.push(format!("{indent}{prefix}{short}"));
        return;
    }
    let inner = format!("{indent}  ");
    if let Some((name, argument)) = intrinsic(value) {
        let head = format!("{prefix}!{} ", name.strip_prefix("Fn::").unwrap_or(name));
        return write_lines(argument, &head, indent, width, lines);
    }
    match value {
        Value::Array(items) => {
            lines.push(format!("{indent}{prefix}["));
            for item in items {
                write_lines(item, "", &inner, width, lines);
            }
            lines.push(format!("{indent}]"));
        }
        Value::Object(object) => {
            lines.push(format!("{indent}{prefix}{{"));
            for (key, item) in object {
                write_lines(item, &format!("{}: ", show_key(key)), &inner, width, lines);
            }
            lines.push(format!("{indent}}}"));
        }
        Value::String(text) if text.contains('\n') => {
            lines.push(format!("{indent}{prefix}|"));
            lines.extend(text.lines().map(|line| format!("{inner}{line}")));
        }
        _ => lines.push(format!("{indent}{prefix}{short}")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn changes(old: Value, new: Value) -> Vec<(String, Change)> {
        let mut out = Vec::new();
        walk(&mut Vec::new(), Some(&old), Some(&new), &mut out);
        out.into_iter().map(|leaf| (show_path(&leaf.path), leaf.change)).collect()
    }

    #[test]
    fn numbers_and_their_text_are_equal_as_cloudformation_sees_them() {
        assert!(cfn_eq(&json!(5), &json!("5")));
        assert!(cfn_eq(&json!("5"), &json!(5.0)));
        assert!(cfn_eq(&json!(true), &json!("true")));
        assert!(!cfn_eq(&json!(5), &json!("6")));
        assert!(!cfn_eq(&json!(true), &json!("True")));
        // Two strings are compared as text: "1.0" is not the version "1".
        assert!(!cfn_eq(&json!("1.0"), &json!("1")));
        assert_eq!(changes(json!({ "Size": 5, "On": "true" }), json!({ "Size": "5", "On": true })), vec![]);
    }

    #[test]
    fn reordered_tags_are_the_same_tags() {
        let old = json!({ "Tags": [{ "Key": "a", "Value": "1" }, { "Key": "b", "Value": "2" }] });
        let new = json!({ "Tags": [{ "Key": "b", "Value": "2" }, { "Key": "a", "Value": "1" }] });
        assert!(cfn_eq(&old, &new));
        let changed = json!({ "Tags": [{ "Key": "b", "Value": "3" }, { "Key": "c", "Value": "1" }] });
        assert_eq!(
            changes(old, changed),
            vec![
                ("Tags[Key=a]".to_string(), Change::Removed),
                ("Tags[Key=b].Value".to_string(), Change::Changed),
                ("Tags[Key=c]".to_string(), Change::Added),
            ]
        );
    }

    #[test]
    fn reordered_plain_lists_differ_and_an_insertion_is_one_addition() {
        assert!(!cfn_eq(&json!(["a", "b"]), &json!(["b", "a"])));
        assert_eq!(
            changes(json!(["a", "b", "c"]), json!(["a", "x", "b", "c"])),
            vec![("[1]".to_string(), Change::Added)]
        );
        assert_eq!(changes(json!(["a", "b", "c"]), json!(["a", "c"])), vec![("[1]".to_string(), Change::Removed)]);
        assert_eq!(
            changes(json!([{ "Id": 1, "On": true }]), json!([{ "Id": 1, "On": false }])),
            vec![("[0].On".to_string(), Change::Changed)]
        );
    }

    #[test]
    fn an_intrinsic_is_one_value() {
        let old = json!({ "Days": { "Fn::If": ["IsProd", 30, 7] } });
        let new = json!({ "Days": { "Fn::If": ["IsProd", 30, 14] } });
        assert_eq!(changes(old.clone(), new.clone()), vec![("Days".to_string(), Change::Changed)]);
        // Inside an intrinsic, CloudFormation's equality still holds.
        assert_eq!(changes(old, json!({ "Days": { "Fn::If": ["IsProd", "30", "7"] } })), vec![]);
        assert_eq!(show(&new["Days"]), "!If [\"IsProd\", 30, 14]");
    }

    #[test]
    fn no_value_is_absent() {
        assert_eq!(changes(json!({ "A": 1, "B": { "Ref": "AWS::NoValue" } }), json!({ "A": 1 })), vec![]);
        assert_eq!(
            changes(json!({ "A": { "Ref": "AWS::NoValue" } }), json!({ "A": 1 })),
            vec![("A".to_string(), Change::Added)]
        );
    }

    #[test]
    fn references_are_found_in_ref_getatt_and_sub() {
        let value = json!({
            "A": { "Ref": "Queue" },
            "B": [{ "Fn::GetAtt": ["Topic", "Arn"] }],
            "C": { "Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/${!literal}/${Other.Arn}" },
            "D": { "Fn::Sub": ["${Mine}-${Key}", { "Mine": { "Ref": "Param" } }] },
            "E": { "Fn::Join": ["", [{ "Ref": "AWS::Region" }, { "Ref": "Table" }]] },
        });
        let mut out = Vec::new();
        references(&value, &mut Vec::new(), &mut out);
        let found: Vec<(String, &str)> = out.iter().map(|(path, name)| (show_path(path), name.as_str())).collect();
        assert_eq!(
            found,
            vec![
                ("A".to_string(), "Queue"),
                ("B[0]".to_string(), "Topic"),
                ("C".to_string(), "Bucket"),
                ("C".to_string(), "Other"),
                ("D".to_string(), "Key"),
                ("D".to_string(), "Param"),
                ("E".to_string(), "Table"),
            ]
        );
    }

    #[test]
    fn long_values_break_over_lines() {
        let value = json!({ "Statement": [{ "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*" }] });
        assert_eq!(show_lines(&value, 200), vec![show(&value)]);
        assert_eq!(
            show_lines(&value, 50),
            vec![
                "{",
                "  Statement: [",
                "    {",
                "      Effect: \"Allow\"",
                "      Action: [\"s3:GetObject\", \"s3:PutObject\"]",
                "      Resource: \"*\"",
                "    }",
                "  ]",
                "}",
            ]
        );
    }
}
