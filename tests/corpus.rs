//! The corpus: `.infra` translations of well-known CloudFormation templates
//! (`tests/corpus/*.infra`), written with L1 resources. Each must compile with
//! no diagnostics at all, errors or warnings; `.ci/lint-templates.sh` also
//! runs cfn-lint over what they emit.

use std::path::Path;

use infrac::diagnostics::render;
use infrac::source::SourceMap;

#[test]
fn corpus_compiles_without_diagnostics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus is readable")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "infra"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "the corpus has {} programs, expected at least ten", paths.len());

    let mut failures = String::new();
    for path in &paths {
        let name = path.file_name().and_then(|n| n.to_str()).expect("file names are UTF-8");
        let text = std::fs::read_to_string(path).expect("corpus file is readable");
        let mut sources = SourceMap::new();
        let file = sources.add(name, text);
        let compilation = infrac::compile(&mut sources, &[file]);
        if !compilation.diagnostics.is_empty() {
            failures.push_str(&render::plain(&sources, &compilation.diagnostics));
        }
        if compilation.stacks.len() != 1 {
            failures.push_str(&format!("{name}: expected one stack\n"));
        }
    }
    assert!(failures.is_empty(), "corpus programs with diagnostics:\n{failures}");
}
