//! infrac: compiles `.infra` programs to AWS CloudFormation templates.
//!
//! ```text
//! .infra text ─► syntax::parse ─► ast::File ─► check ─► hir::Stack ─► backend ─► template JSON
//!                      └──────────── Vec<Diagnostic> ───────┘
//! ```
//!
//! The library is pure: it reads no files and writes none. The `infrac`
//! binary (`main.rs`) does all I/O, rendering and exit codes.

pub mod assets;
pub mod backend;
pub mod cfn_yaml;
pub mod check;
pub mod diagnostics;
pub mod diff;
pub mod format;
pub mod hir;
pub mod ide;
pub mod init;
pub mod limits;
pub mod modules;
pub mod normalise;
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
    /// The object keys of the assets the template names, which must be
    /// uploaded before it deploys.
    pub assets: Vec<String>,
    /// The tags of the images the template names, which must be built and
    /// pushed before it deploys.
    pub images: Vec<String>,
}

/// The result of compiling a program: templates only when there were no
/// errors, and every diagnostic found.
pub struct Compilation {
    pub stacks: Vec<StackTemplate>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every asset `asset()` packaged, in the order the program names them
    /// (empty when there were errors).
    pub assets: Vec<assets::Asset>,
    /// Every image `docker_image()` named (empty when there were errors).
    pub images: Vec<assets::images::Image>,
    /// Where the templates say the assets and images are published.
    pub staging: assets::Staging,
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
    /// Where `asset(...)` and `docker_image(...)` publish: the project's own
    /// bucket and repository (`infrac.toml`, flags), else `infrac bootstrap`'s.
    pub staging: assets::Staging,
}

/// Compiles the program whose entry files are `files`. Imports resolve only
/// to files already in `sources`; the standard-library files the program
/// uses are added to it, so that diagnostics in them can be shown.
pub fn compile(sources: &mut SourceMap, files: &[FileId]) -> Compilation {
    compile_with(sources, files, &Options::default(), &mut |_| Err("no such file".to_string()))
}

/// Compiles a program whose `asset()` calls all fail: for callers that
/// read no files (the examples of the documentation, the editor).
pub fn compile_with(
    sources: &mut SourceMap,
    files: &[FileId],
    options: &Options,
    read: &mut modules::Reader,
) -> Compilation {
    compile_program(sources, files, options, read, &mut assets::no_assets)
}

/// Compiles a program, reading imported files through `read` (adding them
/// to `sources`) and what `asset()` names through `read_asset`.
pub fn compile_program(
    sources: &mut SourceMap,
    files: &[FileId],
    options: &Options,
    read: &mut modules::Reader,
    read_asset: &mut assets::AssetReader,
) -> Compilation {
    with_deep_stack(|| compile_on_this_thread(sources, files, options, read, read_asset))
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
    read_asset: &mut assets::AssetReader,
) -> Compilation {
    let (loaded, diagnostics) = modules::load(sources, files, read);
    compile_loaded(sources, &loaded, diagnostics, options, read_asset)
}

/// Checks and emits a program already loaded (by [`modules::load`] or
/// [`modules::load_cached`]); `diagnostics` are the loader's, and
/// `read_asset` reads what `asset()` names. Recurses as deep as the
/// program nests: call it inside [`with_deep_stack`].
pub fn compile_loaded(
    sources: &SourceMap,
    loaded: &[modules::Loaded],
    mut diagnostics: Vec<Diagnostic>,
    options: &Options,
    read_asset: &mut assets::AssetReader,
) -> Compilation {
    let modules = modules::modules(sources, loaded);
    let checked = check::check_program(&modules, options, read_asset);
    diagnostics.extend(checked.diagnostics);
    let mut assets = checked.assets;
    let mut images = checked.images;
    let mut stacks = Vec::new();
    for stack in checked.stacks {
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
        let needed = assets_named(&template, &assets);
        let needed_images = images_named(&template, &images);
        let depends_on = stack.depends_on;
        stacks.push(StackTemplate {
            name: stack.name,
            source,
            depends_on,
            template,
            declarations,
            assets: needed,
            images: needed_images,
        });
    }
    diagnostics::sort(&mut diagnostics);
    // A construct instantiated twice reports its own mistakes once.
    diagnostics.dedup();
    if diagnostics.iter().any(Diagnostic::is_error) {
        stacks.clear();
        assets.clear();
        images.clear();
    }
    Compilation { stacks, diagnostics, assets, images, staging: options.staging.clone() }
}

/// The keys of the assets a template names: wherever a string holds one
/// (an `S3Key`, or a location such as CodeBuild's `BUCKET/KEY` written by
/// interpolation; a key is a 64-digit hash, found by accident nowhere).
/// Found on the template rather than tracked through evaluation, so an
/// asset reaching a stack through a module-level `let` or a construct
/// counts alike.
fn assets_named(template: &serde_json::Value, assets: &[assets::Asset]) -> Vec<String> {
    let keys: Vec<String> = assets.iter().map(|asset| asset.key.clone()).collect();
    named_in(template, &keys, |text, key| text.contains(key))
}

/// The tags of the images a template names: wherever a string holds one's
/// repository and tag (the `Fn::Sub` of its URI, or text around it).
fn images_named(template: &serde_json::Value, images: &[assets::images::Image]) -> Vec<String> {
    let tags: Vec<String> = images.iter().map(|image| image.tag.clone()).collect();
    // A tag is 64 hexadecimal digits: after a `:`, it names its image.
    let mut found = named_in(template, &tags, |text, tag| text.contains(&format!(":{tag}")));
    found.dedup();
    found
}

/// The `wanted` strings that `matches` some string value of `template`, in
/// the order of `wanted`.
fn named_in(template: &serde_json::Value, wanted: &[String], matches: impl Fn(&str, &str) -> bool) -> Vec<String> {
    fn walk(value: &serde_json::Value, wanted: &[String], matches: &dyn Fn(&str, &str) -> bool, found: &mut [bool]) {
        match value {
            serde_json::Value::String(text) => {
                for (item, found) in wanted.iter().zip(found.iter_mut()) {
                    *found |= matches(text, item);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|item| walk(item, wanted, matches, found)),
            serde_json::Value::Object(entries) => entries.values().for_each(|item| walk(item, wanted, matches, found)),
            _ => {}
        }
    }
    let mut found = vec![false; wanted.len()];
    walk(template, wanted, &matches, &mut found);
    wanted.iter().zip(found).filter(|(_, found)| *found).map(|(item, _)| item.clone()).collect()
}

/// Every text file `infrac build` writes into its output folder, by name,
/// in the order to write them: each stack's template and source map, then
/// `manifest.json` (`docs/build-output.md`). The packaged assets are
/// [`Compilation::assets`], written under [`assets::Asset::file_name`].
pub fn build_outputs(sources: &SourceMap, compilation: &Compilation) -> Vec<(String, String)> {
    let mut outputs: Vec<(String, String)> = Vec::new();
    for stack in &compilation.stacks {
        outputs.push((format!("{}.template.json", stack.name), backend::to_text(&stack.template)));
    }
    // Read by tools, not people: compact, 60% of its pretty size.
    for (name, map) in source_map(sources, compilation) {
        outputs.push((name, format!("{map}\n")));
    }
    let manifest = manifest(sources, compilation);
    outputs.push(("manifest.json".to_string(), backend::to_text(&manifest)));
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
/// map files, sources, parameters, the stacks each depends on and the
/// assets and images each needs; then the assets, with their packaged file,
/// hash, size and destination; then the images, with their build context,
/// settings, tag and destination.
pub fn manifest(sources: &SourceMap, compilation: &Compilation) -> serde_json::Value {
    let (stacks, assets) = (&compilation.stacks, &compilation.assets);
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
                "assets": stack.assets,
                "images": stack.images,
            })
        })
        .collect();
    let assets: Vec<serde_json::Value> = assets
        .iter()
        .map(|asset| {
            serde_json::json!({
                "path": asset.path,
                "packaging": if asset.folder { "zip" } else { "file" },
                "file": asset.file_name(),
                "hash": asset.hash,
                "size": asset.bytes.len(),
                "destination": { "bucket": compilation.staging.bucket, "key": asset.key },
            })
        })
        .collect();
    let images: Vec<serde_json::Value> = compilation
        .images
        .iter()
        .map(|image| {
            let options = &image.options;
            let build_args: serde_json::Map<String, serde_json::Value> =
                options.build_args.iter().map(|(k, v)| (k.clone(), serde_json::Value::from(v.clone()))).collect();
            serde_json::json!({
                "path": image.path,
                "tag": image.tag,
                "dockerfile": options.dockerfile.as_deref().unwrap_or("Dockerfile"),
                "build_args": build_args,
                "target": options.target,
                "platform": options.platform,
                "destination": match &image.repository {
                    assets::images::Repository::Staging(name) => {
                        serde_json::json!({ "repository": name, "image": image.uri_in(name) })
                    }
                    assets::images::Repository::Stack { stack, logical_id } => {
                        serde_json::json!({ "stack": stack, "resource": logical_id, "tag": image.tag })
                    }
                },
            })
        })
        .collect();
    serde_json::json!({ "version": 1, "stacks": entries, "assets": assets, "images": images })
}
