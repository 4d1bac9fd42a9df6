//! Robustness: thousands of deterministic mutations of every fixture and
//! example go through the whole library pipeline (`infrac::compile`, then
//! every diagnostic rendered with `render::plain` and `render::json`, then
//! every template serialised). None may panic, crash, or take longer than
//! [`TIMEOUT`], and every diagnostic span must lie inside its file.
//!
//! The corpus is read at run time: `tests/fixtures/**/*.infra`,
//! `examples/*.infra`, plus a few built-in seeds so the test means something
//! even before fixtures exist. Mutations come from a xorshift generator
//! seeded with each file's name, so a run is reproducible: a failure prints
//! the mutated input and a minimised reproducer.
//!
//! The inputs run in child processes (this test binary started again, see
//! [`robustness_child`]), so that a stack overflow, which aborts the
//! process, is reported with its input like any panic instead of killing
//! the test run.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use infrac::diagnostics::{render, Diagnostic};
use infrac::source::SourceMap;

/// Tests in this file measure time, so they take turns rather than compete
/// for the CPU.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How long one input may take before it counts as a hang.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Mutated inputs to aim for over the whole corpus; the environment
/// variable `INFRAC_ROBUSTNESS_INPUTS` overrides it for a deeper run.
const TARGET_INPUTS: usize = 10_000;

/// Mutations per corpus file, whatever the corpus size.
const MIN_PER_FILE: usize = 24;

/// Fragments worth inserting: delimiters, operators, string and comment
/// openers, keywords, odd numbers and multi-byte characters.
const INTERESTING: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "$",
    "@",
    ":",
    ",",
    "=",
    "!",
    "?",
    "/",
    "*",
    "\n",
    "${",
    "\"\"\"",
    "/*",
    "*/",
    "//",
    "///",
    "//!",
    "\\",
    "\\$",
    "\\u",
    ".",
    "::",
    "<",
    ">",
    "==",
    "!=",
    "&&",
    "||",
    "-",
    "0",
    "-1",
    "1e999",
    "0.5",
    "99999999999999999999",
    "é",
    "🦀",
    "\u{0}",
    "\r",
    "\t",
    " ",
    "AWS::",
    "AWS::S3::Bucket",
    "_",
    "resource",
    "param",
    "let",
    "output",
    "stack",
    "construct",
    "import",
    "for",
    "in",
    "true",
    "null",
    "aws.",
    "x",
    "json(",
    "select(",
    "range(",
    "@when(false)",
    "@logical_id(\"\")",
    "@depends_on(",
    "\"${",
    "}\"",
];

/// Small programs covering most of the syntax, mutated alongside the
/// corpus files.
const SEEDS: &[(&str, &str)] = &[
    (
        "seed-cats-vs-dogs.infra",
        r#"//! Cats vs Dogs: one file is one stack.

/// The deployment stage.
@allowed(["dev", "prod"])
param stage: string = "dev"

@min(1)
@max(10)
param count: number = 2

@secret
param token: string

let name = "catsdogs-${stage}"
let is_prod = stage == "prod"
let sizes = [1, 2, 3]
let doc = """
    multi-line ${name}
      indented \$ "quoted"
    """

resource logs: AWS::S3::Bucket {
  BucketName: "${name}-logs"
  VersioningConfiguration: { Status: is_prod ? "Enabled" : "Suspended" }
  Tags: [{ Key: "token", Value: token }, { Key: "size", Value: "${sizes[1]}" }]
}

resource dead: AWS::SQS::Queue {
  QueueName: "${name}-dead"
}

@depends_on(logs)
@deletion_policy("Retain")
resource jobs: AWS::SQS::Queue {
  RedrivePolicy: json({ deadLetterTargetArn: dead.Arn, maxReceiveCount: count })
  DelaySeconds: !is_prod && true || false ? 1 : 0
}

@export("${aws.stack_name}-url")
output logs_arn = logs.Arn
/// The queue.
output jobs_url = jobs
output region = "${aws.region}/${aws.account_id}/${join(",", ["a", "b"])}"
"#,
    ),
    (
        "seed-constructs.infra",
        r#"stack Network {
  //! The network.
  resource net: ec2.Vpc { max_azs: 2, nat_gateways: 1 }
  output vpc_id = net.id
}

construct Site {
  param domain: string
  resource bucket: s3.Bucket { name: domain }
  output arn = bucket.arn
}

@tags({ team: "web", "cost-center": "42" })
stack App {
  resource images: ecr.Repository { scan_on_push: true, keep_last: 10 }
  resource web: ecs.LoadBalancedFargateService {
    vpc: Network.net
    image: "${images.uri}:latest"
    cpu: 256
    memory: 512
  }
  @when(aws.region == "us-east-1")
  @logical_id("LegacyBucket")
  resource old: AWS::S3::Bucket {}
  output url = web.url
  output sel = select(0, split(",", "a,b"))
  output ok = { "aws:SourceArn": old.Arn, n: null, l: [1, 2.5, -3] }
}
"#,
    ),
    (
        "seed-errors.infra",
        r#"param p: list<string>
param q: AWS::EC2::VPC::Id
param r: AWS::SSM::Parameter::Value<String> = "/x"
let a = b
let b = a
resource x: AWS::S3::Bucket { BucketName: nope, Unknown: 1, BucketName: "dup" }
resource x: AWS::S3::Buckett {}
resource y: AWS::SQS::Queue { QueueName: x.NotAnAttribute, DelaySeconds: "ten" }
output o = p[5]
output o = unknown_fn(1, 2)
@nope output z = "\q"
/* unterminated
"#,
    ),
];

// ---------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------

#[test]
fn mutated_programs_never_panic_or_hang() {
    let _turn = one_at_a_time();
    let started = Instant::now();
    let corpus = corpus();
    let target = std::env::var("INFRAC_ROBUSTNESS_INPUTS").ok().and_then(|n| n.parse().ok()).unwrap_or(TARGET_INPUTS);
    let per_file = (target / corpus.len()).max(MIN_PER_FILE);
    let mut inputs: Vec<Input> = Vec::new();
    for (name, text) in &corpus {
        inputs.push(Input { name: name.clone(), how: "unmutated".into(), text: text.clone() });
        inputs.extend(mutations(name, text, per_file));
    }

    let scratch = Scratch::new("mutations");
    let report = run_all(&inputs, &scratch);
    let elapsed = started.elapsed();
    println!(
        "robustness: {} inputs checked from {} corpus files ({} mutations each) in {:.1?}; \
         {} compiled without errors, {} diagnostics rendered; slowest input {:.1?} ({})",
        report.checked,
        corpus.len(),
        per_file,
        elapsed,
        report.clean,
        report.diagnostics,
        report.slowest.0,
        inputs.get(report.slowest.1).map_or(String::new(), |i| format!("{} mutated by {}", i.name, i.how)),
    );
    if !report.failures.is_empty() {
        panic!("{}", describe_failures(&inputs, &report.failures, &scratch));
    }
    assert_eq!(report.checked, inputs.len(), "not every input ran");
}

/// Not a test of its own: the body of the child processes that
/// [`mutated_programs_never_panic_or_hang`] starts. Does nothing unless
/// [`CHILD_INPUTS`] names an inputs file. Runs every `stride`-th input from
/// `from` (`CHILD_STRIDE` = `from:stride`) and reports on stdout, one line
/// each: `@@start I`, then `@@ok I MICROS DIAGNOSTICS CLEAN` or
/// `@@fail I MICROS KEY<tab>MESSAGE`.
#[test]
fn robustness_child() {
    let Some(path) = std::env::var_os(CHILD_INPUTS) else { return };
    let inputs = read_inputs(Path::new(&path));
    let stride = std::env::var(CHILD_STRIDE).unwrap_or_else(|_| "0:1".into());
    let (from, step) = stride.split_once(':').expect("CHILD_STRIDE is from:stride");
    let (from, step): (usize, usize) = (from.parse().unwrap(), step.parse().unwrap());
    install_quiet_panic_hook();
    // A generous stack of its own, the same whatever the harness gives.
    std::thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let mut out = std::io::stdout().lock();
            for index in (from..inputs.len()).step_by(step.max(1)) {
                let input = &inputs[index];
                writeln!(out, "@@start {index}").and_then(|()| out.flush()).expect("report to parent");
                let started = Instant::now();
                let result = run_guarded(&input.name, &input.text);
                let micros = started.elapsed().as_micros();
                let line = match result {
                    Ok(o) => format!("@@ok {index} {micros} {} {}", o.diagnostics, u8::from(o.clean)),
                    Err((key, message)) => format!("@@fail {index} {micros} {key}\t{}", message.escape_debug()),
                };
                writeln!(out, "{line}").and_then(|()| out.flush()).expect("report to parent");
            }
        })
        .expect("spawn child worker")
        .join()
        .expect("the child worker catches panics");
}

/// The mutator is deterministic and keeps text valid UTF-8 by construction;
/// this pins down that the same seed gives the same inputs.
#[test]
fn mutations_are_deterministic() {
    let (name, text) = SEEDS[0];
    let first: Vec<String> = mutations(name, text, 50).into_iter().map(|i| i.text).collect();
    let second: Vec<String> = mutations(name, text, 50).into_iter().map(|i| i.text).collect();
    assert_eq!(first, second);
    assert_eq!(first.len(), 50);
    assert!(first.iter().filter(|t| *t != text).count() > 40, "most mutations change the text");
}

/// Deeply nested expressions, run through the real binary (so a stack
/// overflow, which aborts the process, fails this test instead of killing
/// the test binary). Whatever the depth, `infrac check` must answer 0 or 1:
/// compile the program or report an error (such as a nesting limit), never
/// crash. Each program is one `output o = <expr>`.
#[test]
fn deep_nesting_does_not_crash_the_binary() {
    let _turn = one_at_a_time();
    type Shape = (&'static str, fn(usize) -> String);
    let shapes: &[Shape] = &[
        ("nested lists `[[[1]]]`", |n| format!("{}1{}", "[".repeat(n), "]".repeat(n))),
        ("nested objects `{a: {a: 1}}`", |n| format!("{}1{}", "{a: ".repeat(n), "}".repeat(n))),
        ("nested parentheses `((1))`", |n| format!("{}1{}", "(".repeat(n), ")".repeat(n))),
        ("nested calls `f(f())`", |n| format!("{}{}", "f(".repeat(n), ")".repeat(n))),
        ("nested interpolation `\"${\"${1}\"}\"`", |n| format!("{}1{}", "\"${".repeat(n), "}\"".repeat(n))),
        ("negations `!!!true`", |n| format!("{}true", "!".repeat(n))),
        ("nested conditionals `c ? c ? 1 : 2 : 2`", |n| format!("{}1{}", "true ? ".repeat(n), " : 2".repeat(n))),
        ("a flat `||` chain", |n| format!("1{}", " || true".repeat(n))),
        ("an index chain `a[0][0]`", |n| format!("a{}", "[0]".repeat(n))),
        ("a member chain `a.b.b`", |n| format!("a{}", ".b".repeat(n))),
    ];
    let mut cases = Vec::new();
    for depth in [1_000, 10_000] {
        for (shape, make) in shapes {
            cases.push((format!("{shape}, depth {depth}"), format!("output o = {}\n", make(depth))));
        }
    }
    run_binary_cases("deep", &cases, Duration::from_secs(10));
}

/// Unclosed brackets many levels deep: error recovery must stay close to
/// linear. 5,000 levels take well under a second even in a debug build when
/// recovery is linear, and minutes when it is quadratic.
#[test]
fn unclosed_deep_nesting_finishes_quickly() {
    let _turn = one_at_a_time();
    let depth = 5_000;
    let cases = [
        ("unclosed lists `[[[`", "["),
        ("unclosed objects `{a: {a:`", "{a: "),
        ("unclosed calls `f(f(`", "f("),
        ("unclosed parentheses `((`", "("),
    ]
    .map(|(what, open)| (format!("{what}, depth {depth}"), format!("output o = {}\n", open.repeat(depth))));
    run_binary_cases("unclosed", &cases, Duration::from_secs(10));
}

/// A construct that instantiates itself, directly or through another
/// construct, can never be expanded: it must be an error, not endless
/// expansion.
#[test]
fn recursive_constructs_do_not_crash_the_binary() {
    let _turn = one_at_a_time();
    let cases = [
        (
            "a construct that contains itself",
            "construct Echo {\n  resource inner: Echo {}\n}\n\nresource first: Echo {}\n",
        ),
        (
            "two constructs that contain each other",
            "construct A {\n  resource b: B {}\n}\n\nconstruct B {\n  resource a: A {}\n}\n\nresource x: A {}\n",
        ),
    ]
    .map(|(what, program)| (what.to_string(), program.to_string()));
    run_binary_cases("recursive-constructs", &cases, Duration::from_secs(10));
}

/// Compile-time values must stay bounded: a `range` of a hundred billion
/// numbers is an error to report, not an allocation to attempt.
#[test]
fn huge_ranges_do_not_crash_the_binary() {
    let _turn = one_at_a_time();
    let cases = [("`range(99999999999)`", "output o = length(range(99999999999))\n")]
        .map(|(what, program)| (what.to_string(), program.to_string()));
    run_binary_cases("huge-range", &cases, Duration::from_secs(10));
}

/// Runs `infrac --error-format json check` on each `(description, program)`
/// a few at a time, and fails listing every case that crashed, exited with
/// anything but 0 or 1, or ran past `deadline`.
fn run_binary_cases(tag: &str, cases: &[(String, String)], deadline: Duration) {
    let dir = std::env::temp_dir().join(format!("infrac-robustness-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    let mut problems = Vec::new();
    // Two at a time: the machines this runs on may have two cores.
    for (batch_index, batch) in cases.chunks(2).enumerate() {
        let mut running = Vec::new();
        for (i, (what, text)) in batch.iter().enumerate() {
            let path = dir.join(format!("case{batch_index}_{i}.infra"));
            std::fs::write(&path, text).expect("write case");
            let child = limited(Path::new(env!("CARGO_BIN_EXE_infrac")))
                .args(["--error-format", "json", "check"])
                .arg(&path)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn infrac");
            running.push((what, child, Instant::now()));
        }
        for (what, mut child, started) in running {
            let status = loop {
                if let Some(status) = child.try_wait().expect("wait for infrac") {
                    break Some(status);
                }
                if started.elapsed() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
                std::thread::sleep(Duration::from_millis(10));
            };
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                use std::io::Read;
                let _ = pipe.read_to_string(&mut stderr);
            }
            match status {
                None => problems.push(format!("{what}: still running after {deadline:?}")),
                Some(status) if matches!(status.code(), Some(0 | 1)) => {}
                Some(status) => {
                    let first_line = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("").to_string();
                    problems.push(format!("{what}: {status} after {:.1?} ({first_line})", started.elapsed()))
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("{tag}: {} cases through the binary, {} failed", cases.len(), problems.len());
    assert!(
        problems.is_empty(),
        "`infrac check` must exit 0 or 1 within {deadline:?} on every input; it did not on {} of {} programs:\n  {}",
        problems.len(),
        cases.len(),
        problems.join("\n  ")
    );
}

// ---------------------------------------------------------------------------
// The pipeline under test
// ---------------------------------------------------------------------------

/// What one input produced.
struct Outcome {
    diagnostics: usize,
    clean: bool,
}

/// A broken invariant: a key naming the kind of problem (the same for every
/// input that shows it) and the details.
type Broken = (String, String);

fn broken(key: &str, details: String) -> Broken {
    (format!("invariant: {key}"), details)
}

/// Runs everything the library offers on one input. Broken invariants are
/// `Err`; panics propagate to the caller.
fn pipeline(name: &str, text: &str) -> Result<Outcome, Broken> {
    let mut sources = SourceMap::new();
    let file = sources.add(name, text);
    let compilation = infrac::compile(&mut sources, &[file]);
    for diagnostic in &compilation.diagnostics {
        check_spans(&sources, diagnostic)?;
    }
    let plain = render::plain(&sources, &compilation.diagnostics);
    if compilation.diagnostics.is_empty() != plain.is_empty() {
        let count = compilation.diagnostics.len();
        return Err(broken("render::plain output", format!("{} bytes for {count} diagnostics", plain.len())));
    }
    for diagnostic in &compilation.diagnostics {
        let json = render::json(&sources, diagnostic);
        let line = serde_json::to_string(&json).map_err(|e| broken("render::json serialises", e.to_string()))?;
        if line.contains('\n') {
            return Err(broken("render::json is one line", line));
        }
    }
    let has_errors = compilation.has_errors();
    if has_errors && !compilation.stacks.is_empty() {
        return Err(broken("no templates when there are errors", format!("{} stacks", compilation.stacks.len())));
    }
    if !has_errors && compilation.stacks.is_empty() {
        return Err(broken("a template or an error", "compile returned neither".into()));
    }
    for stack in &compilation.stacks {
        let text = infrac::backend::to_text(&stack.template);
        serde_json::from_str::<serde_json::Value>(&text).map_err(|e| broken("templates are JSON", e.to_string()))?;
    }
    infrac::backend::to_text(&infrac::manifest(&sources, &compilation.stacks));
    Ok(Outcome { diagnostics: compilation.diagnostics.len(), clean: !has_errors })
}

/// Every label of `diagnostic` points into a file of `sources`, with
/// `start <= end <= len` and both ends on character boundaries.
fn check_spans(sources: &SourceMap, diagnostic: &Diagnostic) -> Result<(), Broken> {
    let file_count = sources.files().count();
    let code = diagnostic.code.as_str();
    let labels = std::iter::once(&diagnostic.primary).chain(&diagnostic.secondary);
    for label in labels {
        let span = label.span;
        let details = format!("{code} ({}), label `{}`, span {span:?}", diagnostic.message, label.message);
        let problem = if span.file as usize >= file_count {
            Some("span in a known file")
        } else {
            let text = &sources.get(span.file).text;
            if span.start > span.end {
                Some("span start <= end")
            } else if span.end as usize > text.len() {
                Some("span inside the file")
            } else if !text.is_char_boundary(span.start as usize) || !text.is_char_boundary(span.end as usize) {
                Some("span on character boundaries")
            } else {
                None
            }
        };
        if let Some(problem) = problem {
            return Err(broken(&format!("{problem} ({code})"), details));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Running inputs in child processes, with a watchdog
// ---------------------------------------------------------------------------

/// Environment variables that turn [`robustness_child`] on.
const CHILD_INPUTS: &str = "INFRAC_ROBUSTNESS_CHILD_INPUTS";
const CHILD_STRIDE: &str = "INFRAC_ROBUSTNESS_CHILD_STRIDE";

/// Stack size of the thread that compiles, in the children.
const WORKER_STACK: usize = 64 << 20;

/// Crashed or hung inputs after which a child stream gives up, so that a bug
/// hit by every input does not make the test take forever.
const MAX_RESTARTS: usize = 40;

/// Crashed or hung inputs from one corpus file after which that file's other
/// mutations are skipped.
const MAX_FAILURES_PER_FILE: usize = 3;

/// Time allowed to minimise one problem.
const MINIMISE_BUDGET: Duration = Duration::from_secs(10);

struct Input {
    name: String,
    how: String,
    text: String,
}

/// A panic, broken invariant, crash or hang: the input's index and a key
/// that tells distinct bugs apart (the panic location, the invariant, the
/// kind of crash).
struct Failure {
    index: usize,
    key: String,
    message: String,
}

#[derive(Default)]
struct Report {
    checked: usize,
    clean: usize,
    diagnostics: usize,
    /// The longest time one input took, and its index.
    slowest: (Duration, usize),
    failures: Vec<Failure>,
}

/// A scratch directory under the system temp dir, removed when dropped.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("infrac-robustness-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch { dir }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Inputs file format: for each input, its name, its description and its
/// text, each as a decimal byte length on a line of its own followed by
/// the bytes.
fn write_inputs(path: &Path, inputs: &[Input]) {
    let mut bytes = Vec::new();
    for input in inputs {
        for field in [&input.name, &input.how, &input.text] {
            bytes.extend_from_slice(format!("{}\n", field.len()).as_bytes());
            bytes.extend_from_slice(field.as_bytes());
        }
    }
    std::fs::write(path, bytes).expect("write inputs file");
}

fn read_inputs(path: &Path) -> Vec<Input> {
    let bytes = std::fs::read(path).expect("read inputs file");
    let mut rest = bytes.as_slice();
    let mut fields = Vec::new();
    while !rest.is_empty() {
        let newline = rest.iter().position(|&b| b == b'\n').expect("length line");
        let len: usize = std::str::from_utf8(&rest[..newline]).unwrap().parse().expect("length");
        fields.push(String::from_utf8(rest[newline + 1..newline + 1 + len].to_vec()).expect("UTF-8 field"));
        rest = &rest[newline + 1 + len..];
    }
    let mut fields = fields.into_iter();
    let mut inputs = Vec::new();
    while let (Some(name), Some(how), Some(text)) = (fields.next(), fields.next(), fields.next()) {
        inputs.push(Input { name, how, text });
    }
    inputs
}

/// One line from a child.
enum Event {
    Start(usize),
    Done(usize, Duration, Result<(usize, bool), (String, String)>),
    /// The child closed its stdout: it finished or died.
    End,
}

fn parse_event(line: &str) -> Option<Event> {
    let line = &line[line.find("@@")? + 2..];
    let (kind, rest) = line.split_once(' ')?;
    let mut words = rest.splitn(3, ' ');
    let index: usize = words.next()?.parse().ok()?;
    if kind == "start" {
        return Some(Event::Start(index));
    }
    let elapsed = Duration::from_micros(words.next()?.parse().ok()?);
    let rest = words.next()?;
    match kind {
        "ok" => {
            let (diagnostics, clean) = rest.split_once(' ')?;
            Some(Event::Done(index, elapsed, Ok((diagnostics.parse().ok()?, clean == "1"))))
        }
        "fail" => {
            let (key, message) = rest.split_once('\t')?;
            Some(Event::Done(index, elapsed, Err((key.to_string(), message.to_string()))))
        }
        _ => None,
    }
}

/// Virtual memory a child process may use, so that a runaway compile-time
/// computation fails fast instead of exhausting the machine.
const CHILD_MEMORY_KB: u64 = 4 << 20;

/// A command for `program` that runs under [`CHILD_MEMORY_KB`] where the
/// system has a POSIX shell to set the limit with.
fn limited(program: &Path) -> Command {
    if cfg!(unix) && Path::new("/bin/sh").exists() {
        let mut command = Command::new("/bin/sh");
        command.arg("-c").arg(format!("ulimit -v {CHILD_MEMORY_KB} 2>/dev/null; exec \"$0\" \"$@\"")).arg(program);
        command
    } else {
        Command::new(program)
    }
}

/// Starts this test binary as a child running [`robustness_child`].
fn spawn_child(inputs_file: &Path, from: usize, stride: usize) -> Child {
    limited(&std::env::current_exe().expect("the test binary"))
        .args(["robustness_child", "--exact", "--nocapture", "--test-threads=1", "--quiet"])
        .env(CHILD_INPUTS, inputs_file)
        .env(CHILD_STRIDE, format!("{from}:{stride}"))
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start a child test process")
}

/// Runs every input in child processes, two streams in parallel, and
/// collects what happened. A child that dies or overruns [`TIMEOUT`] is
/// blamed on the input it was running and restarted after it.
fn run_all(inputs: &[Input], scratch: &Scratch) -> Report {
    let inputs_file = scratch.dir.join("inputs");
    write_inputs(&inputs_file, inputs);
    let names: Vec<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
    let streams = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
    let reports: Vec<Report> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..streams)
            .map(|k| {
                scope.spawn({
                    let inputs_file = &inputs_file;
                    let names = &names;
                    move || supervise(inputs_file, names, k, streams)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("supervisor")).collect()
    });
    let mut report = Report::default();
    for part in reports {
        report.checked += part.checked;
        report.clean += part.clean;
        report.diagnostics += part.diagnostics;
        if part.slowest.0 > report.slowest.0 {
            report.slowest = part.slowest;
        }
        report.failures.extend(part.failures);
    }
    report.failures.sort_by_key(|f| f.index);
    report
}

/// Runs inputs `k`, `k + stride`, ... in a child, restarting it after an
/// input that crashed or hung.
fn supervise(inputs_file: &Path, names: &[&str], k: usize, stride: usize) -> Report {
    let count = names.len();
    let mut report = Report::default();
    let mut from = k;
    let mut restarts = 0;
    // Crashes and hangs per corpus file: after a few, the rest of that
    // file's inputs are skipped (they would likely fail the same way, each
    // costing a restart or a timeout).
    let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
    while from < count {
        let mut child = spawn_child(inputs_file, from, stride);
        let (sender, events) = mpsc::channel();
        let stdout = child.stdout.take().expect("piped stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(event) = parse_event(&line) {
                    if sender.send(event).is_err() {
                        return;
                    }
                }
            }
            let _ = sender.send(Event::End);
        });
        let mut stderr = child.stderr.take().expect("piped stderr");
        let stderr_reader = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });

        let mut current: Option<(usize, Instant)> = None;
        let mut next_from = count;
        loop {
            match events.recv_timeout(Duration::from_millis(100)) {
                Ok(Event::Start(index)) => current = Some((index, Instant::now())),
                Ok(Event::Done(index, elapsed, result)) => {
                    current = None;
                    report.checked += 1;
                    if elapsed > report.slowest.0 {
                        report.slowest = (elapsed, index);
                    }
                    match result {
                        Ok((diagnostics, clean)) => {
                            report.diagnostics += diagnostics;
                            report.clean += usize::from(clean);
                        }
                        Err((key, message)) => report.failures.push(Failure { index, key, message }),
                    }
                }
                Ok(Event::End) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = child.wait().expect("wait for child");
                    let stderr = stderr_reader.join().unwrap_or_default();
                    if let Some((index, started)) = current {
                        report.checked += 1;
                        let (key, message) = crash_key(&status, &stderr, started.elapsed());
                        report.failures.push(Failure { index, key, message });
                        next_from = index + stride;
                    } else if !status.success() {
                        // Died between inputs: blame nothing, but say so.
                        let message = format!("child {status} between inputs:\n{stderr}");
                        report.failures.push(Failure { index: from, key: "child failed".into(), message });
                    }
                    break;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Some((index, started)) = current {
                        if started.elapsed() > TIMEOUT {
                            let _ = child.kill();
                            let _ = child.wait();
                            report.checked += 1;
                            report.failures.push(Failure {
                                index,
                                key: "hang".into(),
                                message: format!("still running after {:.1?}", started.elapsed()),
                            });
                            next_from = index + stride;
                            break;
                        }
                    }
                }
            }
        }
        if next_from < count {
            let failed = names[next_from - stride];
            let failures = per_file.entry(failed).or_default();
            *failures += 1;
            if *failures >= MAX_FAILURES_PER_FILE {
                let skipped_from = next_from;
                while next_from < count && names[next_from] == failed {
                    next_from += stride;
                }
                let skipped = (skipped_from..next_from).step_by(stride).count();
                if skipped > 0 {
                    report.checked += skipped;
                    let message =
                        format!("{skipped} more inputs of {failed} skipped after {failures} crashes or hangs");
                    report.failures.push(Failure { index: skipped_from, key: "skipped".into(), message });
                }
            }
        }
        from = next_from;
        if from < count {
            restarts += 1;
            if restarts > MAX_RESTARTS {
                let message = format!("gave up after {MAX_RESTARTS} crashes or hangs; inputs from {from} not run");
                report.failures.push(Failure { index: from, key: "too many crashes".into(), message });
                report.checked += (from..count).step_by(stride).count();
                break;
            }
        }
    }
    report
}

/// Describes how a child died while running an input.
fn crash_key(status: &std::process::ExitStatus, stderr: &str, elapsed: Duration) -> (String, String) {
    let key = if stderr.contains("overflowed its stack") {
        "crash: stack overflow".to_string()
    } else if stderr.contains("memory allocation of") {
        "crash: out of memory".to_string()
    } else {
        format!("crash: {status}")
    };
    let tail: Vec<&str> = stderr.lines().rev().take(5).collect::<Vec<_>>().into_iter().rev().collect();
    (key, format!("the process died ({status}) after {elapsed:.1?}:\n{}", tail.join("\n")))
}

thread_local! {
    /// Set while a worker runs the pipeline: its panics are expected and
    /// reported by the test, not printed by the hook.
    static QUIET: Cell<bool> = const { Cell::new(false) };
    /// Where the last quiet panic happened.
    static PANIC_LOCATION: RefCell<String> = const { RefCell::new(String::new()) };
}

fn install_quiet_panic_hook() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if QUIET.with(Cell::get) {
            let location =
                info.location().map_or("unknown location".to_string(), |l| format!("{}:{}", l.file(), l.line()));
            PANIC_LOCATION.with(|p| *p.borrow_mut() = location);
        } else {
            previous(info);
        }
    }));
}

/// Runs the pipeline, turning a panic into `Err((key, message))` where the
/// key is the panic location and a broken invariant into `Err` keyed by its
/// kind.
fn run_guarded(name: &str, text: &str) -> Result<Outcome, (String, String)> {
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| pipeline(name, text)));
    QUIET.with(|q| q.set(false));
    match result {
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err((key, details))) => Err((key, details)),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic payload".into());
            let location = PANIC_LOCATION.with(|p| p.borrow().clone());
            Err((format!("panic at {location}"), format!("panicked at {location}: {message}")))
        }
    }
}

// ---------------------------------------------------------------------------
// Reporting and minimising failures
// ---------------------------------------------------------------------------

fn describe_failures(inputs: &[Input], failures: &[Failure], scratch: &Scratch) -> String {
    let mut by_key: BTreeMap<&str, Vec<&Failure>> = BTreeMap::new();
    for failure in failures {
        by_key.entry(&failure.key).or_default().push(failure);
    }
    let mut out =
        format!("{} of {} inputs failed, {} distinct problems:\n", failures.len(), inputs.len(), by_key.len());
    for (key, group) in &by_key {
        if *key == "skipped" || *key == "too many crashes" {
            out.push_str(&format!("\n=== {key}\n"));
            for failure in group {
                out.push_str(&format!("{}\n", failure.message));
            }
            continue;
        }
        let first = group[0];
        let Some(input) = inputs.get(first.index) else { continue };
        out.push_str(&format!(
            "\n=== {key} ({} inputs)\n{}\nfirst seen in {} mutated by {}\n",
            group.len(),
            first.message,
            input.name,
            input.how
        ));
        if *key == "hang" || *key == "child failed" {
            out.push_str(&format!("----- input ({} bytes)\n{}\n----- end of input\n", input.text.len(), input.text));
            continue;
        }
        let minimal = minimise(&input.name, &input.text, key, scratch);
        out.push_str(&format!(
            "----- minimal reproducer ({} bytes)\n{minimal}\n----- as a Rust string\n{minimal:?}\n",
            minimal.len()
        ));
    }
    out
}

/// Runs one input in a child and returns its failure key, if any.
fn failure_key(name: &str, text: &str, scratch: &Scratch) -> Option<String> {
    let file = scratch.dir.join("candidate");
    write_inputs(&file, &[Input { name: name.into(), how: String::new(), text: text.into() }]);
    let mut child = spawn_child(&file, 0, 1);
    let started = Instant::now();
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for child") {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Some("hang".into());
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let (stdout, stderr) = (out_reader.join().unwrap_or_default(), err_reader.join().unwrap_or_default());
    let done = stdout.lines().filter_map(parse_event).find_map(|e| match e {
        Event::Done(_, _, result) => Some(result),
        _ => None,
    });
    match done {
        Some(Ok(_)) => None,
        Some(Err((key, _))) => Some(key),
        None => Some(crash_key(&status, &stderr, started.elapsed()).0),
    }
}

/// Shrinks `text` while it still fails with the same `key`: first whole
/// lines, then single characters, within [`MINIMISE_BUDGET`]. Each attempt
/// runs in a child process, so attempts that crash are safe.
fn minimise(name: &str, text: &str, key: &str, scratch: &Scratch) -> String {
    let deadline = Instant::now() + MINIMISE_BUDGET;
    let mut current = text.to_string();
    for by_chars in [false, true] {
        let mut pieces: Vec<String> = if by_chars {
            current.chars().map(String::from).collect()
        } else {
            current.split_inclusive('\n').map(String::from).collect()
        };
        let mut chunk = pieces.len().div_ceil(2).max(1);
        loop {
            let mut start = 0;
            let mut removed_any = false;
            while start < pieces.len() {
                if Instant::now() > deadline {
                    return current;
                }
                let end = (start + chunk).min(pieces.len());
                let candidate: String = pieces[..start].iter().chain(&pieces[end..]).map(String::as_str).collect();
                if failure_key(name, &candidate, scratch).as_deref() == Some(key) {
                    pieces.drain(start..end);
                    current = candidate;
                    removed_any = true;
                } else {
                    start = end;
                }
            }
            if chunk == 1 && !removed_any {
                break;
            }
            chunk = (chunk / 2).max(1);
        }
    }
    current
}

// ---------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------

fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    collect_infra_files(&root.join("tests/fixtures"), true, &mut paths);
    collect_infra_files(&root.join("examples"), false, &mut paths);
    paths.sort();
    let mut corpus: Vec<(String, String)> = paths
        .iter()
        .filter_map(|path| {
            // A fixture that is not UTF-8 cannot reach the library; skip it.
            let text = std::fs::read_to_string(path).ok()?;
            let name = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
            Some((name, text))
        })
        .collect();
    corpus.extend(SEEDS.iter().map(|(name, text)| (name.to_string(), text.to_string())));
    corpus
}

fn collect_infra_files(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if recursive {
                collect_infra_files(&path, true, out);
            }
        } else if path.extension().is_some_and(|e| e == "infra") {
            out.push(path);
        }
    }
}

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

/// xorshift64*: tiny, deterministic, good enough to pick positions.
struct Rng(u64);

impl Rng {
    /// Seeds from a name with FNV-1a, so every file gets its own stream.
    fn for_name(name: &str) -> Rng {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in name.bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        Rng(hash | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// `count` mutations of `text`: a quarter truncations at evenly spaced
/// character boundaries, the rest single or stacked edits. Works on chars,
/// so every result is valid UTF-8.
fn mutations(name: &str, text: &str, count: usize) -> Vec<Input> {
    let mut rng = Rng::for_name(name);
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::with_capacity(count);
    let input = |how: String, text: String| Input { name: name.to_string(), how, text };

    let truncations = (count / 4).min(chars.len()).max(1);
    for i in 0..truncations {
        let at = i * chars.len() / truncations;
        out.push(input(format!("truncation at char {at}"), chars[..at].iter().collect()));
    }
    while out.len() < count {
        let mut current = chars.clone();
        let edits = if rng.below(3) == 0 { 2 + rng.below(3) } else { 1 };
        let how: Vec<String> = (0..edits).map(|_| mutate_once(&mut rng, &mut current)).collect();
        out.push(input(how.join(", then "), current.into_iter().collect()));
    }
    out
}

/// Applies one random edit in place and says what it did.
fn mutate_once(rng: &mut Rng, chars: &mut Vec<char>) -> String {
    let len = chars.len();
    match rng.below(7) {
        0 if len > 0 => {
            let at = rng.below(len);
            let n = (1 + rng.below(3)).min(len - at);
            let gone: String = chars.drain(at..at + n).collect();
            format!("deleting {gone:?} at char {at}")
        }
        1 | 2 => {
            let at = rng.below(len + 1);
            let fragment = *rng.pick(INTERESTING);
            chars.splice(at..at, fragment.chars());
            format!("inserting {fragment:?} at char {at}")
        }
        3 if len > 0 => {
            let at = rng.below(len);
            let fragment = *rng.pick(INTERESTING);
            let old = chars[at];
            chars.splice(at..at + 1, fragment.chars());
            format!("replacing {old:?} at char {at} with {fragment:?}")
        }
        4 => {
            let mut lines = split_lines(chars);
            if lines.len() < 2 {
                return "nothing (too few lines to swap)".into();
            }
            let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
            lines.swap(a, b);
            *chars = lines.concat();
            format!("swapping lines {} and {}", a + 1, b + 1)
        }
        5 => {
            let mut lines = split_lines(chars);
            if lines.is_empty() {
                return "nothing (no line to duplicate)".into();
            }
            let a = rng.below(lines.len());
            let line = lines[a].clone();
            lines.insert(a, line);
            *chars = lines.concat();
            format!("duplicating line {}", a + 1)
        }
        _ => {
            let mut lines = split_lines(chars);
            if lines.is_empty() {
                return "nothing (no line to delete)".into();
            }
            let a = rng.below(lines.len());
            lines.remove(a);
            *chars = lines.concat();
            format!("deleting line {}", a + 1)
        }
    }
}

/// Lines with their `\n` kept, so joining them gives the text back (a last
/// line without `\n` gets none).
fn split_lines(chars: &[char]) -> Vec<Vec<char>> {
    let mut lines = Vec::new();
    let mut line = Vec::new();
    for &c in chars {
        line.push(c);
        if c == '\n' {
            lines.push(std::mem::take(&mut line));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
