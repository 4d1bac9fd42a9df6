//! `E04xx` and `W04xx`: a resource's properties and attributes against its schema.

use super::words::*;
use crate::diagnostics::facts::{Kind, Origin, TypeHint};
use crate::diagnostics::{Code, Diagnostic, Label};
use crate::source::Span;

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

/// `property` is the value's path in the resource (`VersioningConfiguration.Status`).
pub fn property_type_mismatch(span: Span, property: &str, expected: &Kind, found: &Kind, hint: TypeHint) -> Diagnostic {
    let (expected, found) = (kind_phrase(expected), kind_phrase(found));
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

/// A deploy-time value, which comes from `origin`, of the wrong kind.
pub fn deploy_type_mismatch(
    span: Span,
    property: &str,
    expected: &Kind,
    found: &Kind,
    origin: &Origin,
    expects_list: bool,
) -> Diagnostic {
    let help = if expects_list {
        "wrap it in a list (`[value]`), or split a comma-separated string with `split(\",\", value)`"
    } else if matches!(found, Kind::List(_)) {
        "pick one item (`list[0]`) or join the items into one string (`join(\",\", list)`)"
    } else {
        "pass a value of the expected type"
    };
    Diagnostic::new(
        Code::PropertyTypeMismatch,
        format!("`{property}` expects {}, found {}", kind_phrase(expected), kind_phrase(found)),
        Label::new(span, format!("this is {}, {}", origin_phrase(origin), kind_phrase(found))),
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

/// `@update_policy` or `@creation_policy` on a type that does not use it;
/// `takers` are the types that do.
pub fn policy_not_for_type(span: Span, decorator: &str, cfn_type: &str, takers: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::AttributeNotForType,
        format!("`@{decorator}` does not apply to `{cfn_type}`"),
        Label::new(span, format!("CloudFormation takes no such policy on `{cfn_type}`")),
    )
    .with_note(format!("`@{decorator}` applies to {}", quote_list(takers)))
    .with_help("remove it")
}

/// A SAM resource attribute (`@ignore_globals`) on a type the SAM
/// transform does not expand.
pub fn sam_attribute_not_for_type(span: Span, decorator: &str, cfn_type: &str) -> Diagnostic {
    Diagnostic::new(
        Code::AttributeNotForType,
        format!("`@{decorator}` does not apply to `{cfn_type}`"),
        Label::new(span, "the SAM transform reads it only on the types it expands"),
    )
    .with_note(format!("`@{decorator}` applies to the `AWS::Serverless::*` types"))
    .with_help("remove it")
}

/// A `Snapshot` deletion or update-replace policy on a type CloudFormation
/// cannot snapshot; `types` are those it can.
pub fn snapshot_not_for_type(span: Span, decorator: &str, cfn_type: &str, types: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::AttributeNotForType,
        format!("`{cfn_type}` cannot be kept as a snapshot"),
        Label::new(span, format!("`Snapshot` is not a `@{decorator}` of `{cfn_type}`")),
    )
    .with_note(format!("CloudFormation snapshots {}", quote_list(types)))
    .with_help("use `\"Retain\"` to keep the resource itself")
}

/// A SAM resource type (`AWS::Serverless::Function`), passed through for
/// the transform to expand.
pub fn unchecked_sam_type(span: Span, cfn_type: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UncheckedResourceType,
        format!("`{cfn_type}` is not checked"),
        Label::new(span, "a SAM type: its properties are passed to the transform as written"),
    )
    .with_note("the stack names the `AWS::Serverless-2016-10-31` transform, which expands it when it deploys")
    .with_help(
        "check its properties against the SAM specification, or write the CloudFormation resources it stands for",
    )
}
