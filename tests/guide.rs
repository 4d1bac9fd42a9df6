//! The guide pages that promise "every program compiles as shown" are
//! checked here: each ```infra block is compiled as `app.infra`, and the
//! block after it must be what `infrac build` gives for it: a ```json
//! template (compared as JSON, so the page may compact it), or a ```text
//! diagnostic (compared as rendered without colour).
//!
//! A page is listed when all of its programs stand alone; pages with
//! fragments, imports or files on disk are not (yet).

mod support;

use std::path::Path;

use infrac::diagnostics::render;
use support::program;

const PAGES: &[&str] = &["expressions.md"];

/// The fenced blocks of a Markdown page: (language, text).
fn blocks(page: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        let Some(lang) = line.strip_prefix("```") else { continue };
        let mut text = String::new();
        for line in lines.by_ref() {
            if line == "```" {
                break;
            }
            text.push_str(line);
            text.push('\n');
        }
        out.push((lang.to_string(), text));
    }
    out
}

#[test]
fn guide_programs_compile_as_shown() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/guide");
    for page in PAGES {
        let text = std::fs::read_to_string(root.join(page)).expect("guide page is readable");
        let blocks = blocks(&text);
        let mut checked = 0;
        for (i, (lang, src)) in blocks.iter().enumerate() {
            if lang != "infra" {
                continue;
            }
            let (sources, compilation) = program::compile_files(&[("app.infra".to_string(), src.clone())]);
            let rendered = render::plain(&sources, &compilation.diagnostics);
            match blocks.get(i + 1).map(|(lang, text)| (lang.as_str(), text)) {
                Some(("json", shown)) => {
                    assert!(!compilation.has_errors(), "{page}: program {i} should compile:\n{rendered}");
                    program::assert_consistent(page, &sources, &compilation);
                    let [stack] = compilation.stacks.as_slice() else {
                        panic!("{page}: program {i} should make one stack")
                    };
                    let shown: serde_json::Value = serde_json::from_str(shown)
                        .unwrap_or_else(|e| panic!("{page}: the template after program {i} is not JSON: {e}"));
                    let built: serde_json::Value =
                        serde_json::from_str(&infrac::backend::to_text(&stack.template)).expect("templates are JSON");
                    assert_eq!(shown, built, "{page}: the template after program {i} is not what it builds");
                }
                Some(("text", shown)) => {
                    assert!(compilation.has_errors(), "{page}: program {i} should fail to compile");
                    assert_eq!(
                        shown.as_str(),
                        rendered,
                        "{page}: the diagnostic after program {i} is not what it reports"
                    );
                }
                _ => panic!("{page}: program {i} should be followed by its ```json template or ```text diagnostic"),
            }
            checked += 1;
        }
        assert!(checked > 0, "{page} has no programs");
    }
}
