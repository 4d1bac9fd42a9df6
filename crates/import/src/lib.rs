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

mod constructs;
mod expr;
mod foreach;
mod layout;
mod names;
mod problems;
mod program;
mod read;

pub use names::snake_case;
pub use problems::{Code, Pointer, Problem};
pub use read::{import_text, import_text_with, render, yaml_comments, ImportedText, Located};

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
    import_with(template, stack_name, false)
}

/// [`import`], and with `constructs` groups of resources a standard-library
/// construct makes raised to an instance of it, each only when the program
/// still builds back to the template; a note says which were raised and
/// which left alone.
pub fn import_with(template: &serde_json::Value, stack_name: &str, constructs: bool) -> Result<Imported, Vec<Problem>> {
    import_commented(template, stack_name, constructs, &program::Comments::new())
}

/// [`import_with`], keeping the YAML comments written right above
/// declarations as `//` comments.
pub(crate) fn import_commented(
    template: &serde_json::Value,
    stack_name: &str,
    constructs: bool,
    comments: &program::Comments,
) -> Result<Imported, Vec<Problem>> {
    let plain = finish(program::program(template, stack_name, &[], comments))?;
    let Some(sections) = template.as_object().filter(|_| constructs) else { return Ok(plain) };
    let found = constructs::find(sections);
    let mut notes = Vec::new();
    for (construct, members, why) in found.left {
        notes.push(members_note(Code::NotRaised, construct, &members, &why));
    }
    let mut raised: Vec<constructs::Raise> = Vec::new();
    if !found.raises.is_empty() {
        let baseline = build_differences(template, &plain.text);
        for raise in found.raises {
            // A resource raised with a larger group (a VPC's flow log
            // group) is that instance's, not one of its own.
            if raised.iter().any(|r| r.members.iter().any(|m| raise.members.contains(m))) {
                continue;
            }
            // Whatever stops it, said all at once: the group on its own
            // first, then the whole program with the instance.
            let mut reasons = raise.blockers.clone();
            reasons.extend(constructs::compare::group_differences(template, stack_name, &raise));
            if !reasons.is_empty() {
                notes.push(group_note(Code::NotRaised, &raise, &reasons.join("; ")));
                continue;
            }
            let mut trial = raised.clone();
            trial.push(raise.clone());
            let outcome = finish(program::program(template, stack_name, &trial, comments))
                .map_err(|p| p[0].message.clone())
                .and_then(|imported| match (&baseline, build_differences(template, &imported.text)) {
                    // The instance may give back what the plain program
                    // does not (an output the compiler would otherwise
                    // fold), never lose anything.
                    (Ok(before), Ok(after)) if after.iter().all(|d| before.contains(d)) => Ok(()),
                    (Ok(_), Ok(after)) => Err(format!(
                        "the construct's template differs from the group: {}",
                        after.first().map_or("", String::as_str)
                    )),
                    (Err(_), _) => Err("the template does not build back as it is".into()),
                    (_, Err(why)) => Err(why),
                });
            match outcome {
                Ok(()) => {
                    let why = format!("now `{}: {}`", raise.instance, raise.construct);
                    notes.push(group_note(Code::Raised, &raise, &why));
                    raised.push(raise);
                }
                Err(why) => notes.push(group_note(Code::NotRaised, &raise, &why)),
            }
        }
    }
    let mut imported =
        if raised.is_empty() { plain } else { finish(program::program(template, stack_name, &raised, comments))? };
    imported.warnings.extend(notes);
    Ok(imported)
}

fn group_note(code: Code, raise: &constructs::Raise, why: &str) -> Problem {
    members_note(code, raise.construct, &raise.members, why)
}

/// A note on a group, naming its first members (a VPC has dozens).
fn members_note(code: Code, construct: &str, members: &[String], why: &str) -> Problem {
    const NAMED: usize = 3;
    let list: Vec<String> = members.iter().take(NAMED).map(|m| format!("`{m}`")).collect();
    let list = match members.len() {
        n if n <= NAMED => match list.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        },
        n => format!("{} and {} more", list.join(", "), n - NAMED),
    };
    let message = match code {
        Code::Raised => format!("{list} raised: {why}"),
        _ if members.len() == 1 => format!("{list} could be `{construct}` but stays as it is: {why}"),
        _ => format!("{list} could be `{construct}` but stay as they are: {why}"),
    };
    Problem { code, message, at: vec!["Resources".into(), members[0].clone()] }
}

/// Where the template a program builds differs from `template`, or why it
/// does not build.
fn build_differences(template: &serde_json::Value, program: &str) -> Result<Vec<String>, String> {
    Ok(infrac::normalise::differences(template, &build(program)?))
}

/// The template a program builds, or why it does not build.
fn build(program: &str) -> Result<serde_json::Value, String> {
    let mut sources = infrac::source::SourceMap::new();
    let file = sources.add("imported.infra", program.to_string());
    let compilation = infrac::compile(&mut sources, &[file]);
    if let Some(error) = compilation.diagnostics.iter().find(|d| d.is_error()) {
        // The line of the program it is at, which names the property.
        let span = error.primary.span;
        let line = (span.file == file)
            .then(|| {
                let start = program[..(span.start as usize).min(program.len())].rfind('\n').map_or(0, |i| i + 1);
                program[start..].lines().next().unwrap_or_default().trim()
            })
            .filter(|line| !line.is_empty())
            .map_or(String::new(), |line| format!(" at `{line}`"));
        return Err(format!(
            "the program with the construct does not build ({} {}{line})",
            error.code.as_str(),
            error.message
        ));
    }
    Ok(compilation.stacks.first().ok_or("no stack")?.template.clone())
}

fn finish(program: program::Program) -> Result<Imported, Vec<Problem>> {
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
