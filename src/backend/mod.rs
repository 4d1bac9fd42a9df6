//! The CloudFormation backend: serialises a checked [`Stack`] to template
//! JSON.
//!
//! **Invariant:** the backend never reports user errors; everything that can
//! be wrong was caught by the checker. Keys come out in a fixed order
//! (sections in CloudFormation's order, entries in declaration order), so a
//! template is byte-identical on every run.

use serde_json::{json, Map, Value as Json};

use crate::hir::{CondExpr, Intrinsic, Stack, Value};

/// The template of one stack.
pub fn template(stack: &Stack) -> Json {
    let mut template = Map::new();
    template.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    match stack.transforms.as_slice() {
        [] => {}
        [one] => {
            template.insert("Transform".into(), json!(one));
        }
        many => {
            template.insert("Transform".into(), json!(many));
        }
    }
    if let Some(description) = &stack.description {
        template.insert("Description".into(), json!(description));
    }
    if let Some(globals) = &stack.globals {
        template.insert("Globals".into(), value_to_json(globals));
    }
    if let Some(metadata) = metadata(stack) {
        template.insert("Metadata".into(), metadata);
    }
    if !stack.parameters.is_empty() {
        let parameters = stack.parameters.iter().map(|p| {
            let mut entry = Map::new();
            entry.insert("Type".into(), json!(p.cfn_type));
            if let Some(d) = &p.description {
                entry.insert("Description".into(), json!(d));
            }
            if let Some(default) = &p.default {
                entry.insert("Default".into(), value_to_json(default));
            }
            if let Some(allowed) = &p.allowed_values {
                entry.insert("AllowedValues".into(), Json::Array(allowed.iter().map(value_to_json).collect()));
            }
            if let Some(pattern) = &p.allowed_pattern {
                entry.insert("AllowedPattern".into(), json!(pattern));
            }
            if let Some(n) = &p.min_value {
                entry.insert("MinValue".into(), json!(n));
            }
            if let Some(n) = &p.max_value {
                entry.insert("MaxValue".into(), json!(n));
            }
            if let Some(n) = p.min_length {
                entry.insert("MinLength".into(), json!(n));
            }
            if let Some(n) = p.max_length {
                entry.insert("MaxLength".into(), json!(n));
            }
            if p.no_echo {
                entry.insert("NoEcho".into(), json!(true));
            }
            if let Some(text) = &p.constraint_description {
                entry.insert("ConstraintDescription".into(), json!(text));
            }
            (p.logical_id.clone(), Json::Object(entry))
        });
        template.insert("Parameters".into(), Json::Object(parameters.collect()));
    }
    if !stack.rules.is_empty() {
        let rules = stack.rules.iter().map(|rule| {
            let mut entry = Map::new();
            if let Some(condition) = &rule.condition {
                entry.insert("RuleCondition".into(), condition_to_json(condition));
            }
            let assertions = rule.assertions.iter().map(|assertion| {
                let mut entry = Map::new();
                entry.insert("Assert".into(), condition_to_json(&assertion.assert));
                if let Some(description) = &assertion.description {
                    entry.insert("AssertDescription".into(), json!(description));
                }
                Json::Object(entry)
            });
            entry.insert("Assertions".into(), Json::Array(assertions.collect()));
            (rule.logical_id.clone(), Json::Object(entry))
        });
        template.insert("Rules".into(), Json::Object(rules.collect()));
    }
    if !stack.mappings.is_empty() {
        let mappings = stack.mappings.iter().map(|(name, table)| (name.clone(), value_to_json(table)));
        template.insert("Mappings".into(), Json::Object(mappings.collect()));
    }
    if !stack.conditions.is_empty() {
        let conditions = stack.conditions.iter().map(|c| (c.logical_id.clone(), condition_to_json(&c.expr)));
        template.insert("Conditions".into(), Json::Object(conditions.collect()));
    }
    let resources = stack.resources.iter().map(|r| {
        let mut entry = Map::new();
        entry.insert("Type".into(), json!(r.cfn_type));
        if let Some(condition) = &r.condition {
            entry.insert("Condition".into(), json!(condition));
        }
        if !r.depends_on.is_empty() {
            entry.insert("DependsOn".into(), json!(r.depends_on));
        }
        if let Some(metadata) = &r.metadata {
            entry.insert("Metadata".into(), value_to_json(metadata));
        }
        if let Some(ignored) = &r.ignore_globals {
            entry.insert("IgnoreGlobals".into(), value_to_json(ignored));
        }
        if !r.properties.is_empty() {
            let properties = r.properties.iter().map(|(k, v)| (k.clone(), value_to_json(v)));
            entry.insert("Properties".into(), Json::Object(properties.collect()));
        }
        if let Some(policy) = &r.creation_policy {
            entry.insert("CreationPolicy".into(), value_to_json(policy));
        }
        if let Some(policy) = &r.update_policy {
            entry.insert("UpdatePolicy".into(), value_to_json(policy));
        }
        if let Some(policy) = &r.deletion_policy {
            entry.insert("DeletionPolicy".into(), value_to_json(policy));
        }
        if let Some(policy) = &r.update_replace_policy {
            entry.insert("UpdateReplacePolicy".into(), value_to_json(policy));
        }
        (r.logical_id.clone(), Json::Object(entry))
    });
    template.insert("Resources".into(), Json::Object(resources.collect()));
    if !stack.outputs.is_empty() {
        let outputs = stack.outputs.iter().map(|o| {
            let mut entry = Map::new();
            if let Some(d) = &o.description {
                entry.insert("Description".into(), json!(d));
            }
            if let Some(condition) = &o.condition {
                entry.insert("Condition".into(), json!(condition));
            }
            entry.insert("Value".into(), value_to_json(&o.value));
            if let Some(name) = &o.export_name {
                entry.insert("Export".into(), json!({ "Name": value_to_json(name) }));
            }
            (o.logical_id.clone(), Json::Object(entry))
        });
        template.insert("Outputs".into(), Json::Object(outputs.collect()));
    }
    Json::Object(template)
}

/// The template's `Metadata`: what `@metadata` wrote, and the console's
/// parameter groups and labels (`AWS::CloudFormation::Interface`) unless it
/// wrote them itself. Groups come in the order their first parameter does.
fn metadata(stack: &Stack) -> Option<Json> {
    const INTERFACE: &str = "AWS::CloudFormation::Interface";
    let mut metadata: Map<String, Json> = stack.metadata.iter().map(|(k, v)| (k.clone(), value_to_json(v))).collect();
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for parameter in &stack.parameters {
        let Some(group) = parameter.group.as_deref() else { continue };
        match groups.iter_mut().find(|(name, _)| *name == group) {
            Some((_, members)) => members.push(&parameter.logical_id),
            None => groups.push((group, vec![&parameter.logical_id])),
        }
    }
    let labels: Map<String, Json> = stack
        .parameters
        .iter()
        .filter_map(|p| p.label.as_ref().map(|label| (p.logical_id.clone(), json!({ "default": label }))))
        .collect();
    if !metadata.contains_key(INTERFACE) && (!groups.is_empty() || !labels.is_empty()) {
        let mut interface = Map::new();
        if !groups.is_empty() {
            let groups =
                groups.iter().map(|(label, members)| json!({ "Label": { "default": label }, "Parameters": members }));
            interface.insert("ParameterGroups".into(), Json::Array(groups.collect()));
        }
        if !labels.is_empty() {
            interface.insert("ParameterLabels".into(), Json::Object(labels));
        }
        metadata.insert(INTERFACE.into(), Json::Object(interface));
    }
    (!metadata.is_empty()).then_some(Json::Object(metadata))
}

/// Pretty-printed template text with a final newline.
pub fn to_text(template: &Json) -> String {
    let mut text = serde_json::to_string_pretty(template).expect("templates are plain JSON");
    text.push('\n');
    text
}

pub fn value_to_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Number(n) => Json::Number(n.clone()),
        Value::String(s) => json!(s),
        Value::List(items) => Json::Array(items.iter().map(value_to_json).collect()),
        Value::Object(entries) => Json::Object(entries.iter().map(|(k, v)| (k.clone(), value_to_json(v))).collect()),
        Value::Intrinsic(intrinsic) => intrinsic_to_json(intrinsic),
    }
}

fn intrinsic_to_json(intrinsic: &Intrinsic) -> Json {
    let v = value_to_json;
    match intrinsic {
        Intrinsic::Ref(id) => json!({ "Ref": id }),
        Intrinsic::GetAtt(id, attribute) => json!({ "Fn::GetAtt": [id, attribute] }),
        Intrinsic::Sub(template, variables) if variables.is_empty() => json!({ "Fn::Sub": template }),
        Intrinsic::Sub(template, variables) => {
            let variables: Map<String, Json> = variables.iter().map(|(k, value)| (k.clone(), v(value))).collect();
            json!({ "Fn::Sub": [template, variables] })
        }
        Intrinsic::Join(separator, list) => json!({ "Fn::Join": [separator, v(list)] }),
        Intrinsic::Select(index, list) => json!({ "Fn::Select": [v(index), v(list)] }),
        Intrinsic::Split(separator, text) => json!({ "Fn::Split": [separator, v(text)] }),
        Intrinsic::Base64(text) => json!({ "Fn::Base64": v(text) }),
        Intrinsic::Cidr(block, count, bits) => json!({ "Fn::Cidr": [v(block), v(count), v(bits)] }),
        Intrinsic::GetAZs(region) => json!({ "Fn::GetAZs": v(region) }),
        Intrinsic::ImportValue(name) => json!({ "Fn::ImportValue": v(name) }),
        Intrinsic::If(condition, then, otherwise) => json!({ "Fn::If": [condition, v(then), v(otherwise)] }),
        Intrinsic::FindInMap(map, top, second, None) => json!({ "Fn::FindInMap": [map, v(top), v(second)] }),
        Intrinsic::FindInMap(map, top, second, Some(default)) => {
            json!({ "Fn::FindInMap": [map, v(top), v(second), { "DefaultValue": v(default) }] })
        }
        Intrinsic::Transform(name, parameters) => {
            let mut call = Map::new();
            call.insert("Name".into(), json!(name));
            if let Some(parameters) = parameters {
                call.insert("Parameters".into(), v(parameters));
            }
            json!({ "Fn::Transform": call })
        }
        Intrinsic::GetStackOutput { stack, output, region, role_arn } => {
            let mut call = Map::new();
            call.insert("StackName".into(), v(stack));
            call.insert("OutputName".into(), v(output));
            if let Some(region) = region {
                call.insert("Region".into(), v(region));
            }
            if let Some(role_arn) = role_arn {
                call.insert("RoleArn".into(), v(role_arn));
            }
            json!({ "Fn::GetStackOutput": call })
        }
        Intrinsic::RefAll(parameter_type) => json!({ "Fn::RefAll": parameter_type }),
        Intrinsic::ValueOf(parameter, attribute) => json!({ "Fn::ValueOf": [parameter, attribute] }),
        Intrinsic::ValueOfAll(parameter_type, attribute) => json!({ "Fn::ValueOfAll": [parameter_type, attribute] }),
    }
}

fn condition_to_json(condition: &CondExpr) -> Json {
    match condition {
        CondExpr::Equals(a, b) => json!({ "Fn::Equals": [value_to_json(a), value_to_json(b)] }),
        CondExpr::Not(inner) => json!({ "Fn::Not": [condition_to_json(inner)] }),
        CondExpr::And(parts) => json!({ "Fn::And": parts.iter().map(condition_to_json).collect::<Vec<_>>() }),
        CondExpr::Or(parts) => json!({ "Fn::Or": parts.iter().map(condition_to_json).collect::<Vec<_>>() }),
        CondExpr::Condition(name) => json!({ "Condition": name }),
        CondExpr::Rule(function, a, b) => json!({ function.intrinsic_name(): [value_to_json(a), value_to_json(b)] }),
    }
}
