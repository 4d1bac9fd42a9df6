//! One constructor per diagnostic: every message the compiler prints is
//! worded here, so wording can be reviewed in one place.
//!
//! Messages are terse and lowercase; the primary label says what is wrong at
//! the spot; `help` says what to do.

use super::{Code, Diagnostic, Label};
use crate::check::decorators::{ConstrainedValue, DecoratorKind, LengthUnit, Place, Violation};
use crate::schema::validate::pattern::{Invalid, InvalidReason, Unsupported};
use crate::source::Span;

fn did_you_mean(suggestion: Option<&str>) -> Option<String> {
    suggestion.map(|s| format!("did you mean `{s}`?"))
}

// --- E01xx: lexer and syntax -------------------------------------------------

pub fn syntax_error(span: Span, found: &str, expected: &[String], context: Option<(&str, Span)>) -> Diagnostic {
    let label = match expected {
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

pub fn unterminated_string(span: Span) -> Diagnostic {
    Diagnostic::new(Code::UnterminatedString, "unterminated string", Label::new(span, "this string is never closed"))
        .with_help("close the string with `\"` on the same line, or use `\"\"\"` for a multi-line string")
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

// --- E02xx: names and references ---------------------------------------------

pub fn undefined_name(span: Span, name: &str, suggestion: Option<&str>) -> Diagnostic {
    let label = match suggestion {
        Some(s) => format!("not found; did you mean `{s}`?"),
        None => "not found in this stack".to_string(),
    };
    Diagnostic::new(Code::UndefinedName, format!("cannot find `{name}`"), Label::new(span, label))
        .with_help_opt(did_you_mean(suggestion))
}

pub fn duplicate_declaration(span: Span, name: &str, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateDeclaration,
        format!("`{name}` is declared twice"),
        Label::new(span, "declared again here"),
    )
    .with_secondary(first, "first declared here")
    .with_help("rename one of them")
}

/// `cycle` lists each member's name and span, in reference order.
pub fn reference_cycle(cycle: &[(String, Span)]) -> Diagnostic {
    let mut path: Vec<&str> = cycle.iter().map(|(name, _)| name.as_str()).collect();
    path.push(&cycle[0].0);
    let path = path.join(" -> ");
    let mut diagnostic = Diagnostic::new(
        Code::ReferenceCycle,
        format!("reference cycle: {path}"),
        Label::new(cycle[0].1, "this declaration depends on itself"),
    );
    for (i, (name, span)) in cycle.iter().enumerate().skip(1) {
        let next = &cycle[(i + 1) % cycle.len()].0;
        diagnostic = diagnostic.with_secondary(*span, format!("`{name}` depends on `{next}`"));
    }
    diagnostic.with_help("break the cycle: one of these must not refer to the next")
}

pub fn unknown_function(span: Span, name: &str, suggestion: Option<&str>, known: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownFunction,
        format!("unknown function `{name}`"),
        Label::new(span, "not a built-in function"),
    )
    .with_note(format!("the built-in functions are {}", quote_list(known)))
    .with_help_opt(did_you_mean(suggestion))
}

// --- Decorators (E0205, E0301 to E0307, W0301) ---------------------------------

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

fn place_noun(place: Place) -> &'static str {
    match place {
        Place::StackParam => "stack parameter",
        Place::ConstructParam => "construct parameter",
        Place::Let => "let",
        Place::Resource => "resource",
        Place::Instance => "construct instance",
        Place::StackOutput => "stack output",
        Place::ConstructOutput => "construct output",
        Place::Stack => "stack",
        Place::Construct => "construct",
        Place::Import => "import",
    }
}

/// "stacks and construct instances"; "parameters" for both kinds of parameter.
pub(crate) fn places_plural(places: &[Place]) -> String {
    let mut words: Vec<String> = Vec::new();
    for place in places {
        let word = match place {
            Place::StackParam | Place::ConstructParam
                if places.contains(&Place::StackParam) && places.contains(&Place::ConstructParam) =>
            {
                "parameters".to_string()
            }
            Place::StackOutput | Place::ConstructOutput
                if places.contains(&Place::StackOutput) && places.contains(&Place::ConstructOutput) =>
            {
                "outputs".to_string()
            }
            place => format!("{}s", place_noun(*place)),
        };
        if !words.contains(&word) {
            words.push(word);
        }
    }
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

fn allowed_note(place: Place, allowed: &[DecoratorKind]) -> String {
    if allowed.is_empty() {
        format!("{} takes no decorators", with_article(place_noun(place)))
    } else {
        let names: Vec<String> = allowed.iter().map(|kind| format!("@{}", kind.name())).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        format!("decorators allowed on {}: {}", with_article(place_noun(place)), quote_list(&names))
    }
}

pub(crate) fn unknown_decorator(
    span: Span,
    name: &str,
    place: Place,
    allowed: &[DecoratorKind],
    suggestion: Option<&str>,
) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownDecorator,
        format!("unknown decorator `@{name}` on {}", with_article(place_noun(place))),
        Label::new(span, "not a decorator"),
    )
    .with_note(allowed_note(place, allowed))
    .with_help_opt(suggestion.map(|s| format!("did you mean `@{s}`?")))
}

pub(crate) fn misplaced_decorator(
    span: Span,
    kind: DecoratorKind,
    place: Place,
    allowed: &[DecoratorKind],
) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownDecorator,
        format!(
            "`@{}` does not apply to {}; it applies to {}",
            kind.name(),
            with_article(place_noun(place)),
            places_plural(kind.places())
        ),
        Label::new(span, "not allowed here"),
    )
    .with_note(allowed_note(place, allowed))
    .with_help("remove it, or move it to a declaration it applies to")
}

pub(crate) fn duplicate_decorator(span: Span, kind: DecoratorKind, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownDecorator,
        format!("decorator `@{}` is used twice", kind.name()),
        Label::new(span, "used again here"),
    )
    .with_secondary(first, "first used here")
    .with_help("remove one of them")
}

pub fn second_primary_output(span: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownDecorator,
        "`@primary` is on two outputs of the construct",
        Label::new(span, "a second primary output"),
    )
    .with_secondary(first, "the construct's primary output")
    .with_note("an instance stands for one value where a value is expected")
    .with_help("keep `@primary` on one output")
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

pub(crate) fn decorator_argument_not_compile_time(span: Span, kind: DecoratorKind, origin: Option<&str>) -> Diagnostic {
    not_compile_time(span, &format!("the argument of `@{}`", kind.name()), origin)
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

pub fn unknown_construct(span: Span, path: &str, suggestion: Option<&str>) -> Diagnostic {
    let label = match suggestion {
        Some(s) => format!("no construct by this name; did you mean `{s}`?"),
        None => "no construct by this name".to_string(),
    };
    Diagnostic::new(Code::UnknownResourceType, format!("unknown construct `{path}`"), Label::new(span, label))
        .with_help(match suggestion {
            Some(s) => format!("did you mean `{s}`? `infrac explain {s}` shows it"),
            None => "use a construct of the standard library (`infrac explain s3.Bucket` shows one) or a CloudFormation type such as `AWS::S3::Bucket`".to_string(),
        })
}

pub fn unknown_resource_type(span: Span, name: &str, suggestion: Option<&str>) -> Diagnostic {
    let label = match suggestion {
        Some(s) => format!("no such type; did you mean `{s}`?"),
        None => "not a CloudFormation resource type".to_string(),
    };
    Diagnostic::new(Code::UnknownResourceType, format!("unknown resource type `{name}`"), Label::new(span, label))
        .with_help(match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => {
                "`infrac explain AWS::S3::Bucket` shows a type; custom resources are named `Custom::Name`".to_string()
            }
        })
}

pub fn unknown_pseudo_parameter(span: Span, name: &str, suggestion: Option<&str>, known: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownMember,
        format!("`aws` has no member `{name}`"),
        Label::new(span, "unknown pseudo parameter"),
    )
    .with_note(format!("the pseudo parameters are {}", quote_list(known)))
    .with_help_opt(suggestion.map(|s| format!("did you mean `aws.{s}`?")))
}

pub fn unknown_key(span: Span, key: &str, suggestion: Option<&str>, known: &[&str]) -> Diagnostic {
    Diagnostic::new(Code::UnknownMember, format!("no key `{key}` in this object"), Label::new(span, "unknown key"))
        .with_note(format!("the object has {}", quote_list(known)))
        .with_help_opt(did_you_mean(suggestion))
}

pub fn unknown_output(
    span: Span,
    instance: &str,
    construct: &str,
    output: &str,
    suggestion: Option<&str>,
    known: &[&str],
) -> Diagnostic {
    let note = if known.is_empty() {
        format!("`{construct}` declares no outputs")
    } else {
        format!("the outputs of `{construct}` are {}", quote_list(known))
    };
    Diagnostic::new(
        Code::UnknownMember,
        format!("`{instance}` has no output `{output}`"),
        Label::new(span, format!("not an output of `{construct}`")),
    )
    .with_note(note)
    .with_help_opt(did_you_mean(suggestion))
}

pub fn namespace_as_value(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownMember,
        format!("`{name}` is a namespace, not a value"),
        Label::new(span, "needs a member"),
    )
    .with_help(format!("use one of its members, such as `{name}.region`"))
}

pub fn not_a_resource(span: Span, name: &str, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NotAResource,
        format!("`{name}` is not a resource"),
        Label::new(span, format!("this is a {what}")),
    )
    .with_help("`@depends_on` takes resource names")
}

pub fn disabled_resource(span: Span, name: &str, when: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DisabledResource,
        format!("`{name}` is left out of the template"),
        Label::new(span, "referenced here"),
    )
    .with_secondary(when, "this condition is always false")
    .with_help("remove the reference, or make the condition true")
}

pub fn condition_on_resource(span: Span, logical_id: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ConditionOnResource,
        "a deploy-time condition cannot depend on a resource",
        Label::new(span, format!("refers to the resource `{logical_id}`")),
    )
    .with_note("CloudFormation decides its conditions from parameters before it creates any resource")
    .with_help("compare parameters or pseudo parameters such as `aws.region` instead")
}

pub fn condition_on_import(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::CrossStackValue,
        "a deploy-time condition cannot depend on another stack",
        Label::new(span, "imported from another stack"),
    )
    .with_note("CloudFormation does not allow `Fn::ImportValue` in conditions")
    .with_help("give this stack a parameter for the value, or decide at compile time")
}

pub fn import_not_found(span: Span, path: &str, error: &str) -> Diagnostic {
    Diagnostic::new(Code::ImportNotFound, format!("cannot import `{path}`"), Label::new(span, error.to_string()))
        .with_help("import paths are relative to the importing file, like `\"./lib/network.infra\"`")
}

/// `cycle` lists the files in import order.
pub fn import_cycle(span: Span, cycle: &[String]) -> Diagnostic {
    let mut path = cycle.to_vec();
    path.push(cycle[0].clone());
    Diagnostic::new(
        Code::ImportCycle,
        format!("import cycle: {}", path.join(" -> ")),
        Label::new(span, "this import closes the cycle"),
    )
    .with_help("move what both files need into a third file that both import")
}

pub fn import_outside_root(span: Span, path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::ImportOutsideRoot,
        format!("`{path}` is outside the project"),
        Label::new(span, "leaves the project folder"),
    )
    .with_note("the project is the folder of the file named on the command line")
    .with_help("move the library into the project folder")
}

pub fn unconditional_reference(span: Span, name: &str, condition: &str, resource_span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnconditionalReference,
        format!("`{name}` exists only when `{condition}` is true"),
        Label::new(span, "refers to it whatever the condition"),
    )
    .with_secondary(resource_span, format!("created only when `{condition}` is true"))
    .with_help("give this declaration the same `@when`, or guard the reference with `cond ? value : aws.no_value`")
}

pub fn unknown_construct_property(
    span: Span,
    key: &str,
    construct: &str,
    construct_span: Span,
    suggestion: Option<&str>,
    known: &[&str],
) -> Diagnostic {
    let note = if known.is_empty() {
        format!("`{construct}` takes no properties")
    } else {
        format!("`{construct}` takes {}", quote_list(known))
    };
    Diagnostic::new(
        Code::UnknownConstructProperty,
        format!("`{construct}` has no property `{key}`"),
        Label::new(span, format!("sets `{key}`")),
    )
    .with_secondary(construct_span, format!("`{construct}` is declared here"))
    .with_note(note)
    .with_help_opt(did_you_mean(suggestion))
}

/// `ingress[0]`, as a user names a place inside a construct property.
fn property_path(property: &str, path: &str) -> String {
    format!("{property}{path}")
}

/// A field a record-typed construct property does not have.
pub fn unknown_record_field(
    span: Span,
    field: &str,
    property: &str,
    path: &str,
    construct: &str,
    suggestion: Option<&str>,
    fields: &[&str],
) -> Diagnostic {
    let place = property_path(property, path);
    let label = match suggestion {
        Some(s) => format!("unknown field; did you mean `{s}`?"),
        None => "unknown field".to_string(),
    };
    Diagnostic::new(
        Code::UnknownConstructProperty,
        format!("`{place}` of `{construct}` has no field `{field}`"),
        Label::new(span, label),
    )
    .with_note(format!("its fields are {}", quote_list(fields)))
    .with_help_opt(did_you_mean(suggestion))
}

/// Fields a record-typed construct property needs but was not given.
pub fn missing_record_fields(span: Span, property: &str, path: &str, construct: &str, missing: &[&str]) -> Diagnostic {
    let place = property_path(property, path);
    let plural = if missing.len() == 1 { "field" } else { "fields" };
    Diagnostic::new(
        Code::MissingConstructProperty,
        format!("`{place}` of `{construct}` is missing the {plural} {}", quote_list(missing)),
        Label::new(span, format!("needs {}", quote_list(missing))),
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

pub fn wrong_construct_kind(span: Span, key: &str, wanted: &str, found: &str, param_type_span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::WrongConstructKind,
        format!("`{key}` wants an instance of `{wanted}`, found {found}"),
        Label::new(span, format!("expected an instance of `{wanted}`")),
    )
    .with_secondary(param_type_span, format!("`{key}` is declared as `{wanted}` here"))
    .with_help(format!("pass a resource declared as `resource NAME: {wanted} {{ ... }}`"))
}

pub fn unknown_override_target(span: Span, path: &str, suggestion: Option<&str>, targets: &[&str]) -> Diagnostic {
    let diagnostic = Diagnostic::new(
        Code::UnknownOverrideTarget,
        format!("the instance creates no resource `{path}`"),
        Label::new(span, "overrides nothing"),
    );
    let diagnostic = if targets.is_empty() {
        diagnostic.with_note("the instance creates no CloudFormation resources")
    } else {
        diagnostic.with_note(format!("it creates {}", quote_list(targets)))
    };
    diagnostic.with_help_opt(did_you_mean(suggestion))
}

pub fn assertion_failed(span: Span, label: &str, message: &str, assertion: Span) -> Diagnostic {
    Diagnostic::new(Code::AssertionFailed, message.to_string(), Label::new(span, label.to_string()))
        .with_secondary(assertion, "the construct's assertion")
        .with_help("change the value to one the construct accepts")
}

pub fn missing_construct_properties(span: Span, construct: &str, construct_span: Span, missing: &[&str]) -> Diagnostic {
    let plural = if missing.len() == 1 { "property" } else { "properties" };
    Diagnostic::new(
        Code::MissingConstructProperty,
        format!("missing {plural} {} of `{construct}`", quote_list(missing)),
        Label::new(span, format!("needs {}", quote_list(missing))),
    )
    .with_secondary(construct_span, format!("`{construct}` is declared here"))
    .with_help("set them, or give the construct's parameters defaults")
}

pub fn outside_stack(span: Span, what: &str, in_entry: bool) -> Diagnostic {
    let (message, note) = if in_entry {
        (
            format!("a {what} outside a stack"),
            "this file declares `stack` blocks, so its top level holds only lets, constructs, imports and stacks",
        )
    } else {
        (
            format!("{} in a library file", with_article(what)),
            "an imported file holds only lets, constructs and imports",
        )
    };
    Diagnostic::new(Code::OutsideStack, message, Label::new(span, "not inside a `stack`"))
        .with_note(note)
        .with_help("move it into a `stack { }` block or a `construct`")
}

pub fn instance_as_value(span: Span, name: &str, construct: &str, outputs: &[&str]) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        Code::InstanceAsValue,
        format!("`{name}` is an instance of `{construct}`, not a value"),
        Label::new(span, "used as a value here"),
    );
    diagnostic = if outputs.is_empty() {
        diagnostic.with_note(format!("`{construct}` declares no outputs"))
    } else {
        diagnostic.with_note(format!("its outputs are {}", quote_list(outputs)))
    };
    diagnostic.with_help(match outputs.first() {
        Some(output) => format!("use one of its outputs, such as `{name}.{output}`"),
        None => "declare an `output` in the construct and use it".to_string(),
    })
}

pub fn cross_stack_value(span: Span, producer: &str, found: &str) -> Diagnostic {
    Diagnostic::new(
        Code::CrossStackValue,
        format!("{found} from the stack `{producer}` cannot be shared"),
        Label::new(span, "referenced from another stack"),
    )
    .with_note("stacks share values through exports, which hold strings and lists of strings")
    .with_help("share a string instead, for example a resource, an attribute or a parameter")
}

/// `cycle` lists each stack's name and span, in dependency order.
pub fn stack_cycle(cycle: &[(String, Span)]) -> Diagnostic {
    let mut path: Vec<&str> = cycle.iter().map(|(name, _)| name.as_str()).collect();
    path.push(&cycle[0].0);
    let mut diagnostic = Diagnostic::new(
        Code::StackCycle,
        format!("stacks depend on each other: {}", path.join(" -> ")),
        Label::new(cycle[0].1, "imports from a stack that imports from it"),
    );
    for (name, span) in cycle.iter().skip(1) {
        diagnostic = diagnostic.with_secondary(*span, format!("`{name}` is part of the cycle"));
    }
    diagnostic.with_help("CloudFormation cannot deploy either stack first: reference one way only")
}

// --- E03xx: types and values -------------------------------------------------

pub fn type_mismatch(span: Span, expected: &str, found: &str) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        format!("expected {expected}, found {found}"),
        Label::new(span, format!("this is {found}")),
    )
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

pub fn negative_index(span: Span, index: i64) -> Diagnostic {
    Diagnostic::new(Code::IndexOutOfRange, format!("index {index} is negative"), Label::new(span, "out of range"))
        .with_help("indexes count from 0")
}

pub fn not_callable(span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownFunction,
        "only built-in functions can be called",
        Label::new(span, "not a function name"),
    )
    .with_help("call a built-in function by its name, such as `join(\",\", list)`")
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

pub fn range_too_large(span: Span, len: i64, limit: i64) -> Diagnostic {
    Diagnostic::new(
        Code::RangeTooLarge,
        format!("`range` of {len} items is too large"),
        Label::new(span, format!("more than {limit} items")),
    )
    .with_note("a CloudFormation template holds at most 500 resources")
    .with_help("use a smaller range")
}

pub fn invalid_argument(span: Span, function: &str, problem: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidArgument,
        format!("invalid arguments to `{function}`"),
        Label::new(span, problem.to_string()),
    )
    .with_help(format!("`infrac explain E0312` describes what `{function}` accepts"))
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

// --- E05xx: CloudFormation rules -------------------------------------------------

pub fn logical_id_collision(span: Span, id: &str, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::LogicalIdCollision,
        format!("two declarations have the logical ID `{id}`"),
        Label::new(span, format!("becomes `{id}`")),
    )
    .with_secondary(first, format!("also becomes `{id}`"))
    .with_help("rename one of them, or give one a `@logical_id(\"...\")`")
}

pub fn invalid_logical_id(span: Span, name: &str, id: &str) -> Diagnostic {
    let message = if id.is_empty() {
        format!("`{name}` gives an empty logical ID")
    } else {
        format!("`{id}` is not a valid logical ID")
    };
    Diagnostic::new(Code::InvalidLogicalId, message, Label::new(span, "invalid logical ID"))
        .with_help("logical IDs are 1 to 255 ASCII letters and digits")
}

pub fn duplicate_stack(span: Span, name: &str, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateStack,
        format!("two stacks are named `{name}`"),
        Label::new(span, "this file's stack"),
    )
    .with_secondary(first, "has the same stack name")
    .with_help("stack names come from file names: rename one of the files")
}

pub fn empty_stack(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(
        Code::EmptyStack,
        format!("stack `{name}` has no resources"),
        Label::new(span, "this file declares no resource"),
    )
    .with_note("CloudFormation rejects a template without resources")
    .with_help("declare at least one `resource`")
}

// --- Warnings ------------------------------------------------------------------

pub fn unused_parameter(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(Code::UnusedParameter, format!("parameter `{name}` is never used"), Label::new(span, "unused"))
        .with_help("remove it, or use it in a resource or output")
}

/// "a resource", "an output".
fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {noun}")
}

/// `` `a`, `b` and `c` ``
pub fn quote_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

// --- E04xx: resource schemas ----------------------------------------------------

/// How many names a note lists before it counts the rest.
const LISTED_NAMES: usize = 12;

/// `` `a`, `b` and `c` ``, or the first dozen and "and N more".
fn quote_some(items: &[&str]) -> String {
    if items.len() <= LISTED_NAMES {
        return quote_list(items);
    }
    let shown: Vec<String> = items[..LISTED_NAMES].iter().map(|i| format!("`{i}`")).collect();
    format!("{} and {} more", shown.join(", "), items.len() - LISTED_NAMES)
}

/// `` `A` or `B` ``; an option of several names reads `` `A` with `B` ``.
fn quote_options(options: &[Vec<&str>]) -> String {
    let options: Vec<String> = options
        .iter()
        .filter(|option| !option.is_empty())
        .map(|option| option.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(" with "))
        .collect();
    match options.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// `at least 1`, `at most 63`, `between 1 and 63`.
fn bounds_text<T: std::fmt::Display + Copy>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(min), Some(max)) if min.to_string() == max.to_string() => format!("exactly {min}"),
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "within bounds".to_string(),
    }
}

/// `owner` is the type (`AWS::S3::Bucket`) or the path of the object that has no
/// such property; `explain` is what `infrac explain` takes for it.
pub fn unknown_property(
    span: Span,
    key: &str,
    explain: &str,
    suggestion: Option<&str>,
    allowed: &[&str],
) -> Diagnostic {
    let label = match suggestion {
        Some(s) => format!("unknown property; did you mean `{s}`?"),
        None => "unknown property".to_string(),
    };
    let note = if allowed.is_empty() {
        format!("`{explain}` takes no properties")
    } else {
        format!("`{explain}` takes {}", quote_some(allowed))
    };
    Diagnostic::new(Code::UnknownProperty, format!("`{explain}` has no property `{key}`"), Label::new(span, label))
        .with_note(note)
        .with_help(match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("`infrac explain {explain}` describes every property"),
        })
}

/// What would fix a value of the wrong type, when something simple would.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeHint {
    None,
    /// The value would do as the single item of a list.
    WrapInList,
    /// A list where one value is expected.
    OneValue,
    /// Tags written as an object where the type takes a list of `{ Key, Value }`.
    TagList,
}

/// `property` is the value's path in the resource (`VersioningConfiguration.Status`).
pub fn property_type_mismatch(span: Span, property: &str, expected: &str, found: &str, hint: TypeHint) -> Diagnostic {
    let help = match hint {
        TypeHint::None => None,
        TypeHint::WrapInList => Some("wrap it in a list: `[value]`"),
        TypeHint::OneValue => Some("give one value, not a list"),
        TypeHint::TagList => Some("this type takes tags as a list: `[{ Key: \"team\", Value: \"web\" }]`"),
    };
    Diagnostic::new(
        Code::PropertyTypeMismatch,
        format!("`{property}` expects {expected}, found {found}"),
        Label::new(span, format!("expected {expected}")),
    )
    .with_help_opt(help.map(str::to_string))
}

/// A deploy-time value (`origin`: "the parameter `subnets`") of the wrong kind.
pub fn deploy_type_mismatch(
    span: Span,
    property: &str,
    expected: &str,
    found: &str,
    origin: &str,
    expects_list: bool,
) -> Diagnostic {
    let help = if expects_list {
        "wrap it in a list (`[value]`), or split a comma-separated string with `split(\",\", value)`"
    } else if found == "a list" {
        "pick one item (`list[0]`) or join the items into one string (`join(\",\", list)`)"
    } else {
        "pass a value of the expected type"
    };
    Diagnostic::new(
        Code::PropertyTypeMismatch,
        format!("`{property}` expects {expected}, found {found}"),
        Label::new(span, format!("this is {origin}, {found}")),
    )
    .with_help(help)
}

/// `owner` is the type or the object's path; `explain` what `infrac explain` takes.
pub fn missing_required_properties(span: Span, owner: &str, explain: &str, missing: &[&str]) -> Diagnostic {
    let (noun, them) = if missing.len() == 1 { ("property", "it") } else { ("properties", "them") };
    Diagnostic::new(
        Code::MissingRequiredProperty,
        format!("`{owner}` is missing the required {noun} {}", quote_list(missing)),
        Label::new(span, format!("needs {}", quote_list(missing))),
    )
    .with_help(format!("add {them}; `infrac explain {explain}` describes {them}"))
}

pub fn missing_alternative(span: Span, owner: &str, explain: &str, options: &[Vec<&str>]) -> Diagnostic {
    Diagnostic::new(
        Code::RequiredAlternatives,
        format!("`{owner}` needs one of {}", quote_options(options)),
        Label::new(span, format!("needs one of {}", quote_options(options))),
    )
    .with_help(format!("add one of them; `infrac explain {explain}` describes them"))
}

/// `span` and `name` are the last of the conflicting keys; `earlier` the others.
pub fn conflicting_alternatives(
    span: Span,
    name: &str,
    owner: &str,
    options: &[Vec<&str>],
    earlier: &[(Span, &str)],
) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(
        Code::RequiredAlternatives,
        format!("`{owner}` takes only one of {}", quote_options(options)),
        Label::new(span, format!("`{name}` is set here")),
    );
    for (earlier_span, earlier_name) in earlier {
        diagnostic = diagnostic.with_secondary(*earlier_span, format!("`{earlier_name}` is set here too"));
    }
    diagnostic.with_help("keep one of them and remove the others")
}

pub fn dependent_required(span: Span, property: &str, missing: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::DependentProperty,
        format!("`{property}` also needs {}", quote_list(missing)),
        Label::new(span, format!("set here without {}", quote_list(missing))),
    )
    .with_help(format!("add {}, or remove `{property}`", quote_list(missing)))
}

pub fn dependent_excluded(span: Span, property: &str, other: &str, other_span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DependentProperty,
        format!("`{property}` cannot be set together with `{other}`"),
        Label::new(span, format!("`{property}` is set here")),
    )
    .with_secondary(other_span, format!("`{other}` is set here"))
    .with_help("remove one of them")
}

/// `readable`: the property is also an attribute, which is how to read it.
pub fn read_only_property(span: Span, property: &str, owner: &str, readable: bool) -> Diagnostic {
    let help = if readable {
        format!("remove it; where its value is needed, use the attribute: `<resource>.{property}`")
    } else {
        "remove it".to_string()
    };
    Diagnostic::new(
        Code::ReadOnlyProperty,
        format!("`{property}` of `{owner}` is read-only"),
        Label::new(span, "CloudFormation sets this; a template cannot"),
    )
    .with_help(help)
}

pub fn value_not_allowed(
    span: Span,
    property: &str,
    value: &str,
    allowed: &[&str],
    suggestion: Option<&str>,
) -> Diagnostic {
    let label = match suggestion {
        Some(s) => format!("not allowed; did you mean `{s}`?"),
        None => "not an allowed value".to_string(),
    };
    Diagnostic::new(Code::ValueNotAllowed, format!("`{value}` is not a valid `{property}`"), Label::new(span, label))
        .with_note(format!("`{property}` takes {}", quote_some(allowed).replace(" and ", " or ")))
        .with_help_opt(did_you_mean(suggestion))
}

pub fn number_out_of_range(span: Span, property: &str, value: &str, min: Option<f64>, max: Option<f64>) -> Diagnostic {
    let range = bounds_text(min, max);
    Diagnostic::new(
        Code::NumberOutOfRange,
        format!("`{property}` must be {range}, found {value}"),
        Label::new(span, format!("out of range: must be {range}")),
    )
}

pub fn length_out_of_range(span: Span, property: &str, length: u64, min: Option<u64>, max: Option<u64>) -> Diagnostic {
    let range = bounds_text(min, max);
    let plural = if length == 1 { "" } else { "s" };
    Diagnostic::new(
        Code::LengthOutOfRange,
        format!("`{property}` must be {range} characters long, found {length}"),
        Label::new(span, format!("{length} character{plural}")),
    )
}

pub fn item_count_out_of_range(
    span: Span,
    property: &str,
    count: u64,
    min: Option<u64>,
    max: Option<u64>,
) -> Diagnostic {
    let range = bounds_text(min, max);
    let plural = if count == 1 { "" } else { "s" };
    let noun = if max.or(min) == Some(1) { "item" } else { "items" };
    Diagnostic::new(
        Code::ItemCountOutOfRange,
        format!("`{property}` takes {range} {noun}, found {count}"),
        Label::new(span, format!("{count} item{plural}")),
    )
}

/// `names` lists the type's attributes (patterns as `Outputs.NAME`);
/// `ref_property`: what the resource's `Ref` returns, when that is what was meant.
pub fn unknown_attribute(
    span: Span,
    type_name: &str,
    attribute: &str,
    suggestion: Option<&str>,
    names: &[&str],
    ref_property: Option<&str>,
) -> Diagnostic {
    let label = match suggestion {
        Some(s) => format!("unknown attribute; did you mean `{s}`?"),
        None => "unknown attribute".to_string(),
    };
    let note = if names.is_empty() {
        format!("`{type_name}` has no attributes")
    } else {
        format!("`{type_name}` has {}", quote_some(names))
    };
    let help = if let Some(property) = ref_property {
        Some(format!(
            "the resource itself (its `Ref`) gives its `{property}`: write the resource's name without `.{attribute}`"
        ))
    } else {
        did_you_mean(suggestion)
    };
    Diagnostic::new(
        Code::UnknownAttribute,
        format!("`{type_name}` has no attribute `{attribute}`"),
        Label::new(span, label),
    )
    .with_note(note)
    .with_help_opt(help)
}

pub fn pattern_mismatch(span: Span, property: &str, pattern: &str) -> Diagnostic {
    Diagnostic::new(
        Code::PatternMismatch,
        format!("`{property}` does not match the pattern the schema gives"),
        Label::new(span, "does not match"),
    )
    .with_note(format!("the pattern is `{pattern}`"))
    .with_help("CloudFormation is likely to reject this value when it deploys the stack")
}

pub fn key_pattern_mismatch(span: Span, key: &str, property: &str, pattern: &str) -> Diagnostic {
    Diagnostic::new(
        Code::PatternMismatch,
        format!("key `{key}` of `{property}` does not match the pattern the schema gives"),
        Label::new(span, "does not match"),
    )
    .with_note(format!("the pattern is `{pattern}`"))
    .with_help("CloudFormation is likely to reject this key when it deploys the stack")
}

pub fn deprecated_property(span: Span, property: &str) -> Diagnostic {
    Diagnostic::new(Code::DeprecatedProperty, format!("`{property}` is deprecated"), Label::new(span, "deprecated"))
        .with_help("the schema marks it deprecated: remove it or use its replacement (see the type's documentation)")
}

/// `status` is the schema's lifecycle status: `sunset` or `shutdown`.
pub fn retired_resource_type(span: Span, type_name: &str, status: &str, date: Option<&str>) -> Diagnostic {
    let (message, label) = match status {
        "shutdown" => (format!("`{type_name}` belongs to a service that has shut down"), "shut down".to_string()),
        _ => (format!("`{type_name}` belongs to a service that is being retired"), "being retired".to_string()),
    };
    let label = match date {
        Some(date) => format!("{label} ({status} since {date})"),
        None => label,
    };
    Diagnostic::new(Code::UnavailableResourceType, message, Label::new(span, label))
        .with_help("new stacks may fail to create it: plan a move to another service")
}

pub fn resource_type_not_in_region(span: Span, type_name: &str, regions: &[&str]) -> Diagnostic {
    let (noun, flags) = if regions.len() == 1 {
        ("region", format!("`--region {}`", regions[0]))
    } else {
        ("regions", "those `--region` options".to_string())
    };
    Diagnostic::new(
        Code::UnavailableResourceType,
        format!("`{type_name}` is not available in {}", quote_list(regions)),
        Label::new(span, format!("not available in the target {noun}")),
    )
    .with_help(format!("deploy to a region that has it, or drop {flags}"))
}

/// A resource's `Ref` (`attribute` is `None`) or attribute whose semantic
/// formats (`given`) are not among those the property wants.
pub fn format_mismatch(
    span: Span,
    property: &str,
    wanted: &[&str],
    type_name: &str,
    attribute: Option<&str>,
    given: &[&str],
) -> Diagnostic {
    let what = match attribute {
        Some(attribute) => format!("the `{attribute}` of an `{type_name}`"),
        None => format!("a reference to an `{type_name}`"),
    };
    let wanted_text = quote_list(wanted).replace(" and ", " or ");
    let mut diagnostic = Diagnostic::new(
        Code::FormatMismatch,
        format!("`{property}` expects {wanted_text}, found {what}"),
        Label::new(span, format!("this is {what}")),
    );
    if !given.is_empty() {
        diagnostic = diagnostic.with_note(format!("its format is {}", quote_list(given)));
    }
    diagnostic.with_help("check that the right resource is wired in here; cfn-lint reports this as an error")
}

/// A literal string that does not look like any of `formats`.
pub fn literal_format_mismatch(span: Span, property: &str, formats: &[&str]) -> Diagnostic {
    let wanted = quote_list(formats).replace(" and ", " or ");
    Diagnostic::new(
        Code::FormatMismatch,
        format!("`{property}` does not look like {wanted}"),
        Label::new(span, format!("expected {wanted}")),
    )
    .with_help(
        "check the value; to use a resource defined here, refer to it (or its attribute) instead of writing its name",
    )
}

/// `1,289,094`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

// --- E05xx: CloudFormation quotas ------------------------------------------------

/// `what` is the template section: `resources`, `parameters`, `outputs`, `mappings`.
pub fn too_many(span: Span, what: &str, count: usize, limit: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TemplateQuota,
        format!("the template has {count} {what}, more than the {limit} CloudFormation allows"),
        Label::new(span, format!("this stack has {count} {what}")),
    )
    .with_help("split the stack into several stacks")
}

/// `what` names the text: "the template description", "the description of output `Url`".
pub fn text_too_long(span: Span, what: &str, bytes: usize, limit: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TemplateQuota,
        format!("{what} is {} bytes, more than the {} CloudFormation allows", thousands(bytes), thousands(limit)),
        Label::new(span, "too long"),
    )
    .with_help("shorten it")
}

pub fn template_too_large(span: Span, bytes: usize, limit: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TemplateTooLarge,
        format!(
            "the template is {} bytes, more than the {} CloudFormation accepts",
            thousands(bytes),
            thousands(limit)
        ),
        Label::new(span, "this stack's template is too large"),
    )
    .with_help("split the stack into several stacks")
}

pub fn template_needs_upload(span: Span, bytes: usize, limit: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TemplateNeedsS3,
        format!(
            "the template is {} bytes, more than the {} CloudFormation accepts inline",
            thousands(bytes),
            thousands(limit)
        ),
        Label::new(span, "this stack's template must be uploaded to S3"),
    )
    .with_help("deploy it from an S3 bucket (`aws cloudformation deploy --s3-bucket ...`), or split the stack")
}

/// A problem found inside a standard-library construct while expanding an
/// instance: it is the instance's doing, so it is reported there, with the
/// library's line as context.
pub fn in_library_instance(diagnostic: Diagnostic, span: Span, instance: &str, construct: &str) -> Diagnostic {
    diagnostic.moved_to(span, format!("`{instance}`, an instance of `{construct}`, leads to this"))
}
