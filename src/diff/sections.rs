//! The template sections besides resources: parameters (definitions and, when known, the values
//! they are deployed with), outputs and their exports, conditions, mappings and the rest.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::value::{cell, cfn_eq, scalar_text};
use super::{Change, EntryDiff, FieldChange, OutputDiff, ParameterDiff, StackState};

/// The sections compared on their own; every other top-level key is compared by [`other`].
const SECTIONS: &[&str] = &["Conditions", "Mappings", "Outputs", "Parameters", "Resources"];

/// What stands for a `NoEcho` parameter's default or value.
const MASK: &str = "****";

/// The changed parameters, and the names of those whose value changes (for resources that
/// refer to them). A parameter's value is the one it is deployed with, else its `Default`.
pub(crate) fn parameters(old: &StackState, new: &StackState) -> (Vec<ParameterDiff>, BTreeSet<String>) {
    let definitions =
        |state: &StackState| state.template.get("Parameters").and_then(Value::as_object).cloned().unwrap_or_default();
    let (before, after) = (definitions(old), definitions(new));
    let mut diffs = Vec::new();
    let mut changed_values = BTreeSet::new();
    for name in union(&before, &after) {
        let (a, b) = (before.get(name), after.get(name));
        let no_echo = |definition: Option<&Value>| {
            definition.and_then(|d| d.get("NoEcho")).is_some_and(|v| cfn_eq(v, &Value::Bool(true)))
        };
        let secret = no_echo(a) || no_echo(b);
        let value_of = |definition: Option<&Value>, given: &BTreeMap<String, String>| match given.get(name) {
            // DescribeStacks shows a `NoEcho` parameter's value masked: it is unknown.
            Some(value) if secret && value == MASK => None,
            Some(value) => Some(value.clone()),
            None => definition?.get("Default").and_then(scalar_text),
        };
        let (value_before, value_after) = (value_of(a, &old.parameters), value_of(b, &new.parameters));
        if a.is_some() && b.is_some() && value_before.is_some() && value_after.is_some() && value_before != value_after
        {
            changed_values.insert(name.clone());
        }
        let mut fields = field_changes(a, b);
        if secret {
            for field in fields.iter_mut().filter(|f| f.field == "Default") {
                let mask = |v: &mut Option<Value>| *v = v.as_ref().map(|_| Value::String(MASK.to_string()));
                mask(&mut field.old);
                mask(&mut field.new);
            }
        }
        let given = old.parameters.contains_key(name) || new.parameters.contains_key(name);
        let value = (given && value_before != value_after).then(|| {
            let mask = |v: Option<String>| if secret { v.map(|_| MASK.to_string()) } else { v };
            (mask(value_before), mask(value_after))
        });
        let Some(change) = change_of(a, b, !fields.is_empty() || value.is_some()) else { continue };
        diffs.push(ParameterDiff { name: name.clone(), change, secret, fields, value });
    }
    (diffs, changed_values)
}

/// The changed outputs; an export the new template no longer makes is called out.
pub(crate) fn outputs(before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<OutputDiff> {
    let mut diffs = Vec::new();
    for name in union(before, after) {
        let (a, b) = (before.get(name), after.get(name));
        let fields = field_changes(a, b);
        let export = |output: Option<&Value>| output.and_then(|o| o.get("Export")).and_then(|e| e.get("Name")).cloned();
        let export_removed = match (export(a), export(b)) {
            (Some(old), Some(new)) if cfn_eq(&old, &new) => None,
            (Some(old), _) => Some(cell(&old)),
            (None, _) => None,
        };
        let Some(change) = change_of(a, b, !fields.is_empty()) else { continue };
        diffs.push(OutputDiff { name: name.clone(), change, fields, export_removed });
    }
    diffs
}

/// Named entries compared whole: conditions, mappings.
pub(crate) fn entries(before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<EntryDiff> {
    union(before, after)
        .into_iter()
        .filter_map(|name| {
            let (a, b) = (before.get(name), after.get(name));
            let differs = matches!((a, b), (Some(a), Some(b)) if !cfn_eq(a, b));
            let change = change_of(a, b, differs)?;
            Some(EntryDiff { name: name.clone(), change, old: a.cloned(), new: b.cloned() })
        })
        .collect()
}

/// The top-level keys other than the sections compared on their own.
pub(crate) fn other(before: &Value, after: &Value) -> Vec<EntryDiff> {
    let rest = |template: &Value| -> Map<String, Value> {
        let mut keys = template.as_object().cloned().unwrap_or_default();
        keys.retain(|key, _| !SECTIONS.contains(&key.as_str()));
        keys
    };
    entries(&rest(before), &rest(after))
}

/// The fields of two definitions (either may be absent) that differ, by name.
fn field_changes(a: Option<&Value>, b: Option<&Value>) -> Vec<FieldChange> {
    let empty = Map::new();
    let as_map = |v: Option<&Value>| v.and_then(Value::as_object).cloned().unwrap_or_else(|| empty.clone());
    let (a, b) = (as_map(a), as_map(b));
    union(&a, &b)
        .into_iter()
        .filter(|field| match (a.get(*field), b.get(*field)) {
            (Some(x), Some(y)) => !cfn_eq(x, y),
            _ => true,
        })
        .map(|field| FieldChange { field: field.clone(), old: a.get(field).cloned(), new: b.get(field).cloned() })
        .collect()
}

fn change_of(a: Option<&Value>, b: Option<&Value>, differs: bool) -> Option<Change> {
    match (a, b) {
        (None, Some(_)) => Some(Change::Added),
        (Some(_), None) => Some(Change::Removed),
        (Some(_), Some(_)) if differs => Some(Change::Changed),
        _ => None,
    }
}

/// The keys of both maps, sorted.
fn union<'m>(a: &'m Map<String, Value>, b: &'m Map<String, Value>) -> Vec<&'m String> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn state(template: Value, given: &[(&str, &str)]) -> StackState {
        let parameters = given.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        StackState { name: "App".to_string(), template, parameters }
    }

    #[test]
    fn a_masked_deployed_secret_is_unknown_not_changed() {
        let template = json!({ "Parameters": { "Key": { "Type": "String", "NoEcho": true } } });
        let (diffs, changed) =
            parameters(&state(template.clone(), &[("Key", "****")]), &state(template.clone(), &[("Key", "new")]));
        assert!(changed.is_empty());
        assert_eq!(diffs[0].value, Some((None, Some("****".to_string()))));
        let (_, changed) = parameters(&state(template.clone(), &[("Key", "old")]), &state(template, &[("Key", "new")]));
        assert_eq!(changed, BTreeSet::from(["Key".to_string()]));
    }

    #[test]
    fn a_default_applies_where_no_value_is_given() {
        let template = |default: &str| json!({ "Parameters": { "Stage": { "Type": "String", "Default": default } } });
        let (diffs, changed) = parameters(&state(template("dev"), &[]), &state(template("prod"), &[]));
        assert_eq!(changed, BTreeSet::from(["Stage".to_string()]));
        assert_eq!(diffs[0].value, None, "the change is the default's, shown once");
        let (diffs, changed) = parameters(&state(template("dev"), &[("Stage", "prod")]), &state(template("prod"), &[]));
        assert!(changed.is_empty(), "deployed with prod, deployed again with the new default prod");
        assert_eq!(diffs[0].fields.len(), 1);
    }
}
