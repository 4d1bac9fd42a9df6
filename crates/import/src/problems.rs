//! What the importer reports: errors that stop an import and warnings about
//! what will not come back equal, each at a place in the template.

use std::fmt;

/// A place in a template: the keys and indexes from its root.
pub type Pointer = Vec<String>;

/// The importer's diagnostic codes (`docs/import.md`): `I01xx` stop the
/// import, `I02xx` are warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    /// The text is not YAML or JSON, or not a template.
    InvalidTemplate,
    /// An `Fn::` function CloudFormation does not have.
    UnknownIntrinsic,
    /// A `Ref`, `Fn::GetAtt`, `Fn::Sub` name, condition or mapping the
    /// template does not declare.
    UnknownName,
    /// A template feature the language cannot say.
    Unsupported,
    /// An intrinsic function given the wrong arguments.
    MalformedIntrinsic,
    /// Something that will not come back equal from a build.
    NotKept,
    /// `--constructs`: a group of resources raised to a construct.
    Raised,
    /// `--constructs`: a group a construct makes, left as it is, and why.
    NotRaised,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidTemplate => "I0101",
            Code::UnknownIntrinsic => "I0102",
            Code::UnknownName => "I0103",
            Code::Unsupported => "I0104",
            Code::MalformedIntrinsic => "I0105",
            Code::NotKept => "I0201",
            Code::Raised => "I0202",
            Code::NotRaised => "I0203",
        }
    }

    pub fn is_error(self) -> bool {
        !matches!(self, Code::NotKept | Code::Raised | Code::NotRaised)
    }
}

/// One problem, at a place in the template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub code: Code,
    pub message: String,
    pub at: Pointer,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.code.is_error()
    }

    /// The place as a path (`Resources.Bucket.Properties.Tags[0]`).
    pub fn path(&self) -> String {
        let mut out = String::new();
        for segment in &self.at {
            if segment.parse::<usize>().is_ok() {
                out.push_str(&format!("[{segment}]"));
            } else {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(segment);
            }
        }
        out
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.code {
            Code::Raised | Code::NotRaised => "note",
            code if code.is_error() => "error",
            _ => "warning",
        };
        write!(f, "{severity}[{}]: {}", self.code.as_str(), self.message)
    }
}
