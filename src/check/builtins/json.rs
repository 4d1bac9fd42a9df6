//! `json(value)`: a value written out as JSON text.
//!
//! The text is built while walking the value, as literal JSON text and the
//! deploy-time values spliced between it. A value known at compile time is
//! one string. Otherwise the pieces become one `Fn::Sub` (through
//! [`Checker::concat`], which escapes a literal `${` as `${!`), so the text
//! CloudFormation produces is exactly the JSON of the value once it knows
//! the deploy-time parts.
//!
//! A deploy-time string is spliced between quotes as it is: CloudFormation
//! cannot escape it, so a parameter holding a `"` would break the document.
//! The literal text of an interpolation is escaped here, at compile time.

use super::{Arity, Builtin, Call, Doc};
use crate::check::eval::deploy;
use crate::check::value::{Ty, Val};
use crate::check::Checker;
use crate::diagnostics::facts::Origin;
use crate::hir::{Intrinsic, Value};

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
    let mut out = JsonText::default();
    out.value(checker, &call.values[0]);
    if out.parts.is_empty() {
        return Val::Str(out.text);
    }
    let parts = out.finish();
    checker.concat(parts)
}

/// JSON text being written: literal text, and the deploy-time values that
/// go between it.
#[derive(Default)]
struct JsonText {
    /// Finished pieces: literal text (`Val::Str`) and deploy-time values.
    parts: Vec<Val>,
    /// Literal text after the last deploy-time value.
    text: String,
}

impl JsonText {
    fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// A deploy-time value whose text is JSON as it is: a number, a boolean,
    /// or already-written JSON.
    fn splice(&mut self, value: Val) {
        if !self.text.is_empty() {
            self.parts.push(Val::Str(std::mem::take(&mut self.text)));
        }
        self.parts.push(value);
    }

    /// A deploy-time string: between quotes.
    fn splice_quoted(&mut self, value: Val) {
        self.push("\"");
        self.splice(value);
        self.push("\"");
    }

    fn finish(mut self) -> Vec<Val> {
        if !self.text.is_empty() {
            self.parts.push(Val::Str(self.text));
        }
        self.parts
    }

    fn value(&mut self, checker: &mut Checker<'_>, value: &Val) {
        match value {
            // An instance without a `@primary` output lowers to `null` too.
            Val::Null | Val::Error | Val::Instance(_) => self.push("null"),
            Val::Bool(b) => self.push(if *b { "true" } else { "false" }),
            Val::Number(n) => self.push(&serde_json::Value::Number(n.clone()).to_string()),
            Val::Str(text) => self.push(&quote(text)),
            Val::List(items) => {
                self.push("[");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.push(",");
                    }
                    self.value(checker, item);
                }
                self.push("]");
            }
            Val::Object(entries) => {
                self.push("{");
                // A `null` entry is left out, as in a resource's properties.
                let present = entries.iter().filter(|(_, v)| !matches!(v, Val::Null));
                for (i, (key, item)) in present.enumerate() {
                    if i > 0 {
                        self.push(",");
                    }
                    self.push(&quote(key));
                    self.push(":");
                    self.value(checker, item);
                }
                self.push("}");
            }
            Val::Resource(_) => self.splice_quoted(value.clone()),
            // `true` or `false`, chosen at deploy time.
            Val::Cond(cond) => {
                let name = checker.condition_name(cond);
                let text = |b: bool| Value::String(b.to_string());
                self.splice(deploy(
                    Ty::String,
                    Value::intrinsic(Intrinsic::If(name, text(true), text(false))),
                    cond.origin.clone(),
                ));
            }
            Val::Deploy(d) => self.deploy_time(value, &d.ty, &d.value, &d.origin),
        }
    }

    /// A deploy-time value of type `ty`: `value` is its intrinsic.
    fn deploy_time(&mut self, whole: &Val, ty: &Ty, value: &Value, origin: &Origin) {
        let intrinsic = match value {
            Value::Intrinsic(intrinsic) => Some(intrinsic.as_ref()),
            _ => None,
        };
        match (ty, intrinsic) {
            (Ty::Number | Ty::Bool, _) => self.splice(whole.clone()),
            // A choice between two literal strings: each escaped, between the quotes.
            (Ty::String, Some(Intrinsic::If(condition, Value::String(a), Value::String(b)))) => {
                let escaped = Intrinsic::If(condition.clone(), Value::String(escape(a)), Value::String(escape(b)));
                self.splice_quoted(deploy(Ty::String, Value::intrinsic(escaped), origin.clone()));
            }
            // Interpolated text: its literal parts escaped; the `${...}`
            // references in it have nothing to escape.
            (Ty::String, Some(Intrinsic::Sub(template, variables))) => {
                let escaped = Intrinsic::Sub(escape(template), variables.clone());
                self.splice_quoted(deploy(Ty::String, Value::intrinsic(escaped), origin.clone()));
            }
            (Ty::String, _) => self.splice_quoted(whole.clone()),
            // A choice between two literal values: the JSON of each.
            (_, Some(Intrinsic::If(condition, a, b))) => match (literal_json(a), literal_json(b)) {
                (Some(a), Some(b)) => {
                    let branches = Intrinsic::If(condition.clone(), Value::String(a), Value::String(b));
                    self.splice(deploy(Ty::String, Value::intrinsic(branches), origin.clone()));
                }
                _ => self.splice_quoted(whole.clone()),
            },
            // An attribute or mapping value of unknown type is most often a string.
            _ => self.splice_quoted(whole.clone()),
        }
    }
}

/// `text` as a JSON string literal, quotes included.
fn quote(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

/// `text` escaped for use inside a JSON string literal.
fn escape(text: &str) -> String {
    let quoted = quote(text);
    quoted[1..quoted.len() - 1].to_string()
}

/// The JSON text of a value without intrinsics; `None` if it has one.
fn literal_json(value: &Value) -> Option<String> {
    fn convert(value: &Value) -> Option<serde_json::Value> {
        Some(match value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => serde_json::Value::Array(items.iter().map(convert).collect::<Option<_>>()?),
            Value::Object(entries) => serde_json::Value::Object(
                entries.iter().map(|(k, v)| Some((k.clone(), convert(v)?))).collect::<Option<_>>()?,
            ),
            Value::Intrinsic(_) => return None,
        })
    }
    convert(value).map(|json| json.to_string())
}

#[cfg(test)]
mod tests {
    use super::{escape, literal_json, quote};
    use crate::hir::{Intrinsic, Value};

    #[test]
    fn strings_are_escaped_as_json() {
        assert_eq!(quote("a\"b\\c\nd\u{1}"), r#""a\"b\\c\nd\u0001""#);
        assert_eq!(escape("say \"hi\""), r#"say \"hi\""#);
        assert_eq!(escape("\u{E000}${x}"), "\u{E000}${x}");
    }

    #[test]
    fn literal_values_only() {
        let list = Value::List(vec![Value::Number(1.into()), Value::String("x".into()), Value::Null]);
        assert_eq!(literal_json(&list).as_deref(), Some(r#"[1,"x",null]"#));
        let reference = Value::intrinsic(Intrinsic::Ref("P".into()));
        assert_eq!(literal_json(&Value::List(vec![reference])), None);
    }
}
