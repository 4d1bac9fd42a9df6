//! What the resource schemas cost: `cargo bench --bench schema_check`.
//!
//! 1. Start-up: listing the type names (a table built into the binary), then
//!    the first look-up in a fresh process, which loads the zstd dictionary and
//!    decompresses and decodes one type.
//! 2. A program with 200 resources of 200 different types (the smallest
//!    resource each schema allows): compiled once and then again, with the peak
//!    memory of the process. Generating the program has already decoded the 200
//!    types, so this is the cost of checking; `cargo bench --bench startup`
//!    times the same program in a fresh process, decoding included.
//! 3. `infrac check` on `examples/vpc.infra`, as a user runs it: the binary
//!    started afresh each time (wall time, median of 20 runs).

#[path = "../../../benches/support/many_types.rs"]
mod many_types;
#[path = "../../../tests/support/synth.rs"]
mod synth;

use std::time::{Duration, Instant};

use infrac::schema;
use infrac::source::SourceMap;

/// How many distinct types the large program uses.
const TYPES: usize = 200;

fn main() {
    // --- 1. start-up ----------------------------------------------------------------
    let started = Instant::now();
    let type_count = schema::type_names().count();
    let listed = started.elapsed();
    let started = Instant::now();
    let bucket = schema::resource_type("AWS::S3::Bucket").expect("the data has AWS::S3::Bucket");
    let first_type = started.elapsed();
    let started = Instant::now();
    let _ = schema::resource_type("AWS::S3::Bucket");
    let cached = started.elapsed();
    println!("schema start-up ({type_count} types):");
    println!("  list the type names          {}", us(listed));
    println!("  first type (AWS::S3::Bucket) {} ({} properties)", ms(first_type), bucket.properties.len());
    println!("  cached look-up               {}", us(cached));
    println!("  peak memory so far           {}", peak_memory());

    // --- 2. 200 types ------------------------------------------------------------------
    let program = many_types::program(TYPES);
    let lines = program.lines().count();

    let mut sources = SourceMap::new();
    let file = sources.add("two-hundred.infra", program);
    let started = Instant::now();
    let compilation = infrac::compile(&mut sources, &[file]);
    let first = started.elapsed();
    let errors = compilation.diagnostics.iter().filter(|d| d.is_error()).count();
    assert_eq!(errors, 0, "the 200-type program has errors");

    let runs = 20;
    let mut warm = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let compilation = infrac::compile(&mut sources, &[file]);
        warm.push(started.elapsed());
        assert!(!compilation.has_errors());
    }
    warm.sort();
    println!("200 resources of 200 types ({lines} lines):");
    println!("  first compile                    {}", ms(first));
    println!("  again, median of {runs}             {}", ms(warm[runs / 2]));
    println!("  peak memory of the process       {}", peak_memory());

    // --- 3. `infrac check` on a small example -------------------------------------------
    let binary = env!("CARGO_BIN_EXE_infrac");
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/vpc.infra");
    let mut walls = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let status = std::process::Command::new(binary)
            .args(["check", example])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("infrac runs");
        walls.push(started.elapsed());
        assert!(status.success(), "infrac check {example} failed");
    }
    walls.sort();
    println!("`infrac check examples/vpc.infra`, wall time over {runs} runs:");
    println!("  min {}  median {}  max {}", ms(walls[0]), ms(walls[runs / 2]), ms(walls[runs - 1]));
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

fn us(duration: Duration) -> String {
    format!("{:.1} µs", duration.as_secs_f64() * 1_000_000.0)
}

/// The process's peak resident memory (`VmHWM`), where Linux reports it.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find(|line| line.starts_with("VmHWM:")).map(|line| {
                let kb: f64 = line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0.0);
                format!("{:.1} MB", kb / 1024.0)
            })
        })
        .unwrap_or_else(|| "unknown".to_string())
}
