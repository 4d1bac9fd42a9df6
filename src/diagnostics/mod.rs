//! Diagnostics: the data model every stage reports problems in.
//!
//! Stages produce [`Diagnostic`] values through the constructors in
//! [`builder`], giving them typed [`facts`] (kinds of value, origins, roles,
//! names, numbers, spans); all wording lives in `builder`. [`render`] turns
//! diagnostics into text for people or JSON for machines; [`codes`] is the
//! catalogue that `infrac explain` prints.

pub mod builder;
pub mod codes;
pub mod facts;
pub mod render;
pub mod suggest;

pub use codes::Code;

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A span with a short text saying what is at that spot.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Label {
        Label { span, message: message.into() }
    }
}

/// One problem found in a program.
///
/// `message` is terse and lowercase; `primary` says what is wrong at the
/// spot; `help` says what to do.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>, primary: Label) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            primary,
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.secondary.push(Label::new(span, message));
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    /// Points the diagnostic at `span` instead, keeping where it was found
    /// as the first secondary label.
    pub fn moved_to(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        let found = std::mem::replace(&mut self.primary, Label::new(span, message));
        self.secondary.insert(0, found);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The name a did-you-mean help suggests in place of the primary
    /// label's text, for an editor's quick fix.
    pub fn suggestion(&self) -> Option<&str> {
        builder::suggested_name(self.help.as_deref()?)
    }

    /// The required properties an `E0403` (or construct properties and
    /// record fields an `E0216`) says are missing, for an editor's quick fix
    /// that adds them.
    pub fn missing_properties(&self) -> Vec<&str> {
        match self.code {
            Code::MissingRequiredProperty | Code::MissingConstructProperty => {
                builder::quoted_names(&self.primary.message)
            }
            _ => Vec::new(),
        }
    }
}

/// Sorts diagnostics by file and position so output order does not depend on
/// the order stages ran in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.primary.span.file, a.primary.span.start, a.code).cmp(&(b.primary.span.file, b.primary.span.start, b.code))
    });
}
