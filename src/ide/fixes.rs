//! Edits that fix a diagnostic, for an editor's quick fixes: adding the
//! required properties an `E0403` names (of a CloudFormation type), or an
//! `E0216` (of a construct, or fields of a record-typed construct
//! property), to the object that lacks them.
//! (A did-you-mean fix replaces the primary label's text with
//! [`Diagnostic::suggestion`](crate::diagnostics::Diagnostic::suggestion).)

use super::complete::record_at;
use super::context::{self, BodyOwner, Context, Segment};
use super::schema_path::object_at;
use super::{construct_named, Snapshot};
use crate::schema::Shape;
use crate::source::Span;
use crate::syntax::ast::{self, Expr, ExprKind, ItemKind, StackBody, StrPart};

/// Text to put in place of a span.
#[derive(Clone, Debug, PartialEq)]
pub struct TextEdit {
    pub span: Span,
    pub text: String,
}

/// The edit that adds `names` to the object at `span` (the object itself,
/// or the resource whose body it is).
pub(super) fn add_properties(snapshot: &Snapshot, span: Span, names: &[&str]) -> Option<TextEdit> {
    let ast = snapshot.ast(span.file)?;
    let text = &snapshot.sources.get(span.file).text;
    let object = object_around(&ast.items, span)?;
    let brace = object.span.start as usize;
    let close = object.span.end as usize - 1;
    let line_start = text[..brace].rfind('\n').map_or(0, |i| i + 1);
    let outer: String = text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let indent = format!("{outer}  ");
    // Placeholders of the right kind: `""`, `0`, `false`, `[]`, `{}`.
    let (context, _) = context::at(text, brace + 1);
    let placeholder_of = |name: &str| match &context {
        Context::Key { body, .. } => match &body.owner {
            BodyOwner::Cfn(type_name) => {
                let rt = crate::schema::resource_type(type_name)?;
                let property = object_at(rt, &body.path)?.properties.get(name)?;
                Some(shape_placeholder(rt.resolve(&property.shape)))
            }
            BodyOwner::Construct(path) => {
                let (_, construct) = construct_named(snapshot, span.file, path)?;
                let ty = match body.path.as_slice() {
                    [] => &construct.params().find(|(_, p)| p.name.node == name)?.1.ty.node,
                    [Segment::Key(param), rest @ ..] => {
                        let (_, param) = construct.params().find(|(_, p)| p.name.node == *param)?;
                        let fields = record_at(&param.ty.node, rest)?;
                        &fields.iter().find(|f| f.name.node == name)?.ty.node
                    }
                    [Segment::Item, ..] => return None,
                };
                Some(type_placeholder(ty))
            }
        },
        _ => None,
    };
    let mut insert = String::new();
    for name in names {
        let placeholder = placeholder_of(name).unwrap_or("null");
        insert.push_str(&format!("\n{indent}{name}: {placeholder}"));
    }
    let one_line = !text[brace..close].contains('\n');
    if one_line {
        // `{}` or `{ a: 1 }` becomes one property a line.
        let inner = text[brace + 1..close].trim();
        let mut rewritten = String::from("{");
        if !inner.is_empty() {
            rewritten.push_str(&format!("\n{indent}{inner}"));
        }
        rewritten.push_str(&insert);
        rewritten.push_str(&format!("\n{outer}}}"));
        return Some(TextEdit { span: Span::new(span.file, brace..close + 1), text: rewritten });
    }
    Some(TextEdit { span: Span::new(span.file, brace + 1..brace + 1), text: insert })
}

fn shape_placeholder(shape: &Shape) -> &'static str {
    match shape {
        Shape::String(_) => "\"\"",
        Shape::Integer { .. } | Shape::Number { .. } => "0",
        Shape::Boolean => "false",
        Shape::List { .. } => "[]",
        Shape::Object(_) | Shape::Map { .. } | Shape::Json => "{}",
        Shape::Def(_) | Shape::Any | Shape::Union(_) => "null",
    }
}

/// A value of a construct parameter's type: `string` and the
/// CloudFormation parameter types are strings; a construct instance has no
/// literal.
fn type_placeholder(ty: &ast::TypeExpr) -> &'static str {
    if ty.fields.is_some() {
        return "{}";
    }
    match ty.name.as_str() {
        "number" | "Number" => "0",
        "bool" => "false",
        "list" | "List" | "CommaDelimitedList" => "[]",
        "object" => "{}",
        "any" => "null",
        name if name.contains('.') => "null",
        _ => "\"\"",
    }
}

/// The smallest object literal holding `span`, or the body of the
/// resource `span` names.
fn object_around(items: &[ast::Item], span: Span) -> Option<&Expr> {
    for item in items {
        if item.span.start > span.start || span.end > item.span.end {
            continue;
        }
        match &item.kind {
            ItemKind::Construct(c) => return object_around(&c.items, span),
            ItemKind::Stack(ast::Stack { body: StackBody::Items(inner), .. }) => return object_around(inner, span),
            ItemKind::Resource(r) => {
                if let Some(found) = smallest_object(&r.body, span) {
                    return Some(found);
                }
                return matches!(r.body.node, ExprKind::Object(_)).then_some(&r.body);
            }
            ItemKind::Stack(ast::Stack { body: StackBody::Instance { properties, .. }, .. }) => {
                return smallest_object(properties, span);
            }
            _ => return None,
        }
    }
    None
}

fn smallest_object(expr: &Expr, span: Span) -> Option<&Expr> {
    if expr.span.start > span.start || span.end > expr.span.end {
        return None;
    }
    let inner = match &expr.node {
        ExprKind::Object(properties) => properties.iter().find_map(|p| smallest_object(&p.value, span)),
        ExprKind::List(items) => items.iter().find_map(|i| smallest_object(i, span)),
        ExprKind::Conditional(_, a, b) => smallest_object(a, span).or_else(|| smallest_object(b, span)),
        ExprKind::Str(parts) => parts.iter().find_map(|p| match p {
            StrPart::Interp(e) => smallest_object(e, span),
            StrPart::Text(_) => None,
        }),
        _ => None,
    };
    inner.or(matches!(expr.node, ExprKind::Object(_)).then_some(expr))
}
