//! The container tool behind image assets: `docker` or `podman`, run as a
//! process with the Docker CLI's syntax (`build`, `login
//! --password-stdin`, `push`), which both share.

use std::io::Write;
use std::process::{Command, Stdio};

use infrac_lifecycle::containers::{BuildRequest, Containers};

/// The tool to run, by name or path.
pub struct Tool {
    pub program: String,
}

impl Tool {
    /// `--container-tool`, else `docker` or `podman`, whichever is on
    /// `PATH` first in that order.
    pub fn find(chosen: Option<&str>) -> Option<Tool> {
        if let Some(program) = chosen {
            return Some(Tool { program: program.to_string() });
        }
        let path = std::env::var_os("PATH")?;
        ["docker", "podman"].into_iter().find_map(|name| {
            std::env::split_paths(&path).any(|dir| dir.join(name).is_file()).then(|| Tool { program: name.to_string() })
        })
    }

    fn run(&self, args: &[String], input: Option<&str>) -> Result<(), String> {
        let mut command = Command::new(&self.program);
        command.args(args).stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() });
        // BuildKit's provenance attestations would make the pushed manifest
        // a list that Lambda and some registries refuse.
        command.env("BUILDX_NO_DEFAULT_ATTESTATIONS", "1");
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command.spawn().map_err(|e| format!("cannot run `{}`: {e}", self.program))?;
        if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
            let _ = stdin.write_all(input.as_bytes());
        }
        let output = child.wait_with_output().map_err(|e| format!("`{}` failed: {e}", self.program))?;
        if output.status.success() {
            return Ok(());
        }
        // What the tool said last is what explains the failure.
        let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        let lines: Vec<&str> = said.lines().collect();
        let tail = lines[lines.len().saturating_sub(30)..].join("\n");
        Err(format!("`{} {}` exited with {}:\n{tail}", self.program, args.first().map_or("", |a| a), output.status))
    }
}

impl Containers for Tool {
    fn build(&self, request: &BuildRequest) -> Result<(), String> {
        let options = &request.options;
        let mut args = vec!["build".to_string(), "--tag".to_string(), request.image.clone()];
        if let Some(dockerfile) = &options.dockerfile {
            args.extend(["--file".to_string(), format!("{}/{dockerfile}", request.context)]);
        }
        for (name, value) in &options.build_args {
            args.extend(["--build-arg".to_string(), format!("{name}={value}")]);
        }
        if let Some(target) = &options.target {
            args.extend(["--target".to_string(), target.clone()]);
        }
        if let Some(platform) = &options.platform {
            args.extend(["--platform".to_string(), platform.clone()]);
        }
        args.push(request.context.clone());
        self.run(&args, None)
    }

    fn login(&self, registry: &str, username: &str, password: &str) -> Result<(), String> {
        let args = ["login", "--username", username, "--password-stdin", registry].map(String::from);
        self.run(&args, Some(password))
    }

    fn push(&self, image: &str) -> Result<(), String> {
        self.run(&["push".to_string(), image.to_string()], None)
    }
}

/// When neither `docker` nor `podman` is on `PATH`: a program with images
/// is refused with what to install, before anything is built.
pub struct NoTool;

const NO_TOOL: &str = "building images needs `docker` or `podman` on PATH (or `--container-tool PROGRAM`)";

impl Containers for NoTool {
    fn build(&self, _: &BuildRequest) -> Result<(), String> {
        Err(NO_TOOL.to_string())
    }

    fn login(&self, _: &str, _: &str, _: &str) -> Result<(), String> {
        Err(NO_TOOL.to_string())
    }

    fn push(&self, _: &str) -> Result<(), String> {
        Err(NO_TOOL.to_string())
    }
}
