//! `E06xx`: what CloudFormation reports about a deployed stack, shown at the
//! declarations the source map (`crate::sourcemap`) leads back to. The
//! reasons and values are CloudFormation's own words, quoted.

use crate::diagnostics::{Code, Diagnostic, Label};
use crate::source::Span;

/// `library`: the construct that created the resource and its declaration
/// there, for a resource a standard-library instance created.
pub fn deploy_failed(
    declared: Span,
    path: &str,
    logical_id: &str,
    status: &str,
    reason: &str,
    property: Option<(&str, Span)>,
    library: Option<(&str, Span)>,
) -> Diagnostic {
    let message = format!("`{path}` (`{logical_id}`) failed to deploy: {status}");
    let diagnostic = match property {
        Some((name, span)) => Diagnostic::new(Code::DeployFailed, message, Label::new(span, reason))
            .with_secondary(declared, format!("`{name}` of `{logical_id}`, declared here")),
        None => Diagnostic::new(Code::DeployFailed, message, Label::new(declared, reason)),
    };
    with_library(diagnostic, path, library)
        .with_help("the reason is CloudFormation's: fix what it names, then run `infrac deploy` again")
}

/// `property`: the path drift detection gives (`/Tags/0/Value`) and where the
/// user wrote its top-level property, if they did; `None` when the resource
/// as a whole was modified or deleted.
pub fn resource_drifted(
    declared: Span,
    path: &str,
    logical_id: &str,
    property: Option<(&str, Option<Span>)>,
    expected: Option<&str>,
    actual: Option<&str>,
    library: Option<(&str, Span)>,
) -> Diagnostic {
    let label = match (expected, actual) {
        (Some(expected), Some(actual)) => format!("the template says `{expected}`; it is now `{actual}`"),
        (Some(expected), None) => format!("the template says `{expected}`; it was removed"),
        (None, Some(actual)) => format!("not in the template; it is now `{actual}`"),
        (None, None) => "changed outside CloudFormation".to_string(),
    };
    let diagnostic = match property {
        Some((property_path, Some(span))) => Diagnostic::new(
            Code::ResourceDrifted,
            format!("`{path}` (`{logical_id}`) drifted: `{property_path}` changed outside CloudFormation"),
            Label::new(span, label),
        )
        .with_secondary(declared, format!("`{logical_id}`, declared here")),
        Some((property_path, None)) => Diagnostic::new(
            Code::ResourceDrifted,
            format!("`{path}` (`{logical_id}`) drifted: `{property_path}` changed outside CloudFormation"),
            Label::new(declared, label),
        ),
        None => Diagnostic::new(
            Code::ResourceDrifted,
            format!("`{path}` (`{logical_id}`) drifted: it was changed outside CloudFormation"),
            Label::new(declared, label),
        ),
    };
    with_library(diagnostic, path, library).with_help(
        "run `infrac deploy` to put back what the program declares, or change the program to keep the change",
    )
}

fn with_library(diagnostic: Diagnostic, path: &str, library: Option<(&str, Span)>) -> Diagnostic {
    match library {
        Some((construct, span)) => {
            diagnostic.with_secondary(span, format!("`{path}` is created here, in `{construct}`"))
        }
        None => diagnostic,
    }
}
