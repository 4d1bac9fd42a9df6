//! `infrac import`: CloudFormation templates brought into idiomatic infra.
//!
//! ```text
//! template value ─► names ─► program (declarations) ─► expr (values) ─► layout ─► infrac fmt ─► .infra text
//! ```
//!
//! [`import`] takes a template already read into JSON (YAML's short-form
//! tags in their long form) and returns the formatted program, or the
//! problems that stop it, each at a place in the template ([`Pointer`]);
//! what a build of the program will not give back equal is a warning.
//! Building the program gives back the template, equal after the
//! normalisation `docs/import.md` describes. The crate reads and writes no
//! files: the command line does.

mod expr;
mod layout;
mod names;
mod problems;
mod program;
mod read;

pub use names::snake_case;
pub use problems::{Code, Pointer, Problem};
pub use read::{import_text, render, yaml_comments, ImportedText, Located};

/// An imported program: its formatted text and the warnings about what a
/// build of it will not give back equal.
pub struct Imported {
    pub text: String,
    pub warnings: Vec<Problem>,
}

/// Imports a template. `stack_name` names the `stack` block a template
/// that needs one (a `Transform`, template `Metadata`) is written in.
/// Errors come back with the warnings found before them.
pub fn import(template: &serde_json::Value, stack_name: &str) -> Result<Imported, Vec<Problem>> {
    let program = program::program(template, stack_name);
    let mut problems = program.problems;
    problems.sort_by(|a, b| b.is_error().cmp(&a.is_error()));
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    match infrac::format::format_source(&program.text) {
        Ok(text) => Ok(Imported { text, warnings: problems }),
        // The importer wrote something the parser refuses: a bug here,
        // reported rather than written out.
        Err(diagnostics) => Err(vec![Problem {
            code: Code::Unsupported,
            message: format!(
                "the imported program does not parse ({}); please report this template",
                diagnostics.first().map_or(String::new(), |d| d.message.clone())
            ),
            at: vec![],
        }]),
    }
}
