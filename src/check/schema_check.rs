//! The bridge to the resource schemas: finds a resource's type and hands its
//! evaluated body, with spans, to `schema::validate`.

use super::value::{Deploy, Ty, Val};
use super::Checker;
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::Origin;
use crate::diagnostics::suggest::did_you_mean;
use crate::hir::{Intrinsic, Value};
use crate::schema::{self, validate, ResourceType};
use crate::source::Span;
use crate::syntax::ast::{Expr, ExprKind};

impl Checker<'_> {
    /// The schema of a CloudFormation type; reports an unknown type.
    /// Custom resources (`Custom::Name`) have none.
    pub(super) fn schema_of(&mut self, name: &str, span: Span) -> Option<&'static ResourceType> {
        if name.starts_with("Custom::") && name.split("::").count() == 2 {
            return None;
        }
        // A SAM type: expanded by the transform, which the stack then names.
        if schema::sam::is_sam_type(name) {
            self.report(diag::unchecked_sam_type(span, name));
            if let Some(stack) = self.stack_index() {
                self.require_transform(stack, schema::sam::SERVERLESS_TRANSFORM);
            }
            return None;
        }
        let found = schema::resource_type(name);
        if found.is_none() {
            let suggestion = did_you_mean(name, schema::type_names().chain(schema::sam::TYPES.iter().copied()));
            self.report(diag::unknown_resource_type(span, name, suggestion));
        }
        found
    }

    /// Adds `transform` to the stack's `Transform`, once.
    pub(super) fn require_transform(&mut self, stack: usize, transform: &str) {
        let transforms = &mut self.stacks[stack].transforms;
        if !transforms.iter().any(|t| t == transform) {
            transforms.push(transform.to_string());
        }
    }

    /// The type of `Fn::GetAtt` on a resource, or `None` when the schema
    /// has no such attribute (reported).
    pub(super) fn attribute_type(&mut self, cfn_type: &str, attribute: &str, span: Span) -> Option<Ty> {
        let Some(resource) = schema::resource_type(cfn_type) else {
            return Some(Ty::Any);
        };
        if let Some(diagnostic) = validate::check_attribute(resource, attribute, span) {
            self.report(diagnostic);
            return None;
        }
        Some(match resource.attribute(attribute).map(|shape| resource.resolve(shape)) {
            Some(schema::Shape::String(_)) => Ty::String,
            Some(schema::Shape::Integer { .. } | schema::Shape::Number { .. }) => Ty::Number,
            Some(schema::Shape::Boolean) => Ty::Bool,
            Some(schema::Shape::List { item, .. }) => Ty::List(Box::new(match resource.resolve(item) {
                schema::Shape::String(_) => Ty::String,
                schema::Shape::Integer { .. } | schema::Shape::Number { .. } => Ty::Number,
                _ => Ty::Any,
            })),
            _ => Ty::Any,
        })
    }

    /// The type of a resource of the current stack, by logical ID.
    pub(super) fn resource_type_of(&self, id: &str) -> Option<&String> {
        self.stack_index().and_then(|stack| self.stacks[stack].resource_types.get(id))
    }

    /// Checks a resource's properties, given with the source that wrote
    /// each (see [`Checker::node`]).
    pub(super) fn check_against_schema(&mut self, type_name: &str, type_span: Span, properties: &validate::Node) {
        let Some(resource) = self.schema_of(type_name, type_span) else { return };
        if !matches!(properties.value, validate::NodeValue::Object(_)) {
            return;
        }
        let diagnostics = validate::check_properties(resource, type_span, properties, &self.options);
        self.diagnostics.extend(diagnostics);
    }

    /// Pairs a value with the sources that wrote it, the one that wins
    /// first: a resource's body under the `@override`s merged into it. Each
    /// part points at the first source that spells it out, as deep as it
    /// does; a source that is not an object literal ends the search.
    pub(super) fn node_layered(&self, sources: &[&Expr], value: &Val) -> validate::Node {
        let (Some(top), Val::Object(entries)) = (sources.first(), value) else {
            return match sources.first() {
                Some(top) => self.node(top, value),
                None => self.node_of(Span::default(), value),
            };
        };
        if !matches!(top.node, ExprKind::Object(_)) || sources.len() == 1 {
            return self.node(top, value);
        }
        let fields = entries
            .iter()
            .filter(|(_, value)| !matches!(value, Val::Null))
            .map(|(key, value)| {
                let mut writers = Vec::new();
                for source in sources {
                    let ExprKind::Object(properties) = &source.node else { break };
                    writers.extend(properties.iter().find(|p| p.key.node == *key));
                }
                match writers.first() {
                    Some(first) => validate::Field {
                        key: key.clone(),
                        key_span: first.key.span,
                        value: self.node_layered(&writers.iter().map(|p| &p.value).collect::<Vec<_>>(), value),
                    },
                    None => {
                        validate::Field { key: key.clone(), key_span: top.span, value: self.node_of(top.span, value) }
                    }
                }
            })
            .collect();
        validate::Node { span: top.span, value: validate::NodeValue::Object(fields) }
    }

    /// Pairs a value with the source that wrote it, as deep as the source
    /// spells it out literally.
    pub(super) fn node(&self, expr: &Expr, value: &Val) -> validate::Node {
        let node_value = match (&expr.node, value) {
            (ExprKind::Object(properties), Val::Object(entries)) => validate::NodeValue::Object(
                entries
                    .iter()
                    .filter(|(_, value)| !matches!(value, Val::Null))
                    .map(|(key, value)| match properties.iter().find(|p| p.key.node == *key) {
                        Some(property) => validate::Field {
                            key: key.clone(),
                            key_span: property.key.span,
                            value: self.node(&property.value, value),
                        },
                        None => validate::Field {
                            key: key.clone(),
                            key_span: expr.span,
                            value: self.node_of(expr.span, value),
                        },
                    })
                    .collect(),
            ),
            (ExprKind::List(items), Val::List(values)) if items.len() == values.len() => validate::NodeValue::List(
                items.iter().zip(values).map(|(item, value)| self.node(item, value)).collect(),
            ),
            (ExprKind::Conditional(_, then, otherwise), Val::Deploy(Deploy { choice: Some(choice), .. })) => {
                validate::NodeValue::Either(
                    Box::new(self.node(then, &choice.0)),
                    Box::new(self.node(otherwise, &choice.1)),
                )
            }
            _ => return self.node_of(expr.span, value),
        };
        validate::Node { span: expr.span, value: node_value }
    }

    /// A value whose parts all point at `span`.
    fn node_of(&self, span: Span, value: &Val) -> validate::Node {
        let node_value = match value {
            Val::Null => validate::NodeValue::Null,
            Val::Bool(b) => validate::NodeValue::Bool(*b),
            Val::Number(n) => validate::NodeValue::Number(n.clone()),
            Val::Str(s) => validate::NodeValue::String(s.clone()),
            Val::List(items) => validate::NodeValue::List(items.iter().map(|i| self.node_of(span, i)).collect()),
            Val::Object(entries) => validate::NodeValue::Object(
                entries
                    .iter()
                    .filter(|(_, value)| !matches!(value, Val::Null))
                    .map(|(key, value)| validate::Field {
                        key: key.clone(),
                        key_span: span,
                        value: self.node_of(span, value),
                    })
                    .collect(),
            ),
            Val::Cond(cond) => validate::NodeValue::Deploy(validate::DeployInfo {
                kind: validate::DeployKind::Bool,
                resource: None,
                parameter_type: None,
                origin: cond.origin.clone(),
            }),
            Val::Deploy(Deploy { choice: Some(choice), .. }) => validate::NodeValue::Either(
                Box::new(self.node_of(span, &choice.0)),
                Box::new(self.node_of(span, &choice.1)),
            ),
            Val::Deploy(deploy) => {
                let kind = match deploy.ty {
                    Ty::String => validate::DeployKind::String,
                    Ty::Number => validate::DeployKind::Number,
                    Ty::Bool => validate::DeployKind::Bool,
                    Ty::List(_) => validate::DeployKind::List,
                    _ => validate::DeployKind::Any,
                };
                let (resource, parameter_type) = match &deploy.value {
                    Value::Intrinsic(intrinsic) => match intrinsic.as_ref() {
                        Intrinsic::Ref(id) => match self.resource_type_of(id) {
                            Some(ty) => (Some((ty.clone(), None)), None),
                            None => {
                                (None, self.params.values().find(|p| p.logical_id == *id).map(|p| p.cfn_type.clone()))
                            }
                        },
                        Intrinsic::GetAtt(id, attribute) => {
                            (self.resource_type_of(id).map(|ty| (ty.clone(), Some(attribute.clone()))), None)
                        }
                        _ => (None, None),
                    },
                    _ => (None, None),
                };
                validate::NodeValue::Deploy(validate::DeployInfo {
                    kind,
                    resource,
                    parameter_type,
                    origin: deploy.origin.clone(),
                })
            }
            Val::Resource(resource) => validate::NodeValue::Deploy(validate::DeployInfo {
                kind: validate::DeployKind::String,
                resource: Some((resource.cfn_type.clone(), None)),
                parameter_type: None,
                origin: Origin::Resource(resource.name.clone()),
            }),
            Val::Error | Val::Instance(_) => validate::NodeValue::Unknown,
        };
        validate::Node { span, value: node_value }
    }
}
