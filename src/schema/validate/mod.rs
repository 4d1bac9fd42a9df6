//! Checks a resource's properties and attributes against its schema.
//!
//! The checker hands over a [`Node`] tree: the resource body as evaluated,
//! with the source span of every value that was written literally. This
//! module owns every `E04xx` check; it reports through the constructors in
//! `diagnostics::builder` and knows nothing of the syntax tree.
//!
//! # What is an error and what is a warning
//!
//! An error means CloudFormation (or cfn-lint, which CI runs on every
//! template) rejects the template: an unknown or read-only property, a value
//! of the wrong type, a missing required property, a value outside an enum
//! or a bound. Where the schema is only advisory (patterns, which are
//! ECMAScript and not always checkable) or the problem is one of intent
//! rather than validity (deprecation, region availability, wiring one
//! resource's ARN where another kind is expected), it is a warning.
//!
//! The checks follow cfn-lint's leniency so that infrac never rejects what
//! CloudFormation accepts: scalars convert to strings, numeric strings are
//! numbers, `"true"`/`"false"` are booleans. A deploy-time value is checked
//! only by its kind (a list is not a scalar); one that might be
//! `AWS::NoValue` counts as present where absence would be an error and as
//! absent where presence would be.

mod format;
pub(crate) mod pattern;
mod walk;

use serde_json::Number;

use super::ResourceType;
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::Origin;
use crate::diagnostics::suggest::did_you_mean;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

/// An evaluated value with the span of the source that produced it.
///
/// Values that came through a `let` carry the span of the reference, so a
/// label points at what the user wrote in the resource.
#[derive(Clone, Debug)]
pub struct Node {
    pub span: Span,
    pub value: NodeValue,
}

#[derive(Clone, Debug)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Node>),
    Object(Vec<Field>),
    /// Known only at deploy time.
    Deploy(DeployInfo),
    /// One of two values, chosen at deploy time (`Fn::If`): each is checked
    /// where the choice stands. `Null` for a branch that leaves it out.
    Either(Box<Node>, Box<Node>),
    /// A value whose computation failed; already reported, check nothing.
    Unknown,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

/// What the checker knows about a deploy-time value.
#[derive(Clone, Debug)]
pub struct DeployInfo {
    pub kind: DeployKind,
    /// For `Ref` and `Fn::GetAtt` of a resource: its type and the attribute
    /// (`None` for `Ref`), so that semantic formats can be compared.
    pub resource: Option<(String, Option<String>)>,
    /// For a parameter: its CloudFormation type (`AWS::EC2::VPC::Id`).
    pub parameter_type: Option<String>,
    /// Where the value comes from, for messages.
    pub origin: Origin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeployKind {
    String,
    Number,
    Bool,
    List,
    /// Not known (an attribute without a schema type, an `Fn::If` of mixed branches).
    Any,
}

/// Options that come from the command line.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Regions the user targets (`--region`); empty means no availability check.
    pub regions: Vec<String>,
}

/// Checks one resource's properties (`body` is the object of properties) and
/// the type itself (lifecycle, regions); `type_span` is where the type is
/// written, for what concerns the whole resource.
pub fn check_properties(resource: &ResourceType, type_span: Span, body: &Node, options: &Options) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    if let Some(lifecycle) = &resource.lifecycle {
        if matches!(lifecycle.status.as_str(), "sunset" | "shutdown") {
            diagnostics.push(diag::retired_resource_type(
                type_span,
                resource.name,
                &lifecycle.status,
                lifecycle.date.as_deref(),
            ));
        }
    }
    let missing: Vec<&str> = options
        .regions
        .iter()
        .map(String::as_str)
        .filter(|region| super::regions().contains(region) && !resource.available_in(region))
        .collect();
    if !missing.is_empty() {
        diagnostics.push(diag::resource_type_not_in_region(type_span, resource.name, &missing));
    }
    if let NodeValue::Object(fields) = &body.value {
        diagnostics.extend(walk::Walker::new(resource).resource(fields, type_span));
    }
    diagnostics
}

/// Checks a resource's `CreationPolicy` or `UpdatePolicy` (`body`, an
/// object) against the shape it has on that resource's type.
pub fn check_policy(shape: &ResourceType, policy: &str, body: &Node) -> Vec<Diagnostic> {
    match &body.value {
        NodeValue::Object(fields) => walk::Walker::new(shape).attribute(fields, body.span, policy),
        _ => Vec::new(),
    }
}

/// Checks a resource's `Metadata` (`body`, an object): the entry cfn-init
/// reads against its known shape; the rest is free.
pub fn check_metadata(body: &Node) -> Vec<Diagnostic> {
    let NodeValue::Object(fields) = &body.value else { return Vec::new() };
    let mut diagnostics = Vec::new();
    for field in fields.iter().filter(|field| field.key == super::attributes::CFN_INIT) {
        let display = format!("Metadata.{}", field.key);
        diagnostics.extend(walk::Walker::new(super::attributes::cfn_init()).cfn_init(&field.value, &display));
    }
    diagnostics
}

/// Whether `value` matches a schema `pattern` (an ECMAScript regular
/// expression, matched anywhere unless anchored), or `None` when the pattern
/// uses something this checker does not translate (lookaround, `\p{..}`, ...).
pub fn pattern_matches(pattern: &str, value: &str) -> Option<bool> {
    pattern::matches(pattern, value)
}

/// Checks an `Fn::GetAtt` attribute name (`Arn`, `Endpoint.Address`) at
/// `span`; returns the diagnostic when the type has no such attribute.
pub fn check_attribute(resource: &ResourceType, attribute: &str, span: Span) -> Option<Diagnostic> {
    if resource.attribute(attribute).is_some() {
        return None;
    }
    // A pattern such as `Outputs.*` is shown as `Outputs.NAME`; nested attributes come last.
    let mut names: Vec<String> = resource
        .attributes
        .keys()
        .map(|name| match name.strip_suffix('*') {
            Some(prefix) => format!("{prefix}NAME"),
            None => name.clone(),
        })
        .collect();
    names.sort_by_key(|name| name.matches('.').count());
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let suggestion = did_you_mean(attribute, names.iter().copied().filter(|name| !name.ends_with("NAME")));
    // `bucket.BucketName` and `role.Name` are what the resource itself (its `Ref`) gives.
    let ref_property = resource.ref_returns.property().filter(|property| {
        *property == attribute || (["Name", "Id", "Arn"].contains(&attribute) && property.ends_with(attribute))
    });
    Some(diag::unknown_attribute(span, resource.name, attribute, suggestion, &names, ref_property))
}
