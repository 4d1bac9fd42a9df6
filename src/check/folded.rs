//! The values of `let`s that checking folded at compile time, written as
//! infra: what an editor's hover shows beside a `let`'s declaration
//! (`let n = 2 * 3` is `6`).
//!
//! Only lets of a module's top level or a stack's body are kept: a `let`
//! inside a construct has one value per instance. A value known only at
//! deploy time, or whose computation failed, has none.

use std::collections::BTreeMap;

use super::value::Val;
use super::{Checker, FrameKind, Memo};
use crate::source::Span;
use crate::syntax::ast::ItemKind;

/// The longest value shown, in characters; a longer one is cut with `…`.
const MAX_CHARS: usize = 120;

/// Each folded `let`'s value as infra source, by the span of its name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FoldedLets {
    values: BTreeMap<Span, String>,
}

impl FoldedLets {
    /// The value of the `let` whose name is at `name_span`, if it was
    /// folded.
    pub fn get(&self, name_span: Span) -> Option<&str> {
        self.values.get(&name_span).map(String::as_str)
    }
}

/// The folded lets of a checked program.
pub(super) fn collect(checker: &Checker) -> FoldedLets {
    let mut values = BTreeMap::new();
    // A module evaluated as two frames gives one value; two different ones
    // (which checking does not make today) would show neither.
    let mut ambiguous = Vec::new();
    for (&(frame, index), memo) in &checker.lets {
        let Memo::Done(value) = memo else { continue };
        let frame = &checker.frames[frame];
        if !matches!(frame.kind, FrameKind::Scope) || !value.is_compile_time() || value.contains_error() {
            continue;
        }
        let ItemKind::Let(let_) = &frame.items[index].kind else { continue };
        let text = infra_text(value);
        match values.insert(let_.name.span, text.clone()) {
            Some(other) if other != text => ambiguous.push(let_.name.span),
            _ => {}
        }
    }
    for span in ambiguous {
        values.remove(&span);
    }
    FoldedLets { values }
}

/// A compile-time value as infra source, cut short past [`MAX_CHARS`].
fn infra_text(value: &Val) -> String {
    let mut out = String::new();
    if write(value, &mut out).is_err() {
        let cut = out.char_indices().nth(MAX_CHARS).map_or(out.len(), |(i, _)| i);
        out.truncate(cut);
        out.push('…');
    }
    out
}

/// Writing stopped: the value is longer than can be shown.
struct TooLong;

/// Writes `value`, stopping once past [`MAX_CHARS`] so that a large value
/// (a JSON document read with `from_json`) costs no more than a short one.
fn write(value: &Val, out: &mut String) -> Result<(), TooLong> {
    match value {
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Number(n) => out.push_str(&n.to_string()),
        Val::Str(s) => write_string(s, out),
        Val::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(item, out)?;
            }
            out.push(']');
        }
        Val::Object(entries) if entries.is_empty() => out.push_str("{}"),
        Val::Object(entries) => {
            out.push_str("{ ");
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if is_plain_key(key) {
                    out.push_str(key);
                } else {
                    write_string(key, out);
                }
                out.push_str(": ");
                write(item, out)?;
            }
            out.push_str(" }");
        }
        // Not compile-time values: left out by `collect`.
        Val::Deploy(_) | Val::Cond(_) | Val::Resource(_) | Val::Instance(_) | Val::Error => out.push('?'),
    }
    if out.chars().count() > MAX_CHARS {
        return Err(TooLong);
    }
    Ok(())
}

/// A string literal that reads back as `text`: quotes, backslashes, line
/// breaks and `${` escaped.
fn write_string(text: &str, out: &mut String) {
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c => out.push(c),
        }
        // A long string stops early rather than being copied whole.
        if out.len() > MAX_CHARS * 4 {
            return;
        }
    }
    out.push('"');
}

/// Whether an object key may be written without quotes.
fn is_plain_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(s: &str) -> Val {
        Val::Str(s.to_string())
    }

    #[test]
    fn values_read_as_infra() {
        let value = Val::Object(vec![
            ("cidr".to_string(), string("10.0.0.0/16")),
            ("x-y".to_string(), Val::List(vec![Val::Number(6.into()), Val::Bool(true), Val::Null])),
            ("quoted".to_string(), string("a \"b\" ${c}\n")),
            ("empty".to_string(), Val::Object(Vec::new())),
        ]);
        assert_eq!(
            infra_text(&value),
            r#"{ cidr: "10.0.0.0/16", "x-y": [6, true, null], quoted: "a \"b\" \${c}\n", empty: {} }"#
        );
    }

    #[test]
    fn long_values_are_cut() {
        let long = Val::List((0..100).map(|i| Val::Number(i.into())).collect());
        let text = infra_text(&long);
        assert_eq!(text.chars().count(), MAX_CHARS + 1);
        assert!(text.starts_with("[0, 1, 2") && text.ends_with('…'), "{text}");
        let text = infra_text(&string(&"é".repeat(10_000)));
        assert_eq!(text.chars().count(), MAX_CHARS + 1);
    }
}
