//! Compile-time benchmark: a generated program with thousands of L1
//! resources that reference each other, within and across stacks, compiled
//! several times.
//!
//! Run with `cargo bench --bench compile_large` (release mode). Prints, for
//! each size, the source size, the median and minimum wall time of each
//! phase (parse alone; the full `compile`, which parses, checks and builds
//! the template; serialising the template to text) and the peak resident
//! memory of the process (`VmHWM`), which is reset before each size where
//! the kernel allows it.
//!
//! Targets: a 10,000-resource program compiles (parse + check + emit +
//! serialise) in well under a second and under 200 MB.
//!
//! Optional arguments: the resource counts to run, e.g.
//! `cargo bench --bench compile_large -- 1000 10000 50000`.

use std::time::{Duration, Instant};

use infrac::source::SourceMap;

#[path = "support/large_program.rs"]
mod large_program;

const DEFAULT_SIZES: &[usize] = &[1_000, 10_000];
const TARGET_TIME: Duration = Duration::from_secs(1);
const TARGET_MEMORY_KB: u64 = 200 * 1024;

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.replace('_', "").parse().ok()).collect();
    let sizes = if sizes.is_empty() { DEFAULT_SIZES.to_vec() } else { sizes };
    let mut verdicts = Vec::new();
    for resources in sizes {
        verdicts.push(bench(resources));
    }
    println!();
    for verdict in verdicts {
        println!("{verdict}");
    }
}

/// Benchmarks one program size and returns a one-line verdict.
fn bench(resources: usize) -> String {
    reset_peak_memory();
    let source = large_program::program(resources, STACK_SIZE);
    let iterations = if resources >= 10_000 { 10 } else { 30 };
    let mut parse_times = Vec::new();
    let mut compile_times = Vec::new();
    let mut text_times = Vec::new();
    let mut total_times = Vec::new();
    let mut output_bytes = 0;
    let mut errors = 0;
    let mut emitted_resources = 0;
    let mut stacks = 0;
    let mut sources = SourceMap::new();
    let file = sources.add("bench-large.infra", source.clone());
    for _ in 0..iterations {
        let started = Instant::now();
        let (ast, diagnostics) = infrac::syntax::parse(&source, file);
        parse_times.push(started.elapsed());
        assert!(diagnostics.is_empty(), "the generated program has syntax errors");
        drop(ast);

        let started = Instant::now();
        let compilation = infrac::compile(&mut sources, &[file]);
        let compiled = started.elapsed();
        compile_times.push(compiled);

        let started = Instant::now();
        let texts: Vec<String> =
            compilation.stacks.iter().map(|stack| infrac::backend::to_text(&stack.template)).collect();
        let serialised = started.elapsed();
        text_times.push(serialised);
        total_times.push(compiled + serialised);

        output_bytes = texts.iter().map(String::len).sum();
        stacks = texts.len();
        errors = compilation.diagnostics.iter().filter(|d| d.is_error()).count();
        emitted_resources = compilation
            .stacks
            .iter()
            .filter_map(|s| s.template.get("Resources").and_then(|r| r.as_object()))
            .map(|r| r.len())
            .sum();
        if errors > 0 && parse_times.len() == 1 {
            let shown: Vec<_> = compilation.diagnostics.iter().filter(|d| d.is_error()).take(3).cloned().collect();
            eprintln!(
                "warning: the generated program has {errors} errors; timings cover parse and check only:\n{}",
                infrac::diagnostics::render::plain(&sources, &shown)
            );
        }
    }
    let peak_kb = peak_memory_kb();

    println!("== {resources} resources ({iterations} iterations)");
    println!("source:            {} bytes, {} lines", source.len(), source.lines().count());
    println!(
        "templates:         {stacks} stacks, {output_bytes} bytes, {emitted_resources} resources, {errors} errors"
    );
    report("parse", &mut parse_times);
    report("compile (all)", &mut compile_times);
    report("to_text", &mut text_times);
    report("compile+to_text", &mut total_times);
    let (median_parse, median_compile) = (median(&parse_times), median(&compile_times));
    println!(
        "check+emit (est.): {:>9.2} ms  (median compile minus median parse)",
        ms(median_compile.saturating_sub(median_parse))
    );
    match peak_kb {
        Some(kb) => println!("peak memory:       {:>9.1} MB (VmHWM)", kb as f64 / 1024.0),
        None => println!("peak memory:       unavailable (no /proc/self/status)"),
    }

    let time = median(&total_times);
    let time_ok = time < TARGET_TIME;
    let memory_ok = peak_kb.is_none_or(|kb| kb < TARGET_MEMORY_KB);
    format!(
        "{resources:>6} resources: median {:.1} ms ({}), peak {} ({}){}",
        ms(time),
        if time_ok { "under 1 s" } else { "OVER 1 s" },
        peak_kb.map_or("n/a".to_string(), |kb| format!("{:.1} MB", kb as f64 / 1024.0)),
        if memory_ok { "under 200 MB" } else { "OVER 200 MB" },
        if errors > 0 { format!(", {errors} ERRORS in the generated program") } else { String::new() },
    )
}

/// Resources per stack: CloudFormation allows 500 per template and 1 MB
/// of template body, so a large program is split into stacks as a real one
/// would be.
const STACK_SIZE: usize = 250;

fn report(phase: &str, times: &mut [Duration]) {
    times.sort();
    println!("{:<18} median {:>9.2} ms   min {:>9.2} ms", format!("{phase}:"), ms(median(times)), ms(times[0]));
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Resets the peak resident set size (`VmHWM`) so each size reports its own
/// peak; silently does nothing where that is not possible.
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
