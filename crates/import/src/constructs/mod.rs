//! `--constructs`: groups of L1 resources that a standard-library construct
//! makes, raised to an instance of it: `s3.Bucket` (a bucket with its
//! TLS-only bucket policy, [`bucket`]), `ec2.Vpc` (a VPC with its subnets,
//! routes, gateways and flow logs, [`vpc`]), `sqs.Queue` (a queue with its
//! dead-letter queue, TLS-only policy and subscriptions, [`queue`]), and the
//! constructs of one resource with fixed defaults, from one table
//! ([`single`]).
//!
//! A group is only a candidate here: each finder collects the resources
//! that play the construct's parts, infers the instance's properties from
//! them, and says which construct resource each one would be (its role).
//! [`compare`] builds the instance on its own and lists, in the group's
//! terms, where it would differ; [`crate::import_with`] raises a group only
//! when nothing differs and the whole program with the instance builds back
//! to the very template, and reports every group it raised or left alone,
//! and why.

mod bucket;
pub mod compare;
mod queue;
mod single;
mod vpc;

use serde_json::{Map, Value};

use crate::layout::Node;

/// A group to raise: the instance that replaces `members`, and the
/// attributes other resources read, as the instance's outputs.
#[derive(Clone, Debug)]
pub struct Raise {
    /// The construct's type (`s3.Bucket`).
    pub construct: &'static str,
    /// The instance's name; its resources' logical IDs are its PascalCase
    /// followed by theirs.
    pub instance: String,
    /// The logical ID whose references become the instance (its primary
    /// output), and the ones that disappear into it.
    pub primary: String,
    pub members: Vec<String>,
    /// `Fn::GetAtt` attributes of `primary` and the outputs that give them.
    pub attributes: &'static [(&'static str, &'static str)],
    /// The instance's properties, as template values to convert.
    pub properties: Vec<(String, Value)>,
    /// Each member's logical ID and the one the instance gives the
    /// resource in its place.
    pub roles: Vec<(String, String)>,
    /// What stops the raise whatever the construct builds (another
    /// resource reading a member the instance does not expose).
    pub blockers: Vec<String>,
    /// Template values the instance's outputs build, and the expression
    /// that reads the output (`net.public_subnet_ids[0]`).
    pub forms: Vec<(Value, String)>,
    /// Why a property a member has differs from the construct's, where a
    /// plain "differs" would not tell: (resource type, property, reason).
    pub explanations: &'static [(&'static str, &'static str, &'static str)],
}

/// What was found: groups to try, and groups left alone with the reason.
pub struct Found {
    pub raises: Vec<Raise>,
    /// The construct, the members found, and why it cannot make them.
    pub left: Vec<(&'static str, Vec<String>, String)>,
}

/// Every candidate group of the template, in the order they are tried:
/// the larger groups first, so that a resource raised with one (a VPC's
/// flow log group) is not tried again on its own.
pub fn find(template: &Map<String, Value>) -> Found {
    let mut found = Found { raises: Vec::new(), left: Vec::new() };
    let Some(resources) = template.get("Resources").and_then(Value::as_object) else { return found };
    vpc::find(template, resources, &mut found);
    bucket::find(template, resources, &mut found);
    queue::find(template, resources, &mut found);
    single::find(template, resources, &mut found);
    found
}

/// The output of `raise` that gives the attribute, if it has one.
pub fn output_for(raise: &Raise, attribute: &str) -> Option<&'static str> {
    raise.attributes.iter().find(|(a, _)| *a == attribute).map(|(_, o)| *o)
}

/// An instance's body from its converted properties.
pub fn instance_text(raise: &Raise, properties: Vec<(String, Node)>) -> String {
    if properties.is_empty() {
        return format!("resource {}: {} {{}}", raise.instance, raise.construct);
    }
    let lines: Vec<String> =
        properties.iter().map(|(k, v)| format!("  {k}: {}", crate::layout::layout(v, 1))).collect();
    format!("resource {}: {} {{\n{}\n}}", raise.instance, raise.construct, lines.join("\n"))
}

/// The logical ID a `Ref` names.
fn ref_of(value: &Value) -> Option<&str> {
    value.as_object().filter(|m| m.len() == 1)?.get("Ref")?.as_str()
}

/// The resource and attribute an `Fn::GetAtt` reads, in either form.
fn get_att_of(value: &Value) -> Option<(&str, &str)> {
    match value.as_object().filter(|m| m.len() == 1)?.get("Fn::GetAtt")? {
        Value::String(s) => s.split_once('.'),
        Value::Array(items) => Some((items.first()?.as_str()?, items.get(1)?.as_str()?)),
        _ => None,
    }
}

fn type_of(resource: &Value) -> &str {
    resource.get("Type").and_then(Value::as_str).unwrap_or_default()
}

fn property<'v>(resource: &'v Value, key: &str) -> Option<&'v Value> {
    resource.get("Properties")?.get(key)
}

/// Where resources and outputs outside a group read its members other than
/// as the instance gives them (a `Ref` of the primary, an attribute it has an
/// output for, a value in `forms`), each as (reader, member).
fn outside_reads(template: &Map<String, Value>, raise: &Raise) -> Vec<(String, String)> {
    let mut reads = Vec::new();
    for section in ["Resources", "Outputs"] {
        for (id, body) in template.get(section).and_then(Value::as_object).into_iter().flatten() {
            if raise.members.contains(id) {
                continue;
            }
            let mut named = Vec::new();
            reads_in(body, raise, &mut named);
            if let Some(depends) = body.get("DependsOn") {
                let names: Vec<&str> = match depends {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                    _ => vec![],
                };
                // Waiting for an instance of one resource is waiting for it.
                let alone = |n: &&str| raise.members.len() == 1 && *n == raise.primary;
                let members = names.into_iter().filter(|n| raise.members.iter().any(|m| m == n) && !alone(n));
                named.extend(members.map(String::from));
            }
            named.dedup();
            reads.extend(named.into_iter().map(|m| (id.clone(), m)));
        }
    }
    reads
}

fn reads_in(value: &Value, raise: &Raise, named: &mut Vec<String>) {
    if raise.forms.iter().any(|(form, _)| form == value) {
        return;
    }
    let member = |id: &str| raise.members.iter().any(|m| m == id);
    if let Some(id) = ref_of(value) {
        if member(id) && id != raise.primary {
            named.push(id.to_string());
        }
        return;
    }
    if let Some((id, attribute)) = get_att_of(value) {
        if member(id) && (id != raise.primary || output_for(raise, attribute).is_none()) {
            named.push(id.to_string());
        }
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                if key == "DependsOn" {
                    continue;
                }
                if key == "Fn::Sub" {
                    let text = match item {
                        Value::Array(parts) => parts.first().and_then(Value::as_str),
                        other => other.as_str(),
                    };
                    for name in text.into_iter().flat_map(|t| t.split("${").skip(1)) {
                        let name = name.split('}').next().unwrap_or_default();
                        let (id, attribute) = name.split_once('.').unwrap_or((name, ""));
                        let exposed =
                            id == raise.primary && (attribute.is_empty() || output_for(raise, attribute).is_some());
                        if member(id) && !exposed {
                            named.push(id.to_string());
                        }
                    }
                }
                reads_in(item, raise, named);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| reads_in(item, raise, named)),
        _ => {}
    }
}

/// A blocker for `reads`, naming the first few.
fn outside_blocker(reads: &[(String, String)], hint: &str) -> Option<String> {
    let (reader, member) = reads.first()?;
    let more = match reads.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more such reference)".to_string(),
        n => format!(" (and {n} more such references)"),
    };
    Some(format!(
        "`{reader}` reads the group's `{member}` directly{more}, which an instance does not give as it is{hint}"
    ))
}
