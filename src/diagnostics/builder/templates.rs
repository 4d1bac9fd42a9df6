//! `E05xx` and `W05xx`: CloudFormation's rules and quotas for a whole template.

use super::words::*;
use crate::diagnostics::facts::{LimitedText, Section, SlotKind, TransformFeature};
use crate::diagnostics::{Code, Diagnostic, Label};
use crate::hir::Provenance;
use crate::source::Span;

pub fn logical_id_collision(span: Span, id: &str, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::LogicalIdCollision,
        format!("two declarations have the logical ID `{id}`"),
        Label::new(span, format!("becomes `{id}`")),
    )
    .with_secondary(first, format!("also becomes `{id}`"))
    .with_help("rename one of them, or give one a `@logical_id(\"...\")`")
}

pub fn rule_name_collision(span: Span, id: &str, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::LogicalIdCollision,
        format!("two rules are named `{id}`"),
        Label::new(span, format!("names the rule `{id}`")),
    )
    .with_secondary(first, format!("also names the rule `{id}`"))
    .with_help("give one of the `@assert`s another rule name, its third argument: `@assert(c, \"message\", \"Name\")`")
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

/// More entries in a template `section` than its quota.
pub fn too_many(span: Span, section: Section, count: usize, limit: usize) -> Diagnostic {
    let what = match section {
        Section::Resources => "resources",
        Section::Parameters => "parameters",
        Section::Outputs => "outputs",
        Section::Mappings => "mappings",
    };
    Diagnostic::new(
        Code::TemplateQuota,
        format!("the template has {count} {what}, more than the {limit} CloudFormation allows"),
        Label::new(span, format!("this stack has {count} {what}")),
    )
    .with_help("split the stack into several stacks")
}

pub fn text_too_long(span: Span, text: LimitedText, bytes: usize, limit: usize) -> Diagnostic {
    let what = match text {
        LimitedText::TemplateDescription => "the template description".to_string(),
        LimitedText::OutputDescription(id) => format!("the description of output `{id}`"),
    };
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

pub fn duplicate_export(span: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateExport,
        "two outputs export the same name",
        Label::new(span, "exports a name already exported"),
    )
    .with_secondary(first, "first exported here")
    .with_note("export names are unique in an AWS account and region, so CloudFormation rejects the second stack")
    .with_help("give one of them another `@export` name, for example with `${aws.stack_name}` and the output's name")
}

/// Two resources of a stack take the same [`SlotKind`]: `value` is the
/// value as shown ("10", "`GET /pets`", "the same value").
pub fn slot_taken(kind: SlotKind, value: &str, later: &Provenance, earlier: &Provenance) -> Diagnostic {
    let (what, within, answer) = match kind {
        SlotKind::ListenerRulePriority => ("priority", "on the same listener", "`PriorityInUse`"),
        SlotKind::ListenerPort => ("port", "on the same load balancer", "`DuplicateListener`"),
        SlotKind::IngressRule => ("ingress rule", "in the same security group", "`InvalidPermission.Duplicate`"),
        SlotKind::EventSource => ("event source", "for the same function", "`ResourceConflictException`"),
        SlotKind::HttpMethod => ("method", "on the same REST API resource", "`ConflictException`"),
        SlotKind::RouteKey => ("route key", "on the same API", "`ConflictException`"),
        SlotKind::PathPart => ("path part", "under the same parent resource", "`ConflictException`"),
        SlotKind::RouteDestination => ("destination", "in the same route table", "`RouteAlreadyExists`"),
        SlotKind::SubnetAssociation => ("subnet", "in two route table associations", "`Resource.AlreadyAssociated`"),
        SlotKind::RecordNameAndType => {
            ("name and type", "in the same hosted zone, without `SetIdentifier`s", "`InvalidChangeBatch`")
        }
        SlotKind::Name(_) => ("name", "", "`AlreadyExists`"),
    };
    let what = match kind {
        SlotKind::Name(noun) => format!("{noun} name"),
        _ => what.to_string(),
    };
    let message = match value {
        "the same value" => format!("two resources take the same {what} {within}"),
        value => format!("two resources take the {what} {value} {within}"),
    };
    let message = message.trim_end().to_string();
    Diagnostic::new(Code::SlotTaken, message, Label::new(later.span, format!("`{}` takes it again", later.path)))
        .with_secondary(earlier.span, format!("`{}` takes it first", earlier.path))
        .with_note(format!(
            "CloudFormation creates the first and the second fails with {answer}, so the stack cannot deploy"
        ))
        .with_help(match kind {
            // The same rule twice, or a second mapping of the same source, is
            // one too many rather than a clash of names.
            SlotKind::IngressRule | SlotKind::EventSource | SlotKind::SubnetAssociation => {
                "remove one of them".to_string()
            }
            _ => format!("give one of them another {what}"),
        })
}

pub fn macro_transform(span: Span, name: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MacroTransform,
        format!("`{name}` is a macro: the compiler checks the template as written, not what the macro makes of it"),
        Label::new(span, "a macro of the account, run by CloudFormation before anything is created"),
    )
    .with_note("CloudFormation fails the deployment if the account and region have no macro of this name (an `AWS::CloudFormation::Macro`); `infrac deploy` allows macros to expand the template")
    .with_help("if you meant one of AWS's transforms, write its full name, which starts with `AWS::`")
}

pub fn template_needs_upload(span: Span, bytes: usize, limit: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TemplateNeedsS3,
        format!(
            "the template is {} bytes without whitespace, more than the {} CloudFormation accepts inline",
            thousands(bytes),
            thousands(limit)
        ),
        Label::new(span, "this stack's template must be uploaded to S3"),
    )
    .with_help("`infrac deploy` uploads it to the staging bucket (or `--template-bucket`) first; `aws cloudformation deploy` needs `--s3-bucket`; or split the stack")
}

/// A feature CloudFormation accepts only under `transform`, in a stack that
/// does not name it.
pub fn transform_required(span: Span, feature: TransformFeature, transform: &str) -> Diagnostic {
    let what = match feature {
        TransformFeature::SamGlobals => "`@globals` is read by the SAM transform".to_string(),
        TransformFeature::ComputedPolicy(decorator) => {
            format!("a `@{decorator}` known only at deploy time is resolved by a transform")
        }
        TransformFeature::LookupDefault => {
            "a `lookup` with a default and a key known only at deploy time is resolved by a transform".to_string()
        }
    };
    Diagnostic::new(
        Code::TransformRequired,
        format!("{what}, which this stack does not name"),
        Label::new(span, format!("needs `{transform}`")),
    )
    .with_note("CloudFormation rejects the template unless the transform expands it first")
    .with_help(format!("name the transform on the stack: `@transform(\"{transform}\")`"))
}
