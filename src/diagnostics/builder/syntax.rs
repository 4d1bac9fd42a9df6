//! `E01xx`: what the lexer and the parser cannot read.

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::source::Span;

/// What the parser found (`None` at the end of the input) where it expected
/// one of `expected` (the grammar's names of tokens and rules) or, when
/// `end_expected`, the end of the input; `context` is the rule being parsed.
pub fn syntax_error(
    span: Span,
    found: Option<&str>,
    expected: &[String],
    end_expected: bool,
    context: Option<(&str, Span)>,
) -> Diagnostic {
    const END: &str = "end of input";
    let mut expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    if end_expected {
        expected.push(END);
    }
    expected.sort_unstable();
    expected.dedup();
    let found = found.unwrap_or(END);
    let label = match expected.as_slice() {
        [] => "unexpected here".to_string(),
        [one] => format!("expected {one}"),
        many => format!("expected one of {}", many.join(", ")),
    };
    let mut diagnostic = Diagnostic::new(Code::SyntaxError, format!("unexpected {found}"), Label::new(span, label));
    if let Some((what, context_span)) = context {
        diagnostic = diagnostic.with_secondary(context_span, format!("while parsing this {what}"));
    }
    diagnostic
}

/// `open` is the string's opening delimiter as written (`"`, `r#"`,
/// `"""`...), `close` the one that ends it.
pub fn unterminated_string(span: Span, open: &str, close: &str) -> Diagnostic {
    let help = if open.ends_with("\"\"\"") {
        format!("close the string with `{close}`")
    } else {
        format!("close the string with `{close}` on the same line, or use `{open}\"\"` for a multi-line string")
    };
    Diagnostic::new(Code::UnterminatedString, "unterminated string", Label::new(span, "this string is never closed"))
        .with_help(help)
}

pub fn unterminated_interpolation(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnterminatedString,
        "unterminated interpolation",
        Label::new(span, "this `${` is never closed"),
    )
    .with_help("close the interpolation with `}`")
}

pub fn unknown_character(span: Span, text: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownCharacter,
        format!("unknown character `{}`", text.escape_debug()),
        Label::new(span, "not part of the language"),
    )
    .with_help("remove it, or put it inside a string")
}

pub fn unterminated_comment(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnterminatedComment,
        "unterminated block comment",
        Label::new(span, "this comment is never closed"),
    )
    .with_help("close the comment with `*/`")
}

pub fn invalid_escape(span: Span, escape: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidEscape,
        format!("invalid escape sequence `{escape}`"),
        Label::new(span, "unknown escape"),
    )
    .with_help("valid escapes are `\\n`, `\\t`, `\\r`, `\\\"`, `\\\\` and `\\$`")
}

pub fn nesting_too_deep(span: Span, limit: usize) -> Diagnostic {
    Diagnostic::new(
        Code::NestingTooDeep,
        format!("brackets nest more than {limit} levels deep"),
        Label::new(span, "too deep; the rest of the file is not read"),
    )
    .with_help("close the brackets you opened, or give inner values names with `let`")
}
