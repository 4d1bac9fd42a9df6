//! What a construct parameter accepts, and the check of an instance's value
//! against it: a type, a list of a shape, or a record whose fields are
//! named (`list<{ port: number, description?: string }>`).
//!
//! A record is checked where the user wrote the value: an unknown field, a
//! missing one or a field of the wrong type is reported at that field of the
//! instance's property, never inside the construct that declares it.

use super::value::{assignable, Ty, Val};
use super::Checker;
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::Kind;
use crate::diagnostics::suggest::did_you_mean;
use crate::source::{Span, Spanned};
use crate::syntax::ast::{Expr, ExprKind, FieldType, TypeExpr};

/// The shape of the values a construct parameter accepts.
pub(super) enum Shape<'a> {
    Any,
    Type(Ty),
    List(Box<Shape<'a>>),
    Record(&'a [FieldType]),
}

/// Where a value sits in an instance's properties, for messages: the
/// property and the path inside it (`ingress[0]`).
pub(super) struct Place<'p> {
    pub property: &'p str,
    pub construct: &'p str,
    pub path: String,
}

impl Place<'_> {
    fn at(&self, step: &str) -> Place<'_> {
        Place { property: self.property, construct: self.construct, path: format!("{}{step}", self.path) }
    }
}

impl<'a> Checker<'a> {
    /// The shape a field of a record type accepts.
    pub(super) fn field_shape(&mut self, ty: &'a Spanned<TypeExpr>) -> Shape<'a> {
        if let Some(fields) = &ty.node.fields {
            return Shape::Record(fields);
        }
        match (ty.node.name.as_str(), &ty.node.arg) {
            ("any", None) => Shape::Any,
            ("string", None) => Shape::Type(Ty::String),
            ("number", None) => Shape::Type(Ty::Number),
            ("bool", None) => Shape::Type(Ty::Bool),
            ("object", None) => Shape::Type(Ty::Object),
            ("list", Some(item)) => Shape::List(Box::new(self.field_shape(item))),
            _ => {
                let written = ty.node.to_string();
                let known = ["string", "number", "bool", "any", "object", "list<string>"];
                let suggestion = did_you_mean(&written, known);
                self.report(diag::unknown_parameter_type(ty.span, &written, suggestion));
                Shape::Any
            }
        }
    }

    /// Checks `value`, written as `expr` where the source spells it out, and
    /// reports what does not fit `shape`. Returns whether it fits.
    pub(super) fn check_shape(
        &mut self,
        value: &Val,
        expr: Option<&Expr>,
        span: Span,
        shape: &Shape<'a>,
        place: &Place,
    ) -> bool {
        if value.contains_error() {
            return true;
        }
        match shape {
            Shape::Any => true,
            Shape::Type(expected) => {
                if assignable(&value.ty(), expected) {
                    return true;
                }
                self.report(diag::construct_property_type_mismatch(
                    span,
                    &expected.kind(),
                    &value.kind(),
                    place.property,
                    &place.path,
                    place.construct,
                ));
                false
            }
            Shape::List(item_shape) => match value {
                Val::List(items) => {
                    let item_exprs = match expr.map(|e| &e.node) {
                        Some(ExprKind::List(exprs)) if exprs.len() == items.len() => Some(exprs),
                        _ => None,
                    };
                    let mut fits = true;
                    for (i, item) in items.iter().enumerate() {
                        let item_expr = item_exprs.map(|exprs| &exprs[i]);
                        let item_span = item_expr.map_or(span, |e| e.span);
                        fits &= self.check_shape(item, item_expr, item_span, item_shape, &place.at(&format!("[{i}]")));
                    }
                    fits
                }
                // Known at deploy time only: its items cannot be looked at.
                other if matches!(other.ty(), Ty::List(_) | Ty::Any) && !other.is_compile_time() => true,
                other => {
                    self.report(diag::construct_property_type_mismatch(
                        span,
                        &Kind::list(),
                        &other.kind(),
                        place.property,
                        &place.path,
                        place.construct,
                    ));
                    false
                }
            },
            Shape::Record(fields) => self.check_record(value, expr, span, fields, place),
        }
    }

    fn check_record(
        &mut self,
        value: &Val,
        expr: Option<&Expr>,
        span: Span,
        fields: &'a [FieldType],
        place: &Place,
    ) -> bool {
        let Val::Object(entries) = value else {
            self.report(diag::construct_property_type_mismatch(
                span,
                &Kind::Object,
                &value.kind(),
                place.property,
                &place.path,
                place.construct,
            ));
            return false;
        };
        let written = |key: &str| match expr.map(|e| &e.node) {
            Some(ExprKind::Object(properties)) => properties.iter().find(|p| p.key.node == key),
            _ => None,
        };
        let names: Vec<&str> = fields.iter().map(|f| f.name.node.as_str()).collect();
        let mut fits = true;
        for (key, field_value) in entries {
            let property = written(key);
            let Some(field) = fields.iter().find(|f| f.name.node == *key) else {
                let suggestion = did_you_mean(key, names.iter().copied());
                let key_span = property.map_or(span, |p| p.key.span);
                self.report(diag::unknown_record_field(
                    key_span,
                    key,
                    place.property,
                    &place.path,
                    place.construct,
                    suggestion,
                    &names,
                ));
                fits = false;
                continue;
            };
            // `null` leaves a field out: fine if it is optional, and
            // reported below as missing if not.
            if matches!(field_value, Val::Null) {
                continue;
            }
            let field_shape = self.field_shape(&field.ty);
            let value_expr = property.map(|p| &p.value);
            let value_span = value_expr.map_or(span, |e| e.span);
            fits &= self.check_shape(field_value, value_expr, value_span, &field_shape, &place.at(&format!(".{key}")));
        }
        let missing: Vec<&str> = fields
            .iter()
            .filter(|f| !f.optional && !entries.iter().any(|(k, v)| *k == f.name.node && !matches!(v, Val::Null)))
            .map(|f| f.name.node.as_str())
            .collect();
        if !missing.is_empty() {
            self.report(diag::missing_record_fields(span, place.property, &place.path, place.construct, &missing));
            fits = false;
        }
        fits
    }
}
