//! Robustness: thousands of deterministic mutations of every fixture and
//! example go through the whole library pipeline (`infrac::compile`, then
//! every diagnostic rendered with `render::plain` and `render::json`, then
//! every template serialised). None may panic, none may take longer than
//! [`TIMEOUT`], and every diagnostic span must lie inside its file.
//!
//! The corpus is read at run time: `tests/fixtures/**/*.infra`,
//! `examples/*.infra`, plus a few built-in seeds so the test means something
//! even before fixtures exist. Mutations come from a xorshift generator
//! seeded with each file's name, so a run is reproducible: a failure prints
//! the mutated input and a minimised reproducer.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
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
    let inputs = Arc::new(inputs);

    install_quiet_panic_hook();
    let report = run_all(Arc::clone(&inputs));
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
        report.slowest.1,
    );

    if let Some((index, elapsed)) = report.hang {
        let input = &inputs[index];
        panic!(
            "the pipeline hung (still running after {elapsed:.1?}) on {} mutated by {}.\n\
             ----- input ({} bytes)\n{}\n----- end of input",
            input.name,
            input.how,
            input.text.len(),
            input.text
        );
    }
    if !report.failures.is_empty() {
        panic!("{}", describe_failures(&inputs, &report.failures));
    }
    assert!(report.checked >= inputs.len(), "only {} of {} inputs ran", report.checked, inputs.len());
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
            let child = std::process::Command::new(env!("CARGO_BIN_EXE_infrac"))
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
        "`infrac check` must exit 0 or 1 within {deadline:?} on every input; it did not on {} of {} programs \
         (each is `output o = <expr>`):\n  {}",
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

/// Runs everything the library offers on one input. Broken invariants are
/// `Err`; panics propagate to the caller.
fn pipeline(name: &str, text: &str) -> Result<Outcome, String> {
    let mut sources = SourceMap::new();
    let file = sources.add(name, text);
    let compilation = infrac::compile(&sources, &[file]);
    for diagnostic in &compilation.diagnostics {
        check_spans(&sources, diagnostic)?;
    }
    let plain = render::plain(&sources, &compilation.diagnostics);
    if compilation.diagnostics.is_empty() != plain.is_empty() {
        return Err(format!(
            "render::plain printed {} bytes for {} diagnostics",
            plain.len(),
            compilation.diagnostics.len()
        ));
    }
    for diagnostic in &compilation.diagnostics {
        let json = render::json(&sources, diagnostic);
        let line = serde_json::to_string(&json).map_err(|e| format!("render::json is not serialisable: {e}"))?;
        if line.contains('\n') {
            return Err(format!("render::json spans several lines: {line}"));
        }
    }
    let has_errors = compilation.has_errors();
    if has_errors && !compilation.stacks.is_empty() {
        return Err("compile returned templates although there were errors".into());
    }
    if !has_errors && compilation.stacks.len() != 1 {
        return Err(format!("compile returned {} stacks for one file without errors", compilation.stacks.len()));
    }
    for stack in &compilation.stacks {
        let text = infrac::backend::to_text(&stack.template);
        serde_json::from_str::<serde_json::Value>(&text).map_err(|e| format!("template is not JSON: {e}"))?;
    }
    infrac::backend::to_text(&infrac::manifest(&sources, &compilation.stacks));
    Ok(Outcome { diagnostics: compilation.diagnostics.len(), clean: !has_errors })
}

/// Every label of `diagnostic` points into a file of `sources`, with
/// `start <= end <= len` and both ends on character boundaries.
fn check_spans(sources: &SourceMap, diagnostic: &Diagnostic) -> Result<(), String> {
    let file_count = sources.files().count();
    let labels = std::iter::once(&diagnostic.primary).chain(&diagnostic.secondary);
    for label in labels {
        let span = label.span;
        let what =
            format!("{} ({}) label `{}` span {:?}", diagnostic.code.as_str(), diagnostic.message, label.message, span);
        if span.file as usize >= file_count {
            return Err(format!("{what}: no such file"));
        }
        let text = &sources.get(span.file).text;
        if span.start > span.end {
            return Err(format!("{what}: start is after end"));
        }
        if span.end as usize > text.len() {
            return Err(format!("{what}: ends after the end of the file ({} bytes)", text.len()));
        }
        if !text.is_char_boundary(span.start as usize) || !text.is_char_boundary(span.end as usize) {
            return Err(format!("{what}: not on a character boundary"));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Running inputs on workers, with a watchdog
// ---------------------------------------------------------------------------

struct Input {
    name: String,
    how: String,
    text: String,
}

/// A panic or broken invariant: the input's index and a key that tells
/// distinct bugs apart (the panic location, or the invariant).
struct Failure {
    index: usize,
    key: String,
    message: String,
}

struct Report {
    checked: usize,
    clean: usize,
    diagnostics: usize,
    slowest: (Duration, String),
    failures: Vec<Failure>,
    hang: Option<(usize, Duration)>,
}

/// One input's index, how long it took and what it gave.
type Ran = (usize, Duration, Result<Outcome, (String, String)>);

/// What a worker is doing: the index of its input and when it started.
type Busy = Arc<Mutex<Option<(usize, Instant)>>>;

fn run_all(inputs: Arc<Vec<Input>>) -> Report {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
    let next = Arc::new(AtomicUsize::new(0));
    let results: Arc<Mutex<Vec<Ran>>> = Arc::new(Mutex::new(Vec::with_capacity(inputs.len())));
    let mut busy: Vec<Busy> = Vec::new();
    let mut handles = Vec::new();
    for _ in 0..workers {
        let slot: Busy = Arc::new(Mutex::new(None));
        busy.push(Arc::clone(&slot));
        let (inputs, next, results) = (Arc::clone(&inputs), Arc::clone(&next), Arc::clone(&results));
        let handle = std::thread::Builder::new()
            .name("robustness-worker".into())
            .stack_size(64 << 20)
            .spawn(move || loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                let Some(input) = inputs.get(index) else { break };
                let started = Instant::now();
                *slot.lock().unwrap() = Some((index, started));
                let result = run_guarded(&input.name, &input.text);
                let elapsed = started.elapsed();
                *slot.lock().unwrap() = None;
                results.lock().unwrap().push((index, elapsed, result));
            })
            .expect("spawn worker");
        handles.push(handle);
    }

    // The watchdog: a worker stuck on one input past the timeout is a hang.
    let mut hang = None;
    while !handles.iter().all(|h| h.is_finished()) {
        std::thread::sleep(Duration::from_millis(20));
        for slot in &busy {
            if let Some((index, started)) = *slot.lock().unwrap() {
                if started.elapsed() > TIMEOUT {
                    hang = Some((index, started.elapsed()));
                }
            }
        }
        if hang.is_some() {
            break;
        }
    }
    if hang.is_none() {
        for handle in handles {
            handle.join().expect("workers catch every panic");
        }
    }

    let results = std::mem::take(&mut *results.lock().unwrap());
    let mut report = Report {
        checked: results.len(),
        clean: 0,
        diagnostics: 0,
        slowest: (Duration::ZERO, String::new()),
        failures: Vec::new(),
        hang,
    };
    for (index, elapsed, result) in results {
        if elapsed > report.slowest.0 {
            report.slowest = (elapsed, format!("{} mutated by {}", inputs[index].name, inputs[index].how));
        }
        match result {
            Ok(outcome) => {
                report.clean += usize::from(outcome.clean);
                report.diagnostics += outcome.diagnostics;
            }
            Err((key, message)) => report.failures.push(Failure { index, key, message }),
        }
    }
    report.failures.sort_by_key(|f| f.index);
    report
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
        Ok(Err(broken)) => {
            let key = format!("invariant: {}", broken.split(':').next().unwrap_or(&broken));
            Err((key, broken))
        }
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

fn describe_failures(inputs: &[Input], failures: &[Failure]) -> String {
    let mut by_key: BTreeMap<&str, Vec<&Failure>> = BTreeMap::new();
    for failure in failures {
        by_key.entry(&failure.key).or_default().push(failure);
    }
    let mut out =
        format!("{} of {} inputs failed, {} distinct problems:\n", failures.len(), inputs.len(), by_key.len());
    for (key, group) in &by_key {
        let first = group[0];
        let input = &inputs[first.index];
        out.push_str(&format!(
            "\n=== {key} ({} inputs)\n{}\nfirst seen in {} mutated by {}\n",
            group.len(),
            first.message,
            input.name,
            input.how
        ));
        let minimal = minimise(&input.name, &input.text, key);
        out.push_str(&format!(
            "----- minimal reproducer ({} bytes)\n{minimal}\n----- as a Rust string\n{minimal:?}\n",
            minimal.len()
        ));
    }
    out
}

/// Shrinks `text` while it still fails with the same `key`: first whole
/// lines, then single characters. Runs on a worker with a deadline, in case
/// a smaller input hangs.
fn minimise(name: &str, text: &str, key: &str) -> String {
    let (name, text, key) = (name.to_string(), text.to_string(), key.to_string());
    let best = Arc::new(Mutex::new(text.clone()));
    let shared = Arc::clone(&best);
    let worker = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let fails = |candidate: &str| matches!(run_guarded(&name, candidate), Err((k, _)) if k == key);
            let mut current = text;
            // Pieces: lines first, then characters.
            for by_chars in [false, true] {
                let split = |s: &str| -> Vec<String> {
                    if by_chars {
                        s.chars().map(String::from).collect()
                    } else {
                        s.split_inclusive('\n').map(String::from).collect()
                    }
                };
                let mut pieces = split(&current);
                let mut chunk = pieces.len().div_ceil(2).max(1);
                loop {
                    let mut start = 0;
                    let mut removed_any = false;
                    while start < pieces.len() {
                        let end = (start + chunk).min(pieces.len());
                        let candidate: String =
                            pieces[..start].iter().chain(&pieces[end..]).map(String::as_str).collect();
                        if fails(&candidate) {
                            pieces.drain(start..end);
                            current = candidate;
                            *shared.lock().unwrap() = current.clone();
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
        })
        .expect("spawn minimiser");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !worker.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let best = best.lock().unwrap().clone();
    best
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
