//! Generates the tables that are embedded as Rust code:
//!
//! * every `std/<namespace>.infra` becomes an entry of `STD_MODULES` (`$OUT_DIR/std_modules.rs`),
//!   so adding a file to `std/` is all it takes to ship a new namespace;
//! * every folder `init/<template>/` becomes a project template of `infrac init`
//!   (`$OUT_DIR/init_templates.rs`): its files, with those of `init/common/` that it does not
//!   replace, and its description, the first `//!` line of its `app.infra`;
//! * `spec/cfn-spec.index` becomes the schema's metadata and its type table
//!   (`$OUT_DIR/schema_index.rs`), so that listing the types or printing `--version` costs
//!   nothing at run time, and a malformed index fails the build rather than a user's compile.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    embed_std(&root.join("std"), &Path::new(&out_dir).join("std_modules.rs"));
    embed_init_templates(&root.join("init"), &Path::new(&out_dir).join("init_templates.rs"));
    embed_schema_index(&root.join("spec"), &Path::new(&out_dir).join("schema_index.rs"));
}

fn embed_std(dir: &Path, target: &Path) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(dir)
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
    std::fs::write(target, out).expect("OUT_DIR is writable");
}

/// The folder of `init/` whose files every template has, unless it has its own.
const INIT_COMMON: &str = "common";

fn embed_init_templates(dir: &Path, target: &Path) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut folders: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    // Sorted, so that the embedded table is the same on every machine.
    folders.sort();
    let common = files_under(&dir.join(INIT_COMMON));
    let mut out = String::from("pub static TEMPLATES: &[ProjectTemplate] = &[\n");
    for folder in folders {
        let name = folder.file_name().and_then(|n| n.to_str()).expect("template folder names are UTF-8");
        if name == INIT_COMMON {
            continue;
        }
        let mut files = files_under(&folder);
        for (relative, path) in &common {
            if !files.iter().any(|(r, _)| r == relative) {
                files.push((relative.clone(), path.clone()));
            }
        }
        files.sort();
        let entry = folder.join("app.infra");
        let entry_text = std::fs::read_to_string(&entry)
            .unwrap_or_else(|err| panic!("init/{name}: a template needs an app.infra ({err})"));
        let description = entry_text
            .lines()
            .next()
            .and_then(|line| line.strip_prefix("//!"))
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .unwrap_or_else(|| panic!("init/{name}/app.infra: the first line must be a `//!` description"));
        writeln!(out, "    ProjectTemplate {{\n        name: {name:?},\n        description: {description:?},")
            .unwrap();
        out.push_str("        files: &[\n");
        for (relative, path) in files {
            println!("cargo:rerun-if-changed={}", path.display());
            writeln!(out, "            ({relative:?}, include_str!({:?})),", path.display().to_string()).unwrap();
        }
        out.push_str("        ],\n    },\n");
    }
    out.push_str("];\n");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}

/// Every file under `dir`, hidden ones included, by its path relative to
/// `dir` with `/` separators.
fn files_under(dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        println!("cargo:rerun-if-changed={}", current.display());
        let entries =
            std::fs::read_dir(&current).unwrap_or_else(|err| panic!("cannot read {}: {err}", current.display()));
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("under dir");
                let parts: Vec<&str> =
                    relative.components().map(|c| c.as_os_str().to_str().expect("file names are UTF-8")).collect();
                found.push((parts.join("/"), path));
            }
        }
    }
    found.sort();
    found
}

/// The index format written by `tools/cfn-spec/generate.py`: `#` comment lines, then
/// tab-separated `key<TAB>value` lines, one `type<TAB>name<TAB>offset<TAB>length` per type.
const SCHEMA_FORMAT: &str = "2";

fn embed_schema_index(spec: &Path, target: &Path) {
    let index_path = spec.join("cfn-spec.index");
    let frames_path = spec.join("cfn-spec.zst");
    for path in [&index_path, &frames_path, &spec.join("cfn-spec.dict")] {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    let index = std::fs::read_to_string(&index_path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", index_path.display()));
    let frames_len = std::fs::metadata(&frames_path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", frames_path.display()))
        .len();
    let bad = |line: usize, why: &str| -> ! {
        panic!("spec/cfn-spec.index:{line}: {why}; regenerate it with tools/cfn-spec/regenerate.sh")
    };

    let (mut format, mut version, mut schema_date, mut regions) = (None, None, None, None);
    let mut types: Vec<(&str, u64, u64)> = Vec::new();
    for (number, line) in index.lines().enumerate().map(|(i, l)| (i + 1, l)) {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["format", value] => format = Some(*value),
            ["version", value] => version = Some(*value),
            ["schema_date", value] => schema_date = Some(*value),
            ["regions", value] => regions = Some(value.split(' ').collect::<Vec<_>>()),
            // Recorded for people; the decoder, like cfn-lint, needs only the region list.
            ["region_fallback", _] => {}
            ["type", name, offset, length] => {
                let number_at = |text: &str| text.parse::<u64>().unwrap_or_else(|_| bad(number, "not a number"));
                let (offset, length) = (number_at(offset), number_at(length));
                let expected = types.last().map_or(0, |(_, o, l)| o + l);
                if offset != expected {
                    bad(number, "frames must follow one another");
                }
                if types.last().is_some_and(|(previous, _, _)| previous >= name) {
                    bad(number, "type names must be sorted and unique");
                }
                types.push((name, offset, length));
            }
            _ => bad(number, "unknown line"),
        }
    }
    if format != Some(SCHEMA_FORMAT) {
        panic!(
            "spec/cfn-spec.index has format {format:?} but this build reads format {SCHEMA_FORMAT}; \
             regenerate it or update build.rs and src/schema together"
        );
    }
    let end = types.last().map_or(0, |(_, o, l)| o + l);
    if end != frames_len {
        panic!("spec/cfn-spec.index describes {end} bytes of frames but spec/cfn-spec.zst has {frames_len}");
    }
    if u32::try_from(end).is_err() {
        bad(0, "the frames outgrow the u32 offsets of the type table");
    }
    let regions = regions.unwrap_or_else(|| bad(0, "no regions line"));
    if regions.len() > 64 {
        bad(0, "more than 64 regions: the availability bitset needs a wider type");
    }

    let mut out = String::new();
    let version = version.unwrap_or_else(|| bad(0, "no version line"));
    let schema_date = schema_date.unwrap_or_else(|| bad(0, "no schema_date line"));
    writeln!(out, "const SOURCE_VERSION: &str = {version:?};").unwrap();
    writeln!(out, "const SCHEMA_DATE: &str = {schema_date:?};").unwrap();
    writeln!(out, "const REGIONS: &[&str] = &{regions:?};").unwrap();
    writeln!(out, "const TYPE_COUNT: usize = {};", types.len()).unwrap();
    let names: String = types.iter().map(|(name, _, _)| *name).collect();
    writeln!(out, "static TYPE_NAMES: &str = {names:?};").unwrap();
    out.push_str("static TYPES: [TypeEntry; TYPE_COUNT] = [\n");
    let mut name_start = 0;
    for (name, offset, length) in types {
        let name_end = name_start + name.len();
        writeln!(out, "    TypeEntry {{ name: {name_start}..{name_end}, frame: {offset}..{} }},", offset + length)
            .unwrap();
        name_start = name_end;
    }
    out.push_str("];\n");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
