//! The JSON form of a [`Diff`] (`infrac diff --error-format json`), documented in `docs/diff.md`.
//! Keys come in a fixed order; an absent value is `null`, except a change's `old` and `new`,
//! which are left out when there is none (so a template's own `null` stays distinguishable).

use serde_json::{json, Map, Value};

use super::render::Locate;
use super::{
    Cause, Change, Diff, Direction, EntryDiff, FieldChange, Impact, PropertyChange, Replacement, Risk, Segment,
    StackDiff, StackStatus,
};

/// The version of the JSON form; it changes when a key changes meaning or goes away.
pub const VERSION: u64 = 1;

/// The diff as JSON; `locate` adds each resource's `location` where it returns one.
pub fn to_json(diff: &Diff, locate: Option<Locate>) -> Value {
    json!({
        "version": VERSION,
        "differences": !diff.is_empty(),
        "broadening": diff.is_broadening(),
        "stacks": diff.stacks.iter().map(|stack| stack_json(stack, locate)).collect::<Vec<_>>(),
    })
}

fn stack_json(stack: &StackDiff, locate: Option<Locate>) -> Value {
    let summary = stack.summary();
    json!({
        "name": stack.name,
        "status": match stack.status {
            StackStatus::Added => "added",
            StackStatus::Removed => "removed",
            StackStatus::Changed => "changed",
            StackStatus::Unchanged => "unchanged",
        },
        "broadening": stack.is_broadening(),
        "summary": {
            "add": summary.add,
            "change": summary.change,
            "replace": summary.replace,
            "may_replace": summary.may_replace,
            "remove": summary.remove,
        },
        "iam_statements": stack.iam_statements.iter().map(|row| json!({
            "change": change(row.change),
            "owner": row.owner,
            "effect": row.effect,
            "actions": row.actions,
            "not_actions": row.not_actions,
            "resources": row.resources,
            "not_resources": row.not_resources,
            "principals": row.principals,
            "not_principals": row.not_principals,
            "conditions": row.conditions,
            "broadening": row.broadening,
            "reason": row.reason,
            "wildcards": row.wildcards,
        })).collect::<Vec<_>>(),
        "managed_policies": stack.managed_policies.iter().map(|row| json!({
            "change": change(row.change),
            "owner": row.owner,
            "policy_arn": row.policy_arn,
            "broadening": row.broadening,
        })).collect::<Vec<_>>(),
        "security_group_rules": stack.security_group_rules.iter().map(|row| json!({
            "change": change(row.change),
            "group": row.group,
            "direction": match row.direction { Direction::Ingress => "ingress", Direction::Egress => "egress" },
            "protocol": row.protocol,
            "peer": row.peer,
            "open_to_world": row.open_to_world,
            "broadening": row.broadening,
        })).collect::<Vec<_>>(),
        "stateful": stack.stateful.iter().map(|risk| json!({
            "logical_id": risk.logical_id,
            "type": risk.resource_type,
            "risk": match risk.risk { Risk::Deleted => "deleted", Risk::Replaced => "replaced", Risk::MayBeReplaced => "may_be_replaced" },
            "policy": risk.policy,
        })).collect::<Vec<_>>(),
        "parameters": stack.parameters.iter().map(|parameter| json!({
            "name": parameter.name,
            "change": change(parameter.change),
            "secret": parameter.secret,
            "fields": parameter.fields.iter().map(field).collect::<Vec<_>>(),
            "value": parameter.value.as_ref().map(|(old, new)| json!({ "old": old, "new": new })),
        })).collect::<Vec<_>>(),
        "conditions": stack.conditions.iter().map(entry).collect::<Vec<_>>(),
        "mappings": stack.mappings.iter().map(entry).collect::<Vec<_>>(),
        "resources": stack.resources.iter().map(|resource| {
            let mut object = Map::new();
            object.insert("logical_id".into(), json!(resource.logical_id));
            object.insert("change".into(), json!(change(resource.change)));
            object.insert("old_type".into(), json!(resource.old_type));
            object.insert("new_type".into(), json!(resource.new_type));
            object.insert("impact".into(), json!(impact(resource.impact)));
            let location = locate.and_then(|locate| locate(&stack.name, &resource.logical_id));
            object.insert("location".into(), json!(location));
            object.insert("changes".into(), Value::Array(resource.changes.iter().map(property_change).collect()));
            Value::Object(object)
        }).collect::<Vec<_>>(),
        "outputs": stack.outputs.iter().map(|output| json!({
            "name": output.name,
            "change": change(output.change),
            "fields": output.fields.iter().map(field).collect::<Vec<_>>(),
            "export_removed": output.export_removed,
        })).collect::<Vec<_>>(),
        "other": stack.other.iter().map(entry).collect::<Vec<_>>(),
    })
}

fn change(change: Change) -> &'static str {
    match change {
        Change::Added => "added",
        Change::Removed => "removed",
        Change::Changed => "changed",
    }
}

fn impact(impact: Impact) -> &'static str {
    match impact {
        Impact::Create => "create",
        Impact::Update => "update",
        Impact::MayReplace => "may_replace",
        Impact::Replace => "replace",
        Impact::Destroy => "destroy",
        Impact::Retain => "retain",
        Impact::Snapshot => "snapshot",
    }
}

/// `change`, then `old` and `new` when present.
fn with_values(mut object: Map<String, Value>, old: &Option<Value>, new: &Option<Value>) -> Map<String, Value> {
    if let Some(old) = old {
        object.insert("old".into(), old.clone());
    }
    if let Some(new) = new {
        object.insert("new".into(), new.clone());
    }
    object
}

fn field(field: &FieldChange) -> Value {
    let mut object = Map::new();
    object.insert("field".into(), json!(field.field));
    Value::Object(with_values(object, &field.old, &field.new))
}

fn entry(entry: &EntryDiff) -> Value {
    let mut object = Map::new();
    object.insert("name".into(), json!(entry.name));
    object.insert("change".into(), json!(change(entry.change)));
    Value::Object(with_values(object, &entry.old, &entry.new))
}

fn property_change(property: &PropertyChange) -> Value {
    let mut object = Map::new();
    let path: Vec<Value> = property
        .path
        .iter()
        .map(|segment| match segment {
            Segment::Key(key) => json!(key),
            Segment::Index(index) => json!(index),
            Segment::Tag(key) => json!({ "Key": key }),
        })
        .collect();
    object.insert("path".into(), Value::Array(path));
    object.insert("change".into(), json!(change(property.change)));
    let mut object = with_values(object, &property.old, &property.new);
    let replacement = match property.replacement {
        Replacement::Never => "never",
        Replacement::Maybe => "maybe",
        Replacement::Always => "always",
    };
    object.insert("replacement".into(), json!(replacement));
    let cause = property.cause.as_ref().map(|cause| match cause {
        Cause::ReplacedResource(id) => json!({ "replaced_resource": id }),
        Cause::ChangedParameter(name) => json!({ "changed_parameter": name }),
    });
    object.insert("cause".into(), json!(cause));
    Value::Object(object)
}
