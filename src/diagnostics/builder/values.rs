//! `E03xx`: values of the wrong type, deploy-time values where compile-time ones are
//! needed, broken constraints and bad arguments.

use serde_json::Number;

use super::words::*;
use crate::diagnostics::facts::{
    ArithmeticFault, Callee, CidrProblem, CompileTimeNeed, ConstrainedValue, ConstraintFamily, Expected, Kind,
    LengthUnit, Origin, Violation,
};
use crate::diagnostics::{Code, Diagnostic, Label};
use crate::schema::validate::pattern::{Invalid, InvalidReason, Unsupported};
use crate::source::Span;

/// A value of kind `found` where `expected` is wanted.
pub fn type_mismatch(span: Span, expected: impl Into<Expected>, found: &Kind) -> Diagnostic {
    mismatch(span, &expected_phrase(&expected.into()), &kind_phrase(found))
}

fn mismatch(span: Span, expected: &str, found: &str) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        format!("expected {expected}, found {found}"),
        Label::new(span, format!("this is {found}")),
    )
}

/// A number literal too large to hold.
pub fn number_literal_out_of_range(span: Span) -> Diagnostic {
    mismatch(span, "a number", "a number out of range")
}

/// A construct's name where a value is wanted.
pub fn construct_as_value(span: Span, construct: &str) -> Diagnostic {
    mismatch(span, "a value", &format!("the construct `{construct}`"))
}

/// A fraction used as a list position.
pub fn fractional_index(span: Span) -> Diagnostic {
    mismatch(span, "a whole number", "a fraction")
}

/// A `lookup` table written in place: its mapping is named after the `let`
/// that holds it.
pub fn lookup_table_not_a_name(span: Span) -> Diagnostic {
    mismatch(span, "the name of a `let` holding the table", "an expression")
}

/// An output whose value is not a string.
pub fn output_not_a_string(span: Span, found: &Kind) -> Diagnostic {
    type_mismatch(span, Kind::String, found)
        .with_help("CloudFormation outputs are strings; for a list, use `join(\",\", ...)`")
}

/// A value of the wrong type somewhere in a construct property.
pub fn construct_property_type_mismatch(
    span: Span,
    expected: &Kind,
    found: &Kind,
    property: &str,
    path: &str,
    construct: &str,
) -> Diagnostic {
    let place = property_path(property, path);
    type_mismatch(span, expected.clone(), found).with_note(format!("for `{place}` of `{construct}`"))
}

/// `@when(5)`, `@assert("yes", "...")`.
pub fn decorator_condition_not_boolean(span: Span, decorator: &str, found: &Kind) -> Diagnostic {
    type_mismatch(span, Kind::Bool, found).with_note(format!("`@{decorator}` takes a condition"))
}

pub fn depends_on_not_a_name(span: Span) -> Diagnostic {
    mismatch(span, "a resource name", "an expression")
        .with_help("name the resources or construct instances to wait for: `@depends_on(queue, bucket)`")
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
    let (shown, help, declared) = match callee {
        Callee::Function(name) => {
            (name.to_string(), Some(format!("`infrac explain {name}` shows how to call it")), None)
        }
        Callee::Decorator(name) => (format!("@{name}"), None, None),
        Callee::UserFunction(name, declared) => (name.to_string(), None, Some(declared)),
    };
    let diagnostic = Diagnostic::new(
        Code::WrongArgumentCount,
        format!("`{shown}` takes {expected}, but {found} {} given", if found == 1 { "was" } else { "were" }),
        Label::new(span, arguments(found)),
    )
    .with_help_opt(help);
    match declared {
        Some(declared) => diagnostic.with_secondary(declared, "declared here"),
        None => diagnostic,
    }
}

/// A deploy-time value, which comes from `origin` where that is known,
/// where only a compile-time one will do.
pub fn not_compile_time(span: Span, need: CompileTimeNeed, origin: Option<Origin>) -> Diagnostic {
    let label = match origin {
        Some(origin) => format!("depends on {}, known only at deploy time", origin_phrase(&origin)),
        None => "known only at deploy time".to_string(),
    };
    Diagnostic::new(
        Code::NotCompileTime,
        format!("{} must be known at compile time", need_phrase(need)),
        Label::new(span, label),
    )
    .with_help("use a literal or a `let` here; parameters and resource attributes are only known when CloudFormation deploys the stack")
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
pub fn constraint_violated(span: Span, whose: ConstrainedValue, violation: &Violation, constraint: Span) -> Diagnostic {
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

/// A decorator's argument of kind `found` where `expected` is wanted.
pub fn decorator_argument_type(span: Span, decorator: &str, expected: impl Into<Expected>, found: &Kind) -> Diagnostic {
    invalid_decorator_argument(
        span,
        decorator,
        format!("expected {}, found {}", expected_phrase(&expected.into()), kind_phrase(found)),
    )
}

/// A length bound (`@min_length(1.5)`) that is not a whole number of at least 0.
pub fn length_bound_not_whole(span: Span, decorator: &str, bound: &Number) -> Diagnostic {
    invalid_decorator_argument(span, decorator, format!("expected a whole number of at least 0, found {bound}"))
}

fn invalid_decorator_argument(span: Span, decorator: &str, label: String) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidDecoratorArgument,
        format!("invalid argument to `@{decorator}`"),
        Label::new(span, label),
    )
}

pub fn decorator_argument_not_one_of(
    span: Span,
    decorator: &str,
    choices: &[&str],
    suggestion: Option<&str>,
) -> Diagnostic {
    invalid_decorator_argument(span, decorator, format!("must be one of {}", quote_list(choices)))
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

/// A constraint decorator of `family` on a parameter of a type it does not
/// limit.
pub fn constraint_not_applicable(span: Span, decorator: &str, family: ConstraintFamily) -> Diagnostic {
    let reason = match family {
        ConstraintFamily::Bound => "only `number` parameters have a minimum or maximum",
        ConstraintFamily::Length => "only `string` and list parameters have a length limit",
        ConstraintFamily::Pattern => "only `string` parameters (and lists of strings) have a pattern",
    };
    Diagnostic::new(
        Code::InvalidDecoratorArgument,
        format!("`@{decorator}` does not apply to this parameter"),
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

pub fn invalid_pattern(span: Span, invalid: &Invalid) -> Diagnostic {
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

/// A construct's `@assert` on the parameter `param` that fails for an
/// instance; `message` is the assertion's own, when it has one. `set_here`:
/// the span is the property's value, not the whole body.
pub fn assertion_failed(span: Span, param: &str, set_here: bool, message: Option<&str>, assertion: Span) -> Diagnostic {
    let message = match message {
        Some(message) => message.to_string(),
        None => format!("`{param}` is not a value this construct accepts"),
    };
    // The rule is about the property when the instance sets it; otherwise
    // about properties set (or left out) together.
    let label = if set_here { format!("`{param}` is set here") } else { "for these properties".to_string() };
    Diagnostic::new(Code::AssertionFailed, message, Label::new(span, label))
        .with_secondary(assertion, "the construct's assertion")
        .with_help("change the value to one the construct accepts")
}

/// A construct's `@expect` on the parameter `param` that an instance does
/// not meet: a warning, worded like a failed `@assert`.
pub fn expectation_unmet(
    span: Span,
    param: &str,
    set_here: bool,
    message: Option<&str>,
    expectation: Span,
) -> Diagnostic {
    let message = match message {
        Some(message) => message.to_string(),
        None => format!("`{param}` is not a value this construct advises"),
    };
    let label = if set_here { format!("`{param}` is set here") } else { "for these properties".to_string() };
    Diagnostic::new(Code::ExpectationUnmet, message, Label::new(span, label))
        .with_secondary(expectation, "the construct's expectation")
        .with_help("follow the construct's advice, or keep the value if you mean it: the build goes on")
}

/// A stack parameter's `@assert` that is false whatever the parameter's
/// value: CloudFormation would refuse every deployment.
pub fn parameter_assertion_failed(span: Span, param: &str, message: Option<&str>) -> Diagnostic {
    let message = match message {
        Some(message) => message.to_string(),
        None => format!("the assertion on `{param}` never holds"),
    };
    Diagnostic::new(Code::AssertionFailed, message, Label::new(span, "false whatever the parameter's value"))
        .with_help("change the values it compares; CloudFormation would refuse every deployment")
}

/// Arguments of `cidr` (by its name, `function`) that describe no subnets.
pub fn invalid_cidr_arguments(span: Span, function: &str, problem: &CidrProblem) -> Diagnostic {
    let label = match problem {
        CidrProblem::NotABlock(block) => format!("`{block}` is not a CIDR block"),
        CidrProblem::NotIpv4(block) => format!("`{block}` is not an IPv4 CIDR block"),
        CidrProblem::BadPrefix(block) => format!("`{block}` has no valid prefix"),
        CidrProblem::CountOrBitsOutOfRange => "the count must be 1 to 256 and the host bits 0 to 32".to_string(),
        CidrProblem::SubnetsLargerThanBlock { block, host_bits } => {
            format!("subnets with {host_bits} host bits are larger than `{block}`")
        }
        CidrProblem::TooFewSubnets { block, available, host_bits, count } => {
            format!("`{block}` holds only {available} subnets with {host_bits} host bits, not {count}")
        }
    };
    Diagnostic::new(Code::InvalidArgument, format!("invalid arguments to `{function}`"), Label::new(span, label))
        .with_help(format!("`infrac explain E0312` describes what `{function}` accepts"))
}

/// A setting `function` does not take, in its settings object; `known`
/// are the ones it does.
pub fn unknown_setting(span: Span, function: &str, key: &str, known: &[&str]) -> Diagnostic {
    let label = format!("`{key}` is not a setting of `{function}`");
    Diagnostic::new(Code::InvalidArgument, format!("invalid arguments to `{function}`"), Label::new(span, label))
        .with_note(format!("its settings are {}", super::words::quote_list(known)))
}

pub fn unchecked_pattern(span: Span, why: &Unsupported) -> Diagnostic {
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

/// `file(path)` whose path is not a plain string: files are read before
/// anything is evaluated.
pub fn file_path_not_plain(span: Span, function: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidArgument,
        format!("invalid argument to `{function}`"),
        Label::new(span, "not a plain string"),
    )
    .with_help("write the path itself, such as `\"./userdata.sh\"`: files are read before anything is evaluated")
}

/// `a / 0`, or a result too large to hold.
pub fn arithmetic_error(span: Span, operator: &str, fault: ArithmeticFault) -> Diagnostic {
    let (message, label, help) = match fault {
        ArithmeticFault::DivisionByZero => {
            (format!("`{operator}` by zero"), "this is zero", "divide by a number other than zero")
        }
        ArithmeticFault::Overflow => (
            format!("the result of `{operator}` is too large"),
            "too large to compute",
            "use smaller numbers: whole numbers go up to 2^63 - 1",
        ),
    };
    Diagnostic::new(Code::InvalidArithmetic, message, Label::new(span, label)).with_help(help)
}

/// `number("abc")`: text that spells no number.
pub fn not_a_number_text(span: Span, function: &str, text: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidArgument,
        format!("invalid argument to `{function}`"),
        Label::new(span, format!("`{text}` is not a number")),
    )
    .with_help("give text that spells a number, such as `\"24\"` or `\"0.5\"`")
}

/// `from_json(text)` whose text is not JSON; `problem` is the parser's
/// account of where and why.
pub fn invalid_json(span: Span, function: &str, problem: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidArgument,
        format!("invalid argument to `{function}`"),
        Label::new(span, format!("not JSON: {problem}")),
    )
    .with_help("give the text of one JSON document")
}

/// `from_yaml(text)` whose text is not a YAML document infrac reads
/// (invalid YAML, a tag, an alias, a repeated key); `problem` says what and
/// at which line and column of the text.
pub fn invalid_yaml(span: Span, function: &str, problem: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidYaml,
        format!("invalid YAML given to `{function}`"),
        Label::new(span, format!("not YAML that infrac reads: {problem}")),
    )
    .with_help("give the text of one YAML document without tags (`!Ref`) or aliases (`*name`): write references in the program")
}

/// A function only rules have (`each_member_in`), called outside the
/// `@assert` of a parameter CloudFormation receives.
pub fn rule_function_outside_assert(span: Span, function: &str) -> Diagnostic {
    Diagnostic::new(
        Code::RuleFunctionOutsideAssert,
        format!("`{function}` is a rule function, called outside an `@assert`"),
        Label::new(span, "CloudFormation accepts it only in a rule's assertion"),
    )
    .with_note("a rule function is written in the `@assert` of a parameter CloudFormation receives, not in a `let` or function it reads")
    .with_help("move the call into the `@assert`")
}

/// `value_of(x, ...)` where `x` is not a parameter's name.
pub fn value_of_not_a_parameter(span: Span, function: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidArgument,
        format!("invalid argument to `{function}`"),
        Label::new(span, "not the name of a parameter"),
    )
    .with_help("name the parameter whose resource's attribute the rule reads, such as `value_of(vpc, \"VpcId\")`")
}
