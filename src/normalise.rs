//! Comparing two CloudFormation templates as CloudFormation reads them: the
//! corpus test (a hand translation must build to its original) and
//! `infrac import`'s round trip both ask whether a template built by infrac
//! says what another says, where the two may spell the same thing
//! differently.
//!
//! [`normalise`] rewrites a template into one spelling of what it means;
//! [`differences`] normalises two and lists where they still differ. Every
//! rule is one CloudFormation applies itself, so two templates equal after
//! normalisation deploy alike (docs/template-comparison.md lists them):
//!
//! 1. **Key order** does not matter: keys are sorted at every level.
//! 2. **Scalars are text.** A number and the string of its decimal digits
//!    are alike (`5` and `"5"`; CloudFormation passes both as `"5"`), and so
//!    are `true`/`false` and `"true"`/`"false"`. A number is compared by its
//!    JSON spelling, so `1.0` and `1` stay different.
//! 3. **`DependsOn`** is a set: one name and a list of one are alike, and
//!    order and repeats do not matter.
//! 4. **String building is its result.** `Fn::Sub` (without or with a map
//!    of variables) and `Fn::Join` over a list written in the template both
//!    become the concatenation they build, as one `Fn::Join` with an empty
//!    delimiter over literal text (adjacent pieces merged, empty ones
//!    dropped), `Ref` and `Fn::GetAtt` (`${Name}` is a `Ref`, `${Name.Attr}`
//!    an `Fn::GetAtt`, `${!Text}` the literal `${Text}`) and any other value
//!    a variable or a piece holds. A concatenation of one literal is that
//!    string, so an `Fn::Sub` without variables is its text, and one of a
//!    single value is that value. A `Fn::Join` over a list that is itself a
//!    function (`Fn::Join: [",", !Ref Subnets]`) is left as it is.
//! 5. **`Fn::GetAtt: "Name.Attr"`** (the string form) is
//!    `["Name", "Attr"]`, split at the first dot.
//! 6. **Defaults**: a missing `AWSTemplateFormatVersion` is `"2010-09-09"`
//!    (the only version there is); empty `Properties` of a resource and empty
//!    top-level sections are absent.
//! 7. **A lookup with written keys is its value.** `Fn::FindInMap` whose
//!    map, row and column are all written in the template (no function) is
//!    the value the mapping holds there, as CloudFormation resolves it; a
//!    mapping that no `Fn::FindInMap` reads any more is absent; with a
//!    `DefaultValue`, the cell or, where there is none, the default. So is
//!    `Fn::Select` of a written index in a written list: that item.
//!
//! 8. **What a template says twice, or says to no effect, is absent.**
//!    A `DependsOn` name that the resource already refers to (`Ref`,
//!    `Fn::GetAtt`, `${Name}`) is dropped, as CloudFormation implies it; a
//!    condition no resource, output or used condition names is absent (a
//!    build declares only those); `Fn::GetAZs` of nothing (`null`)
//!    is `Fn::GetAZs: ""`, the stack's region; a `Transform` list of one
//!    is that transform, and an `Fn::Transform` list of one that macro call. `Rules` are a set of
//!    assertions, each with its rule's name and condition; a rule of several
//!    assertions is the same as rules of one each named `R`, `R2`, …
//!    ([`split_rule_names`]), as the language has one assertion per rule.
//!
//! 9. **`Fn::ForEach` over a written collection is its expansion**, as
//!    the `AWS::LanguageExtensions` transform expands it ([`expand_for_each`]):
//!    in `Conditions`, `Resources` (their properties included) and
//!    `Outputs`, a `Fn::ForEach::Name: [Id, Collection, Fragment]` whose
//!    collection is a list written in the template, or an `Fn::FindInMap`
//!    with its three keys written that holds one, is the fragment once per
//!    item: `${Id}` in keys and in `Fn::Sub` text is the item, `&{Id}` the
//!    item without its non-alphanumeric characters, and `Ref: Id` the item.
//!    A collection known only at deploy time stays as written.
//!
//! Nothing else is rewritten: list order (tags included), whitespace in text
//! and the choice between a condition's functions all count.

use serde_json::{Map, Value};

/// The names of the rules a rule of `count` assertions splits into, one
/// assertion each: its own name, then the name with the first free number
/// from 2 (`R`, `R2`, …), free meaning not in `taken`, to which they are
/// added. The language says one assertion per rule, so a template's rule of
/// several comes back as these (`infrac import` names them so).
pub fn split_rule_names(id: &str, count: usize, taken: &mut Vec<String>) -> Vec<String> {
    let mut names = Vec::with_capacity(count);
    let mut n = 1;
    for i in 0..count {
        let name = if i == 0 {
            id.to_string()
        } else {
            loop {
                n += 1;
                let candidate = format!("{id}{n}");
                if !taken.contains(&candidate) {
                    break candidate;
                }
            }
        };
        if i > 0 {
            taken.push(name.clone());
        }
        names.push(name);
    }
    names
}

/// The template in the one spelling [the rules](self) give it.
pub fn normalise(template: &Value) -> Value {
    let mut template = value(&fold_lookups(&expand_for_each(template)));
    if let Value::Object(sections) = &mut template {
        sections.retain(|_, section| !matches!(section, Value::Object(entries) if entries.is_empty()));
        sections.entry("AWSTemplateFormatVersion").or_insert_with(|| Value::String("2010-09-09".to_string()));
        if let Some(Value::Object(resources)) = sections.get_mut("Resources") {
            for resource in resources.values_mut() {
                if let Value::Object(resource) = resource {
                    if matches!(resource.get("Properties"), Some(Value::Object(p)) if p.is_empty()) {
                        resource.remove("Properties");
                    }
                    if let Some(depends_on) = resource.get_mut("DependsOn") {
                        *depends_on = name_set(depends_on);
                    }
                }
            }
        }
        implied(sections);
        sort_keys(&mut template);
    }
    template
}

/// Rule 9: the template with each `Fn::ForEach` over a written collection
/// expanded as the `AWS::LanguageExtensions` transform expands it.
pub fn expand_for_each(template: &Value) -> Value {
    let mut template = template.clone();
    let mappings = template.get("Mappings").and_then(Value::as_object).cloned().unwrap_or_default();
    if let Value::Object(sections) = &mut template {
        for key in ["Conditions", "Resources", "Outputs"] {
            if let Some(Value::Object(entries)) = sections.get_mut(key) {
                *entries = expand_for_each_entries(entries, &mappings);
            }
        }
    }
    template
}

/// The entries of an object (a section, or properties) with each
/// `Fn::ForEach::Name` key over a written collection replaced by the entries
/// it makes; one over a deploy-time collection is kept as written.
pub fn expand_for_each_entries(entries: &Map<String, Value>, mappings: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, body) in entries {
        if key.starts_with("Fn::ForEach::") {
            if let Some(made) = expand_loop(body, mappings) {
                out.extend(made);
                continue;
            }
        }
        out.insert(key.clone(), expand_within(body, mappings));
    }
    out
}

/// `Fn::ForEach` nested in a value (a resource's properties).
fn expand_within(value: &Value, mappings: &Map<String, Value>) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(|i| expand_within(i, mappings)).collect()),
        Value::Object(entries) => Value::Object(expand_for_each_entries(entries, mappings)),
        other => other.clone(),
    }
}

/// The entries one loop makes, or `None` when it is malformed or its
/// collection is known only at deploy time.
fn expand_loop(body: &Value, mappings: &Map<String, Value>) -> Option<Map<String, Value>> {
    let [Value::String(identifier), collection, Value::Object(fragment)] = body.as_array()?.as_slice() else {
        return None;
    };
    let items = for_each_collection(collection, mappings)?;
    let mut out = Map::new();
    for item in &items {
        for (key, value) in fragment {
            let key = for_each_text(key, identifier, item);
            let value = for_each_value(value, identifier, item);
            out.extend(expand_for_each_entries(&Map::from_iter([(key, value)]), mappings));
        }
    }
    Some(out)
}

/// The items of a `Fn::ForEach` collection written in the template: a list
/// of scalars, or an `Fn::FindInMap` with its three keys written that holds
/// one. `None` for a collection known only at deploy time.
pub fn for_each_collection(collection: &Value, mappings: &Map<String, Value>) -> Option<Vec<String>> {
    let list = match single(collection) {
        Some(("Fn::FindInMap", Value::Array(keys))) => match keys.as_slice() {
            [Value::String(map), Value::String(row), Value::String(column)] => {
                mappings.get(map)?.get(row)?.get(column)?
            }
            _ => return None,
        },
        _ => collection,
    };
    list.as_array()?
        .iter()
        .map(|item| match item {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        })
        .collect()
}

/// Text with `${Id}` as the item and `&{Id}` as the item without its
/// non-alphanumeric characters.
pub fn for_each_text(text: &str, identifier: &str, item: &str) -> String {
    let bare: String = item.chars().filter(char::is_ascii_alphanumeric).collect();
    text.replace(&format!("${{{identifier}}}"), item).replace(&format!("&{{{identifier}}}"), &bare)
}

/// A fragment for one item: keys and `Fn::Sub` text through
/// [`for_each_text`], `Ref: Id` the item itself.
fn for_each_value(value: &Value, identifier: &str, item: &str) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(|v| for_each_value(v, identifier, item)).collect()),
        Value::Object(entries) => {
            match single(value) {
                Some(("Ref", Value::String(name))) if name == identifier => return Value::String(item.to_string()),
                Some(("Fn::Sub", Value::String(text))) => {
                    let text = Value::String(for_each_text(text, identifier, item));
                    return Value::Object(Map::from_iter([("Fn::Sub".to_string(), text)]));
                }
                Some(("Fn::Sub", Value::Array(args))) => {
                    if let [Value::String(text), Value::Object(variables)] = args.as_slice() {
                        let text = if variables.contains_key(identifier) {
                            text.clone()
                        } else {
                            for_each_text(text, identifier, item)
                        };
                        let variables = for_each_value(&Value::Object(variables.clone()), identifier, item);
                        let args = Value::Array(vec![Value::String(text), variables]);
                        return Value::Object(Map::from_iter([("Fn::Sub".to_string(), args)]));
                    }
                }
                _ => {}
            }
            Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (for_each_text(k, identifier, item), for_each_value(v, identifier, item)))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

/// Rule 8, on a template whose values are already normalised.
fn implied(sections: &mut Map<String, Value>) {
    for value in sections.values_mut() {
        azs_of_nothing(value);
    }
    if let Some(Value::Object(resources)) = sections.get_mut("Resources") {
        for resource in resources.values_mut() {
            let Value::Object(resource) = resource else { continue };
            let Some(Value::Array(names)) = resource.get("DependsOn").cloned() else { continue };
            let mut referred = Vec::new();
            for (key, value) in resource.iter() {
                if key != "DependsOn" {
                    names_referred(value, &mut referred);
                }
            }
            let kept: Vec<Value> =
                names.into_iter().filter(|n| !n.as_str().is_some_and(|n| referred.iter().any(|r| r == n))).collect();
            if kept.is_empty() {
                resource.remove("DependsOn");
            } else {
                resource.insert("DependsOn".to_string(), Value::Array(kept));
            }
        }
    }
    let mut used = Vec::new();
    for key in ["Resources", "Outputs"] {
        if let Some(Value::Object(entries)) = sections.get(key) {
            for entry in entries.values() {
                if let Some(Value::String(condition)) = entry.get("Condition") {
                    used.push(condition.clone());
                }
                conditions_named(entry, &mut used);
            }
        }
    }
    if let Some(Value::Object(conditions)) = sections.get("Conditions") {
        let mut next = 0;
        while next < used.len() {
            if let Some(body) = conditions.get(&used[next]) {
                conditions_named(body, &mut used);
            }
            next += 1;
        }
    }
    if let Some(Value::Object(conditions)) = sections.get_mut("Conditions") {
        conditions.retain(|name, _| used.contains(name));
    }
    sections.retain(|_, section| !matches!(section, Value::Object(entries) if entries.is_empty()));
    if let Some(Value::Array(transforms)) = sections.get("Transform") {
        if let [single] = transforms.as_slice() {
            let single = single.clone();
            sections.insert("Transform".to_string(), single);
        }
    }
    if let Some(Value::Object(rules)) = sections.get("Rules") {
        let mut assertions = Vec::new();
        let mut taken: Vec<String> = rules.keys().cloned().collect();
        for (id, rule) in rules {
            let condition = rule.get("RuleCondition");
            let list = rule.get("Assertions").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            let names = split_rule_names(id, list.len(), &mut taken);
            for (assertion, name) in list.iter().zip(names) {
                let mut entry = assertion.as_object().cloned().unwrap_or_default();
                if let Some(condition) = condition {
                    entry.insert("RuleCondition".to_string(), condition.clone());
                }
                entry.insert("Rule".to_string(), Value::String(name));
                let mut entry = Value::Object(entry);
                sort_keys(&mut entry);
                assertions.push(entry);
            }
        }
        assertions.sort_by_key(Value::to_string);
        sections.insert("Rules".to_string(), Value::Array(assertions));
    }
}

/// The one intrinsic function an object is: its name and argument.
fn single(value: &Value) -> Option<(&str, &Value)> {
    match value {
        Value::Object(entries) if entries.len() == 1 => entries.iter().next().map(|(k, v)| (k.as_str(), v)),
        _ => None,
    }
}

/// Replaces `Fn::GetAZs: null` by `Fn::GetAZs: ""`.
fn azs_of_nothing(value: &mut Value) {
    if let Some(("Fn::GetAZs", Value::Null)) = single(value) {
        *value = Value::Object(Map::from_iter([("Fn::GetAZs".to_string(), Value::String(String::new()))]));
        return;
    }
    match value {
        Value::Array(items) => items.iter_mut().for_each(azs_of_nothing),
        Value::Object(entries) => entries.values_mut().for_each(azs_of_nothing),
        _ => {}
    }
}

/// The logical IDs a value refers to with `Ref` and `Fn::GetAtt`.
fn names_referred(value: &Value, out: &mut Vec<String>) {
    names_in(value, "Ref", "Fn::GetAtt", out);
}

/// The conditions a value names: `Condition` and `Fn::If`'s first argument.
fn conditions_named(value: &Value, out: &mut Vec<String>) {
    names_in(value, "Condition", "Fn::If", out);
}

/// The names anywhere in `value` given as `{ by_name: "Name" }` or as the
/// first argument of `{ by_first_argument: ["Name", ...] }`.
fn names_in(value: &Value, by_name: &str, by_first_argument: &str, out: &mut Vec<String>) {
    match single(value) {
        Some((key, Value::String(name))) if key == by_name => out.push(name.clone()),
        Some((key, Value::Array(args))) if key == by_first_argument => {
            if let Some(Value::String(name)) = args.first() {
                out.push(name.clone());
            }
        }
        _ => {}
    }
    match value {
        Value::Array(items) => items.iter().for_each(|item| names_in(item, by_name, by_first_argument, out)),
        Value::Object(entries) => entries.values().for_each(|item| names_in(item, by_name, by_first_argument, out)),
        _ => {}
    }
}

/// Where `built` differs from `original` after both are normalised, one line
/// per difference, each naming its path (`Resources.Bucket.Properties.Tags[0]`).
/// Empty when the two templates say the same.
pub fn differences(original: &Value, built: &Value) -> Vec<String> {
    let mut found = Vec::new();
    compare(&mut String::new(), &normalise(original), &normalise(built), &mut found);
    found
}

fn compare(path: &mut String, original: &Value, built: &Value, found: &mut Vec<String>) {
    match (original, built) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, left) in a {
                let length = path.len();
                push_key(path, key);
                match b.get(key) {
                    Some(right) => compare(path, left, right, found),
                    None => found.push(format!("{path}: only in the original: {}", short(left))),
                }
                path.truncate(length);
            }
            for (key, right) in b {
                if !a.contains_key(key) {
                    let length = path.len();
                    push_key(path, key);
                    found.push(format!("{path}: only in the built template: {}", short(right)));
                    path.truncate(length);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (left, right)) in a.iter().zip(b).enumerate() {
                let length = path.len();
                path.push_str(&format!("[{index}]"));
                compare(path, left, right, found);
                path.truncate(length);
            }
        }
        _ if original == built => {}
        (Value::String(a), Value::String(b)) if a.chars().count() > 60 || b.chars().count() > 60 => {
            // Long text: show where it starts to differ.
            let same = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
            let from = same.saturating_sub(20);
            let excerpt = |text: &str| text.chars().skip(from).take(60).collect::<String>();
            found.push(format!(
                "{}: text differs from character {same}: original …{:?}…, built …{:?}…",
                shown(path),
                excerpt(a),
                excerpt(b)
            ));
        }
        _ => found.push(format!("{}: original {}, built {}", shown(path), short(original), short(built))),
    }
}

fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

fn shown(path: &str) -> &str {
    if path.is_empty() {
        "(the template)"
    } else {
        path
    }
}

/// A value as compact JSON, cut short enough to read in a list.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(160) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Rules 2, 4 and 5, bottom up.
fn value(input: &Value) -> Value {
    match input {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Number(n) => Value::String(n.to_string()),
        Value::String(s) => Value::String(s.clone()),
        Value::Array(items) => Value::Array(items.iter().map(value).collect()),
        Value::Object(entries) => {
            if entries.len() == 1 {
                let (key, argument) = entries.iter().next().expect("one entry");
                match (key.as_str(), argument) {
                    ("Fn::GetAtt", Value::String(dotted)) => {
                        if let Some((name, attribute)) = dotted.split_once('.') {
                            return get_att(name, attribute);
                        }
                    }
                    // A written index into a written list is that item.
                    ("Fn::Select", Value::Array(args)) => {
                        if let [index, Value::Array(items)] = args.as_slice() {
                            let index = match index {
                                Value::Number(n) => n.as_u64(),
                                Value::String(s) => s.parse::<u64>().ok(),
                                _ => None,
                            };
                            if let Some(item) = index.and_then(|i| items.get(i as usize)) {
                                return value(item);
                            }
                        }
                    }
                    // A macro call in a list of one is that call.
                    ("Fn::Transform", Value::Array(calls)) if calls.len() == 1 => {
                        let mut entry = Map::new();
                        entry.insert(key.clone(), value(&calls[0]));
                        return Value::Object(entry);
                    }
                    ("Fn::Sub", _) => {
                        if let Some(pieces) = sub_pieces(argument) {
                            return concatenation(pieces);
                        }
                    }
                    ("Fn::Join", Value::Array(args)) => {
                        if let [Value::String(delimiter), Value::Array(parts)] = args.as_slice() {
                            let mut pieces = Vec::new();
                            for (index, part) in parts.iter().enumerate() {
                                if index > 0 {
                                    pieces.push(Value::String(delimiter.clone()));
                                }
                                pieces.push(value(part));
                            }
                            return concatenation(pieces);
                        }
                    }
                    _ => {}
                }
            }
            Value::Object(entries.iter().map(|(k, v)| (k.clone(), value(v))).collect())
        }
    }
}

fn get_att(name: &str, attribute: &str) -> Value {
    let mut entry = Map::new();
    entry.insert(
        "Fn::GetAtt".to_string(),
        Value::Array(vec![Value::String(name.to_string()), Value::String(attribute.to_string())]),
    );
    Value::Object(entry)
}

fn reference(name: &str) -> Value {
    let mut entry = Map::new();
    entry.insert("Ref".to_string(), Value::String(name.to_string()));
    Value::Object(entry)
}

/// The pieces an `Fn::Sub` concatenates, normalised; `None` for an argument
/// that is not a string or a string with a map of variables.
fn sub_pieces(argument: &Value) -> Option<Vec<Value>> {
    let (text, variables) = match argument {
        Value::String(text) => (text, None),
        Value::Array(args) => match args.as_slice() {
            [Value::String(text)] => (text, None),
            [Value::String(text), Value::Object(variables)] => (text, Some(variables)),
            _ => return None,
        },
        _ => return None,
    };
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("${") {
        literal.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            // No closing brace: CloudFormation leaves the text as it is.
            literal.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let name = &after[..end];
        rest = &after[end + 1..];
        if let Some(escaped) = name.strip_prefix('!') {
            literal.push_str("${");
            literal.push_str(escaped);
            literal.push('}');
            continue;
        }
        pieces.push(Value::String(std::mem::take(&mut literal)));
        let name = name.trim();
        match variables.and_then(|v| v.get(name)) {
            Some(bound) => pieces.push(value(bound)),
            None => match name.split_once('.') {
                Some((resource, attribute)) => pieces.push(get_att(resource, attribute)),
                None => pieces.push(reference(name)),
            },
        }
    }
    literal.push_str(rest);
    pieces.push(Value::String(literal));
    Some(pieces)
}

/// Normalised pieces as one value: literal text merged, a lone piece alone.
fn concatenation(pieces: Vec<Value>) -> Value {
    let mut merged: Vec<Value> = Vec::new();
    for piece in pieces {
        // A piece that is itself a concatenation is spliced in.
        let inner = match piece {
            Value::Object(ref entry) if is_concatenation(entry) => match entry.get("Fn::Join") {
                Some(Value::Array(args)) => match args.get(1) {
                    Some(Value::Array(parts)) => parts.clone(),
                    _ => vec![piece],
                },
                _ => vec![piece],
            },
            other => vec![other],
        };
        for piece in inner {
            match (merged.last_mut(), piece) {
                (_, Value::String(text)) if text.is_empty() => {}
                (Some(Value::String(previous)), Value::String(text)) => previous.push_str(&text),
                (_, piece) => merged.push(piece),
            }
        }
    }
    match merged.len() {
        0 => Value::String(String::new()),
        1 => merged.pop().expect("one piece"),
        _ => {
            let mut entry = Map::new();
            entry
                .insert("Fn::Join".to_string(), Value::Array(vec![Value::String(String::new()), Value::Array(merged)]));
            Value::Object(entry)
        }
    }
}

/// An `Fn::Join` with an empty delimiter over a written list: what
/// [`concatenation`] makes.
fn is_concatenation(entry: &Map<String, Value>) -> bool {
    entry.len() == 1
        && matches!(entry.get("Fn::Join"), Some(Value::Array(args))
            if matches!(args.as_slice(), [Value::String(d), Value::Array(_)] if d.is_empty()))
}

/// Rule 7, before anything else, so that a folded value joins the text
/// around it.
fn fold_lookups(template: &Value) -> Value {
    let mut template = template.clone();
    let Value::Object(sections) = &mut template else { return template };
    let Some(Value::Object(mappings)) = sections.get("Mappings").cloned() else { return template };
    for (name, section) in sections.iter_mut() {
        if name != "Mappings" {
            fold_in(section, &mappings);
        }
    }
    let mut read = std::collections::BTreeSet::new();
    for (name, section) in sections.iter() {
        if name != "Mappings" {
            mappings_read(section, &mut read);
        }
    }
    if let Some(Value::Object(mappings)) = sections.get_mut("Mappings") {
        mappings.retain(|name, _| read.contains(name));
    }
    template
}

fn fold_in(value: &mut Value, mappings: &Map<String, Value>) {
    match value {
        Value::Object(entries) => {
            if let Some(found) = literal_lookup(entries, mappings) {
                *value = found;
                return;
            }
            entries.values_mut().for_each(|v| fold_in(v, mappings));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| fold_in(v, mappings)),
        _ => {}
    }
}

/// The value of `{ "Fn::FindInMap": [map, row, column] }` with all three
/// written as text or numbers, when the mapping has it.
fn literal_lookup(entry: &Map<String, Value>, mappings: &Map<String, Value>) -> Option<Value> {
    if entry.len() != 1 {
        return None;
    }
    let Some(Value::Array(args)) = entry.get("Fn::FindInMap") else { return None };
    let key = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match args.as_slice() {
        [map, row, column] => mappings.get(&key(map)?)?.get(key(row)?)?.get(key(column)?).cloned(),
        // With a default (`AWS::LanguageExtensions`): the cell, or the
        // default where the mapping has none.
        [map, row, column, Value::Object(options)] if options.len() == 1 => {
            let default = options.get("DefaultValue")?;
            let table = mappings.get(&key(map)?)?;
            let (row, column) = (key(row)?, key(column)?);
            Some(table.get(&row).and_then(|cells| cells.get(&column)).unwrap_or(default).clone())
        }
        _ => None,
    }
}

fn mappings_read(value: &Value, read: &mut std::collections::BTreeSet<String>) {
    match value {
        Value::Object(entries) => {
            if let Some(Value::Array(args)) = entries.get("Fn::FindInMap") {
                if let Some(Value::String(name)) = args.first() {
                    read.insert(name.clone());
                }
            }
            entries.values().for_each(|v| mappings_read(v, read));
        }
        Value::Array(items) => items.iter().for_each(|v| mappings_read(v, read)),
        _ => {}
    }
}

/// `DependsOn` as a sorted list of distinct names.
fn name_set(depends_on: &Value) -> Value {
    let mut names: Vec<Value> = match depends_on {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    names.sort_by_key(|name| name.to_string());
    names.dedup();
    Value::Array(names)
}

fn sort_keys(value: &mut Value) {
    match value {
        Value::Object(entries) => {
            entries.sort_keys();
            entries.values_mut().for_each(sort_keys);
        }
        Value::Array(items) => items.iter_mut().for_each(sort_keys),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn template(resources: Value) -> Value {
        json!({ "AWSTemplateFormatVersion": "2010-09-09", "Resources": resources })
    }

    fn same(a: Value, b: Value) {
        let found = differences(&a, &b);
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn key_order_does_not_count() {
        same(
            json!({ "Resources": { "A": { "Type": "T", "Properties": { "X": 1, "Y": 2 } } }, "AWSTemplateFormatVersion": "2010-09-09" }),
            json!({ "AWSTemplateFormatVersion": "2010-09-09", "Resources": { "A": { "Properties": { "Y": 2, "X": 1 }, "Type": "T" } } }),
        );
        let out = normalise(&json!({ "b": 1, "a": { "d": 1, "c": 2 } }));
        assert_eq!(out.to_string(), r#"{"AWSTemplateFormatVersion":"2010-09-09","a":{"c":"2","d":"1"},"b":"1"}"#);
    }

    #[test]
    fn numbers_and_booleans_are_their_text() {
        same(
            template(json!({ "A": { "Type": "T", "Properties": { "Port": 80, "On": true } } })),
            template(json!({ "A": { "Type": "T", "Properties": { "Port": "80", "On": "true" } } })),
        );
        let found = differences(&json!({ "V": 1.0 }), &json!({ "V": 1 }));
        assert_eq!(found, vec![r#"V: original "1.0", built "1""#]);
        assert_eq!(differences(&json!({ "V": "True" }), &json!({ "V": true })).len(), 1);
    }

    #[test]
    fn depends_on_is_a_set() {
        same(
            template(json!({ "A": { "Type": "T", "DependsOn": "B" } })),
            template(json!({ "A": { "Type": "T", "DependsOn": ["B"] } })),
        );
        same(
            template(json!({ "A": { "Type": "T", "DependsOn": ["C", "B", "C"] } })),
            template(json!({ "A": { "Type": "T", "DependsOn": ["B", "C"] } })),
        );
    }

    #[test]
    fn what_is_implied_or_unused_is_absent() {
        // A dependency a reference implies, in any spelling.
        same(
            template(
                json!({ "A": { "Type": "T", "DependsOn": ["B", "C"], "Properties": { "X": { "Fn::Sub": "${B.Arn}" } } } }),
            ),
            template(
                json!({ "A": { "Type": "T", "DependsOn": "C", "Properties": { "X": { "Fn::GetAtt": ["B", "Arn"] } } } }),
            ),
        );
        same(
            template(json!({ "A": { "Type": "T", "DependsOn": "B", "Properties": { "X": { "Ref": "B" } } } })),
            template(json!({ "A": { "Type": "T", "Properties": { "X": { "Ref": "B" } } } })),
        );
        // A cell read with written-out keys, and the mapping no longer read.
        let mut with_mapping = template(json!({ "A": { "Type": "T", "Properties": {
            "X": { "Fn::FindInMap": ["M", "r", "c"] }, "Z": { "Fn::GetAZs": null } } } }));
        with_mapping["Mappings"] = json!({ "M": { "r": { "c": 5 } } });
        with_mapping["Conditions"] = json!({ "Unused": { "Fn::Equals": ["a", "b"] } });
        same(
            with_mapping,
            template(json!({ "A": { "Type": "T", "Properties": { "X": "5", "Z": { "Fn::GetAZs": "" } } } })),
        );
        // A mapping read at deploy time and a used condition stay.
        let mut used = template(json!({ "A": { "Type": "T", "Condition": "C1", "Properties": {
            "X": { "Fn::FindInMap": ["M", { "Ref": "AWS::Region" }, "c"] } } } }));
        used["Mappings"] = json!({ "M": { "r": { "c": 5 } } });
        used["Conditions"] =
            json!({ "C1": { "Fn::Not": [{ "Condition": "C2" }] }, "C2": { "Fn::Equals": ["a", "b"] } });
        assert_eq!(normalise(&used)["Conditions"].as_object().map(|c| c.len()), Some(2));
        assert!(normalise(&used)["Mappings"]["M"].is_object());
        // Rules: grouping does not count when the split rules are named
        // `R`, `R2`; names do.
        let mut grouped = template(json!({}));
        grouped["Rules"] = json!({ "R": { "RuleCondition": { "Fn::Equals": [{ "Ref": "P" }, "x"] }, "Assertions": [
            { "Assert": { "Fn::Equals": [{ "Ref": "Q" }, "a"] }, "AssertDescription": "one" },
            { "Assert": { "Fn::Equals": [{ "Ref": "Q" }, "b"] } }] } });
        let mut split = template(json!({}));
        split["Rules"] = json!({
            "R2": { "RuleCondition": { "Fn::Equals": [{ "Ref": "P" }, "x"] }, "Assertions": [{ "Assert": { "Fn::Equals": [{ "Ref": "Q" }, "b"] } }] },
            "R": { "RuleCondition": { "Fn::Equals": [{ "Ref": "P" }, "x"] }, "Assertions": [{ "Assert": { "Fn::Equals": [{ "Ref": "Q" }, "a"] }, "AssertDescription": "one" }] } });
        same(grouped.clone(), split.clone());
        let mut renamed = split.clone();
        let rules = renamed["Rules"].as_object_mut().expect("rules");
        let r2 = rules.remove("R2").expect("R2");
        rules.insert("QRule2".to_string(), r2);
        assert!(!differences(&grouped, &renamed).is_empty());
        assert_eq!(split_rule_names("R", 3, &mut vec!["R".to_string(), "R2".to_string()]), ["R", "R3", "R4"]);
        // A list of one transform.
        same(
            json!({ "Transform": ["AWS::Serverless-2016-10-31"], "Resources": {} }),
            json!({ "Transform": "AWS::Serverless-2016-10-31", "Resources": {} }),
        );
        // A dependency nothing implies stays.
        assert_eq!(
            differences(
                &template(json!({ "A": { "Type": "T", "DependsOn": "B" } })),
                &template(json!({ "A": { "Type": "T" } }))
            )
            .len(),
            1
        );
    }

    #[test]
    fn sub_and_join_are_the_text_they_build() {
        let join = json!({ "Fn::Join": ["", ["arn:aws:s3:::", { "Ref": "Bucket" }, "/*"]] });
        let sub = json!({ "Fn::Sub": "arn:aws:s3:::${Bucket}/*" });
        assert_eq!(normalise(&json!({ "V": join }))["V"], normalise(&json!({ "V": sub }))["V"]);
        let with_variables = json!({ "Fn::Sub": ["arn:aws:s3:::${B}/*", { "B": { "Ref": "Bucket" } }] });
        assert_eq!(normalise(&json!({ "V": with_variables }))["V"], normalise(&json!({ "V": sub }))["V"]);
        // A delimiter is literal text between the pieces.
        same(
            json!({ "V": { "Fn::Join": ["-", [{ "Ref": "AWS::StackName" }, "logs", 5]] } }),
            json!({ "V": { "Fn::Sub": "${AWS::StackName}-logs-5" } }),
        );
        // `${A.B}` is an attribute, `${!X}` literal text.
        same(
            json!({ "V": { "Fn::Join": ["", [{ "Fn::GetAtt": ["Db", "Endpoint.Address"] }, ":${Port}"]] } }),
            json!({ "V": { "Fn::Sub": "${Db.Endpoint.Address}:${!Port}" } }),
        );
        // No variables: the text; one value: the value.
        same(json!({ "V": { "Fn::Sub": "plain" } }), json!({ "V": "plain" }));
        same(json!({ "V": { "Fn::Join": ["", [{ "Ref": "X" }]] } }), json!({ "V": { "Ref": "X" } }));
        // Different text differs.
        assert_eq!(
            differences(&json!({ "V": { "Fn::Sub": "a-${X}" } }), &json!({ "V": { "Fn::Sub": "a_${X}" } })).len(),
            1
        );
    }

    #[test]
    fn join_over_a_function_stays() {
        let join = json!({ "V": { "Fn::Join": [",", { "Ref": "Subnets" }] } });
        assert_eq!(normalise(&join)["V"], json!({ "Fn::Join": [",", { "Ref": "Subnets" }] }));
    }

    #[test]
    fn written_selects_and_single_macro_calls_are_what_they_pick() {
        let pick = json!({ "Fn::Select": ["1", ["a", { "Ref": "B" }]] });
        same(
            template(json!({ "R": { "Type": "T", "Properties": { "P": pick } } })),
            template(json!({ "R": { "Type": "T", "Properties": { "P": { "Ref": "B" } } } })),
        );
        let deploy_time = json!({ "Fn::Select": [{ "Ref": "I" }, ["a", "b"]] });
        assert_eq!(
            normalise(&template(json!({ "R": { "Type": "T", "Properties": { "P": deploy_time.clone() } } })))
                ["Resources"]["R"]["Properties"]["P"],
            deploy_time
        );
        let call = json!({ "Name": "AWS::Include", "Parameters": { "Location": "s3://b/k" } });
        same(
            template(json!({ "R": { "Type": "T", "Properties": { "P": { "Fn::Transform": [call.clone()] } } } })),
            template(json!({ "R": { "Type": "T", "Properties": { "P": { "Fn::Transform": call } } } })),
        );
    }

    #[test]
    fn get_att_string_form_is_a_list() {
        same(json!({ "V": { "Fn::GetAtt": "Bucket.Arn" } }), json!({ "V": { "Fn::GetAtt": ["Bucket", "Arn"] } }));
    }

    #[test]
    fn defaults_and_empties() {
        same(
            json!({ "Resources": { "A": { "Type": "T", "Properties": {} } }, "Outputs": {} }),
            template(json!({ "A": { "Type": "T" } })),
        );
    }

    #[test]
    fn for_each_over_a_written_collection_is_its_expansion() {
        let original = json!({
            "Transform": "AWS::LanguageExtensions",
            "Mappings": { "Names": { "All": { "List": ["x-1", "y"] } } },
            "Resources": {
                "Fn::ForEach::Tables": ["Name", ["Points", "Score"], {
                    "Table${Name}": { "Type": "T", "Properties": {
                        "TableName": { "Ref": "Name" },
                        "Label": { "Fn::Sub": "${Name}-${AWS::Region}-${!Name}" },
                        "Kept": { "Fn::Sub": ["${Name}", { "Name": "own" }] } } }
                }],
                "Fn::ForEach::Queues": ["Id", { "Fn::FindInMap": ["Names", "All", "List"] }, {
                    "Queue&{Id}": { "Type": "Q", "Properties": { "Name": { "Fn::Sub": "&{Id}" } } }
                }]
            },
            "Outputs": {
                "Fn::ForEach::Out": ["Id", ["A", "B"], {
                    "Fn::ForEach::Inner": ["Attr", ["Arn"], {
                        "Table${Id}${Attr}": { "Value": { "Fn::GetAtt": [{ "Fn::Sub": "Table${Id}" }, { "Ref": "Attr" }] } }
                    }]
                }]
            }
        });
        let built = json!({
            "Transform": "AWS::LanguageExtensions",
            "Resources": {
                "TablePoints": { "Type": "T", "Properties": {
                    "TableName": "Points", "Label": { "Fn::Sub": "Points-${AWS::Region}-${!Name}" }, "Kept": "own" } },
                "TableScore": { "Type": "T", "Properties": {
                    "TableName": "Score", "Label": { "Fn::Sub": "Score-${AWS::Region}-${!Name}" }, "Kept": "own" } },
                "Queuex1": { "Type": "Q", "Properties": { "Name": "x1" } },
                "Queuey": { "Type": "Q", "Properties": { "Name": "y" } }
            },
            "Outputs": {
                "TableAArn": { "Value": { "Fn::GetAtt": ["TableA", "Arn"] } },
                "TableBArn": { "Value": { "Fn::GetAtt": ["TableB", "Arn"] } }
            }
        });
        same(original, built);
        // Conditions expand too; unused ones are then absent (rule 8).
        let conditions = json!({
            "Conditions": { "Fn::ForEach::C": ["P", ["A"], { "Is${P}": { "Fn::Equals": [{ "Ref": { "Fn::Sub": "Param${P}" } }, "x"] } }] },
            "Resources": { "R": { "Type": "T", "Condition": "IsA" } }
        });
        assert_eq!(
            normalise(&conditions)["Conditions"],
            json!({ "IsA": { "Fn::Equals": [{ "Ref": "ParamA" }, "x"] } })
        );
    }

    #[test]
    fn for_each_over_a_deploy_time_collection_stays() {
        let original = template(json!({
            "Fn::ForEach::B": ["Id", { "Ref": "Names" }, { "B${Id}": { "Type": "T" } }],
            "Fn::ForEach::C": ["Id", { "Fn::FindInMap": ["M", { "Ref": "Env" }, "L"] }, { "C${Id}": { "Type": "T" } }]
        }));
        let resources = normalise(&original)["Resources"].clone();
        assert!(resources.get("Fn::ForEach::B").is_some() && resources.get("Fn::ForEach::C").is_some(), "{resources}");
    }

    #[test]
    fn lookups_with_written_keys_are_their_value() {
        let mappings =
            json!({ "Net": { "VPC": { "CIDR": "10.0.0.0/16" } }, "Amis": { "us-east-1": { "Id": "ami-1" } } });
        let original = json!({
            "Mappings": mappings,
            "Resources": { "V": { "Type": "T", "Properties": {
                "Cidr": { "Fn::FindInMap": ["Net", "VPC", "CIDR"] },
                "Text": { "Fn::Sub": ["${C}-x", { "C": { "Fn::FindInMap": ["Net", "VPC", "CIDR"] } }] },
                "Image": { "Fn::FindInMap": ["Amis", { "Ref": "AWS::Region" }, "Id"] } } } }
        });
        let built = json!({
            "Mappings": { "Amis": { "us-east-1": { "Id": "ami-1" } } },
            "Resources": { "V": { "Type": "T", "Properties": {
                "Cidr": "10.0.0.0/16",
                "Text": "10.0.0.0/16-x",
                "Image": { "Fn::FindInMap": ["Amis", { "Ref": "AWS::Region" }, "Id"] } } } }
        });
        same(original, built);
        // A key the mapping does not have stays a lookup (CloudFormation fails it).
        let missing = json!({ "Mappings": mappings, "V": { "Fn::FindInMap": ["Net", "VPC", "Nope"] } });
        assert_eq!(normalise(&missing)["V"], json!({ "Fn::FindInMap": ["Net", "VPC", "Nope"] }));
    }

    #[test]
    fn long_text_differences_show_where() {
        let a = format!("{}A{}", "x".repeat(70), "y".repeat(10));
        let b = format!("{}B{}", "x".repeat(70), "y".repeat(10));
        let found = differences(&json!({ "T": a }), &json!({ "T": b }));
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("T: text differs from character 70:"), "{}", found[0]);
        assert!(found[0].contains("xxA") && found[0].contains("xxB"), "{}", found[0]);
    }

    #[test]
    fn differences_name_their_path() {
        let original = template(json!({ "A": { "Type": "T", "Properties": { "Tags": [{ "Key": "a" }], "Gone": 1 } } }));
        let built = template(json!({ "A": { "Type": "T", "Properties": { "Tags": [{ "Key": "b" }], "New": 2 } } }));
        assert_eq!(
            differences(&original, &built),
            vec![
                r#"Resources.A.Properties.Gone: only in the original: "1""#,
                r#"Resources.A.Properties.Tags[0].Key: original "a", built "b""#,
                r#"Resources.A.Properties.New: only in the built template: "2""#,
            ]
        );
        assert_eq!(
            differences(&json!({ "L": [1, 2] }), &json!({ "L": [1] })),
            vec![r#"L: original ["1","2"], built ["1"]"#]
        );
    }
}
