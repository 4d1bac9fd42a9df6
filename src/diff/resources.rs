//! Resource changes, and the replacement each one causes.
//!
//! A changed property replaces its resource when the embedded schema lists it (or a property
//! inside it) as create-only, and may replace it when it is conditionally create-only. A
//! changed `Type` replaces the resource. Replacement then spreads: a replaced resource gets a new
//! physical ID and attributes, so a value that refers to it (`Ref`, `Fn::GetAtt`, `Fn::Sub`)
//! changes at deploy time although its text does not, and if that value is create-only, the
//! resource holding it may be replaced too, and so on until nothing more changes. A changed
//! parameter value spreads the same way.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::stateful::effective_policy;
use super::value::{cfn_eq, references, segment_matches, value_at, values_at_pattern, walk, Leaf};
use super::{Cause, Change, Impact, PropertyChange, Replacement, ResourceDiff, Segment};
use crate::schema::{self, ResourceType};

/// The changed resources of one stack, by logical ID.
pub(crate) fn diff_resources(
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    changed_parameters: &BTreeSet<String>,
) -> Vec<ResourceDiff> {
    let mut ids: Vec<&String> = old.keys().chain(new.keys()).collect();
    ids.sort();
    ids.dedup();
    let mut diffs = BTreeMap::new();
    for id in ids {
        let diff = match (old.get(id), new.get(id)) {
            (None, Some(resource)) => ResourceDiff {
                logical_id: id.clone(),
                change: Change::Added,
                old_type: None,
                new_type: type_of(resource),
                impact: Impact::Create,
                changes: Vec::new(),
            },
            (Some(resource), None) => ResourceDiff {
                logical_id: id.clone(),
                change: Change::Removed,
                old_type: type_of(resource),
                new_type: None,
                impact: removal_impact(resource),
                changes: Vec::new(),
            },
            (Some(before), Some(after)) => changed_resource(id, before, after),
            (None, None) => continue,
        };
        diffs.insert(id.clone(), diff);
    }
    propagate(&mut diffs, old, new, changed_parameters);
    diffs.into_values().filter(|diff| diff.change != Change::Changed || !diff.changes.is_empty()).collect()
}

fn type_of(resource: &Value) -> Option<String> {
    resource.get("Type").and_then(Value::as_str).map(str::to_string)
}

fn properties<'v>(resource: Option<&'v Value>, empty: &'v Value) -> &'v Value {
    resource.and_then(|r| r.get("Properties")).unwrap_or(empty)
}

/// What removing a resource does, by its `DeletionPolicy`.
fn removal_impact(resource: &Value) -> Impact {
    match effective_policy(resource, "DeletionPolicy").as_str() {
        "Retain" | "RetainExceptOnCreate" => Impact::Retain,
        "Snapshot" => Impact::Snapshot,
        _ => Impact::Destroy,
    }
}

/// A resource in both templates: its changes (possibly none yet; [`propagate`] may add some).
fn changed_resource(id: &str, old: &Value, new: &Value) -> ResourceDiff {
    let (old_type, new_type) = (type_of(old), type_of(new));
    if old == new {
        return ResourceDiff {
            logical_id: id.to_string(),
            change: Change::Changed,
            old_type,
            new_type,
            impact: Impact::Update,
            changes: Vec::new(),
        };
    }
    let empty = Map::new();
    let (a, b) = (old.as_object().unwrap_or(&empty), new.as_object().unwrap_or(&empty));
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).filter(|key| *key != "Type").collect();
    keys.sort_by_key(|key| (*key != "Properties", *key));
    keys.dedup();
    let mut leaves = Vec::new();
    for key in keys {
        let path = vec![Segment::Key(key.clone())];
        if key == "DependsOn" {
            if depends_on(a.get(key)) != depends_on(b.get(key)) {
                let change = match (a.get(key), b.get(key)) {
                    (None, _) => Change::Added,
                    (_, None) => Change::Removed,
                    _ => Change::Changed,
                };
                leaves.push(Leaf { path, change, old: a.get(key).cloned(), new: b.get(key).cloned() });
            }
            continue;
        }
        walk(&mut path.clone(), a.get(key), b.get(key), &mut leaves);
    }
    let same_type = old_type == new_type;
    let schema = new_type.as_deref().filter(|_| same_type).and_then(schema::resource_type);
    let no_properties = Value::Object(Map::new());
    let (old_properties, new_properties) =
        (properties(Some(old), &no_properties), properties(Some(new), &no_properties));
    let mut changes: Vec<PropertyChange> = leaves
        .into_iter()
        .map(|leaf| {
            let replacement = match (schema, leaf.path.split_first()) {
                (Some(schema), Some((Segment::Key(first), rest))) if first == "Properties" => {
                    replacement(schema, rest, old_properties, new_properties)
                }
                _ => Replacement::Never,
            };
            PropertyChange {
                path: leaf.path,
                change: leaf.change,
                old: leaf.old,
                new: leaf.new,
                replacement,
                cause: None,
            }
        })
        .collect();
    if !same_type {
        // CloudFormation cannot change a resource's type in place.
        changes.insert(
            0,
            PropertyChange {
                path: vec![Segment::Key("Type".to_string())],
                change: Change::Changed,
                old: old_type.clone().map(Value::String),
                new: new_type.clone().map(Value::String),
                replacement: Replacement::Always,
                cause: None,
            },
        );
    }
    let impact = impact_of(&changes);
    ResourceDiff { logical_id: id.to_string(), change: Change::Changed, old_type, new_type, impact, changes }
}

/// `DependsOn` as a set: `"A"` is `["A"]`, and order does not matter.
fn depends_on(value: Option<&Value>) -> BTreeSet<String> {
    match value {
        Some(Value::String(name)) => BTreeSet::from([name.clone()]),
        Some(Value::Array(names)) => {
            names.iter().map(|name| name.as_str().map_or_else(|| name.to_string(), str::to_string)).collect()
        }
        Some(other) => BTreeSet::from([other.to_string()]),
        None => BTreeSet::new(),
    }
}

/// Changes are listed properties first, then resource attributes, each by path.
fn order(path: &[Segment]) -> (bool, &[Segment]) {
    (path.first() != Some(&Segment::Key("Properties".to_string())), path)
}

fn impact_of(changes: &[PropertyChange]) -> Impact {
    match changes.iter().map(|change| change.replacement).max() {
        Some(Replacement::Always) => Impact::Replace,
        Some(Replacement::Maybe) => Impact::MayReplace,
        _ => Impact::Update,
    }
}

/// Whether a change at `path` (below `Properties`) replaces the resource.
fn replacement(schema: &ResourceType, path: &[Segment], old: &Value, new: &Value) -> Replacement {
    if schema.create_only.iter().any(|pattern| affects(pattern, path, old, new)) {
        Replacement::Always
    } else if schema.conditional_create_only.iter().any(|pattern| affects(pattern, path, old, new)) {
        Replacement::Maybe
    } else {
        Replacement::Never
    }
}

/// Whether a change at `path` changes the value at the schema path `pattern`: the change is
/// inside it, or above it and the value there differs.
fn affects(pattern: &str, path: &[Segment], old: &Value, new: &Value) -> bool {
    let pattern: Vec<&str> = pattern.split('.').collect();
    if !pattern.iter().zip(path).all(|(p, segment)| segment_matches(p, segment)) {
        return false;
    }
    if pattern.len() <= path.len() {
        return true;
    }
    let (mut before, mut after) = (Vec::new(), Vec::new());
    values_at_pattern(old, &pattern, &mut before);
    values_at_pattern(new, &pattern, &mut after);
    !(before.len() == after.len() && before.iter().zip(&after).all(|(a, b)| cfn_eq(a, b)))
}

/// Whether `path` (below `Properties`) is or holds a create-only value, changed or not.
fn touches_create_only(schema: &ResourceType, path: &[Segment]) -> bool {
    schema.create_only.iter().chain(&schema.conditional_create_only).any(|pattern| {
        let pattern: Vec<&str> = pattern.split('.').collect();
        pattern.iter().zip(path).all(|(p, segment)| segment_matches(p, segment))
    })
}

/// Adds the changes that references to replaced resources and changed parameters cause, until
/// no more resources become replaced.
fn propagate(
    diffs: &mut BTreeMap<String, ResourceDiff>,
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    changed_parameters: &BTreeSet<String>,
) {
    let no_properties = Value::Object(Map::new());
    loop {
        let replaced: BTreeSet<String> = diffs
            .values()
            .filter(|diff| {
                diff.change == Change::Changed && matches!(diff.impact, Impact::Replace | Impact::MayReplace)
            })
            .map(|diff| diff.logical_id.clone())
            .collect();
        if replaced.is_empty() && changed_parameters.is_empty() {
            return;
        }
        let mut grew = false;
        for (id, diff) in diffs.iter_mut() {
            if diff.change != Change::Changed || diff.old_type != diff.new_type {
                continue;
            }
            let (old_properties, new_properties) =
                (properties(old.get(id), &no_properties), properties(new.get(id), &no_properties));
            let mut found = Vec::new();
            references(new_properties, &mut Vec::new(), &mut found);
            found.retain(|(_, name)| (name != id && replaced.contains(name)) || changed_parameters.contains(name));
            if found.is_empty() {
                continue;
            }
            let schema = diff.new_type.as_deref().and_then(schema::resource_type);
            for (path, name) in found {
                let cause = if name != *id && replaced.contains(&name) {
                    Cause::ReplacedResource(name)
                } else if changed_parameters.contains(&name) {
                    Cause::ChangedParameter(name)
                } else {
                    continue;
                };
                let mut full = vec![Segment::Key("Properties".to_string())];
                full.extend(path.iter().cloned());
                // A value whose text changed is reported already; one change per place.
                if diff.changes.iter().any(|change| full.starts_with(&change.path) || change.path.starts_with(&full)) {
                    continue;
                }
                let replacement = match schema {
                    Some(schema) if touches_create_only(schema, &path) => Replacement::Maybe,
                    _ => Replacement::Never,
                };
                diff.changes.push(PropertyChange {
                    path: full,
                    change: Change::Changed,
                    old: value_at(old_properties, &path).cloned(),
                    new: value_at(new_properties, &path).cloned(),
                    replacement,
                    cause: Some(cause),
                });
            }
            diff.changes.sort_by(|a, b| order(&a.path).cmp(&order(&b.path)));
            let impact = impact_of(&diff.changes);
            if impact != diff.impact {
                grew |= matches!(impact, Impact::Replace | Impact::MayReplace);
                diff.impact = impact;
            }
        }
        if !grew {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn resources(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn depends_on_compares_as_a_set() {
        let old = resources(json!({ "A": { "Type": "AWS::SQS::Queue", "DependsOn": ["X", "Y"] } }));
        let same = resources(json!({ "A": { "Type": "AWS::SQS::Queue", "DependsOn": ["Y", "X"] } }));
        assert_eq!(diff_resources(&old, &same, &BTreeSet::new()), vec![]);
        let one = resources(json!({ "A": { "Type": "AWS::SQS::Queue", "DependsOn": "X" } }));
        let one_list = resources(json!({ "A": { "Type": "AWS::SQS::Queue", "DependsOn": ["X"] } }));
        assert_eq!(diff_resources(&one, &one_list, &BTreeSet::new()), vec![]);
        assert_eq!(diff_resources(&old, &one, &BTreeSet::new()).len(), 1);
    }

    #[test]
    fn a_create_only_value_inside_an_added_object_replaces() {
        // `BucketName` is create-only; setting it where the whole property set was empty replaces.
        let old = resources(json!({ "B": { "Type": "AWS::S3::Bucket" } }));
        let new = resources(json!({ "B": { "Type": "AWS::S3::Bucket", "Properties": { "BucketName": "b" } } }));
        let diffs = diff_resources(&old, &new, &BTreeSet::new());
        assert_eq!(diffs[0].impact, Impact::Replace);
        // A tag is not create-only.
        let tagged = resources(
            json!({ "B": { "Type": "AWS::S3::Bucket", "Properties": { "Tags": [{ "Key": "a", "Value": "b" }] } } }),
        );
        assert_eq!(diff_resources(&old, &tagged, &BTreeSet::new())[0].impact, Impact::Update);
    }

    #[test]
    fn a_changed_type_replaces() {
        let old = resources(json!({ "Data": { "Type": "AWS::S3::Bucket", "Properties": { "Tags": [] } } }));
        let new = resources(json!({ "Data": { "Type": "AWS::DynamoDB::Table", "Properties": { "Tags": [] } } }));
        let diffs = diff_resources(&old, &new, &BTreeSet::new());
        assert_eq!(diffs[0].impact, Impact::Replace);
        assert_eq!(diffs[0].changes[0].path, vec![Segment::Key("Type".to_string())]);
        let risks = crate::diff::stateful::risks(&diffs, &old, &new);
        assert_eq!(risks.len(), 1, "the bucket's data goes with it");
    }

    #[test]
    fn a_changed_parameter_reaches_the_values_that_refer_to_it() {
        let template = resources(json!({ "Q": { "Type": "AWS::SQS::Queue", "Properties": {
            "QueueName": { "Fn::Sub": "${Stage}-jobs" }, "VisibilityTimeout": { "Ref": "Timeout" } } } }));
        let diffs = diff_resources(&template, &template, &BTreeSet::from(["Stage".to_string()]));
        assert_eq!(diffs.len(), 1);
        assert_eq!(diffs[0].impact, Impact::MayReplace);
        assert_eq!(diffs[0].changes[0].cause, Some(Cause::ChangedParameter("Stage".to_string())));
        let diffs = diff_resources(&template, &template, &BTreeSet::from(["Timeout".to_string()]));
        assert_eq!(diffs[0].impact, Impact::Update);
    }
}
