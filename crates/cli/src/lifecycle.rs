//! The lifecycle commands: `diff`, `deploy`, `destroy` and `drift`. Each
//! compiles the program, then hands it to `infrac-lifecycle` with an AWS
//! session (`infrac-aws`), the terminal and the program's source maps.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use clap::{Args, ValueEnum};
use infrac::diff::{diff, render_text, to_json, RenderOptions, StackState};
use infrac::source::SourceMap;
use infrac::sourcemap::StackSourceMap;
use infrac_aws::{Aws, Settings};
use infrac_lifecycle::clock::SystemClock;
use infrac_lifecycle::containers::{Containers, NoContainers};
use infrac_lifecycle::deploy::{Approval, DeployOptions};
use infrac_lifecycle::destroy::DestroyOptions;
use infrac_lifecycle::drift::DriftOptions;
use infrac_lifecycle::locate::Locate;
use infrac_lifecycle::program::{BuiltStack, FileAsset, Program};
use infrac_lifecycle::publish::PublishOptions;
use infrac_lifecycle::{Failure, Session};

use crate::containers::{NoTool, Tool};
use crate::places::Places;
use crate::terminal::Terminal;
use crate::{compile, write_all, write_assets, Cli, ErrorFormat, EXIT_ERRORS};

/// The program a lifecycle command works on.
#[derive(Args)]
pub struct ProgramArgs {
    /// The program's .infra files (default: `app.infra`).
    files: Vec<PathBuf>,
    /// Only these stacks (repeatable); `deploy` adds the stacks they import
    /// from, `destroy` the stacks that import from them.
    #[arg(long = "stack", value_name = "NAME")]
    stacks: Vec<String>,
}

/// Where AWS is: the usual environment (`AWS_PROFILE`, `AWS_REGION`,
/// `AWS_ENDPOINT_URL`, credentials) unless a flag says otherwise.
#[derive(Args)]
pub struct AwsArgs {
    /// The AWS profile to use (as `AWS_PROFILE`).
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
}

#[derive(Args)]
pub struct DiffArgs {
    #[command(flatten)]
    program: ProgramArgs,
    /// Compare with this earlier build instead of `out/`.
    #[arg(long, value_name = "DIR", conflicts_with = "live")]
    against: Option<PathBuf>,
    /// Compare with the deployed stacks (their templates and parameter values).
    #[arg(long)]
    live: bool,
    /// Exit with 1 when anything differs.
    #[arg(long)]
    fail: bool,
    #[command(flatten)]
    aws: AwsArgs,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum RequireApproval {
    Never,
    Broadening,
    AnyChange,
}

#[derive(Args)]
pub struct DeployArgs {
    #[command(flatten)]
    program: ProgramArgs,
    /// When to ask before deploying: never, when IAM or security-group
    /// access broadens, or on any change.
    #[arg(long, value_enum, default_value = "broadening", value_name = "WHEN")]
    require_approval: RequireApproval,
    /// Approve every change without asking (for CI).
    #[arg(long, short)]
    yes: bool,
    /// A stack parameter's value: `Stack.Name=value` (repeatable).
    #[arg(long = "parameter", value_name = "STACK.NAME=VALUE")]
    parameters: Vec<String>,
    /// A JSON file of parameter values: `{ "Stack": { "Name": "value" } }`.
    #[arg(long, value_name = "FILE")]
    parameters_file: Option<PathBuf>,
    /// A tag for every stack (and, through CloudFormation, its resources): `Key=Value` (repeatable).
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    tags: Vec<String>,
    /// The IAM role CloudFormation uses to deploy.
    #[arg(long, value_name = "ARN")]
    role_arn: Option<String>,
    /// An S3 bucket for templates over 51,200 bytes (default: the staging
    /// bucket).
    #[arg(long, value_name = "BUCKET")]
    template_bucket: Option<String>,
    #[command(flatten)]
    images: ImageArgs,
    /// Where the build is written first.
    #[arg(short, long, value_name = "DIR", default_value = infrac::init::OUTPUT_DIR)]
    out: PathBuf,
    #[command(flatten)]
    aws: AwsArgs,
}

#[derive(Args)]
pub struct BootstrapArgs {
    /// Create or update without asking (for CI).
    #[arg(long, short)]
    yes: bool,
    #[command(flatten)]
    aws: AwsArgs,
}

/// How image assets are built and where they are pushed.
#[derive(Args)]
pub struct ImageArgs {
    /// The Docker-compatible tool that builds and pushes images (default:
    /// `docker`, else `podman`, whichever is on PATH).
    #[arg(long, value_name = "PROGRAM")]
    container_tool: Option<String>,
}

impl ImageArgs {
    fn tool(&self) -> Option<Tool> {
        Tool::find(self.container_tool.as_deref())
    }
}

/// Pushes go to this registry host instead of the account's ECR registry:
/// for tests against an emulator that serves the ECR API but no registry.
const REGISTRY_OVERRIDE: &str = "INFRAC_REGISTRY_HOST";

fn publish_options() -> PublishOptions {
    let registry = std::env::var(REGISTRY_OVERRIDE).ok().filter(|host| !host.is_empty());
    PublishOptions { registry, ..Default::default() }
}

#[derive(Args)]
pub struct PublishArgs {
    #[command(flatten)]
    program: ProgramArgs,
    #[command(flatten)]
    images: ImageArgs,
    /// Where the build is written first.
    #[arg(short, long, value_name = "DIR", default_value = infrac::init::OUTPUT_DIR)]
    out: PathBuf,
    #[command(flatten)]
    aws: AwsArgs,
}

#[derive(Args)]
pub struct DestroyArgs {
    #[command(flatten)]
    program: ProgramArgs,
    /// Delete without asking.
    #[arg(long, short)]
    yes: bool,
    /// The IAM role CloudFormation uses to delete.
    #[arg(long, value_name = "ARN")]
    role_arn: Option<String>,
    #[command(flatten)]
    aws: AwsArgs,
}

#[derive(Args)]
pub struct DriftArgs {
    #[command(flatten)]
    program: ProgramArgs,
    #[command(flatten)]
    aws: AwsArgs,
}

/// A compiled program, with what the lifecycle needs from it.
struct Built {
    program: Program,
    sources: SourceMap,
    maps: BTreeMap<String, StackSourceMap>,
    outputs: Vec<(String, String)>,
    assets: Vec<infrac::assets::Asset>,
}

fn build(cli: &Cli, files: &[PathBuf]) -> Result<Option<Built>, String> {
    let Some((sources, compilation)) = compile(cli, files)? else { return Ok(None) };
    Ok(Some(built(sources, compilation)))
}

/// The staging stack (`infrac bootstrap`), written in infra: the bucket and
/// repository `asset(...)` and `docker_image(...)` publish to.
const STAGING_PROGRAM: &str = include_str!("bootstrap/staging.infra");
const STAGING_FILE: &str = "<infrac bootstrap>/staging.infra";

fn build_staging() -> Result<Built, String> {
    let mut sources = SourceMap::new();
    let file = sources.add(STAGING_FILE, STAGING_PROGRAM.to_string());
    let compilation = infrac::compile(&mut sources, &[file]);
    if compilation.has_errors() {
        let shown = infrac::diagnostics::render::plain(&sources, &compilation.diagnostics);
        return Err(format!("infrac's own staging program does not compile (a bug):\n{shown}"));
    }
    Ok(built(sources, compilation))
}

fn built(sources: SourceMap, compilation: infrac::Compilation) -> Built {
    let outputs = infrac::build_outputs(&sources, &compilation);
    let maps = compilation
        .stacks
        .iter()
        .map(|stack| (stack.name.clone(), StackSourceMap::new(&sources, &stack.name, &stack.declarations)))
        .collect();
    let stacks = compilation
        .stacks
        .into_iter()
        .map(|stack| {
            BuiltStack::new(&stack.name, stack.template, stack.depends_on)
                .with_assets(stack.assets)
                .with_images(stack.images)
        })
        .collect();
    let assets = compilation.assets;
    let mut program = Program::new(stacks);
    program.images = compilation.images;
    program.staging = compilation.staging;
    program.assets = assets
        .iter()
        .map(|asset| FileAsset { key: asset.key.clone(), path: asset.path.clone(), bytes: asset.bytes.clone() })
        .collect();
    Built { program, sources, maps, outputs, assets }
}

fn colour(cli: &Cli) -> bool {
    use std::io::IsTerminal;
    match cli.color {
        crate::ColorChoice::Always => true,
        crate::ColorChoice::Never => false,
        crate::ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

fn connect(cli: &Cli, aws: &AwsArgs) -> Result<Aws, Failure> {
    if cli.regions.len() > 1 {
        return Err(Failure::usage("a lifecycle command works in one region; give `--region` once".to_string()));
    }
    let settings = Settings { profile: aws.profile.clone(), region: cli.regions.first().cloned() };
    Aws::connect(&settings).map_err(Failure::cloud)
}

/// Set by Ctrl-C; a second Ctrl-C ends the process at once.
fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        let _ = signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&flag));
        let _ = signal_hook::flag::register(signal, Arc::clone(&flag));
    }
    flag
}

fn finish(result: Result<ExitCode, Failure>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Runs `work` with a session on AWS.
fn with_session<T>(
    cli: &Cli,
    aws: &AwsArgs,
    containers: &dyn Containers,
    built: Built,
    work: impl FnOnce(&mut Session<'_>, &Program) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let cloud = connect(cli, aws)?;
    let places = Places::new(built.sources, built.maps, colour(cli));
    let interrupt = interrupt_flag();
    let mut terminal = Terminal::new();
    let mut session = Session {
        cloud: &cloud,
        containers,
        clock: &SystemClock,
        ui: &mut terminal,
        locate: &places,
        interrupt: &interrupt,
        colour: colour(cli),
    };
    work(&mut session, &built.program)
}

pub fn deploy(cli: &Cli, args: &DeployArgs) -> Result<ExitCode, String> {
    let Some(built) = build(cli, &args.program.files)? else { return Ok(ExitCode::from(EXIT_ERRORS)) };
    let parameters = match parameter_values(args) {
        Ok(parameters) => parameters,
        Err(message) => return Err(message),
    };
    let tags = pairs(&args.tags, "--tag", "KEY=VALUE")?;
    write_assets(&args.out, &built.assets)?;
    write_all(&args.out, &built.outputs)?;
    let options = DeployOptions {
        stacks: args.program.stacks.clone(),
        approval: match args.require_approval {
            RequireApproval::Never => Approval::Never,
            RequireApproval::Broadening => Approval::Broadening,
            RequireApproval::AnyChange => Approval::AnyChange,
        },
        yes: args.yes,
        parameters,
        tags,
        role_arn: args.role_arn.clone(),
        template_bucket: args.template_bucket.clone(),
        publish: publish_options(),
    };
    let tool = args.images.tool();
    let containers: &dyn Containers = match &tool {
        Some(tool) => tool,
        None => &NoTool,
    };
    Ok(finish(with_session(cli, &args.aws, containers, built, |session, program| {
        infrac_lifecycle::deploy::deploy(session, program, &options).map(|_| ExitCode::SUCCESS)
    })))
}

/// `infrac bootstrap`: the staging stack through the same deploy engine,
/// showing what it creates and asking first unless `--yes`.
pub fn bootstrap(cli: &Cli, args: &BootstrapArgs) -> Result<ExitCode, String> {
    let built = build_staging()?;
    let options = DeployOptions { approval: Approval::AnyChange, yes: args.yes, ..Default::default() };
    Ok(finish(with_session(cli, &args.aws, &NoContainers, built, |session, program| {
        infrac_lifecycle::deploy::deploy(session, program, &options)?;
        session.ui.say("The staging bucket and image repository are ready: `infrac deploy` can publish assets.");
        Ok(ExitCode::SUCCESS)
    })))
}

pub fn publish(cli: &Cli, args: &PublishArgs) -> Result<ExitCode, String> {
    let Some(built) = build(cli, &args.program.files)? else { return Ok(ExitCode::from(EXIT_ERRORS)) };
    write_assets(&args.out, &built.assets)?;
    write_all(&args.out, &built.outputs)?;
    let names = args.program.stacks.clone();
    let tool = args.images.tool();
    let containers: &dyn Containers = match &tool {
        Some(tool) => tool,
        None => &NoTool,
    };
    Ok(finish(with_session(cli, &args.aws, containers, built, |session, program| {
        let stacks = program
            .with_dependencies(&names)
            .map_err(|unknown| Failure::usage(format!("the program has no stack {}", unknown.join(", "))))?;
        let published = infrac_lifecycle::publish::publish(session, program, &stacks, &publish_options())?;
        let nothing = [&published.uploaded, &published.present, &published.pushed, &published.images_present];
        if nothing.iter().all(|list| list.is_empty()) {
            session.ui.say("the program has no assets to publish");
        }
        Ok(ExitCode::SUCCESS)
    })))
}

pub fn destroy(cli: &Cli, args: &DestroyArgs) -> Result<ExitCode, String> {
    let Some(built) = build(cli, &args.program.files)? else { return Ok(ExitCode::from(EXIT_ERRORS)) };
    let options =
        DestroyOptions { stacks: args.program.stacks.clone(), yes: args.yes, role_arn: args.role_arn.clone() };
    Ok(finish(with_session(cli, &args.aws, &NoContainers, built, |session, program| {
        infrac_lifecycle::destroy::destroy(session, program, &options).map(|_| ExitCode::SUCCESS)
    })))
}

pub fn drift(cli: &Cli, args: &DriftArgs) -> Result<ExitCode, String> {
    let Some(built) = build(cli, &args.program.files)? else { return Ok(ExitCode::from(EXIT_ERRORS)) };
    let options = DriftOptions { stacks: args.program.stacks.clone() };
    Ok(finish(with_session(cli, &args.aws, &NoContainers, built, |session, program| {
        let drifted = infrac_lifecycle::drift::drift(session, program, &options)?;
        Ok(if drifted { ExitCode::from(EXIT_ERRORS) } else { ExitCode::SUCCESS })
    })))
}

pub fn diff_command(cli: &Cli, args: &DiffArgs) -> Result<ExitCode, String> {
    let Some(built) = build(cli, &args.program.files)? else { return Ok(ExitCode::from(EXIT_ERRORS)) };
    let selected = built
        .program
        .named(&args.program.stacks)
        .map_err(|unknown| format!("the program has no stack {}", unknown.join(", ")))?;
    let new: Vec<StackState> = selected
        .iter()
        .map(|stack| StackState {
            name: stack.name.clone(),
            template: stack.template.clone(),
            parameters: BTreeMap::new(),
        })
        .collect();
    let old = if args.live {
        match live_states(cli, args, &selected) {
            Ok(old) => old,
            Err(failure) => return Ok(finish(Err(failure))),
        }
    } else {
        let dir = args.against.clone().unwrap_or_else(|| PathBuf::from(infrac::init::OUTPUT_DIR));
        let mut old = previous_build(&dir, args.against.is_some())?;
        if !args.program.stacks.is_empty() {
            old.retain(|s| args.program.stacks.contains(&s.name));
        }
        old
    };
    let changes = diff(&old, &new);
    let places = Places::new(built.sources, built.maps, false);
    let place = |stack: &str, logical_id: &str| places.place(stack, logical_id);
    match cli.error_format {
        ErrorFormat::Json => println!("{}", infrac::backend::to_text(&to_json(&changes, Some(&place)))),
        ErrorFormat::Human => {
            print!("{}", render_text(&changes, &RenderOptions { color: colour(cli), locate: Some(&place) }))
        }
    }
    Ok(if args.fail && !changes.is_empty() { ExitCode::from(EXIT_ERRORS) } else { ExitCode::SUCCESS })
}

/// The deployed stacks: the program's, and (unless `--stack` narrows it)
/// those of the last build that the program no longer has, which show as
/// deleted: a stack renamed or removed since.
fn live_states(cli: &Cli, args: &DiffArgs, selected: &[&BuiltStack]) -> Result<Vec<StackState>, Failure> {
    let mut names: Vec<String> = selected.iter().map(|s| s.name.clone()).collect();
    if args.program.stacks.is_empty() {
        let last = previous_build(Path::new(infrac::init::OUTPUT_DIR), true).unwrap_or_default();
        names.extend(last.into_iter().map(|s| s.name).filter(|n| !selected.iter().any(|s| &s.name == n)));
    }
    let cloud = connect(cli, &args.aws)?;
    let interrupt = AtomicBool::new(false);
    let mut terminal = Terminal::new();
    let mut session = Session {
        cloud: &cloud,
        containers: &NoContainers,
        clock: &SystemClock,
        ui: &mut terminal,
        locate: &infrac_lifecycle::locate::NoPlaces,
        interrupt: &interrupt,
        colour: false,
    };
    let deployed = infrac_lifecycle::live::deployed_stacks(&mut session, &names)?;
    Ok(deployed
        .into_iter()
        .filter_map(|(name, deployed)| {
            deployed.map(|d| StackState { name, template: d.template, parameters: d.parameters })
        })
        .collect())
}

/// The stacks of an earlier build (its `manifest.json` and templates).
/// With no build there yet, every stack is new; unless the folder was
/// named, which must then exist.
fn previous_build(dir: &Path, named: bool) -> Result<Vec<StackState>, String> {
    let manifest_path = dir.join("manifest.json");
    let text = match std::fs::read_to_string(&manifest_path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named => {
            eprintln!("note: no earlier build in `{}`: every stack is shown as new", dir.display());
            return Ok(Vec::new());
        }
        Err(e) => return Err(format!("cannot read `{}`: {e}", manifest_path.display())),
    };
    let manifest: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("`{}` is not a build manifest: {e}", manifest_path.display()))?;
    let mut states = Vec::new();
    for entry in manifest.get("stacks").and_then(|s| s.as_array()).into_iter().flatten() {
        let (Some(name), Some(file)) = (entry["name"].as_str(), entry["template"].as_str()) else {
            return Err(format!("`{}` is not a build manifest", manifest_path.display()));
        };
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let template = serde_json::from_str(&text).map_err(|e| format!("`{}` is not JSON: {e}", path.display()))?;
        states.push(StackState { name: name.to_string(), template, parameters: BTreeMap::new() });
    }
    Ok(states)
}

/// `--parameter Stack.Name=value` and `--parameters-file`, by stack.
fn parameter_values(args: &DeployArgs) -> Result<BTreeMap<String, BTreeMap<String, String>>, String> {
    let mut values: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    if let Some(path) = &args.parameters_file {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("`{}` is not JSON: {e}", path.display()))?;
        let shape = || format!("`{}` must be an object of stacks, each an object of parameter values", path.display());
        for (stack, parameters) in json.as_object().ok_or_else(shape)? {
            for (name, value) in parameters.as_object().ok_or_else(shape)? {
                let value = match value {
                    serde_json::Value::String(text) => text.clone(),
                    serde_json::Value::Number(n) => n.to_string(),
                    serde_json::Value::Bool(b) => b.to_string(),
                    _ => return Err(shape()),
                };
                values.entry(stack.clone()).or_default().insert(name.clone(), value);
            }
        }
    }
    for (key, value) in pairs(&args.parameters, "--parameter", "STACK.NAME=VALUE")? {
        let Some((stack, name)) = key.split_once('.') else {
            return Err(format!("`--parameter {key}=...` names no stack; write `--parameter STACK.NAME=VALUE`"));
        };
        values.entry(stack.to_string()).or_default().insert(name.to_string(), value);
    }
    Ok(values)
}

fn pairs(items: &[String], flag: &str, form: &str) -> Result<BTreeMap<String, String>, String> {
    items
        .iter()
        .map(|item| match item.split_once('=') {
            Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
            // The value is not repeated: it may be a secret.
            _ => Err(format!("`{flag}` takes `{form}`")),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    /// The embedded staging program compiles without a diagnostic, not
    /// even a warning.
    #[test]
    fn the_staging_program_compiles_cleanly() {
        let mut sources = infrac::source::SourceMap::new();
        let file = sources.add(super::STAGING_FILE, super::STAGING_PROGRAM.to_string());
        let compilation = infrac::compile(&mut sources, &[file]);
        assert!(
            compilation.diagnostics.is_empty(),
            "{}",
            infrac::diagnostics::render::plain(&sources, &compilation.diagnostics)
        );
        let built = super::build_staging().expect("compiles");
        assert_eq!(built.program.stacks.len(), 1);
        assert_eq!(built.program.stacks[0].name, "InfracStaging");
    }
}
