//! One constructor per diagnostic: every message the compiler prints is
//! worded here, so wording can be reviewed in one place.
//!
//! Messages are terse and lowercase; the primary label says what is wrong at
//! the spot; `help` says what to do.

use super::{Code, Diagnostic, Label};
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

pub fn unknown_decorator(span: Span, name: &str, on: &str, allowed: &[&str], suggestion: Option<&str>) -> Diagnostic {
    let note = if allowed.is_empty() {
        format!("a {on} takes no decorators")
    } else {
        format!("decorators allowed on a {on}: {}", quote_list(allowed))
    };
    Diagnostic::new(
        Code::UnknownDecorator,
        format!("unknown decorator `@{name}` on a {on}"),
        Label::new(span, "not allowed here"),
    )
    .with_note(note)
    .with_help_opt(suggestion.map(|s| format!("did you mean `@{s}`?")))
}

pub fn misplaced_decorator(span: Span, name: &str, on: &str, allowed: &[&str]) -> Diagnostic {
    let note = if allowed.is_empty() {
        format!("a {on} takes no decorators")
    } else {
        format!("decorators allowed on a {on}: {}", quote_list(allowed))
    };
    Diagnostic::new(
        Code::UnknownDecorator,
        format!("`@{name}` does not apply to a {on}"),
        Label::new(span, "not allowed here"),
    )
    .with_note(note)
    .with_help("remove it, or move it to a declaration it applies to")
}

pub fn decorator_not_applicable(span: Span, name: &str, reason: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidDecoratorArgument,
        format!("`@{name}` does not apply to this parameter"),
        Label::new(span, reason.to_string()),
    )
    .with_help("remove the decorator, or change the parameter's type")
}

pub fn duplicate_decorator(span: Span, name: &str, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownDecorator,
        format!("decorator `@{name}` is used twice"),
        Label::new(span, "used again here"),
    )
    .with_secondary(first, "first used here")
    .with_help("remove one of them")
}

pub fn unknown_construct(span: Span, path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownResourceType,
        format!("unknown construct `{path}`"),
        Label::new(span, "no construct by this name"),
    )
    .with_help("use a CloudFormation type such as `AWS::S3::Bucket`")
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

// --- E03xx: types and values -------------------------------------------------

pub fn type_mismatch(span: Span, expected: &str, found: &str) -> Diagnostic {
    Diagnostic::new(
        Code::TypeMismatch,
        format!("expected {expected}, found {found}"),
        Label::new(span, format!("this is {found}")),
    )
}

pub fn wrong_argument_count(span: Span, function: &str, expected: &str, found: usize) -> Diagnostic {
    let plural = if found == 1 { "" } else { "s" };
    Diagnostic::new(
        Code::WrongArgumentCount,
        format!("`{function}` takes {expected}, but {found} {} given", if found == 1 { "was" } else { "were" }),
        Label::new(span, format!("{found} argument{plural}")),
    )
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

pub fn default_violates_constraint(span: Span, param: &str, constraint: &str, decorator: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DefaultViolatesConstraint,
        format!("the default of `{param}` breaks its own constraint"),
        Label::new(span, format!("this default {constraint}")),
    )
    .with_secondary(decorator, "constraint declared here")
    .with_help("change the default or the constraint; CloudFormation rejects such a template")
}

pub fn invalid_decorator_argument(span: Span, decorator: &str, problem: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidDecoratorArgument,
        format!("invalid argument to `@{decorator}`"),
        Label::new(span, problem.to_string()),
    )
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

pub fn invalid_pattern(span: Span, error: &str) -> Diagnostic {
    Diagnostic::new(Code::InvalidPattern, "invalid regular expression", Label::new(span, error.to_string()))
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

/// `` `a`, `b` and `c` ``
pub fn quote_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
