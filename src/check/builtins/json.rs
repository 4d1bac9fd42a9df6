//! `json(value)`: a value written out as JSON text.

use super::{Arity, Builtin, Call, Doc};
use crate::check::eval::deploy;
use crate::check::hir::{Intrinsic, Value};
use crate::check::value::{Ty, Val};
use crate::check::Checker;

pub(super) const JSON: Builtin = Builtin {
    name: "json",
    arity: Arity::exactly(1),
    doc: Doc {
        signatures: &["json(value)"],
        summary: "a value written out as JSON text, for properties that want a document as a string",
        description: "The JSON text of `value` (compact, keys in the order written, `null` entries of \
            objects left out), for the properties that take a JSON document as a string: an \
            `AWS::SSM::Parameter`'s `Value`, an `AWS::Events::Rule` target's `Input`, a dashboard's body. \
            A value known at compile time becomes a plain string. Deploy-time parts (a parameter, a \
            resource's `Ref` or attribute, a condition) are spliced into an `Fn::Sub`: strings inside their \
            quotes, numbers and booleans bare, and a deploy-time choice between two objects as the JSON \
            of each. A property whose schema takes an object, such as an IAM `PolicyDocument`, takes the \
            object itself.",
        example: r#"param retention_days: number = 7

resource uploads: AWS::S3::Bucket {}

resource settings: AWS::SSM::Parameter {
  Type: "String"
  Value: json({ bucket: uploads, retention: retention_days, formats: ["png", "jpg"] })
}"#,
    },
    implementation: json,
};

fn json(checker: &mut Checker<'_>, call: &Call<'_>) -> Val {
    checker.json(&call.values[0])
}

impl Checker<'_> {
    /// `json(v)`: the value as a JSON string. Deploy-time parts are spliced
    /// into an `Fn::Sub`: strings inside their quotes, numbers and booleans
    /// bare, and a conditional object as the JSON of each branch.
    fn json(&mut self, value: &Val) -> Val {
        if value.is_compile_time() {
            let lowered = self.lower(value);
            return Val::Str(crate::backend::value_to_json(&lowered).to_string());
        }
        let mut spliced = Vec::new();
        let skeleton = self.json_skeleton(value, &mut spliced);
        let text = crate::backend::value_to_json(&skeleton).to_string();
        // `split` alternates literal text and placeholder indexes.
        let mut pieces: Vec<String> = text.split(PLACEHOLDER).map(str::to_string).collect();
        let mut parts = Vec::new();
        for i in 0..pieces.len() {
            if i % 2 == 0 {
                parts.push(Val::Str(std::mem::take(&mut pieces[i])));
                continue;
            }
            let Some((part, quoted)) = pieces[i].parse::<usize>().ok().and_then(|n| spliced.get(n).cloned()) else {
                continue;
            };
            if !quoted {
                // Drop the quotes around the placeholder.
                if let Some(Val::Str(before)) = parts.last_mut() {
                    before.pop();
                }
                if let Some(after) = pieces.get_mut(i + 1) {
                    after.remove(0);
                }
            }
            parts.push(part);
        }
        self.concat(parts)
    }

    /// The JSON of `value` with a placeholder string for each deploy-time
    /// part, recorded in `spliced` with whether it goes inside quotes.
    fn json_skeleton(&mut self, value: &Val, spliced: &mut Vec<(Val, bool)>) -> Value {
        let mut splice = |part: Val, quoted: bool| {
            spliced.push((part, quoted));
            Value::String(format!("{PLACEHOLDER}{}{PLACEHOLDER}", spliced.len() - 1))
        };
        match value {
            Val::List(items) => Value::List(items.iter().map(|i| self.json_skeleton(i, spliced)).collect()),
            Val::Object(entries) => {
                Value::Object(entries.iter().map(|(k, v)| (k.clone(), self.json_skeleton(v, spliced))).collect())
            }
            Val::Cond(cond) => {
                let name = self.condition_name(cond);
                let text = |b: bool| Value::String(b.to_string());
                splice(
                    deploy(Ty::String, Value::intrinsic(Intrinsic::If(name, text(true), text(false))), &cond.origin),
                    false,
                )
            }
            Val::Deploy(d) => match (&d.ty, &d.value) {
                (Ty::Number | Ty::Bool, _) => splice(value.clone(), false),
                (Ty::Object | Ty::List(_) | Ty::Any, Value::Intrinsic(intrinsic)) => match intrinsic.as_ref() {
                    Intrinsic::If(condition, a, b) if !has_intrinsic(a) && !has_intrinsic(b) => {
                        let json = |v: &Value| Value::String(crate::backend::value_to_json(v).to_string());
                        let branches = Intrinsic::If(condition.clone(), json(a), json(b));
                        splice(deploy(Ty::String, Value::intrinsic(branches), &d.origin), false)
                    }
                    _ => splice(value.clone(), true),
                },
                // The literal text of an interpolation must be escaped as JSON.
                (_, Value::Intrinsic(intrinsic)) => match intrinsic.as_ref() {
                    Intrinsic::Sub(template, variables) => {
                        let escaped = Intrinsic::Sub(json_escape_template(template), variables.clone());
                        splice(deploy(Ty::String, Value::intrinsic(escaped), &d.origin), true)
                    }
                    _ => splice(value.clone(), true),
                },
                _ => splice(value.clone(), true),
            },
            Val::Resource(_) => splice(value.clone(), true),
            other => self.lower(other),
        }
    }
}

fn has_intrinsic(value: &Value) -> bool {
    match value {
        Value::Intrinsic(_) => true,
        Value::List(items) => items.iter().any(has_intrinsic),
        Value::Object(entries) => entries.iter().any(|(_, v)| has_intrinsic(v)),
        _ => false,
    }
}

/// Escapes the literal text of an `Fn::Sub` template for use inside a JSON
/// string, leaving its `${...}` references alone.
fn json_escape_template(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut in_reference = false;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if in_reference {
            in_reference = c != '}';
            out.push(c);
            continue;
        }
        match c {
            '$' if chars.peek() == Some(&'{') => {
                in_reference = true;
                out.push(c);
            }
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            other => out.push(other),
        }
    }
    out
}

/// A private-use character: JSON serialisation leaves it unescaped, and it
/// cannot occur in a program's text by accident.
const PLACEHOLDER: char = '\u{E000}';
