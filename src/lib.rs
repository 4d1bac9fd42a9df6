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
pub mod diff;
pub mod format;
pub mod hir;
pub mod ide;
pub mod init;
pub mod limits;
pub mod modules;
pub mod schema;
pub mod source;
pub mod sourcemap;
pub mod stdlib;
pub mod syntax;

use diagnostics::{builder as diag, Diagnostic};
use source::{FileId, SourceMap, Span};

/// One stack's template, ready to write.
pub struct StackTemplate {
    pub name: String,
    pub source: FileId,
    /// The stacks this one imports from, which deploy before it.
    pub depends_on: Vec<String>,
    pub template: serde_json::Value,
    /// Where each parameter, resource and output was declared, for the
    /// source map ([`source_map`]).
    pub declarations: sourcemap::Declarations,
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

/// Compiles the program whose entry files are `files`. Imports resolve only
/// to files already in `sources`; the standard-library files the program
/// uses are added to it, so that diagnostics in them can be shown.
pub fn compile(sources: &mut SourceMap, files: &[FileId]) -> Compilation {
    compile_with(sources, files, &Options::default(), &mut |_| Err("no such file".to_string()))
}

/// Compiles a program, reading imported files through `read` and adding
/// them to `sources`.
pub fn compile_with(
    sources: &mut SourceMap,
    files: &[FileId],
    options: &Options,
    read: &mut modules::Reader,
) -> Compilation {
    with_deep_stack(|| compile_on_this_thread(sources, files, options, read))
}

/// The stack every stage runs on. Parsing, checking, emitting and dropping
/// the syntax tree all recurse as deep as the program nests, so a program
/// nested thousands of levels deep must not overflow a default stack. Only
/// the pages actually used are ever committed.
const DEEP_STACK_BYTES: usize = 1 << 30;

/// Runs `f` on a thread with [`DEEP_STACK_BYTES`] of stack.
pub fn with_deep_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .stack_size(DEEP_STACK_BYTES)
            .spawn_scoped(scope, f)
            .expect("the operating system refused a thread for the compiler");
        worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

fn compile_on_this_thread(
    sources: &mut SourceMap,
    files: &[FileId],
    options: &Options,
    read: &mut modules::Reader,
) -> Compilation {
    let (loaded, diagnostics) = modules::load(sources, files, read);
    compile_loaded(sources, &loaded, diagnostics, options)
}

/// Checks and emits a program already loaded (by [`modules::load`] or
/// [`modules::load_cached`]); `diagnostics` are the loader's. Recurses as
/// deep as the program nests: call it inside [`with_deep_stack`].
pub fn compile_loaded(
    sources: &SourceMap,
    loaded: &[modules::Loaded],
    mut diagnostics: Vec<Diagnostic>,
    options: &Options,
) -> Compilation {
    let modules = modules::modules(sources, loaded);
    let (checked, check_diagnostics) = check::check_program(&modules, options);
    diagnostics.extend(check_diagnostics);
    let mut stacks = Vec::new();
    for stack in checked {
        let source = stack.source;
        // Only worth saying about a stack that is otherwise right: one whose
        // resources failed to parse has already been reported.
        if stack.resources.is_empty() && !diagnostics.iter().any(Diagnostic::is_error) {
            let span = Span::new(source, 0..0);
            diagnostics.push(diag::empty_stack(span, &stack.name));
        }
        let template = backend::template(&stack);
        let text_len = backend::to_text(&template).len();
        diagnostics.extend(limits::check(&template, text_len, Span::new(source, 0..0)));
        let declarations = sourcemap::Declarations::of(&stack);
        stacks.push(StackTemplate { name: stack.name, source, depends_on: stack.depends_on, template, declarations });
    }
    diagnostics::sort(&mut diagnostics);
    // A construct instantiated twice reports its own mistakes once.
    diagnostics.dedup();
    if diagnostics.iter().any(Diagnostic::is_error) {
        stacks.clear();
    }
    Compilation { stacks, diagnostics }
}

/// Every file `infrac build` writes into its output folder, by name, in the
/// order to write them: each stack's template and source map, then
/// `manifest.json` (`docs/build-output.md`).
pub fn build_outputs(sources: &SourceMap, compilation: &Compilation) -> Vec<(String, String)> {
    let mut outputs: Vec<(String, String)> = Vec::new();
    for stack in &compilation.stacks {
        outputs.push((format!("{}.template.json", stack.name), backend::to_text(&stack.template)));
    }
    // Read by tools, not people: compact, 60% of its pretty size.
    for (name, map) in source_map(sources, compilation) {
        outputs.push((name, format!("{map}\n")));
    }
    outputs.push(("manifest.json".to_string(), backend::to_text(&manifest(sources, &compilation.stacks))));
    outputs
}

/// Each stack's source map (`<Stack>.sources.json`): from its logical IDs
/// to the declarations that made them (`sourcemap`).
pub fn source_map(sources: &SourceMap, compilation: &Compilation) -> Vec<(String, serde_json::Value)> {
    compilation
        .stacks
        .iter()
        .map(|stack| {
            let map = sourcemap::StackSourceMap::new(sources, &stack.name, &stack.declarations);
            (sourcemap::file_name(&stack.name), map.to_json())
        })
        .collect()
}

/// `manifest.json`: the stacks in deploy order, their template and source
/// map files, sources, parameters and the stacks each depends on.
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
                "sources": sourcemap::file_name(&stack.name),
                "source": sources.get(stack.source).name,
                "depends_on": stack.depends_on,
                "parameters": parameters,
            })
        })
        .collect();
    serde_json::json!({ "version": 1, "stacks": entries })
}
