//! `infrac init`: writes a new project from one of the templates the
//! compiler library embeds (`infrac::init`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::write_all;

#[derive(Args)]
pub struct InitArgs {
    /// The folder to make the project in (default: the current folder); its
    /// name is the project's name.
    dir: Option<PathBuf>,
    /// The project template.
    #[arg(long, short, value_name = "NAME", default_value = infrac::init::DEFAULT_TEMPLATE)]
    template: String,
    /// The project's name, if not the folder's.
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// List the templates.
    #[arg(long)]
    list: bool,
}

pub fn init(args: &InitArgs) -> Result<ExitCode, String> {
    if args.list {
        let width = infrac::init::templates().iter().map(|t| t.name.len()).max().unwrap_or_default();
        for template in infrac::init::templates() {
            println!("{:width$}  {}", template.name, template.description);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let name = match &args.name {
        Some(name) => name.clone(),
        None => project_name(&dir)?,
    };
    let files = infrac::init::files(&args.template, &name).map_err(|e| e.to_string())?;
    let existing: Vec<String> =
        files.iter().filter(|(path, _)| dir.join(path).exists()).map(|(p, _)| p.clone()).collect();
    if !existing.is_empty() {
        return Err(format!(
            "`{}` already has {}; `infrac init` writes only into a folder without them",
            dir.display(),
            existing.join(", ")
        ));
    }
    // Files in subfolders (the CI workflow) are written in their folder.
    let mut by_folder: std::collections::BTreeMap<PathBuf, Vec<(String, String)>> = Default::default();
    for (path, text) in files {
        let relative = Path::new(&path);
        let folder = dir.join(relative.parent().unwrap_or(Path::new("")));
        let file = relative.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        by_folder.entry(folder).or_default().push((file, text));
    }
    for (folder, files) in &by_folder {
        write_all(folder, files)?;
    }
    let at = if dir == Path::new(".") { String::new() } else { format!("cd {} && ", dir.display()) };
    println!("Created the project `{name}` from the `{}` template in {}.", args.template, dir.display());
    println!("Next: {at}infrac check && infrac diff && infrac deploy   (README.md says more)");
    Ok(ExitCode::SUCCESS)
}

fn project_name(dir: &Path) -> Result<String, String> {
    let absolute = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?.join(dir)
    };
    absolute
        .components()
        .next_back()
        .and_then(|c| match c {
            std::path::Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            _ => None,
        })
        .or_else(|| std::env::current_dir().ok().and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned())))
        .ok_or_else(|| "cannot tell the project's name from the folder; pass `--name NAME`".to_string())
}
