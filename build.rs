//! Embeds the standard library: every `std/<namespace>.infra` becomes an
//! entry of `STD_MODULES` (`$OUT_DIR/std_modules.rs`), so adding a file to
//! `std/` is all it takes to ship a new namespace.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("std");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "infra"));
    // Sorted, so that the embedded table is the same on every machine.
    files.sort();
    let mut out = String::from("pub const STD_MODULES: &[(&str, &str)] = &[\n");
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let namespace = path.file_stem().and_then(|s| s.to_str()).expect("std file names are UTF-8");
        writeln!(out, "    ({namespace:?}, include_str!({:?})),", path.display().to_string()).unwrap();
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("std_modules.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
