//! infrac: compiles `.infra` programs to AWS CloudFormation templates.
//!
//! ```text
//! .infra text ─► syntax::parse ─► ast::File ─► check ─► hir::Stack ─► backend ─► template JSON
//!                      └──────────── Vec<Diagnostic> ───────┘
//! ```
//!
//! The library is pure: it reads no files and writes none. The `infrac`
//! binary (`main.rs`) does all I/O, rendering and exit codes.

pub mod backend;
pub mod check;
pub mod diagnostics;
pub mod format;
pub mod schema;
pub mod source;
pub mod syntax;

use std::collections::HashMap;

use diagnostics::{builder as diag, Diagnostic};
use source::{FileId, SourceMap, Span};

/// One stack's template, ready to write.
pub struct StackTemplate {
    pub name: String,
    pub source: FileId,
    pub template: serde_json::Value,
}

/// The result of compiling a program: templates only when there were no
/// errors, and every diagnostic found.
pub struct Compilation {
    pub stacks: Vec<StackTemplate>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The stack a file without `stack` blocks becomes: `cats-vs-dogs.infra`
/// -> `CatsVsDogs`.
pub fn stack_name_for(path: &str) -> String {
    let file_name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = file_name.strip_suffix(".infra").unwrap_or(file_name);
    check::pascal_case(stem)
}

/// What the command line can change about a compilation.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Regions the templates will be deployed to (`--region`); resource types
    /// missing from one of them are reported.
    pub regions: Vec<String>,
}

/// Compiles every file of `sources` listed in `files`, each as one stack.
pub fn compile(sources: &SourceMap, files: &[FileId]) -> Compilation {
    compile_with(sources, files, &Options::default())
}

/// [`compile`] with options.
pub fn compile_with(sources: &SourceMap, files: &[FileId], options: &Options) -> Compilation {
    let mut diagnostics = Vec::new();
    let mut stacks = Vec::new();
    let mut stack_names: HashMap<String, Span> = HashMap::new();
    for &file in files {
        let source = sources.get(file);
        let (ast, syntax_diagnostics) = syntax::parse(&source.text, file);
        diagnostics.extend(syntax_diagnostics);
        let name = stack_name_for(&source.name);
        let whole_file = Span::new(file, 0..0);
        if let Some(first) = stack_names.get(&name) {
            diagnostics.push(diag::duplicate_stack(whole_file, &name, *first));
        }
        stack_names.insert(name.clone(), whole_file);
        let (stack, check_diagnostics) = check::check(&ast, &name, options);
        diagnostics.extend(check_diagnostics);
        // Only worth saying about a file that is otherwise right: a file whose
        // resources failed to parse has already been reported.
        if stack.resources.is_empty() && !diagnostics.iter().any(|d| d.is_error() && d.primary.span.file == file) {
            diagnostics.push(diag::empty_stack(whole_file, &name));
        }
        stacks.push(StackTemplate { name, source: file, template: backend::template(&stack) });
    }
    diagnostics::sort(&mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        stacks.clear();
    }
    Compilation { stacks, diagnostics }
}

/// `manifest.json`: the stacks in deploy order, their template files and
/// parameters.
pub fn manifest(sources: &SourceMap, stacks: &[StackTemplate]) -> serde_json::Value {
    let entries: Vec<serde_json::Value> = stacks
        .iter()
        .map(|stack| {
            let parameters: Vec<&String> = stack
                .template
                .get("Parameters")
                .and_then(|p| p.as_object())
                .map(|p| p.keys().collect())
                .unwrap_or_default();
            serde_json::json!({
                "name": stack.name,
                "template": format!("{}.template.json", stack.name),
                "source": sources.get(stack.source).name,
                "depends_on": [],
                "parameters": parameters,
            })
        })
        .collect();
    serde_json::json!({ "version": 1, "stacks": entries })
}
