//! A program under test: its files (a fixture may hold several), compiled
//! in memory, its templates checked for consistency and, when
//! `INFRAC_TEMPLATES_DIR` is set, written there for `.ci/lint-templates.sh`
//! to give to cfn-lint.

use std::path::Path;

use infrac::assets::Source;
use infrac::source::SourceMap;
use infrac::Compilation;

use super::consistency::{self, ExternalImports};

/// In a fixture, a line `//# file: NAME` starts the next file of a
/// multi-file program; a fixture without one is a single file.
pub const FILE_MARKER: &str = "//# file: ";

/// Where the test suite writes every template it checks, when set.
pub const TEMPLATES_DIR: &str = "INFRAC_TEMPLATES_DIR";

/// The files of the fixture or program at `path` (relative to the
/// repository): `(name, text)`. A single file is named by its file name.
pub fn split_files(path: &str, src: &str) -> Vec<(String, String)> {
    if !src.starts_with(FILE_MARKER) {
        let file_name = path.rsplit('/').next().unwrap_or(path);
        return vec![(file_name.to_string(), src.to_string())];
    }
    let mut files: Vec<(String, String)> = Vec::new();
    for line in src.split_inclusive('\n') {
        match line.strip_prefix(FILE_MARKER) {
            Some(file_name) => files.push((file_name.trim().to_string(), String::new())),
            None => files.last_mut().expect("the fixture starts with a marker").1.push_str(line),
        }
    }
    files
}

/// Compiles `files`, every `.infra` one an entry; imports and `file(...)`
/// resolve to these files, and `asset(...)` and `docker_image(...)` to the
/// others (`//# file: src/index.py`).
pub fn compile_files(files: &[(String, String)]) -> (SourceMap, Compilation) {
    let mut sources = SourceMap::new();
    let mut ids = Vec::new();
    let mut others = Vec::new();
    for (name, text) in files {
        let id = sources.add(name.clone(), text.clone());
        if name.ends_with(".infra") {
            ids.push(id);
        } else {
            others.push((name.clone(), text.clone().into_bytes()));
        }
    }
    let mut read = |_: &str| Err("no such file".to_string());
    let options = infrac::Options::default();
    let compilation = infrac::compile_program(&mut sources, &ids, &options, &mut read, &mut asset_reader(others));
    (sources, compilation)
}

/// Serves `asset()` from files in memory: a path names one of them, or the
/// folder holding some of them.
pub fn asset_reader(files: Vec<(String, Vec<u8>)>) -> impl FnMut(&str) -> Result<Source, String> + Send {
    move |path: &str| {
        if let Some((_, bytes)) = files.iter().find(|(name, _)| name == path) {
            return Ok(Source::File(bytes.clone()));
        }
        let prefix = format!("{path}/");
        let inside: Vec<(String, Vec<u8>)> = files
            .iter()
            .filter_map(|(name, bytes)| Some((name.strip_prefix(&prefix)?.to_string(), bytes.clone())))
            .collect();
        if inside.is_empty() {
            return Err("no such file or folder".to_string());
        }
        Ok(Source::Folder(inside))
    }
}

/// The names the program's own `import_value(...)` calls ask for: any of
/// them may be an export of some other deployment.
pub fn external_imports(sources: &SourceMap) -> ExternalImports {
    let mut imports = ExternalImports::default();
    for (_, file) in sources.files() {
        let mut rest = file.text.as_str();
        while let Some(at) = rest.find("import_value(") {
            rest = &rest[at + "import_value(".len()..];
            let argument = rest.trim_start();
            let literal = argument
                .strip_prefix('"')
                .and_then(|s| s.find('"').map(|end| &s[..end]))
                .filter(|name| !name.contains("${") && !name.contains('\\'));
            match literal {
                Some(name) => {
                    imports.literal.insert(name.to_string());
                }
                None => imports.computed = true,
            }
        }
    }
    imports
}

/// Panics if the templates of `compilation` are not consistent (see
/// `consistency`), naming `what` was compiled.
#[track_caller]
pub fn assert_consistent(what: &str, sources: &SourceMap, compilation: &Compilation) {
    let stacks: Vec<consistency::Stack> = compilation
        .stacks
        .iter()
        .map(|s| consistency::Stack { name: &s.name, template: &s.template, depends_on: &s.depends_on })
        .collect();
    consistency::assert_consistent(what, &stacks, &external_imports(sources));
}

/// With `INFRAC_TEMPLATES_DIR` set, writes each template of `compilation` to
/// `<dir>/<path with / as __, no extension>/<Stack>.template.json`, the
/// layout `.ci/lint-templates.sh` and `.ci/checkov.sh` read.
pub fn write_templates(path: &str, compilation: &Compilation) {
    let Some(root) = std::env::var_os(TEMPLATES_DIR) else { return };
    let folder = path.strip_suffix(".infra").unwrap_or(path).replace('/', "__");
    let dir = Path::new(&root).join(folder);
    std::fs::create_dir_all(&dir).expect("create the templates folder");
    for stack in &compilation.stacks {
        let file = dir.join(format!("{}.template.json", stack.name));
        std::fs::write(&file, infrac::backend::to_text(&stack.template)).expect("write a template");
    }
}
