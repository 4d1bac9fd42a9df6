//! The checker: names, types and values. Turns a program's syntax trees into
//! one [`hir::Stack`] per stack and reports what is wrong with them.
//!
//! A program is a set of modules (files). Declarations are evaluated in
//! *frames*: a stack body, a construct instance's body, or a module's own
//! top level. A name is looked up in the loop variables in scope, then the
//! frame, then the frame's module (its lets, constructs, stacks and
//! imports), then the built-in `aws` namespace. Construct instances are
//! expanded into the stack that declares them; references across stacks
//! become exports and imports.
//!
//! **Invariant:** the checker never builds template JSON (that is the
//! backend's job) and never stops at the first error: a failed computation
//! yields [`Val::Error`], which later steps pass over silently.

pub mod builtins;
mod decl;
pub(crate) mod decorators;
mod eval;
mod existing;
mod folded;
mod functions;
pub(crate) mod groups;
pub(crate) use eval::PSEUDO_PARAMETERS;
pub use folded::FoldedLets;
mod operators;
mod overrides;
mod rules;
mod schema_check;
mod shapes;
mod slots;
mod stacks;
mod value;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use crate::assets::images::Image;
use crate::assets::{Asset, AssetReader, Staging};
use crate::diagnostics::facts::Declaration;
use crate::diagnostics::{builder as diag, Diagnostic};
use crate::hir;
use crate::source::Span;
use crate::syntax::ast::{self, ItemKind};
use value::{Cond, CondNode, Ty, Val};

/// One parsed file of a program.
pub struct Module<'a> {
    pub file: &'a ast::File,
    pub file_id: crate::source::FileId,
    /// The file's name, normalized (`app/lib/queue.infra`): `asset()` paths
    /// are relative to it.
    pub path: String,
    /// The stack a file without `stack` blocks becomes.
    pub stack_name: String,
    /// For each `import` item of the file, in order: the module it names, or
    /// `None` when it could not be loaded (already reported).
    pub imports: Vec<Option<usize>>,
    /// Whether the file was named on the command line (a file reached only
    /// through `import` is a library).
    pub is_entry: bool,
    /// `Some("s3")` for the standard library's `std/s3.infra`.
    pub std_namespace: Option<String>,
    /// The files `file("path")` loads, read by `modules` (by path as written).
    pub texts: &'a std::collections::BTreeMap<String, String>,
}

/// Checks a whole program. Returns the stacks in deploy order; they are
/// complete only when no diagnostic is an error.
pub fn check_program<'a>(
    modules: &'a [Module<'a>],
    options: &crate::Options,
    read_asset: &'a mut AssetReader<'a>,
) -> Checked {
    let mut checker = Checker::new(modules, options, read_asset);
    checker.declare_modules();
    checker.lower_decorators();
    checker.create_stacks();
    for stack in 0..checker.stacks.len() {
        let frame = checker.stacks[stack].frame;
        checker.process_frame(frame);
    }
    checker.check_module_lets();
    let stacks = checker.finish();
    let folded_lets = folded::collect(&checker);
    Checked {
        stacks,
        diagnostics: checker.diagnostics,
        assets: checker.assets.packaged,
        images: checker.assets.images,
        folded_lets,
    }
}

/// What [`check_program`] found.
pub struct Checked {
    /// The stacks in deploy order, complete only when no diagnostic is an error.
    pub stacks: Vec<hir::Stack>,
    pub diagnostics: Vec<Diagnostic>,
    /// The assets `asset()` packaged, in the order they were first named.
    pub assets: Vec<Asset>,
    /// The images `docker_image()` named, in the same order.
    pub images: Vec<Image>,
    pub folded_lets: FoldedLets,
}

/// The assets of a program: each path packaged once, however many calls name it.
struct Assets<'a> {
    read: &'a mut AssetReader<'a>,
    /// By resolved path: the object key, or why the path could not be read.
    by_path: HashMap<String, Result<String, String>>,
    packaged: Vec<Asset>,
    /// The images `docker_image()` named, each context and settings once.
    images: Vec<Image>,
    /// Where they are published, unless a call names its own repository.
    staging: Staging,
}

type FrameId = usize;
/// A declaration: the frame it is evaluated in and its index there.
type DeclId = (FrameId, usize);

/// What a module-level name refers to.
#[derive(Clone, Copy, Debug)]
enum ModuleName {
    Let(usize),
    /// An `existing` description at the top of a file of stacks, which
    /// every stack of the file may use.
    Existing(usize),
    Construct(usize),
    Stack,
    /// `import "./x.infra" as x`
    Namespace(usize),
    /// `import { name } from "./x.infra"`: the name in that module.
    Imported(usize),
    /// A name an import that failed (already reported) would have brought.
    Unavailable,
}

/// What a name resolves to where it is used.
#[derive(Clone, Debug)]
enum Binding {
    Local(Val),
    Param(DeclId),
    Let(DeclId),
    Resource(DeclId),
    /// A construct: its module and item index.
    Construct(usize, usize),
    Stack(usize),
    Namespace(usize),
    /// From an import that failed: uses are errors already reported.
    Unavailable,
}

/// A scope in which declarations are evaluated.
struct Frame<'a> {
    module: usize,
    items: &'a [ast::Item],
    names: HashMap<&'a str, usize>,
    /// The stack the frame's resources go to; `None` for a library module.
    stack: Option<usize>,
    /// Prepended to the logical IDs of the frame's resources.
    prefix: String,
    /// Orders the frame's resources in the template: declaration order,
    /// with an instance's resources at the instance's place.
    sort_key: Vec<u32>,
    /// Tags from enclosing stacks and instances, outermost first.
    tags: Vec<(String, Val)>,
    /// A construct's parameters bound to the instance's properties.
    args: HashMap<String, Val>,
    /// Where the user wrote each bound property: the value in the instance's
    /// body, or, for one a group passed on, where the outer instance set it.
    arg_spans: HashMap<String, Span>,
    /// A stack's or module's scope, or a construct instance's expansion.
    kind: FrameKind,
    /// A construct instance's outputs by item index, once evaluated.
    outputs: HashMap<usize, Memo>,
    /// While an instance's properties are being evaluated: the instance. Its
    /// parameters have no value yet.
    pending: Option<DeclId>,
    /// `@override`s the instance's declaration applies to its resources.
    overrides: Vec<overrides::Override<'a>>,
    /// What the instance's `@depends_on` names: every resource inside
    /// depends on these.
    depends_on: Vec<String>,
    /// The logical IDs of every resource the instance creates, nested
    /// instances included.
    created: Vec<String>,
    /// The paths `@override` can name in the instance, as its resources are
    /// emitted: for did-you-mean.
    override_targets: Vec<String>,
}

/// What a frame is, which decides what its `param`s are.
#[derive(Clone, Debug)]
enum FrameKind {
    /// A stack's body or a module's top level: a `param` without an
    /// argument is a CloudFormation parameter.
    Scope,
    /// A construct instance's expansion: its `param`s are the instance's
    /// properties.
    Instance {
        /// The frame of the stack or instance that declares the instance.
        parent: FrameId,
        /// The instance's name (and loop key) in its parent.
        name: Vec<String>,
        /// The instance's name where it is declared.
        declared: Span,
        /// Its construct as users name it (`s3.Bucket`).
        construct: String,
    },
}

impl Frame<'_> {
    /// Whether the frame's `param`s are CloudFormation parameters (a stack)
    /// rather than construct properties (an instance).
    fn params_are_cfn(&self) -> bool {
        matches!(self.kind, FrameKind::Scope)
    }

    /// The frame that declares this instance, for an instance's frame.
    fn parent(&self) -> Option<FrameId> {
        match self.kind {
            FrameKind::Instance { parent, .. } => Some(parent),
            FrameKind::Scope => None,
        }
    }
}

/// A value computed on first use, and the cycle guard while it is.
enum Memo {
    InProgress,
    Done(Val),
}

struct ParamInfo {
    logical_id: String,
    cfn_type: String,
    /// `None` when the declared type is unknown (already reported).
    ty: Option<Ty>,
}

/// A stack being built.
struct StackBuild<'a> {
    name: String,
    name_span: Span,
    description: Option<String>,
    /// `@metadata` of a `stack` block: the template's `Metadata`.
    metadata: Vec<(String, hir::Value)>,
    frame: FrameId,
    parameters: Vec<hir::Parameter>,
    /// With the span that names each (for two rules of one name).
    rules: Vec<(hir::Rule, Span)>,
    /// `Transform`: written with `@transform`, or needed by a SAM type.
    transforms: Vec<String>,
    /// `@globals`: SAM's `Globals` section.
    globals: Option<hir::Value>,
    /// What the stack uses that only a transform makes valid, with the
    /// transform and where it is used; checked once every resource has
    /// added the transforms it needs (`stacks.rs`).
    needs_transforms: Vec<(crate::diagnostics::facts::TransformFeature, &'static str, Span)>,
    /// With their sort keys and declaring names.
    resources: Vec<(Vec<u32>, hir::Resource, ast::Ident)>,
    outputs: Vec<(hir::Output, ast::Ident)>,
    /// Values other stacks import: output logical ID, export name, value.
    /// Where each was first referred to.
    exports: Vec<(String, String, hir::Value, hir::Provenance)>,
    /// Stacks this one imports from.
    depends_on: BTreeSet<usize>,
    /// CloudFormation type by logical ID, for schema checks of references.
    resource_types: HashMap<String, String>,
    /// Where each resource's logical ID comes from, for collisions.
    id_spans: Vec<(String, Span, &'a str)>,
    /// The construct a stack is built from (`stack Prod: Service { ... }`),
    /// as users name it.
    construct: Option<String>,
}

pub(crate) struct Checker<'a> {
    modules: &'a [Module<'a>],
    options: crate::schema::validate::Options,
    module_names: Vec<HashMap<&'a str, ModuleName>>,
    /// Modules with an `import "./x.infra"` of every name that failed: a name
    /// they do not know may have come from it, so it is not reported.
    failed_glob_imports: HashSet<usize>,
    /// The standard-library namespaces loaded, by name.
    std_modules: HashMap<&'a str, usize>,
    module_frames: Vec<FrameId>,
    frames: Vec<Frame<'a>>,
    /// The frame being evaluated.
    frame: FrameId,
    /// Loop variables in scope, innermost last.
    locals: Vec<(String, Val)>,
    /// Whether the expression being evaluated is written in an `@assert`
    /// that becomes a rule: only there may rule functions be called.
    in_assert: bool,
    stacks: Vec<StackBuild<'a>>,
    diagnostics: Vec<Diagnostic>,
    params: HashMap<DeclId, ParamInfo>,
    used_params: HashSet<DeclId>,
    lets: HashMap<DeclId, Memo>,
    /// Lets and instances being evaluated, innermost last: a cycle shows up here.
    in_progress: Vec<DeclId>,
    instances: HashMap<(FrameId, usize, String), Memo>,
    /// Instances whose properties are being evaluated: another instance may
    /// already read their outputs.
    pending_instances: HashMap<(FrameId, usize, String), Rc<value::InstanceValue>>,
    /// The frame each instance (and loop item of one) was expanded in.
    instance_frames: HashMap<DeclId, Vec<FrameId>>,
    emitted: HashSet<DeclId>,
    /// The items of each loop resource: key, key value, item value.
    loop_items: HashMap<DeclId, Rc<Vec<(String, Val, Val)>>>,
    /// Where each key sits in `loop_items`, so an item is found in one step.
    loop_positions: HashMap<DeclId, Rc<HashMap<String, usize>>>,
    /// Loop resources whose list failed to compute (already reported).
    failed_loops: HashSet<DeclId>,
    /// Resources left out by `@when(false)`, with the decorator's span.
    disabled: HashMap<DeclId, Span>,
    /// Resources' `@when` conditions, once evaluated.
    when_conditions: HashMap<DeclId, Option<String>>,
    /// Constructs being expanded, outermost first: one that appears twice
    /// contains itself.
    construct_chain: Vec<(usize, usize)>,
    /// Names declared more than once in a frame (already reported).
    duplicated: HashSet<(FrameId, &'a str)>,
    /// Logical ID of the declaration being checked; names the conditions it
    /// generates.
    context_id: String,
    /// Every condition of the program, with its scope: the stack of the
    /// frame that made it, `None` at module level, where any stack may use
    /// it. Names are unique among conditions that may share a template (see
    /// [`may_share_template`]); a stack declares the ones its template
    /// names, when it is finished.
    conditions: Vec<(Option<usize>, hir::Condition)>,
    /// Every lookup table of the program, with its scope as for conditions;
    /// a stack declares the ones its template reads.
    mappings: Vec<(Option<usize>, String, hir::Value)>,
    /// Every declaration's decorators, lowered before anything is evaluated.
    decorators: decorators::Decorators<'a>,
    /// The logical IDs `sub()` templates name in each stack, checked once
    /// the stack is complete.
    sub_references: Vec<stacks::SubReference>,
    assets: Assets<'a>,
    /// The construct each parameter group forwards, by the group's name
    /// span, once resolved (and reported).
    group_constructs: HashMap<Span, Option<(usize, usize)>>,
    /// Members two groups forward, already reported.
    reported_groups: HashSet<(Span, String)>,
}

/// `logs_arn` -> `LogsArn`; `cats-vs-dogs` -> `CatsVsDogs`.
pub fn pascal_case(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or(String::new(), |first| first.to_ascii_uppercase().to_string() + chars.as_str())
        })
        .collect()
}

fn is_valid_logical_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 255 && id.chars().all(|c| c.is_ascii_alphanumeric())
}

impl<'a> Checker<'a> {
    fn new(modules: &'a [Module<'a>], options: &crate::Options, read_asset: &'a mut AssetReader<'a>) -> Self {
        Checker {
            modules,
            options: crate::schema::validate::Options { regions: options.regions.clone() },
            module_names: Vec::new(),
            failed_glob_imports: HashSet::new(),
            std_modules: modules
                .iter()
                .enumerate()
                .filter_map(|(i, m)| m.std_namespace.as_deref().map(|ns| (ns, i)))
                .collect(),
            module_frames: Vec::new(),
            frames: Vec::new(),
            frame: 0,
            locals: Vec::new(),
            in_assert: false,
            stacks: Vec::new(),
            diagnostics: Vec::new(),
            params: HashMap::new(),
            used_params: HashSet::new(),
            lets: HashMap::new(),
            in_progress: Vec::new(),
            instances: HashMap::new(),
            pending_instances: HashMap::new(),
            instance_frames: HashMap::new(),
            emitted: HashSet::new(),
            loop_items: HashMap::new(),
            loop_positions: HashMap::new(),
            failed_loops: HashSet::new(),
            disabled: HashMap::new(),
            when_conditions: HashMap::new(),
            duplicated: HashSet::new(),
            construct_chain: Vec::new(),
            context_id: String::new(),
            conditions: Vec::new(),
            mappings: Vec::new(),
            decorators: decorators::Decorators::default(),
            sub_references: Vec::new(),
            assets: Assets {
                read: read_asset,
                by_path: HashMap::new(),
                packaged: Vec::new(),
                images: Vec::new(),
                staging: options.staging.clone(),
            },
            group_constructs: HashMap::new(),
            reported_groups: HashSet::new(),
        }
    }

    fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The stack the current frame belongs to.
    fn stack_index(&self) -> Option<usize> {
        self.frames[self.frame].stack
    }

    /// A module's file has `stack` blocks, or is a library: its top level
    /// then holds no stack of its own.
    fn module_has_implicit_stack(&self, module: usize) -> bool {
        let m = &self.modules[module];
        m.is_entry && !m.file.items.iter().any(|i| matches!(i.kind, ItemKind::Stack(_)))
    }

    /// Creates a frame over `items`, reporting duplicate names in it.
    fn new_frame(&mut self, module: usize, items: &'a [ast::Item], stack: Option<usize>) -> FrameId {
        let id = self.frames.len();
        let mut names: HashMap<&'a str, usize> = HashMap::new();
        let mut outputs: HashMap<&'a str, Span> = HashMap::new();
        for (index, item) in items.iter().enumerate() {
            let Some(name) = item.kind.name() else { continue };
            match &item.kind {
                ItemKind::Param(_) | ItemKind::Let(_) | ItemKind::Resource(_) | ItemKind::Existing(_) => {
                    match names.get(name.node.as_str()) {
                        Some(&first) => {
                            let first_span = items[first].kind.name().map_or(name.span, |n| n.span);
                            self.report(diag::duplicate_declaration(name.span, &name.node, first_span));
                            self.duplicated.insert((id, &name.node));
                        }
                        None => {
                            names.insert(&name.node, index);
                        }
                    }
                }
                // Outputs are not referable, so they have their own namespace.
                ItemKind::Output(_) => match outputs.get(name.node.as_str()) {
                    Some(first) => self.report(diag::duplicate_declaration(name.span, &name.node, *first)),
                    None => {
                        outputs.insert(&name.node, name.span);
                    }
                },
                _ => {}
            }
        }
        self.frames.push(Frame {
            module,
            items,
            names,
            stack,
            prefix: String::new(),
            sort_key: Vec::new(),
            tags: Vec::new(),
            args: HashMap::new(),
            arg_spans: HashMap::new(),
            kind: FrameKind::Scope,
            outputs: HashMap::new(),
            pending: None,
            overrides: Vec::new(),
            depends_on: Vec::new(),
            created: Vec::new(),
            override_targets: Vec::new(),
        });
        id
    }

    /// Builds every module's names: lets, constructs, stacks and imports.
    fn declare_modules(&mut self) {
        for (module, m) in self.modules.iter().enumerate() {
            let mut names: HashMap<&'a str, ModuleName> = HashMap::new();
            let mut spans: HashMap<&'a str, Span> = HashMap::new();
            let mut import_index = 0;
            let mut add =
                |checker: &mut Self, name: &'a ast::Ident, value: ModuleName| match spans.get(name.node.as_str()) {
                    Some(first) => checker.report(diag::duplicate_declaration(name.span, &name.node, *first)),
                    None => {
                        spans.insert(&name.node, name.span);
                        names.insert(&name.node, value);
                    }
                };
            for (index, item) in m.file.items.iter().enumerate() {
                match &item.kind {
                    ItemKind::Let(l) => add(self, &l.name, ModuleName::Let(index)),
                    ItemKind::Existing(e) => add(self, &e.name, ModuleName::Existing(index)),
                    ItemKind::Construct(c) => add(self, &c.name, ModuleName::Construct(index)),
                    ItemKind::Stack(s) => add(self, &s.name, ModuleName::Stack),
                    ItemKind::Import(import) => {
                        let target = m.imports.get(import_index).copied().flatten();
                        import_index += 1;
                        let Some(target) = target else {
                            // The import was reported; what it would have
                            // brought is not reported again at each use.
                            if let Some(alias) = &import.alias {
                                add(self, alias, ModuleName::Unavailable);
                            } else if import.names.is_empty() {
                                self.failed_glob_imports.insert(module);
                            }
                            for name in &import.names {
                                add(self, name, ModuleName::Unavailable);
                            }
                            continue;
                        };
                        if let Some(alias) = &import.alias {
                            add(self, alias, ModuleName::Namespace(target));
                        } else if import.names.is_empty() {
                            // `import "./x.infra"`: every let and construct of x.
                            for other in &self.modules[target].file.items {
                                match &other.kind {
                                    ItemKind::Let(l) => add(self, &l.name, ModuleName::Imported(target)),
                                    ItemKind::Existing(e) => add(self, &e.name, ModuleName::Imported(target)),
                                    ItemKind::Construct(c) => add(self, &c.name, ModuleName::Imported(target)),
                                    _ => {}
                                }
                            }
                        } else {
                            for name in &import.names {
                                let exists = self.modules[target].file.items.iter().any(|i| {
                                    matches!(i.kind, ItemKind::Let(_) | ItemKind::Existing(_) | ItemKind::Construct(_))
                                        && i.kind.name().is_some_and(|n| n.node == name.node)
                                });
                                if exists {
                                    add(self, name, ModuleName::Imported(target));
                                } else {
                                    let candidates: Vec<&str> = self.modules[target]
                                        .file
                                        .items
                                        .iter()
                                        .filter(|i| {
                                            matches!(
                                                i.kind,
                                                ItemKind::Let(_) | ItemKind::Existing(_) | ItemKind::Construct(_)
                                            )
                                        })
                                        .filter_map(|i| i.kind.name().map(|n| n.node.as_str()))
                                        .collect();
                                    let suggestion = crate::diagnostics::suggest::did_you_mean(&name.node, candidates);
                                    self.report(diag::undefined_name(name.span, &name.node, suggestion));
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            self.module_names.push(names);
            let implicit = self.module_has_implicit_stack(module);
            if !implicit {
                for item in &m.file.items {
                    let what = match item.kind {
                        ItemKind::Param(_) => Declaration::Parameter,
                        ItemKind::Resource(_) => Declaration::Resource,
                        ItemKind::Output(_) => Declaration::Output,
                        _ => continue,
                    };
                    let span = item.kind.name().map_or(item.span, |n| n.span);
                    self.report(diag::outside_stack(span, what, m.is_entry));
                }
            }
            // The module's own frame holds its top-level declarations; for a
            // library or a file of `stack` blocks only its lets count.
            let frame = self.new_frame(module, &m.file.items, None);
            if !implicit {
                let items = &m.file.items;
                self.frames[frame]
                    .names
                    .retain(|_, index| matches!(items[*index].kind, ItemKind::Let(_) | ItemKind::Existing(_)));
            }
            self.module_frames.push(frame);
        }
    }

    /// One stack per `stack` block of an entry file, or one for the file.
    fn create_stacks(&mut self) {
        let mut names: HashMap<String, Span> = HashMap::new();
        for module in 0..self.modules.len() {
            let m = &self.modules[module];
            if !m.is_entry {
                continue;
            }
            if self.module_has_implicit_stack(module) {
                let frame = self.module_frames[module];
                let span = Span::new(m.file_id, 0..0);
                let stack = self.add_stack(m.stack_name.clone(), span, m.file.doc.clone(), frame, &mut names);
                self.frames[frame].stack = Some(stack);
                continue;
            }
            for item in &m.file.items {
                let ItemKind::Stack(decl) = &item.kind else { continue };
                self.create_stack(module, item, decl, &mut names);
            }
        }
    }

    fn add_stack(
        &mut self,
        name: String,
        name_span: Span,
        description: Option<String>,
        frame: FrameId,
        names: &mut HashMap<String, Span>,
    ) -> usize {
        if let Some(first) = names.get(&name) {
            self.report(diag::duplicate_stack(name_span, &name, *first));
        }
        names.insert(name.clone(), name_span);
        self.stacks.push(StackBuild {
            name,
            name_span,
            description,
            metadata: Vec::new(),
            frame,
            parameters: Vec::new(),
            rules: Vec::new(),
            transforms: Vec::new(),
            globals: None,
            needs_transforms: Vec::new(),
            resources: Vec::new(),
            outputs: Vec::new(),
            exports: Vec::new(),
            depends_on: BTreeSet::new(),
            resource_types: HashMap::new(),
            id_spans: Vec::new(),
            construct: None,
        });
        self.stacks.len() - 1
    }

    /// Finds a module-level name, following `import { name } from`.
    fn module_name(&self, module: usize, name: &str) -> Option<(usize, ModuleName)> {
        let mut module = module;
        for _ in 0..self.modules.len() + 1 {
            match self.module_names[module].get(name)? {
                ModuleName::Imported(target) => module = *target,
                found => return Some((module, *found)),
            }
        }
        None
    }

    /// Resolves a name where it is used.
    fn resolve(&self, name: &str) -> Option<Binding> {
        if let Some((_, value)) = self.locals.iter().rev().find(|(n, _)| n == name) {
            return Some(Binding::Local(value.clone()));
        }
        let frame = &self.frames[self.frame];
        if let Some(&index) = frame.names.get(name) {
            return Some(match frame.items[index].kind {
                ItemKind::Param(_) => Binding::Param((self.frame, index)),
                ItemKind::Let(_) => Binding::Let((self.frame, index)),
                _ => Binding::Resource((self.frame, index)),
            });
        }
        let Some((module, found)) = self.module_name(frame.module, name) else {
            // A file's own names shadow the standard library's namespaces.
            return self.std_modules.get(name).map(|&module| Binding::Namespace(module));
        };
        Some(match found {
            ModuleName::Let(index) => Binding::Let((self.module_frames[module], index)),
            ModuleName::Existing(index) => Binding::Resource((self.module_frames[module], index)),
            ModuleName::Construct(index) => Binding::Construct(module, index),
            ModuleName::Stack => Binding::Stack(self.stacks.iter().position(|s| s.name == name)?),
            ModuleName::Namespace(target) => Binding::Namespace(target),
            ModuleName::Imported(_) => return None,
            ModuleName::Unavailable => Binding::Unavailable,
        })
    }

    /// Whether an unknown name may come from an import that failed, and so
    /// goes unreported.
    fn may_be_from_failed_import(&self) -> bool {
        self.failed_glob_imports.contains(&self.frames[self.frame].module)
    }

    /// Every name visible here, for did-you-mean.
    fn visible_names(&self) -> Vec<&str> {
        let frame = &self.frames[self.frame];
        let mut names: Vec<&str> = self.locals.iter().map(|(n, _)| n.as_str()).collect();
        names.extend(frame.names.keys().copied());
        names.extend(self.module_names[frame.module].keys().copied());
        names
    }

    /// Runs `f` with `frame` as the current frame and no loop variables.
    fn in_frame<T>(&mut self, frame: FrameId, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved_frame = std::mem::replace(&mut self.frame, frame);
        let saved_locals = std::mem::take(&mut self.locals);
        let saved_context = self.context_id.clone();
        let saved_assert = std::mem::replace(&mut self.in_assert, false);
        let result = f(self);
        self.frame = saved_frame;
        self.locals = saved_locals;
        self.context_id = saved_context;
        self.in_assert = saved_assert;
        result
    }

    fn item(&self, (frame, index): DeclId) -> &'a ast::Item {
        &self.frames[frame].items[index]
    }

    fn decl_name(&self, decl: DeclId) -> &'a str {
        self.item(decl).kind.name().map_or("", |n| n.node.as_str())
    }

    /// Reports the cycle that `decl` closes, once.
    fn report_cycle(&mut self, decl: DeclId) {
        let start = self.in_progress.iter().position(|&d| d == decl).unwrap_or(0);
        let cycle: Vec<(String, Span)> = self.in_progress[start..]
            .iter()
            .filter_map(|&d| self.item(d).kind.name().map(|n| (n.node.clone(), n.span)))
            .collect();
        let already = self.diagnostics.iter().any(|d| {
            d.code == crate::diagnostics::Code::ReferenceCycle && cycle.first().is_some_and(|c| c.1 == d.primary.span)
        });
        if !cycle.is_empty() && !already {
            self.report(diag::reference_cycle(&cycle));
        }
    }

    fn let_value(&mut self, decl: DeclId) -> Val {
        match self.lets.get(&decl) {
            Some(Memo::Done(value)) => return value.clone(),
            Some(Memo::InProgress) => {
                self.report_cycle(decl);
                return Val::Error;
            }
            None => {}
        }
        let item = self.item(decl);
        let ItemKind::Let(let_) = &item.kind else { return Val::Error };
        self.lets.insert(decl, Memo::InProgress);
        self.in_progress.push(decl);
        let id = self.logical_id(item, &let_.name);
        self.check_let_logical_id(item, &let_.name, &id);
        let id = format!("{}{id}", self.frames[decl.0].prefix);
        let mut value = self.in_frame(decl.0, |checker| {
            checker.context_id = id.clone();
            checker.eval(&let_.value)
        });
        self.in_progress.pop();
        // A condition bound by a `let` is named after it and emitted once;
        // so is a `bool` parameter bound by one (`let create_x = flag`), which
        // still reads as the parameter's `Ref` where a plain value is needed.
        if let Val::Cond(cond) = &value {
            // Claimed now, so that two lets of one name in different modules
            // or instances name two conditions.
            let scope = self.frames[decl.0].stack;
            let name = self.unique_condition_name(&id, scope);
            let named = Rc::new(Cond {
                name: Some(name.clone()),
                node: cond.node.clone(),
                as_value: cond.as_value.clone(),
                origin: cond.origin.clone(),
            });
            let expr = if cond.name.is_none() {
                self.lower_condition(&named)
            } else {
                // `let a = b` of a condition let names a condition of its
                // own, `{Condition: B}`, as the program says it: an alias
                // the reader sees in the template too.
                hir::CondExpr::Condition(self.condition_name(cond))
            };
            self.conditions.push((scope, hir::Condition { logical_id: name, expr }));
            value = Val::Cond(named);
        }
        self.lets.insert(decl, Memo::Done(value.clone()));
        value
    }

    /// A `let`'s `@logical_id` names the condition or mapping it becomes,
    /// so it must be a valid logical ID (reported once, not per instance of
    /// the construct that declares it).
    fn check_let_logical_id(&mut self, item: &'a ast::Item, name: &ast::Ident, id: &str) {
        if self.logical_id_attr(item).is_none() || is_valid_logical_id(id) {
            return;
        }
        let already = self
            .diagnostics
            .iter()
            .any(|d| d.code == crate::diagnostics::Code::InvalidLogicalId && d.primary.span == name.span);
        if !already {
            self.report(diag::invalid_logical_id(name.span, &name.node, id));
        }
    }

    /// Evaluates module-level lets nobody used, so their errors are reported.
    fn check_module_lets(&mut self) {
        for module in 0..self.modules.len() {
            let frame = self.module_frames[module];
            for (index, item) in self.modules[module].file.items.iter().enumerate() {
                let first = !self.duplicated.contains(&(frame, self.decl_name((frame, index))));
                match &item.kind {
                    ItemKind::Let(let_) if let_.params.is_none() && first => {
                        self.let_value((frame, index));
                    }
                    ItemKind::Existing(_) if first => {
                        self.existing_value((frame, index));
                    }
                    _ => {}
                }
            }
        }
    }

    /// Turns a checked value into template data, naming the conditions it
    /// needs.
    fn lower(&mut self, value: &Val) -> hir::Value {
        match value {
            Val::Null | Val::Error | Val::Instance(_) => hir::Value::Null,
            Val::Bool(b) => hir::Value::Bool(*b),
            Val::Number(n) => hir::Value::Number(n.clone()),
            Val::Str(s) => hir::Value::String(s.clone()),
            Val::List(items) => hir::Value::List(items.iter().map(|i| self.lower(i)).collect()),
            // A property set to `null` is left out, as if never written: that
            // is how an optional construct parameter stays optional.
            Val::Object(entries) => hir::Value::Object(
                entries
                    .iter()
                    .filter(|(_, v)| !matches!(v, Val::Null))
                    .map(|(k, v)| (k.clone(), self.lower(v)))
                    .collect(),
            ),
            Val::Resource(resource) => hir::Value::intrinsic(hir::Intrinsic::Ref(resource.logical_id.clone())),
            Val::Deploy(deploy) => deploy.value.clone(),
            Val::Cond(cond) => match &cond.as_value {
                Some(value) => value.clone(),
                None => {
                    let name = self.condition_name(cond);
                    hir::Value::intrinsic(hir::Intrinsic::If(name, hir::Value::Bool(true), hir::Value::Bool(false)))
                }
            },
        }
    }

    /// A condition name no condition that may share a template with one of
    /// `scope` has: `base`, or `base` with a number.
    fn unique_condition_name(&self, base: &str, scope: Option<usize>) -> String {
        let taken = |name: &str| {
            self.conditions.iter().any(|(other, c)| c.logical_id == name && may_share_template(*other, scope))
        };
        let mut name = base.to_string();
        let mut n = 2;
        while taken(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }

    /// The base of the names of conditions the current declaration
    /// generates: `BucketCondition`.
    fn generated_condition_base(&self) -> String {
        // Every declaration sets its context; the fallback keeps a name
        // valid (a condition named plain `Condition` is not) if one does not.
        let context = if self.context_id.is_empty() { "Generated" } else { self.context_id.as_str() };
        format!("{context}Condition")
    }

    /// The text of a file the current module loads with `file(path)`, if it
    /// could be read.
    fn loaded_text(&self, path: &str) -> Option<&'a str> {
        let module = self.frames[self.frame].module;
        self.modules[module].texts.get(path).map(String::as_str)
    }

    /// The logical ID of the condition for `cond`, registering it (and the
    /// named conditions it uses) in the program on first use.
    fn condition_name(&mut self, cond: &Rc<Cond>) -> String {
        // A named condition was registered when its `let` was evaluated.
        if let Some(name) = &cond.name {
            return name.clone();
        }
        let expr = self.lower_condition(cond);
        let scope = self.stack_index();
        // The same test written twice in one stack (or at module level) is
        // one condition.
        if let Some((_, existing)) =
            self.conditions.iter().find(|(s, c)| c.expr == expr && (*s == scope || s.is_none()))
        {
            return existing.logical_id.clone();
        }
        let name = self.unique_condition_name(&self.generated_condition_base(), scope);
        self.conditions.push((scope, hir::Condition { logical_id: name.clone(), expr }));
        name
    }

    /// The logical ID of the mapping for a lookup table: `name`, or `name`
    /// with a number when another table that may share a template has it.
    fn mapping_name(&mut self, name: String, table: hir::Value) -> String {
        let scope = self.stack_index();
        let mut candidate = name.clone();
        let mut n = 2;
        loop {
            let existing = self
                .mappings
                .iter()
                .find(|(other, existing, _)| *existing == candidate && may_share_template(*other, scope));
            match existing {
                Some((_, _, existing)) if *existing == table => return candidate,
                Some(_) => {
                    candidate = format!("{name}{n}");
                    n += 1;
                }
                None => {
                    self.mappings.push((scope, candidate.clone(), table));
                    return candidate;
                }
            }
        }
    }

    fn lower_condition(&mut self, cond: &Cond) -> hir::CondExpr {
        let nested = |checker: &mut Self, inner: &Rc<Cond>| match inner.name {
            Some(_) => hir::CondExpr::Condition(checker.condition_name(inner)),
            None => checker.lower_condition(inner),
        };
        match &cond.node {
            CondNode::Equals(a, b) => hir::CondExpr::Equals(a.clone(), b.clone()),
            // Never in a condition: rule functions are called only in an
            // `@assert`, and a `let` is evaluated outside one.
            CondNode::Rule(function, a, b) => hir::CondExpr::Rule(*function, a.clone(), b.clone()),
            CondNode::Not(inner) => hir::CondExpr::Not(Box::new(nested(self, inner))),
            CondNode::And(parts) => {
                let parts = parts.iter().map(|p| nested(self, p)).collect();
                at_most_ten(parts, hir::CondExpr::And)
            }
            CondNode::Or(parts) => {
                let parts = parts.iter().map(|p| nested(self, p)).collect();
                at_most_ten(parts, hir::CondExpr::Or)
            }
        }
    }
}

/// `Fn::And` and `Fn::Or` take 2 to 10 conditions: longer ones are nested
/// in groups of ten, which means the same.
fn at_most_ten(mut parts: Vec<hir::CondExpr>, join: fn(Vec<hir::CondExpr>) -> hir::CondExpr) -> hir::CondExpr {
    const MOST: usize = 10;
    while parts.len() > MOST {
        let mut groups = Vec::with_capacity(parts.len().div_ceil(MOST));
        let mut rest = parts.into_iter().peekable();
        while rest.peek().is_some() {
            let group: Vec<hir::CondExpr> = rest.by_ref().take(MOST).collect();
            groups.push(if group.len() == 1 { group.into_iter().next().expect("one part") } else { join(group) });
        }
        parts = groups;
    }
    join(parts)
}

/// Whether conditions or mappings of these scopes may end up in one
/// template: a module-level one may be used by any stack.
fn may_share_template(a: Option<usize>, b: Option<usize>) -> bool {
    a.is_none() || b.is_none() || a == b
}

#[cfg(test)]
mod tests {
    use super::pascal_case;

    #[test]
    fn pascal_case_names() {
        assert_eq!(pascal_case("logs_arn"), "LogsArn");
        assert_eq!(pascal_case("cats-vs-dogs"), "CatsVsDogs");
        assert_eq!(pascal_case("net"), "Net");
        assert_eq!(pascal_case("myBucket"), "MyBucket");
        assert_eq!(pascal_case("_"), "");
    }
}
