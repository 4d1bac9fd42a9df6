//! Robustness: whatever its input, the compiler answers with templates or
//! diagnostics; it never panics, hangs or breaks an invariant.
//!
//! `mutated_programs_never_panic_or_hang` mutates every fixture, example and
//! corpus program, and the seeds in `tests/robustness/seeds/` (which between
//! them use every decorator where it belongs and every built-in function:
//! `seeds_use_every_decorator_and_builtin`), with a character-level and a
//! grammar-aware mutator (`robustness/mutate.rs`).
//!
//! Each input runs in-process through the whole library pipeline (compile,
//! render every diagnostic as text and JSON, serialise every template and
//! the manifest) under `catch_unwind`, on a few worker threads that a
//! watchdog checks for hangs. A program that compiles must also give
//! consistent templates (`support::consistency`).
//!
//! Size: `INFRAC_ROBUSTNESS_INPUTS` inputs (default [`DEFAULT_INPUTS`], small
//! enough for every `cargo test`). A deep run:
//! `INFRAC_ROBUSTNESS_INPUTS=100000 cargo test --release -p infrac --test robustness mutated -- --nocapture`.
//! Mutations come from a generator seeded with each file's name, so a run is
//! reproducible; a failure prints its input and a minimised reproducer.
//! Problems already reported are listed in [`KNOWN_PROBLEMS`]: counted, not
//! failed.
//!
//! Deep nesting, which could overflow the stack and kill the process, runs
//! through the binary in child processes: the `*_do_not_crash_the_binary`
//! tests of the command line's crate (`crates/cli/tests/robustness.rs`).
//! Should a mutated input kill the process all the same, the input
//! is left in a file that the run names on stderr; once it is written up,
//! `INFRAC_ROBUSTNESS_SKIP=N,...` lets a deep run go on past it.

#[path = "robustness/mutate.rs"]
mod mutate;
mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use infrac::diagnostics::{render, Diagnostic};
use infrac::source::SourceMap;
use mutate::{mutate_grammar, mutations, Rng, Shape, BUILTINS, DECORATORS};

/// Tests in this file measure time, so they take turns rather than compete
/// for the CPU.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Mutated inputs per run unless `INFRAC_ROBUSTNESS_INPUTS` says otherwise.
const DEFAULT_INPUTS: usize = 3_000;

/// How long one input may take before it counts as a hang. Generous: the
/// machines this runs on may be loaded, and a debug build is slow.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Where the seeds are: small programs that reach every decorator and
/// built-in. Each compiles without errors, but for `errors.infra`, which
/// holds many mistakes at once.
const SEEDS: &str = "tests/robustness/seeds";

/// A seed gets this many times the mutations of another program: the seeds
/// are where the decorators and built-ins are.
const SEED_WEIGHT: usize = 12;

/// Problems found and reported but not fixed yet, as `(key prefix, text in
/// the details, what it is)`: an input that fails with one is counted and
/// printed, not failed, so the suite stays green meanwhile. Remove an entry
/// with its fix.
const KNOWN_PROBLEMS: &[(&str, &str, &str)] = &[];

fn known_problem(failure: &Failure) -> Option<&'static str> {
    KNOWN_PROBLEMS
        .iter()
        .find(|(key, details, _)| failure.key.starts_with(key) && failure.message.contains(details))
        .map(|(_, _, what)| *what)
}

/// Time allowed to minimise one problem.
const MINIMISE_BUDGET: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

#[test]
fn mutated_programs_never_panic_or_hang() {
    let _turn = one_at_a_time();
    let started = Instant::now();
    let corpus = corpus();
    let target = std::env::var("INFRAC_ROBUSTNESS_INPUTS").ok().and_then(|n| n.parse().ok()).unwrap_or(DEFAULT_INPUTS);
    let weight = |name: &str| if name.starts_with(SEEDS) { SEED_WEIGHT } else { 1 };
    let units: usize = corpus.iter().map(|(name, _)| weight(name)).sum();
    let per_unit = (target / units).max(2);
    let mut inputs: Vec<Input> = Vec::new();
    for (name, text) in &corpus {
        inputs.push(Input { name: name.clone(), how: "unmutated".into(), text: text.clone() });
        let mutated = mutations(name, text, per_unit * weight(name));
        inputs.extend(mutated.into_iter().map(|(how, text)| Input { name: name.clone(), how, text }));
    }

    let inputs = Arc::new(inputs);
    let report = run_all(&inputs);
    println!(
        "robustness: {} inputs from {} programs ({per_unit} mutations each, {} per seed) in {:.1?}; \
         {} compiled without errors; {} diagnostics with {} distinct codes; slowest input {:.1?} ({})",
        report.checked,
        corpus.len(),
        per_unit * SEED_WEIGHT,
        started.elapsed(),
        report.clean,
        report.diagnostics,
        report.codes.len(),
        report.slowest.0,
        inputs.get(report.slowest.1).map_or(String::new(), |i| format!("{} mutated by {}", i.name, i.how)),
    );
    let (known, failures): (Vec<Failure>, Vec<Failure>) =
        report.failures.into_iter().partition(|f| known_problem(f).is_some());
    let mut known_counts: BTreeMap<&str, usize> = BTreeMap::new();
    for failure in &known {
        *known_counts.entry(known_problem(failure).expect("partitioned")).or_default() += 1;
    }
    for (issue, count) in known_counts {
        println!("robustness: {count} inputs hit a known problem: {issue}");
    }
    if !failures.is_empty() {
        panic!("{}", describe_failures(&inputs, &failures));
    }
    assert_eq!(report.checked, inputs.len(), "not every input ran");
}

/// The seeds reach every decorator and every built-in the compiler knows,
/// so mutations do too. The compiler's lists are read from the notes of
/// its own diagnostics for an unknown function and unknown decorators.
#[test]
fn seeds_use_every_decorator_and_builtin() {
    let _turn = one_at_a_time();
    let probe = r#"
construct C {
  @zz param p: string = "x"
  resource r: AWS::SQS::Queue {}
  @zz output o = "x"
}
@zz stack S {
  @zz param p: string = "x"
  @zz resource r: AWS::SQS::Queue { QueueName: zz(p) }
  @zz resource c: C {}
  @zz output o = "x"
}
"#;
    let mut sources = SourceMap::new();
    let file = sources.add("probe.infra", probe);
    let compilation = infrac::compile(&mut sources, &[file]);
    let mut builtins = BTreeSet::new();
    let mut decorators = BTreeSet::new();
    for diagnostic in &compilation.diagnostics {
        let list = match diagnostic.code.as_str() {
            "E0204" => &mut builtins,
            "E0205" => &mut decorators,
            _ => continue,
        };
        for note in &diagnostic.notes {
            list.extend(note.split('`').skip(1).step_by(2).map(|name| name.trim_start_matches('@').to_string()));
        }
    }
    let known = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert!(
        builtins.contains("join") && decorators.contains("when"),
        "the probe's diagnostics name no built-ins or decorators:\n{}",
        render::plain(&sources, &compilation.diagnostics)
    );
    assert_eq!(builtins, known(BUILTINS), "BUILTINS is not the compiler's list of built-in functions");
    assert_eq!(decorators, known(DECORATORS), "DECORATORS is not the compiler's list of decorators");

    let seeds = seeds();
    let all: String = seeds.iter().map(|(_, text)| text.as_str()).collect();
    for builtin in BUILTINS {
        assert!(all.contains(&format!("{builtin}(")), "no seed calls `{builtin}`");
    }
    for decorator in DECORATORS {
        let used = all.contains(&format!("@{decorator}(")) || all.contains(&format!("@{decorator}\n"));
        assert!(used, "no seed uses `@{decorator}`");
    }
    for (name, text) in seeds.iter().filter(|(name, _)| !name.ends_with("/errors.infra")) {
        let mut sources = SourceMap::new();
        let file = sources.add(name.clone(), text.clone());
        let compilation = infrac::compile(&mut sources, &[file]);
        assert!(!compilation.has_errors(), "{name}:\n{}", render::plain(&sources, &compilation.diagnostics));
    }
}

/// The mutators are deterministic, keep text valid UTF-8 by construction,
/// and mostly change it.
#[test]
fn mutations_are_deterministic() {
    let (name, text) = &seeds()[0];
    let first: Vec<String> = mutations(name, text, 200).into_iter().map(|(_, text)| text).collect();
    let second: Vec<String> = mutations(name, text, 200).into_iter().map(|(_, text)| text).collect();
    assert_eq!(first, second);
    assert_eq!(first.len(), 200);
    assert!(first.iter().filter(|t| *t != text).count() > 180, "most mutations change the text");
}

/// Each grammar-aware edit does what it says on a small program.
#[test]
fn grammar_mutations_edit_the_structure() {
    let text = "@when(a)\nresource r: T { A: f(x, y), B: 2 }\n";
    let shape = Shape::of(text);
    assert_eq!(shape.decorators.iter().map(|d| &text[d.clone()]).collect::<Vec<_>>(), ["@when(a)"]);
    let call = shape.groups.iter().find(|g| g.open_char == b'(' && g.items.len() == 2).expect("the call");
    assert_eq!(call.items.iter().map(|i| &text[i.clone()]).collect::<Vec<_>>(), ["x", "y"]);
    let object = shape.groups.iter().find(|g| g.open_char == b'{').expect("the object");
    assert_eq!(object.items.iter().map(|i| &text[i.clone()]).collect::<Vec<_>>(), ["A: f(x, y)", "B: 2"]);

    let mut seen = BTreeSet::new();
    let mut rng = Rng::for_name("grammar");
    for _ in 0..400 {
        let mut edited = text.to_string();
        mutate_grammar(&mut rng, &mut edited);
        seen.insert(edited);
    }
    for expected in [
        "@when(a)\n@when(a)\nresource r: T { A: f(x, y), B: 2 }\n",
        "@when()\n@when(a)\nresource r: T { A: f(x, y), B: 2 }\n",
        "@when()\nresource r: T { A: f(x, y), B: 2 }\n",
        "@when(a)\nresource r: T { A: f(y, x), B: 2 }\n",
        "@when(a)\nresource r: T { A: f(y), B: 2 }\n",
        "@when(a)\nresource r: T { A: f(x, y), A: f(x, y), B: 2 }\n",
        "@when(a)\nresource r: T { B: 2 }\n",
        "resource r: T { A: f(x, y), B: 2 }\n",
    ] {
        assert!(seen.contains(expected), "no mutation gave {expected:?}");
    }
}

// ---------------------------------------------------------------------------
// The pipeline under test
// ---------------------------------------------------------------------------

struct Input {
    name: String,
    /// How the input was made from its program, for the report.
    how: String,
    text: String,
}

/// What one input produced.
struct Outcome {
    codes: Vec<&'static str>,
    clean: bool,
}

/// A panic or a broken invariant: a key that tells distinct bugs apart (the
/// panic location, the invariant) and the details.
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
    infrac::backend::to_text(&infrac::manifest(&sources, &compilation));
    let stacks: Vec<support::consistency::Stack> = compilation
        .stacks
        .iter()
        .map(|s| support::consistency::Stack { name: &s.name, template: &s.template, depends_on: &s.depends_on })
        .collect();
    let external = support::program::external_imports(&sources);
    if let Some(problem) = support::consistency::check_build(&stacks, &external).into_iter().next() {
        // Keyed by the kind of problem, not by the names in it; a `${X}` the
        // program wrote itself in a `sub()` template is a kind of its own.
        let name = problem.message.split('`').nth(1).unwrap_or_default();
        let name = name.split(|c: char| !(c.is_alphanumeric() || matches!(c, ':' | '_' | '.'))).next().unwrap_or(name);
        let kind = if problem.at.ends_with("Fn::Sub") && text.contains(&format!("\\${{{name}")) {
            "a `sub()` template names what the template does not declare".to_string()
        } else {
            problem.message.split('`').step_by(2).collect::<Vec<_>>().join("_")
        };
        return Err(broken(&format!("consistent templates ({kind})"), problem.to_string()));
    }
    Ok(Outcome { codes: compilation.diagnostics.iter().map(|d| d.code.as_str()).collect(), clean: !has_errors })
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

/// Where the panics of the inputs under test happened, by panic message:
/// the compiler panics on a thread of its own, so the location is recorded
/// by the hook and found again from the message the worker catches.
static PANIC_LOCATIONS: Mutex<Option<HashMap<String, String>>> = Mutex::new(None);

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic payload".into())
}

/// Panics on the workers and on the compiler's own (unnamed) threads are
/// expected and reported by the test, so the hook only records where they
/// happened; the test threads keep the default hook.
fn install_quiet_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let thread = std::thread::current();
            if thread.name().is_some_and(|n| !n.starts_with("mutator-")) {
                return previous(info);
            }
            let location = info.location().map_or("unknown location".into(), |l| format!("{}:{}", l.file(), l.line()));
            let mut locations = PANIC_LOCATIONS.lock().unwrap_or_else(|p| p.into_inner());
            locations.get_or_insert_with(HashMap::new).insert(payload_text(info.payload()), location);
        }));
    });
}

/// Runs the pipeline, turning a panic into `Err((key, message))` where the
/// key is the panic location.
fn run_guarded(name: &str, text: &str) -> Result<Outcome, Broken> {
    match panic::catch_unwind(AssertUnwindSafe(|| pipeline(name, text))) {
        Ok(result) => result,
        Err(payload) => {
            let message = payload_text(payload.as_ref());
            let locations = PANIC_LOCATIONS.lock().unwrap_or_else(|p| p.into_inner());
            let location = locations.as_ref().and_then(|l| l.get(&message)).cloned().unwrap_or("unknown".into());
            Err((format!("panic at {location}"), format!("panicked at {location}: {message}")))
        }
    }
}

/// A panic, broken invariant or hang: the input's index, the key and the
/// details.
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
    codes: BTreeSet<&'static str>,
    /// The longest time one input took, and its index.
    slowest: (Duration, usize),
    failures: Vec<Failure>,
}

/// Runs every input on worker threads (named `mutator-N`, one per core, at
/// most four) while this thread watches for an input that runs past
/// [`TIMEOUT`]. A hang ends the run at once: its worker cannot be stopped,
/// so it is left behind and the report says which input it was on.
///
/// A stack overflow or an allocation failure kills the process without a
/// word about the input, so each worker first writes its input to a file of
/// [`in_flight_dir`], which a run that ends removes.
fn run_all(inputs: &Arc<Vec<Input>>) -> Report {
    install_quiet_panic_hook();
    let in_flight = in_flight_dir();
    std::fs::create_dir_all(&in_flight).expect("create the folder for inputs in flight");
    // Straight to the process's stderr, past the test harness's capture,
    // which a dying process never prints.
    let _ = writeln!(
        std::io::stderr(),
        "robustness: each worker's current input is in {} (kept if the process dies)",
        in_flight.display()
    );
    // A deep run can go on past an input that kills the process, once that
    // is written up: `INFRAC_ROBUSTNESS_SKIP=1234,5678` (input numbers).
    let skip: Arc<BTreeSet<usize>> = Arc::new(
        std::env::var("INFRAC_ROBUSTNESS_SKIP")
            .unwrap_or_default()
            .split(',')
            .filter_map(|n| n.trim().parse().ok())
            .collect(),
    );
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
    let next = Arc::new(AtomicUsize::new(0));
    let report = Arc::new(Mutex::new(Report::default()));
    let running: Arc<Mutex<Vec<Option<(usize, Instant)>>>> = Arc::new(Mutex::new(vec![None; workers]));
    let finished = Arc::new(AtomicUsize::new(0));
    for k in 0..workers {
        let (inputs, next, report, running, finished, skip) =
            (inputs.clone(), next.clone(), report.clone(), running.clone(), finished.clone(), skip.clone());
        std::thread::Builder::new()
            .name(format!("mutator-{k}"))
            // Rendering and the consistency check recurse as deep as a template nests.
            .stack_size(64 << 20)
            .spawn(move || {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(input) = inputs.get(index) else { break };
                    if skip.contains(&index) {
                        report.lock().unwrap().checked += 1;
                        continue;
                    }
                    let breadcrumb =
                        format!("// input {index}: {} mutated by {}\n{}", input.name, input.how, input.text);
                    let _ = std::fs::write(in_flight_dir().join(format!("worker-{k}.infra")), breadcrumb);
                    let started = Instant::now();
                    running.lock().unwrap()[k] = Some((index, started));
                    let result = run_guarded(&input.name, &input.text);
                    let elapsed = started.elapsed();
                    running.lock().unwrap()[k] = None;
                    let mut report = report.lock().unwrap();
                    report.checked += 1;
                    if elapsed > report.slowest.0 {
                        report.slowest = (elapsed, index);
                    }
                    match result {
                        Ok(outcome) => {
                            report.clean += usize::from(outcome.clean);
                            report.diagnostics += outcome.codes.len();
                            report.codes.extend(outcome.codes);
                        }
                        Err((key, message)) => report.failures.push(Failure { index, key, message }),
                    }
                }
                finished.fetch_add(1, Ordering::Relaxed);
            })
            .expect("start a worker");
    }
    while finished.load(Ordering::Relaxed) < workers {
        std::thread::sleep(Duration::from_millis(20));
        let hung = running.lock().unwrap().iter().flatten().find(|(_, started)| started.elapsed() > TIMEOUT).copied();
        if let Some((index, started)) = hung {
            // The other workers stop after their current input.
            next.store(usize::MAX / 2, Ordering::Relaxed);
            let mut report = report.lock().unwrap();
            let message = format!("still running after {:.1?}", started.elapsed());
            report.failures.push(Failure { index, key: "hang".into(), message });
            return std::mem::take(&mut *report);
        }
    }
    let mut report = std::mem::take(&mut *report.lock().unwrap());
    report.failures.sort_by_key(|f| f.index);
    let _ = std::fs::remove_dir_all(in_flight);
    report
}

/// Where the workers leave the input they are running.
fn in_flight_dir() -> PathBuf {
    std::env::temp_dir().join(format!("infrac-robustness-{}", std::process::id()))
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
        if *key == "hang" {
            out.push_str(&format!("----- input ({} bytes)\n{}\n----- end of input\n", input.text.len(), input.text));
            continue;
        }
        let minimal = minimise(&input.name, &input.text, key);
        out.push_str(&format!(
            "----- minimal reproducer ({} bytes)\n{minimal}\n----- as a Rust string\n{minimal:?}\n",
            minimal.len()
        ));
    }
    out
}

/// Shrinks `text` while it still fails with the same `key`: first whole
/// lines, then single characters, within [`MINIMISE_BUDGET`].
fn minimise(name: &str, text: &str, key: &str) -> String {
    let fails = |candidate: &str| run_guarded(name, candidate).err().is_some_and(|(k, _)| k == key);
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
                if fails(&candidate) {
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

/// Every program to mutate: the fixtures, the corpus, the examples and the
/// seeds, as `(path, text)`.
fn corpus() -> Vec<(String, String)> {
    let mut paths = Vec::new();
    collect_infra_files("tests/fixtures", true, &mut paths);
    collect_infra_files("tests/corpus", false, &mut paths);
    collect_infra_files("examples", false, &mut paths);
    collect_infra_files(SEEDS, false, &mut paths);
    read_all(paths)
}

fn seeds() -> Vec<(String, String)> {
    let mut paths = Vec::new();
    collect_infra_files(SEEDS, false, &mut paths);
    assert!(paths.len() >= 4, "the seeds are missing from {SEEDS}");
    read_all(paths)
}

fn read_all(mut paths: Vec<PathBuf>) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    paths.sort();
    paths
        .iter()
        .filter_map(|path| {
            // A fixture that is not UTF-8 cannot reach the library; skip it.
            let text = std::fs::read_to_string(path).ok()?;
            let name = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
            Some((name, text))
        })
        .collect()
}

/// The `.infra` files of `dir` (relative to the repository).
fn collect_infra_files(dir: &str, recursive: bool, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if recursive {
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                collect_infra_files(&format!("{dir}/{name}"), true, out);
            }
        } else if path.extension().is_some_and(|e| e == "infra") {
            out.push(path);
        }
    }
}
