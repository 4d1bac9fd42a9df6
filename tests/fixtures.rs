//! The fixture harness: every `.infra` file under `tests/fixtures/` is a test.
//!
//! - `ok/**.infra` must compile without errors into consistent templates
//!   (`support::consistency`); the snapshot holds the templates (and any
//!   warnings). With `INFRAC_TEMPLATES_DIR` set, the templates are also
//!   written there, for `.ci/lint-templates.sh`.
//! - `err/**.infra` must fail; the snapshot holds the rendered diagnostics.
//! - A file named after a code (`err/E0201_unknown_name.infra`,
//!   `ok/W0201_unused.infra`) must report that code.
//!
//! A fixture may hold several files: a line `//# file: NAME` starts the
//! next one. Adding a case means adding a file, then `cargo insta review`.
//!
//! The catalogue is tested here too: every code has a page whose example
//! reports it and whose fix does not, a fixture, and a row in the generated
//! `docs/diagnostics.md`.

mod support;

use std::path::Path;

use infrac::diagnostics::{render, Code};
use infrac::source::SourceMap;
use support::program;

fn render_fixture(path: &Path, src: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let relative = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
    let file_name = path.file_name().and_then(|n| n.to_str()).expect("fixture names are UTF-8");
    let kind = path.parent().and_then(|p| {
        p.components().rev().find_map(|c| {
            let c = c.as_os_str().to_str()?;
            matches!(c, "ok" | "err").then_some(c)
        })
    });
    let kind = kind.expect("fixtures live under ok/ or err/");

    let (sources, compilation) = program::compile_files(&program::split_files(file_name, src));
    for diagnostic in &compilation.diagnostics {
        for label in std::iter::once(&diagnostic.primary).chain(&diagnostic.secondary) {
            let len = sources.get(label.span.file).text.len() as u32;
            assert!(
                label.span.start <= label.span.end && label.span.end <= len,
                "{file_name}: label out of bounds: {label:?}"
            );
        }
    }
    // What a user's program causes is reported in the user's code; the
    // standard library's lines are only context.
    for diagnostic in &compilation.diagnostics {
        assert!(
            !sources.get(diagnostic.primary.span.file).embedded,
            "{file_name}: {} is reported inside the standard library: {:?}",
            diagnostic.code.as_str(),
            diagnostic.primary
        );
    }
    let codes: Vec<&str> = compilation.diagnostics.iter().map(|d| d.code.as_str()).collect();
    match kind {
        "ok" => {
            assert!(!compilation.has_errors(), "{file_name} should compile, but reports {codes:?}");
            program::assert_consistent(&relative, &sources, &compilation);
            program::write_templates(&relative, &compilation);
        }
        _ => assert!(compilation.has_errors(), "{file_name} should fail to compile"),
    }
    if let Some(code) = file_name.split('_').next().filter(|c| Code::parse(c).is_some()) {
        assert!(codes.contains(&code), "{file_name} should report {code}, but reports {codes:?}");
    }

    let mut out = String::new();
    for stack in &compilation.stacks {
        out.push_str(&format!("----- TEMPLATE {}\n{}", stack.name, infrac::backend::to_text(&stack.template)));
    }
    if !compilation.assets.is_empty() || !compilation.images.is_empty() {
        let manifest = infrac::manifest(&sources, &compilation);
        out.push_str(&format!("----- MANIFEST\n{}", infrac::backend::to_text(&manifest)));
    }
    if !compilation.diagnostics.is_empty() {
        out.push_str("----- DIAGNOSTICS\n");
        out.push_str(&render::plain(&sources, &compilation.diagnostics));
    }
    out
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/**/*.infra", |path| {
        let src = std::fs::read_to_string(path).expect("fixture is readable");
        let rendered = render_fixture(path, &src);
        insta::with_settings!({ description => src.as_str(), omit_expression => true }, {
            insta::assert_snapshot!(rendered);
        });
    });
}

/// Every code has an explanation page and a fixture that reports it.
#[test]
fn catalogue_is_complete() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).expect("fixture folder is readable") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                names.push(name.to_string());
            }
        }
    }
    for code in Code::ALL {
        let explanation = code.explanation();
        assert!(
            explanation.starts_with(&format!("# {}", code.as_str())) && explanation.contains("## Example"),
            "{} needs an explanation page with an example",
            code.as_str()
        );
        // What CloudFormation reports after the build has no program to
        // compile: `tests/sourcemap.rs` renders those pages' examples.
        if code.is_reported_after_build() {
            continue;
        }
        assert!(
            names.iter().any(|n| n.starts_with(&format!("{}_", code.as_str()))),
            "{} needs a fixture named {}_*.infra",
            code.as_str(),
            code.as_str()
        );
    }
}

/// The catalogue is in code order, so `infrac explain --list` and
/// `docs/diagnostics.md` are too.
#[test]
fn catalogue_is_in_code_order() {
    for pair in Code::ALL.windows(2) {
        assert!(
            pair[0].as_str() < pair[1].as_str(),
            "Code::ALL lists {} before {}",
            pair[0].as_str(),
            pair[1].as_str()
        );
    }
}

/// `docs/diagnostics.md` is generated from the catalogue; regenerate it with
/// `UPDATE_DOCS=1 cargo test --test fixtures diagnostics_page`.
#[test]
fn diagnostics_page_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md");
    let mut page = String::from(
        "# Diagnostics\n\
         \n\
         <!-- Generated from src/diagnostics/codes.rs by tests/fixtures.rs; \
         regenerate with `UPDATE_DOCS=1 cargo test --test fixtures diagnostics_page`. -->\n\
         \n\
         Every diagnostic has a stable code; `infrac explain CODE` prints its page \
         (the pages live in [src/diagnostics/explanations/](../src/diagnostics/explanations/)).\n\
         Codes are grouped by stage and never renumbered or reused: \
         `E01xx` syntax, `E02xx` names and references, `E03xx` types and values, \
         `E04xx` resource schemas, `E05xx` CloudFormation rules, \
         `E06xx` what CloudFormation reports about a deployed stack, `W` warnings.\n\
         \n\
         | code | title |\n\
         |---|---|\n",
    );
    for code in Code::ALL {
        page.push_str(&format!(
            "| [{0}](../src/diagnostics/explanations/{0}.md) | {1} |\n",
            code.as_str(),
            code.title()
        ));
    }
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &page).expect("write docs/diagnostics.md");
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        written == page,
        "docs/diagnostics.md is out of date; run `UPDATE_DOCS=1 cargo test --test fixtures diagnostics_page`"
    );
}

/// One program shown on an explanation page.
struct PageProgram {
    /// The `infra` blocks that make it up: `(file name, text)`.
    files: Vec<(String, String)>,
    /// The entry files; the others are only there to be imported.
    entries: Vec<String>,
    regions: Vec<String>,
    /// Files `asset()` may name: the other blocks whose first line is a
    /// comment naming a file (`# src/index.py`).
    asset_files: Vec<(String, Vec<u8>)>,
}

/// The programs of one section of a page (`## Example`, `## How to fix`).
///
/// Each ```` ```infra ```` block is a program of its own, unless every block
/// starts with a file-name comment (`// lib/queue.infra`, or `# app/run.sh`
/// in a ```` ```sh ```` block for a file loaded with `file`): then the blocks
/// are the files of one program, whose entry is the first file. A command
/// shown in a ```` ```text ```` block (`$ infrac check --region eu-west-1
/// a.infra b.infra`) names the entries and the regions instead.
fn page_programs(section: &str) -> Vec<PageProgram> {
    let mut blocks: Vec<(String, String)> = Vec::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if let Some(language) = line.strip_prefix("```") {
            let body: Vec<&str> = lines.by_ref().take_while(|l| !l.starts_with("```")).collect();
            blocks.push((language.trim().to_string(), body.join("\n") + "\n"));
        }
    }
    let command = blocks.iter().filter(|(language, _)| language == "text").find_map(|(_, body)| {
        body.lines().find_map(|l| l.strip_prefix("$ infrac ")).map(|c| c.split_whitespace().collect::<Vec<_>>())
    });
    // A shell block is a file a program loads with `file(...)`.
    let infra: Vec<&String> =
        blocks.iter().filter(|(language, _)| language == "infra" || language == "sh").map(|(_, b)| b).collect();
    let asset_files: Vec<(String, Vec<u8>)> = blocks
        .iter()
        .filter(|(language, _)| !matches!(language.as_str(), "infra" | "text" | ""))
        .filter_map(|(_, body)| {
            let (first, rest) = body.split_once('\n')?;
            let name = first.strip_prefix("# ").or_else(|| first.strip_prefix("// "))?.trim();
            (!name.contains(' ')).then(|| (name.to_string(), rest.as_bytes().to_vec()))
        })
        .collect();
    let file_name = |body: &str| {
        let first = body.lines().next()?;
        let first = first.strip_prefix("// ").or_else(|| first.strip_prefix("# "))?.trim();
        (first.contains('.') && !first.contains(' ')).then(|| first.to_string())
    };
    let named: Option<Vec<(String, String)>> =
        infra.iter().map(|body| file_name(body).map(|name| (name, body.to_string()))).collect();
    match (named, command) {
        (Some(files), command) if !files.is_empty() || command.is_some() => {
            let (mut entries, mut regions) = (Vec::new(), Vec::new());
            if let Some(command) = command {
                let mut words = command.into_iter().skip(1);
                while let Some(word) = words.next() {
                    match word {
                        "--region" => regions.extend(words.next().map(String::from)),
                        option if option.starts_with('-') => panic!("a page's command uses `{option}`"),
                        file => entries.push(file.to_string()),
                    }
                }
            } else {
                entries.push(files[0].0.clone());
            }
            vec![PageProgram { files, entries, regions, asset_files }]
        }
        _ => infra
            .iter()
            .map(|body| PageProgram {
                files: vec![("example.infra".to_string(), body.to_string())],
                entries: vec!["example.infra".to_string()],
                regions: Vec::new(),
                asset_files: asset_files.clone(),
            })
            .collect(),
    }
}

fn compile_page_program(program: &PageProgram) -> (SourceMap, infrac::Compilation) {
    let mut sources = SourceMap::new();
    let mut entries = Vec::new();
    for (name, text) in &program.files {
        let id = sources.add(name.clone(), text.clone());
        if program.entries.contains(name) {
            entries.push(id);
        }
    }
    assert_eq!(entries.len(), program.entries.len(), "the command names a file the page does not show");
    let options = infrac::Options { regions: program.regions.clone(), ..Default::default() };
    let mut assets = program::asset_reader(program.asset_files.clone());
    let compilation =
        infrac::compile_program(&mut sources, &entries, &options, &mut |_| Err("no such file".into()), &mut assets);
    (sources, compilation)
}

/// The text of the section `## title` of `page`, up to the next `## `.
fn page_section<'p>(page: &'p str, title: &str) -> Option<&'p str> {
    let start = page.find(&format!("\n## {title}\n"))? + title.len() + 5;
    let rest = &page[start..];
    Some(&rest[..rest.find("\n## ").unwrap_or(rest.len())])
}

/// Every page's `## Example` reports its code, and every program of its
/// `## How to fix` compiles without errors and does not report it.
#[test]
fn explanation_examples_report_their_code() {
    let mut wrong = Vec::new();
    for code in Code::ALL.iter().filter(|code| !code.is_reported_after_build()) {
        let page = code.explanation();
        let code = code.as_str();
        let examples = page_section(page, "Example").map(page_programs).unwrap_or_default();
        if examples.is_empty() {
            wrong.push(format!("{code}: `## Example` shows no program"));
        }
        for program in examples {
            let (sources, compilation) = compile_page_program(&program);
            if !compilation.diagnostics.iter().any(|d| d.code.as_str() == code) {
                let rendered = render::plain(&sources, &compilation.diagnostics);
                wrong.push(format!("{code}: the example does not report {code}:\n{rendered}"));
            }
        }
        for program in page_section(page, "How to fix").map(page_programs).unwrap_or_default() {
            let (sources, compilation) = compile_page_program(&program);
            if compilation.has_errors() || compilation.diagnostics.iter().any(|d| d.code.as_str() == code) {
                let rendered = render::plain(&sources, &compilation.diagnostics);
                wrong.push(format!("{code}: the fix still reports:\n{rendered}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{} explanation pages are wrong:\n\n{}", wrong.len(), wrong.join("\n"));
}
