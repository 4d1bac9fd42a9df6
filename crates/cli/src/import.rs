//! `infrac import`: reads CloudFormation templates, hands each to
//! `infrac-import`, and writes one `.infra` file per template (or the one
//! program to standard output), nothing at all when a template has errors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::{write_in_place, Cli, ErrorFormat, EXIT_ERRORS};

#[derive(Args)]
pub(crate) struct ImportArgs {
    /// CloudFormation templates, in YAML or JSON.
    #[arg(required = true, value_name = "TEMPLATE")]
    templates: Vec<PathBuf>,
    /// The folder to write `<template name>.infra` files into (created if
    /// missing); without it, the one template's program goes to standard
    /// output.
    #[arg(short, long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Raise groups of resources that a construct of the standard library
    /// makes (`s3.Bucket`, `ec2.Vpc`, `sqs.Queue`, `logs.LogGroup`,
    /// `ecr.Repository`, `sns.Topic`, `dynamodb.Table`) to an instance of it, only when the
    /// program still builds back to the template; a note names each group
    /// raised, or left alone and why (docs/import.md).
    #[arg(long)]
    constructs: bool,
}

pub(crate) fn import(cli: &Cli, args: &ImportArgs) -> Result<ExitCode, String> {
    if args.out.is_none() && args.templates.len() > 1 {
        return Err("several templates need `-o DIR` to write their programs into".to_string());
    }
    let mut programs: Vec<(PathBuf, String)> = Vec::new();
    let mut failed = false;
    for path in &args.templates {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let shown = path.display().to_string();
        match infrac_import::import_text_with(&text, &infrac::stack_name_for(&stem), args.constructs) {
            Ok(imported) => {
                report(cli, &shown, &text, &imported.warnings);
                programs.push((PathBuf::from(format!("{stem}.infra")), imported.text));
            }
            Err(problems) => {
                report(cli, &shown, &text, &problems);
                failed = true;
            }
        }
    }
    if failed {
        return Ok(ExitCode::from(EXIT_ERRORS));
    }
    match &args.out {
        None => print!("{}", programs[0].1),
        Some(dir) => write_programs(dir, &programs)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn write_programs(dir: &Path, programs: &[(PathBuf, String)]) -> Result<(), String> {
    let mut names = std::collections::HashSet::new();
    for (name, _) in programs {
        if !names.insert(name) {
            return Err(format!("two templates would both be written to `{}`", dir.join(name).display()));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    for (name, text) in programs {
        write_in_place(&dir.join(name), text)?;
    }
    Ok(())
}

fn report(cli: &Cli, path: &str, text: &str, problems: &[infrac_import::Located]) {
    match cli.error_format {
        ErrorFormat::Json => {
            let mut stdout = std::io::stdout().lock();
            for located in problems {
                let problem = &located.problem;
                let line = serde_json::json!({
                    "code": problem.code.as_str(),
                    "severity": if problem.is_error() { "error" } else { "warning" },
                    "message": problem.message,
                    "file": path,
                    "line": located.at.map(|a| a.line),
                    "column": located.at.map(|a| a.column),
                    "path": problem.path(),
                });
                let _ = writeln!(stdout, "{line}");
            }
        }
        ErrorFormat::Human => {
            let mut stderr = std::io::stderr().lock();
            for located in problems {
                let _ = write!(stderr, "{}", infrac_import::render(path, text, located));
            }
        }
    }
}
