//! Robustness of the binary: input that could overflow the stack or exhaust
//! memory runs through `infrac check` in child processes, so a crash fails
//! a test instead of killing the test harness. Whatever the input, the
//! binary must exit 0 or 1 in time. (The in-process mutation run is the
//! compiler library's `tests/robustness.rs`.)

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Tests in this file measure time, so they take turns rather than compete
/// for the CPU.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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

// ---------------------------------------------------------------------------
// Through the binary, in child processes
// ---------------------------------------------------------------------------

/// Virtual memory a child process may use, so that a runaway compile-time
/// computation fails fast instead of exhausting the machine.
const CHILD_MEMORY_KB: u64 = 4 << 20;

/// Runs `infrac --error-format json check` on each `(description, program)`
/// two at a time, and fails listing every case that crashed, exited with
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

/// A command for `program` that runs under [`CHILD_MEMORY_KB`] where the
/// system has a POSIX shell to set the limit with.
fn limited(program: &Path) -> std::process::Command {
    if cfg!(unix) && Path::new("/bin/sh").exists() {
        let mut command = std::process::Command::new("/bin/sh");
        command.arg("-c").arg(format!("ulimit -v {CHILD_MEMORY_KB} 2>/dev/null; exec \"$0\" \"$@\"")).arg(program);
        command
    } else {
        std::process::Command::new(program)
    }
}
