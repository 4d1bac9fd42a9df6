//! `E03xx`: values of the wrong type, deploy-time values where compile-time ones are
//! needed, broken constraints and bad arguments.

use super::words::*;
use crate::check::decorators::{ConstrainedValue, DecoratorKind, LengthUnit, Violation};
use crate::diagnostics::{Code, Diagnostic, Label};
use crate::schema::validate::pattern::{Invalid, InvalidReason, Unsupported};
use crate::source::Span;

pub fn type_mismatch(span: Span, expected: &str, found: &str) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        format!("expected {expected}, found {found}"),
        Label::new(span, format!("this is {found}")),
    )
}

/// A value of the wrong type somewhere in a construct property.
pub fn construct_property_type_mismatch(
    span: Span,
    expected: &dyn std::fmt::Display,
    found: &dyn std::fmt::Display,
    property: &str,
    path: &str,
    construct: &str,
) -> Diagnostic {
    let place = property_path(property, path);
    type_mismatch(span, &expected.to_string(), &found.to_string()).with_note(format!("for `{place}` of `{construct}`"))
}

/// `@when(5)`, `@assert("yes", "...")`.
pub(crate) fn decorator_condition_not_boolean(span: Span, kind: DecoratorKind, found: &str) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        format!("expected a boolean, found {found}"),
        Label::new(span, format!("this is {found}")),
    )
    .with_note(format!("`@{}` takes a condition", kind.name()))
}

pub fn depends_on_not_a_name(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        "expected a resource name, found an expression",
        Label::new(span, "this is an expression"),
    )
    .with_help("name the resources or construct instances to wait for: `@depends_on(queue, bucket)`")
}

/// What a call with the wrong number of arguments calls.
#[derive(Clone, Copy, Debug)]
pub enum Callee<'a> {
    /// A built-in function, by name: `join`.
    Function(&'a str),
    /// A decorator, by name without the `@`: `deletion_policy`.
    Decorator(&'a str),
}

/// `found` arguments given where `min` to `max` are taken (`max` is `None`
/// when there is no upper bound).
pub fn argument_count(span: Span, callee: Callee, min: usize, max: Option<usize>, found: usize) -> Diagnostic {
    let arguments = |n: usize| if n == 1 { "1 argument".to_string() } else { format!("{n} arguments") };
    let expected = match max {
        Some(0) => "no arguments".to_string(),
        Some(max) if max == min => arguments(max),
        Some(max) if min == 0 => format!("at most {}", arguments(max)),
        Some(max) if max == min + 1 => format!("{min} or {max} arguments"),
        Some(max) => format!("{min} to {max} arguments"),
        None => format!("at least {}", arguments(min)),
    };
    let (shown, help) = match callee {
        Callee::Function(name) => (name.to_string(), Some(format!("`infrac explain {name}` shows how to call it"))),
        Callee::Decorator(name) => (format!("@{name}"), None),
    };
    Diagnostic::new(
        Code::WrongArgumentCount,
        format!("`{shown}` takes {expected}, but {found} {} given", if found == 1 { "was" } else { "were" }),
        Label::new(span, arguments(found)),
    )
    .with_help_opt(help)
}

/// `origin` says what makes the value deploy-time: "the parameter `count`".
pub fn not_compile_time(span: Span, needed_for: &str, origin: Option<&str>) -> Diagnostic {
    let label = match origin {
        Some(origin) => format!("depends on {origin}, known only at deploy time"),
        None => "known only at deploy time".to_string(),
    };
    Diagnostic::new(Code::NotCompileTime, format!("{needed_for} must be known at compile time"), Label::new(span, label))
        .with_help("use a literal or a `let` here; parameters and resource attributes are only known when CloudFormation deploys the stack")
}

pub(crate) fn decorator_argument_not_compile_time(span: Span, kind: DecoratorKind, origin: Option<&str>) -> Diagnostic {
    not_compile_time(span, &format!("the argument of `@{}`", kind.name()), origin)
}

fn violation_phrase(violation: &Violation) -> String {
    let count = |n: usize, unit: LengthUnit| match (unit, n) {
        (LengthUnit::Characters, 1) => "1 character".to_string(),
        (LengthUnit::Characters, n) => format!("{n} characters"),
        (LengthUnit::Items, 1) => "1 item".to_string(),
        (LengthUnit::Items, n) => format!("{n} items"),
    };
    match violation {
        Violation::NotAllowed { .. } => "is not one of the allowed values".to_string(),
        Violation::BelowMinimum { minimum } => format!("is less than the minimum {minimum}"),
        Violation::AboveMaximum { maximum } => format!("is greater than the maximum {maximum}"),
        Violation::TooShort { length, minimum, unit } => format!("has {}, fewer than {minimum}", count(*length, *unit)),
        Violation::TooLong { length, maximum, unit } => format!("has {}, more than {maximum}", count(*length, *unit)),
        Violation::NoMatch { .. } => "does not match the pattern".to_string(),
    }
}

/// A parameter's default, or an instance's property, that breaks one of
/// the parameter's constraints.
pub(crate) fn constraint_violated(
    span: Span,
    whose: ConstrainedValue,
    violation: &Violation,
    constraint: Span,
) -> Diagnostic {
    let (message, subject, help) = match whose {
        ConstrainedValue::Default { param } => (
            format!("the default of `{param}` breaks its own constraint"),
            "this default",
            "change the default or the constraint; CloudFormation rejects such a template",
        ),
        ConstrainedValue::Argument { param } => (
            format!("the value of `{param}` breaks the construct's constraint"),
            "this value",
            "change the value, or the construct's constraint",
        ),
    };
    let diagnostic = Diagnostic::new(
        Code::DefaultViolatesConstraint,
        message,
        Label::new(span, format!("{subject} {}", violation_phrase(violation))),
    )
    .with_secondary(constraint, "constraint declared here");
    let diagnostic = match violation {
        Violation::NotAllowed { allowed } => {
            let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
            diagnostic.with_note(format!("the allowed values are {}", quote_list(&allowed)))
        }
        Violation::NoMatch { pattern } => {
            diagnostic.with_note(format!("the pattern `{pattern}` must match the whole value"))
        }
        _ => diagnostic,
    };
    diagnostic.with_help(help)
}

/// What a decorator's argument should have been.
#[derive(Clone, Copy, Debug)]
pub enum ExpectedArgument {
    String,
    Number,
    WholeNumber,
    ScalarList,
    TagObject,
    OverridePath,
    PropertyObject,
}

fn expected_argument(expected: ExpectedArgument) -> &'static str {
    match expected {
        ExpectedArgument::String => "a string",
        ExpectedArgument::Number => "a number",
        ExpectedArgument::WholeNumber => "a whole number of at least 0",
        ExpectedArgument::ScalarList => "a list of strings or numbers",
        ExpectedArgument::TagObject => "an object of tags",
        ExpectedArgument::OverridePath => "the path of a resource inside the instance",
        ExpectedArgument::PropertyObject => "an object of properties",
    }
}

pub(crate) fn decorator_argument_type(
    span: Span,
    kind: DecoratorKind,
    expected: ExpectedArgument,
    found: &str,
) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidDecoratorArgument,
        format!("invalid argument to `@{}`", kind.name()),
        Label::new(span, format!("expected {}, found {found}", expected_argument(expected))),
    )
}

pub(crate) fn decorator_argument_not_one_of(
    span: Span,
    kind: DecoratorKind,
    choices: &[&str],
    suggestion: Option<&str>,
) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidDecoratorArgument,
        format!("invalid argument to `@{}`", kind.name()),
        Label::new(span, format!("must be one of {}", quote_list(choices))),
    )
    .with_help_opt(suggestion.map(|s| format!("did you mean `\"{s}\"`?")))
}

pub fn logical_id_not_literal(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidDecoratorArgument,
        "invalid argument to `@logical_id`",
        Label::new(span, "not a plain string"),
    )
    .with_help("write the logical ID itself, such as `@logical_id(\"Data\")`: it is fixed before anything is evaluated")
}

pub fn deploy_time_condition_on_instance(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidDecoratorArgument,
        "invalid argument to `@when`",
        Label::new(span, "on a construct instance, the condition must be known at compile time"),
    )
    .with_help("put `@when` on the resources inside the construct, and pass the condition as a property")
}

pub fn allowed_on_bool(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidDecoratorArgument,
        "invalid argument to `@allowed`",
        Label::new(span, "a `bool` parameter already allows only true and false"),
    )
    .with_help("remove `@allowed`")
}

pub(crate) fn constraint_not_applicable(span: Span, kind: DecoratorKind) -> Diagnostic {
    let reason = match kind {
        DecoratorKind::Min | DecoratorKind::Max => "only `number` parameters have a minimum or maximum",
        DecoratorKind::MinLength | DecoratorKind::MaxLength => "only `string` and list parameters have a length limit",
        _ => "only `string` parameters (and lists of strings) have a pattern",
    };
    Diagnostic::new(
        Code::InvalidDecoratorArgument,
        format!("`@{}` does not apply to this parameter", kind.name()),
        Label::new(span, reason),
    )
    .with_help("remove the decorator, or change the parameter's type")
}

pub fn negative_index(span: Span, index: i64) -> Diagnostic {
    Diagnostic::new(Code::IndexOutOfRange, format!("index {index} is negative"), Label::new(span, "out of range"))
        .with_help("indexes count from 0")
}

pub fn index_out_of_range(span: Span, index: i64, len: usize) -> Diagnostic {
    Diagnostic::new(
        Code::IndexOutOfRange,
        format!("index {index} is out of range for a list of {len} items"),
        Label::new(span, "out of range"),
    )
    .with_help(if len == 0 {
        "the list is empty".to_string()
    } else {
        format!("valid indexes are 0 to {}", len - 1)
    })
}

pub(crate) fn invalid_pattern(span: Span, invalid: &Invalid) -> Diagnostic {
    let reason = match invalid.reason {
        InvalidReason::UnclosedClass => "a `[` class is never closed".to_string(),
        InvalidReason::UnclosedGroup => "a `(` group is never closed".to_string(),
        InvalidReason::UnmatchedParenthesis => "a `)` closes no group".to_string(),
        InvalidReason::NothingToRepeat => "a `*`, `+` or `?` follows nothing it can repeat".to_string(),
        InvalidReason::BadRepetition => "a `{` starts no repetition such as `{2}` or `{1,3}`".to_string(),
        InvalidReason::BadRange => "a range runs backwards, or ends in a class such as `\\w`".to_string(),
        InvalidReason::UnknownEscape(c) => format!("`\\{c}` is not an escape Java knows"),
        InvalidReason::BadEscape => "a malformed `\\x`, `\\u`, `\\0` or `\\c` escape, or a `\\` at the end".to_string(),
    };
    Diagnostic::new(Code::InvalidPattern, "invalid regular expression", Label::new(span, reason))
        .with_note(format!(
            "at character {} of the pattern; CloudFormation reads `@pattern` as a Java regular expression",
            invalid.at + 1
        ))
        .with_help("in an infra string a backslash is written twice: the pattern `\\d+` is `\"\\\\d+\"`")
}

pub fn unknown_parameter_type(span: Span, name: &str, suggestion: Option<&str>) -> Diagnostic {
    Diagnostic::new(Code::UnknownParameterType, format!("unknown parameter type `{name}`"), Label::new(span, "not a parameter type"))
        .with_note("parameter types are `string`, `number`, `bool`, `list<string>`, `list<number>` and CloudFormation's own, such as `AWS::EC2::VPC::Id`")
        .with_help_opt(did_you_mean(suggestion))
}

pub fn duplicate_key(span: Span, key: &str, first: Span) -> Diagnostic {
    Diagnostic::new(Code::DuplicateKey, format!("key `{key}` is set twice"), Label::new(span, "set again here"))
        .with_secondary(first, "first set here")
        .with_help("remove one of them")
}

pub fn range_too_large(span: Span, len: i64, limit: i64) -> Diagnostic {
    Diagnostic::new(
        Code::RangeTooLarge,
        format!("`range` of {len} items is too large"),
        Label::new(span, format!("more than {limit} items")),
    )
    .with_note("a CloudFormation template holds at most 500 resources")
    .with_help("use a smaller range")
}

pub fn assertion_failed(span: Span, label: &str, message: &str, assertion: Span) -> Diagnostic {
    Diagnostic::new(Code::AssertionFailed, message.to_string(), Label::new(span, label.to_string()))
        .with_secondary(assertion, "the construct's assertion")
        .with_help("change the value to one the construct accepts")
}

pub fn invalid_argument(span: Span, function: &str, problem: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidArgument,
        format!("invalid arguments to `{function}`"),
        Label::new(span, problem.to_string()),
    )
    .with_help(format!("`infrac explain E0312` describes what `{function}` accepts"))
}

pub(crate) fn unchecked_pattern(span: Span, why: &Unsupported) -> Diagnostic {
    let label = match why {
        Unsupported::Construct(construct) => format!("infrac cannot evaluate `{construct}`"),
        Unsupported::Engine => "infrac cannot evaluate this pattern".to_string(),
    };
    Diagnostic::new(Code::UncheckedConstraint, "`@pattern` is not checked at compile time", Label::new(span, label))
        .with_note("CloudFormation still checks values against it (`AllowedPattern`) when the stack deploys")
        .with_help("a value that does not match fails the deployment, not the build")
}

/// `@min_length` or `@max_length` on a list parameter left to CloudFormation.
pub fn list_length_not_checked_at_deploy(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UncheckedConstraint,
        "CloudFormation does not bound the length of a list parameter",
        Label::new(span, "checked on the default only"),
    )
    .with_note("a list given when the stack deploys is not checked against it")
    .with_help("set the property in the stack's properties to have it checked at compile time")
}
