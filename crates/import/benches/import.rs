//! Times `infrac import` on the round-trip corpus: the largest template on
//! its own, then every template in turn (reading the YAML or JSON,
//! importing, formatting; no file I/O), without and with `--constructs`
//! (which also builds each candidate instance and the program with it).
//! `cargo bench -p infrac-import`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn collect(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, found);
        } else if path.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "yml") {
            found.push(path);
        }
    }
}

/// The median and the minimum of `runs` timings of `f`.
fn time(runs: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[runs / 2], times[0])
}

fn main() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    collect(&crate_dir.join("tests/templates"), &mut paths);
    collect(&crate_dir.join("../../tests/templates"), &mut paths);
    paths.sort();
    let templates: Vec<(PathBuf, String)> =
        paths.into_iter().map(|p| (p.clone(), std::fs::read_to_string(&p).expect("readable"))).collect();
    let total: usize = templates.iter().map(|(_, t)| t.len()).sum();
    let (largest, text) = templates.iter().max_by_key(|(_, t)| t.len()).expect("a corpus");
    let name = largest.file_name().and_then(|n| n.to_str()).unwrap_or_default();

    for constructs in [false, true] {
        let option = if constructs { " --constructs" } else { "" };
        let (median, min) = time(50, || {
            let _ = infrac_import::import_text_with(text, "Bench", constructs);
        });
        println!(
            "largest template{option} {name} ({} KB): median {median:.2?}, min {min:.2?} (50 runs)",
            text.len() / 1024
        );
        let (median, min) = time(10, || {
            for (_, text) in &templates {
                let _ = infrac_import::import_text_with(text, "Bench", constructs);
            }
        });
        println!(
            "whole corpus{option}, {} templates ({} KB): median {median:.2?}, min {min:.2?} (10 runs)",
            templates.len(),
            total / 1024
        );
    }
}
