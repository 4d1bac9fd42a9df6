//! Project templates for `infrac init`: the files of a new project that
//! builds and deploys as it is.
//!
//! Each folder `init/<template>/` of the repository is one template, embedded
//! by `build.rs` together with the files of `init/common/` it does not
//! replace (the `.gitignore` and the CI workflow). A project has `app.infra`
//! (the entry file the lifecycle commands default to), a `README.md` with the
//! next commands, `.gitignore` (the output folder `out/`) and
//! `.github/workflows/infra.yml`. The template's description is the first
//! `//!` line of its `app.infra`.
//!
//! The files are valid as they are in the repository, so that CI compiles,
//! lints and deploys them directly; the project's name goes in by
//! substitution: in `.infra` files the stack name `ProjectName`, in the
//! others `{{stack}}` (the stack name) and `{{project}}` (the name as given).

use std::fmt;

use crate::diagnostics::suggest::did_you_mean;

/// One project template.
#[derive(Debug)]
pub struct ProjectTemplate {
    pub name: &'static str,
    /// One line: what the project is.
    pub description: &'static str,
    /// Relative path (`/`-separated) and contents, before substitution.
    files: &'static [(&'static str, &'static str)],
}

impl ProjectTemplate {
    /// The template's files as they are in the repository, placeholders in.
    pub fn raw_files(&self) -> &'static [(&'static str, &'static str)] {
        self.files
    }
}

include!(concat!(env!("OUT_DIR"), "/init_templates.rs"));

/// The template `infrac init` uses when none is named.
pub const DEFAULT_TEMPLATE: &str = "empty";

/// The entry file of a project, which commands read when given no files.
pub const ENTRY_FILE: &str = "app.infra";

/// The folder `infrac build` writes to in a project, which `.gitignore` lists.
pub const OUTPUT_DIR: &str = "out";

/// The stack name placeholder in a template's `.infra` files.
const STACK_PLACEHOLDER_INFRA: &str = "ProjectName";
/// The stack name placeholder in a template's other files.
const STACK_PLACEHOLDER_TEXT: &str = "{{stack}}";
/// The project name placeholder in a template's other files.
const PROJECT_PLACEHOLDER_TEXT: &str = "{{project}}";

/// CloudFormation's limit on a stack name's length.
const MAX_STACK_NAME: usize = 128;

/// Every template, sorted by name.
pub fn templates() -> &'static [ProjectTemplate] {
    TEMPLATES
}

/// The template called `name`.
pub fn template(name: &str) -> Option<&'static ProjectTemplate> {
    TEMPLATES.iter().find(|t| t.name == name)
}

/// Why a project cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InitError {
    UnknownTemplate {
        name: String,
        suggestion: Option<&'static str>,
    },
    /// The project name gives no valid CloudFormation stack name.
    InvalidProjectName {
        name: String,
        problem: NameProblem,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    /// A character other than an ASCII letter, digit, `-`, `_`, `.` or space.
    Character(char),
    /// The stack name would not start with a letter (or would be empty).
    NoLeadingLetter,
    TooLong,
}

impl fmt::Display for InitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitError::UnknownTemplate { name, suggestion } => {
                write!(f, "no project template `{name}`")?;
                if let Some(suggestion) = suggestion {
                    write!(f, "; did you mean `{suggestion}`?")?;
                }
                let names: Vec<&str> = TEMPLATES.iter().map(|t| t.name).collect();
                write!(f, " The templates are: {}", names.join(", "))
            }
            InitError::InvalidProjectName { name, problem } => {
                write!(f, "the project name `{name}` gives no valid CloudFormation stack name: ")?;
                match problem {
                    NameProblem::Character(c) => {
                        write!(f, "it holds {c:?}; use letters, digits, `-`, `_` and `.`")
                    }
                    NameProblem::NoLeadingLetter => write!(f, "it must start with a letter"),
                    NameProblem::TooLong => write!(f, "it must be at most {MAX_STACK_NAME} characters long"),
                }
            }
        }
    }
}

impl std::error::Error for InitError {}

/// The stack a project called `project_name` declares: its name in
/// PascalCase (`my-site` -> `MySite`), a valid CloudFormation stack name.
pub fn stack_name(project_name: &str) -> Result<String, InitError> {
    let invalid = |problem| InitError::InvalidProjectName { name: project_name.to_string(), problem };
    if let Some(c) = project_name.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ' '))) {
        return Err(invalid(NameProblem::Character(c)));
    }
    let stack = crate::check::pascal_case(project_name);
    if !stack.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(invalid(NameProblem::NoLeadingLetter));
    }
    if stack.len() > MAX_STACK_NAME {
        return Err(invalid(NameProblem::TooLong));
    }
    Ok(stack)
}

/// The files of a new project made from `template`: relative path
/// (`/`-separated) and contents, with the project's name substituted.
pub fn files(template: &str, project_name: &str) -> Result<Vec<(String, String)>, InitError> {
    let Some(found) = self::template(template) else {
        let suggestion = did_you_mean(template, TEMPLATES.iter().map(|t| t.name));
        return Err(InitError::UnknownTemplate { name: template.to_string(), suggestion });
    };
    let stack = stack_name(project_name)?;
    let files = found.files.iter().map(|(path, text)| {
        let text = if path.ends_with(".infra") {
            text.replace(STACK_PLACEHOLDER_INFRA, &stack)
        } else {
            text.replace(STACK_PLACEHOLDER_TEXT, &stack).replace(PROJECT_PLACEHOLDER_TEXT, project_name)
        };
        (path.to_string(), text)
    });
    Ok(files.collect())
}
