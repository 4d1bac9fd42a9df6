//! What a user waits for: `cargo bench --bench startup`.
//!
//! First, in this process: the first look-up of a type (loads the dictionary, decompresses and
//! decodes one frame), a cached look-up, and decoding every remaining type once.
//!
//! Then whole processes of the `infrac` binary, each started afresh (wall time: median, min
//! and max over the runs, and the mean CPU time, user plus system):
//!
//! 1. `infrac --version`, which must do no schema work;
//! 2. `infrac check` of a one-resource program (target: under 10 ms of wall time);
//! 3. `infrac check` of one resource of each of 200 types (each type's schema decoded once);
//! 4. `infrac build` of the large reference program: 1,200 resources in 3 stacks of 400;
//! 5. when cfn-lint is on `PATH` (or named by `$CFN_LINT`), cfn-lint on the template that (2)
//!    emits, and how many times faster `infrac check` is (target: at least 150x).
//!
//! `$INFRAC` names another binary to time instead of this build's, e.g. an older build to
//! compare against. Optional arguments: the number of runs per command (default 20), or
//! `--programs DIR` to write the three programs into DIR and stop (to time them with other
//! tools, such as `hyperfine` or `/usr/bin/time`).

#[path = "../../../benches/support/large_program.rs"]
mod large_program;
#[path = "../../../benches/support/many_types.rs"]
mod many_types;
#[path = "../../../tests/support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use infrac::schema;

/// The small program of step 2: one resource, as a first program would have.
const ONE_RESOURCE: &str = r#"//! One resource: what a small check costs.

resource logs: AWS::S3::Bucket {
  BucketName: "startup-bench-logs"
  VersioningConfiguration: { Status: "Enabled" }
}
"#;

const SMALL_CHECK_TARGET: Duration = Duration::from_millis(10);
const CFN_LINT_RATIO_TARGET: f64 = 150.0;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == "--programs") {
        let dir = PathBuf::from(args.get(at + 1).expect("--programs takes a directory"));
        for path in write_programs(&dir) {
            println!("{}", path.display());
        }
        return;
    }
    let runs: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(20).max(1);
    in_process();

    let binary = std::env::var_os("INFRAC").map(PathBuf::from).unwrap_or_else(|| env!("CARGO_BIN_EXE_infrac").into());
    let dir = std::env::temp_dir().join(format!("infrac-startup-bench-{}", std::process::id()));
    let [one, many, large] = write_programs(&dir);
    let out = dir.join("out");
    println!("binary: {}", binary.display());
    println!("whole processes, wall time over {runs} runs (cpu: the mean of user + sys):");

    let version = time(&binary, &["--version".as_ref()], runs);
    report("infrac --version", &version);
    let small = time(&binary, &["check".as_ref(), one.as_os_str()], runs);
    report("infrac check, one resource", &small);
    report("infrac check, 200 types", &time(&binary, &["check".as_ref(), many.as_os_str()], runs));
    let build_args = ["build".as_ref(), large.as_os_str(), "-o".as_ref(), out.as_os_str()];
    report("infrac build, 1,200 resources", &time(&binary, &build_args, runs.div_ceil(2)));

    let verdict = if small.median_wall() < SMALL_CHECK_TARGET { "under" } else { "OVER" };
    println!("one-resource check: median {} ({verdict} {})", ms(small.median_wall()), ms(SMALL_CHECK_TARGET));
    compare_with_cfn_lint(&binary, &one, &dir.join("one-out"), &small);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Writes the one-resource, 200-type and 1,200-resource programs into `dir`.
fn write_programs(dir: &Path) -> [PathBuf; 3] {
    std::fs::create_dir_all(dir).expect("the programs' directory can be made");
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("the programs' directory is writable");
        path
    };
    [
        write("one-resource.infra", ONE_RESOURCE),
        write("two-hundred-types.infra", &many_types::program(200)),
        write("reference-1200.infra", &large_program::program(1_200, 400)),
    ]
}

/// Step 5: cfn-lint on the template that `infrac build` writes for the one-resource program.
fn compare_with_cfn_lint(binary: &Path, program: &Path, out: &Path, infrac: &Runs) {
    let cfn_lint = std::env::var_os("CFN_LINT").map(PathBuf::from).unwrap_or_else(|| "cfn-lint".into());
    if Command::new(&cfn_lint).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_err() {
        println!("cfn-lint: not found (put it on PATH or set CFN_LINT) - comparison skipped");
        return;
    }
    let built = Command::new(binary).arg("build").arg(program).arg("-o").arg(out).status();
    assert!(built.is_ok_and(|s| s.success()), "infrac build of the one-resource program failed");
    let template = out.join("OneResource.template.json");
    let lint = time(&cfn_lint, &[template.as_os_str()], 5);
    report("cfn-lint, the same template", &lint);
    let ratio = lint.median_wall().as_secs_f64() / infrac.median_wall().as_secs_f64();
    let verdict = if ratio >= CFN_LINT_RATIO_TARGET { "at least" } else { "UNDER" };
    println!("infrac check is {ratio:.0}x faster than cfn-lint ({verdict} {CFN_LINT_RATIO_TARGET:.0}x)");
}

/// The schema's own costs, measured inside this process.
fn in_process() {
    let started = Instant::now();
    let bucket = schema::resource_type("AWS::S3::Bucket").expect("the data has AWS::S3::Bucket");
    let first = started.elapsed();
    let started = Instant::now();
    let _ = schema::resource_type("AWS::S3::Bucket");
    let cached = started.elapsed();
    let started = Instant::now();
    let queue = schema::resource_type("AWS::SQS::Queue").expect("the data has AWS::SQS::Queue");
    let second = started.elapsed();
    let started = Instant::now();
    let names: Vec<&str> = schema::type_names().collect();
    let listed = started.elapsed();
    let started = Instant::now();
    for name in &names {
        schema::resource_type(name).expect("listed types exist");
    }
    let all = started.elapsed();
    println!("in process:");
    println!("  list {} type names             {}", names.len(), us(listed));
    println!(
        "  first type (AWS::S3::Bucket)     {} ({} properties; includes loading the dictionary)",
        ms(first),
        bucket.properties.len()
    );
    println!("  cached look-up                   {}", us(cached));
    println!("  another type (AWS::SQS::Queue)   {} ({} properties)", us(second), queue.properties.len());
    println!("  every other type, once           {}", ms(all));
}

struct Runs {
    walls: Vec<Duration>,
    /// The mean CPU time of a run, where the kernel reports it.
    cpu: Option<Duration>,
}

impl Runs {
    fn median_wall(&self) -> Duration {
        self.walls[self.walls.len() / 2]
    }
}

/// Runs `binary args` once to warm the page cache, then `runs` times, each a fresh process.
fn time(binary: &Path, args: &[&std::ffi::OsStr], runs: usize) -> Runs {
    let mut walls = Vec::with_capacity(runs);
    let mut cpu_before = None;
    for run in 0..=runs {
        if run == 1 {
            cpu_before = children_cpu();
        }
        let started = Instant::now();
        let status = Command::new(binary)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("the binary starts");
        let wall = started.elapsed();
        assert!(status.success(), "`{} {args:?}` failed", binary.display());
        if run > 0 {
            walls.push(wall);
        }
    }
    walls.sort();
    let cpu = children_cpu().zip(cpu_before).map(|(after, before)| after.saturating_sub(before) / runs as u32);
    Runs { walls, cpu }
}

fn report(what: &str, runs: &Runs) {
    let cpu = runs.cpu.map_or_else(|| "n/a".to_string(), ms);
    println!(
        "  {what:<32} median {:>9}  min {:>9}  max {:>9}  cpu {cpu:>9}",
        ms(runs.median_wall()),
        ms(runs.walls[0]),
        ms(runs.walls[runs.walls.len() - 1]),
    );
}

/// User plus system time of this process's finished children (`/proc/self/stat`, Linux only).
/// The kernel keeps it finer than the clock ticks it reports, so a mean over many runs holds.
fn children_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces;
    // cutime and cstime are fields 16 and 17 of the whole line.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    // The kernel reports clock ticks, 100 per second on every Linux that Rust targets.
    Some(Duration::from_millis(ticks * 10))
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

fn us(duration: Duration) -> String {
    format!("{:.1} µs", duration.as_secs_f64() * 1_000_000.0)
}
