//! How fast the server answers as someone types: a keystroke's diagnostics
//! in a 1,000-line file (the target is under 50 ms), a completion and a
//! hover there, the first diagnostics of the largest example, and the
//! server's memory after opening every example.
//!
//! `cargo bench -p infrac-lsp --bench keystroke`. Speaks the protocol to the
//! server over an in-memory connection, as the tests do, with no debounce,
//! so the times are the server's own work.

#[path = "../tests/support/mod.rs"]
mod support;

#[path = "../../../benches/support/large_program.rs"]
mod large_program;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;
use support::{position, uri, Session};

const ROUNDS: usize = 30;

fn main() {
    let dir = support::temp_dir("bench");
    let options = json!({ "debounceMs": 0, "stdDir": dir.join(".std").to_string_lossy() });
    let mut session = Session::start(&dir, options.clone());

    // A program of at least 1,000 lines.
    let mut resources = 150;
    let mut text = large_program::program(resources, 30);
    while text.lines().count() < 1000 {
        resources += 10;
        text = large_program::program(resources, 30);
    }
    let path = dir.join("large.infra");
    std::fs::write(&path, &text).unwrap();
    let file_uri = uri(&path);
    let started = Instant::now();
    session.open(&path, &text);
    let first = session.diagnostics(&file_uri);
    let opened = started.elapsed();
    assert_eq!(first, json!([]), "the benchmark program compiles cleanly");
    println!("{} lines, {} resources", text.lines().count(), resources);
    println!("open, first diagnostics: {}", ms(opened));

    // Keystrokes: one character typed into a string and removed again.
    let at = text.find("-queue-").unwrap() + 1;
    let mut times = Vec::new();
    for round in 0..ROUNDS {
        let mut changed = text.clone();
        if round % 2 == 0 {
            changed.insert(at, 'x');
        }
        let started = Instant::now();
        session.change(&path, round as i32 + 2, &changed);
        session.diagnostics(&file_uri);
        times.push(started.elapsed());
    }
    report("keystroke -> diagnostics", &mut times);

    // Completion of a property name inside a body near the end of the file.
    let body = text.rfind("    BucketName:").unwrap() + 4;
    let mut typing = text.clone();
    typing.insert_str(body, "Ver\n    ");
    session.change(&path, 100, &typing);
    session.diagnostics(&file_uri);
    let cursor = position(&typing, body + 3);
    let mut times = Vec::new();
    let mut count = 0;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let answer = session
            .request("textDocument/completion", json!({ "textDocument": { "uri": file_uri }, "position": cursor }));
        times.push(started.elapsed());
        count = answer["items"].as_array().map_or(0, Vec::len);
    }
    report(&format!("completion ({count} items)"), &mut times);

    // Hover on a property key.
    let key = typing.rfind("MessageRetentionPeriod").unwrap() + 3;
    let cursor = position(&typing, key);
    let mut times = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let answer =
            session.request("textDocument/hover", json!({ "textDocument": { "uri": file_uri }, "position": cursor }));
        times.push(started.elapsed());
        assert!(!answer.is_null(), "a hover on a property");
    }
    report("hover", &mut times);

    // The largest example, then every example.
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files: Vec<PathBuf> = walk(&examples);
    files.sort_by_key(|f| std::cmp::Reverse(std::fs::metadata(f).map_or(0, |m| m.len())));
    for (i, file) in files.iter().enumerate() {
        let text = std::fs::read_to_string(file).unwrap();
        let started = Instant::now();
        session.open(file, &text);
        session.diagnostics(&uri(file));
        if i == 0 {
            println!(
                "largest example ({}, {} lines), first diagnostics: {}",
                file.file_name().unwrap().to_string_lossy(),
                text.lines().count(),
                ms(started.elapsed())
            );
        }
    }
    if let Some(rss) = resident_memory() {
        println!("memory after opening every example ({} files): {rss}", files.len());
    }
    session.shutdown();

    // Workspace symbols over every program of the examples folder, as the
    // workspace: the folder is searched and every program loaded each time.
    let examples = examples.canonicalize().unwrap();
    let mut session = Session::start(&examples, options.clone());
    let mut times = Vec::new();
    let mut count = 0;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let answer = session.request("workspace/symbol", json!({ "query": "bucket" }));
        times.push(started.elapsed());
        count = answer.as_array().map_or(0, Vec::len);
    }
    report(&format!("workspace symbols, examples folder ({count} found)"), &mut times);
    session.shutdown();

    // The same over the whole repository: hundreds of files, many with
    // mistakes (the test fixtures).
    let repository = examples.parent().unwrap().to_path_buf();
    let mut session = Session::start(&repository, options.clone());
    let mut times = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        let answer = session.request("workspace/symbol", json!({ "query": "bucket" }));
        times.push(started.elapsed());
        count = answer.as_array().map_or(0, Vec::len);
    }
    report(&format!("workspace symbols, the repository ({count} found)"), &mut times);
    session.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "infra") {
            found.push(path);
        }
    }
    found
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let median = times[times.len() / 2];
    let p90 = times[times.len() * 9 / 10];
    println!("{what}: median {}, p90 {}, max {}", ms(median), ms(p90), ms(*times.last().unwrap()));
}

/// The process's resident memory (the server runs in it), from `/proc`.
fn resident_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    Some(line.trim_start_matches("VmRSS:").trim().to_string())
}
