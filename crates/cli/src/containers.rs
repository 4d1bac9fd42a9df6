//! The container tool behind image assets: `docker` or `podman`, run as a
//! process with the Docker CLI's syntax (`build`, `login
//! --password-stdin`, `manifest inspect`, `push`), which both share.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;

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
        let mut said = Vec::new();
        self.run_streaming(args, input, &mut |line| said.push(line.to_string())).map_err(|error| {
            // What the tool said last is what explains the failure.
            let tail = &said[said.len().saturating_sub(30)..];
            tail.iter().chain(std::iter::once(&error)).cloned().collect::<Vec<_>>().join("\n")
        })
    }

    /// Runs the tool, passing every line it prints (on either stream) to
    /// `output` as it comes; the error says how it ended.
    fn run_streaming(&self, args: &[String], input: Option<&str>, output: &mut dyn FnMut(&str)) -> Result<(), String> {
        let mut command = Command::new(&self.program);
        command.args(args).stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() });
        // BuildKit's provenance attestations would make the pushed manifest
        // a list that Lambda and some registries refuse; plain progress
        // prints one line per step instead of redrawing a screen.
        command.env("BUILDX_NO_DEFAULT_ATTESTATIONS", "1").env("BUILDKIT_PROGRESS", "plain");
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = command.spawn().map_err(|e| format!("cannot run `{}`: {e}", self.program))?;
        if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
            let _ = stdin.write_all(input.as_bytes());
        }
        let (sender, receiver) = mpsc::channel::<String>();
        let readers: Vec<_> = [
            child.stdout.take().map(|o| Box::new(o) as Box<dyn Read + Send>),
            child.stderr.take().map(|e| Box::new(e) as Box<dyn Read + Send>),
        ]
        .into_iter()
        .flatten()
        .map(|stream| {
            let sender = sender.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = sender.send(line);
                }
            })
        })
        .collect();
        drop(sender);
        for line in receiver {
            output(&line);
        }
        for reader in readers {
            let _ = reader.join();
        }
        let status = child.wait().map_err(|e| format!("`{}` failed: {e}", self.program))?;
        if status.success() {
            return Ok(());
        }
        Err(format!("`{} {}` exited with {status}", self.program, args.first().map_or("", |a| a)))
    }
}

impl Containers for Tool {
    fn build(&self, request: &BuildRequest, output: &mut dyn FnMut(&str)) -> Result<(), String> {
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
        self.run_streaming(&args, None, output)
    }

    fn login(&self, registry: &str, username: &str, password: &str) -> Result<(), String> {
        let args = ["login", "--username", username, "--password-stdin", registry].map(String::from);
        self.run(&args, Some(password))
    }

    /// Asks the registry over plain HTTP (`HEAD /v2/NAME/manifests/TAG`):
    /// only a registry override (`INFRAC_REGISTRY_HOST`, a test registry on
    /// the loopback) is asked, since ECR's `DescribeImages` knows its own.
    /// `docker manifest inspect` would do, but podman's refuses a plain
    /// image manifest.
    fn exists(&self, image: &str) -> Result<bool, String> {
        registry_has(image)
    }

    fn push(&self, image: &str) -> Result<(), String> {
        self.run(&["push".to_string(), image.to_string()], None)
    }
}

/// Whether the registry named in `image` (`HOST:PORT/NAME:TAG`) holds it,
/// asked with one plain-HTTP `HEAD` request.
fn registry_has(image: &str) -> Result<bool, String> {
    use std::net::TcpStream;
    use std::time::Duration;
    let (host, rest) = image.split_once('/').ok_or_else(|| format!("`{image}` names no registry"))?;
    let (name, tag) = rest.rsplit_once(':').ok_or_else(|| format!("`{image}` has no tag"))?;
    let address = std::net::ToSocketAddrs::to_socket_addrs(host)
        .map_err(|e| format!("cannot resolve `{host}`: {e}"))?
        .next()
        .ok_or_else(|| format!("cannot resolve `{host}`"))?;
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(10))
        .map_err(|e| format!("cannot reach `{host}`: {e}"))?;
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let accept = "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, \
                  application/vnd.docker.distribution.manifest.v2+json, \
                  application/vnd.docker.distribution.manifest.list.v2+json";
    write!(
        stream,
        "HEAD /v2/{name}/manifests/{tag} HTTP/1.1\r\nHost: {host}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("cannot ask `{host}`: {e}"))?;
    let mut status = String::new();
    BufReader::new(stream).read_line(&mut status).map_err(|e| format!("no answer from `{host}`: {e}"))?;
    match status.split_whitespace().nth(1) {
        Some("200") => Ok(true),
        Some("404") => Ok(false),
        _ => Err(format!("`{host}` answered `{}`", status.trim())),
    }
}

/// When neither `docker` nor `podman` is on `PATH`: a program with images
/// is refused with what to install, before anything is built.
pub struct NoTool;

const NO_TOOL: &str = "building images needs `docker` or `podman` on PATH (or `--container-tool PROGRAM`)";

impl Containers for NoTool {
    fn build(&self, _: &BuildRequest, _: &mut dyn FnMut(&str)) -> Result<(), String> {
        Err(NO_TOOL.to_string())
    }

    fn exists(&self, _: &str) -> Result<bool, String> {
        Err(NO_TOOL.to_string())
    }

    fn login(&self, _: &str, _: &str, _: &str) -> Result<(), String> {
        Err(NO_TOOL.to_string())
    }

    fn push(&self, _: &str) -> Result<(), String> {
        Err(NO_TOOL.to_string())
    }
}
