//! Every declaration of a program and every place that names one, found
//! from the syntax trees alone: what go to definition, find references,
//! rename and hover on a name ask.
//!
//! Names resolve as the checker resolves them (`check/mod.rs`): loop
//! variables, then the enclosing stack's or construct's declarations, then
//! the module's (its lets, constructs, stacks, top-level declarations and
//! imports), then the standard library's namespaces. A name that does not
//! resolve is left out; the checker reports it.

use std::collections::HashMap;

use crate::check::builtins;
use crate::modules::Loaded;
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, Expr, ExprKind, ForClause, Item, ItemKind, ResourceType, StackBody, StrPart};

/// Index of a [`Def`] in [`Index::defs`].
pub type DefId = usize;

/// What a declaration declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefKind {
    Param,
    Let,
    /// `let name(a, b) = body`: a user function.
    Function,
    /// A parameter of a user function, named in its body.
    FunctionParam,
    Resource,
    Output,
    Construct,
    Stack,
    /// `import "./x.infra" as x`: the alias.
    ImportAlias,
    /// A `for` variable of a looped resource or a comprehension.
    LoopVariable,
}

impl DefKind {
    /// The keyword that declares it, as a user would call it.
    pub fn keyword(self) -> &'static str {
        match self {
            DefKind::Param => "param",
            DefKind::Let | DefKind::Function | DefKind::FunctionParam => "let",
            DefKind::Resource => "resource",
            DefKind::Output => "output",
            DefKind::Construct => "construct",
            DefKind::Stack => "stack",
            DefKind::ImportAlias => "import",
            DefKind::LoopVariable => "for",
        }
    }
}

impl DefKind {
    /// Whether the name is known only inside one expression (a loop's or
    /// a function's body), and so has no place in a workspace's symbols.
    pub fn is_local(self) -> bool {
        matches!(self, DefKind::LoopVariable | DefKind::FunctionParam)
    }
}

/// One declared name.
#[derive(Clone, Debug)]
pub struct Def {
    pub kind: DefKind,
    pub name: String,
    /// The name where it is declared.
    pub name_span: Span,
    /// The whole declaration (for an outline, or to show it).
    pub span: Span,
    pub doc: Option<String>,
    /// The module (index into the loaded files) that declares it.
    pub module: usize,
    /// For a resource or a construct-typed param: the construct it
    /// instantiates, as `(module, item index)`, when it is a known one.
    pub construct: Option<(usize, usize)>,
    /// For a construct or a stack: its declaration's place, `(module,
    /// item index)`.
    pub item: Option<(usize, usize)>,
}

/// A place that names a declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference {
    pub span: Span,
    pub def: DefId,
}

/// Every declaration and reference of a program.
#[derive(Default, Debug)]
pub struct Index {
    pub defs: Vec<Def>,
    pub refs: Vec<Reference>,
}

impl Index {
    /// Builds the index of the loaded files.
    pub fn new(loaded: &[Loaded]) -> Index {
        let mut builder = Builder { loaded, index: Index::default(), modules: Vec::new() };
        builder.declare();
        builder.resolve_imports();
        for module in 0..loaded.len() {
            builder.walk_module(module);
        }
        builder.index.refs.sort_by_key(|r| (r.span.file, r.span.start));
        builder.index.refs.dedup();
        builder.index
    }

    /// The declaration named at `offset` of `file`: by a reference there, or
    /// by the declared name itself.
    pub fn def_at(&self, file: FileId, offset: u32) -> Option<DefId> {
        let contains = |span: Span| span.file == file && span.start <= offset && offset <= span.end;
        if let Some(reference) = self.refs.iter().find(|r| contains(r.span)) {
            return Some(reference.def);
        }
        self.defs.iter().position(|d| contains(d.name_span))
    }

    /// Where `def` is named: its declaration first, then every reference.
    pub fn occurrences(&self, def: DefId) -> Vec<Span> {
        let mut spans = vec![self.defs[def].name_span];
        spans.extend(self.refs.iter().filter(|r| r.def == def).map(|r| r.span));
        spans
    }

    /// The declarations of one file, in source order.
    pub fn defs_in(&self, file: FileId) -> impl Iterator<Item = (DefId, &Def)> {
        self.defs.iter().enumerate().filter(move |(_, d)| d.name_span.file == file)
    }
}

/// A module's names, as the checker builds them.
#[derive(Default)]
struct ModuleScope {
    /// Lets, constructs, stacks and (for an implicit stack) params and
    /// resources of the top level.
    names: HashMap<String, DefId>,
    /// `import "./x.infra" as x`: the alias and the module.
    namespaces: HashMap<String, (DefId, usize)>,
    /// `import "./x.infra"` (every let and construct of x).
    globs: Vec<usize>,
    /// The declarations of each stack and construct block, by the block's
    /// item index.
    blocks: HashMap<usize, HashMap<String, DefId>>,
    /// Each item's def, by item index (top level).
    item_defs: HashMap<usize, DefId>,
    /// The defs of `import ... as x` aliases, in order.
    aliases: Vec<DefId>,
    /// Construct outputs, by construct item index, then name.
    outputs: HashMap<usize, HashMap<String, DefId>>,
    /// Construct params, by construct item index, then name.
    params: HashMap<usize, HashMap<String, DefId>>,
}

struct Builder<'a> {
    loaded: &'a [Loaded],
    index: Index,
    modules: Vec<ModuleScope>,
}

/// What a name names where it is used.
#[derive(Clone, Copy)]
enum Binding {
    Def(DefId),
    /// A module: an import alias (with its def) or a standard-library namespace.
    Namespace(Option<DefId>, usize),
}

/// The lexical context of an expression.
struct Scope<'s> {
    module: usize,
    block: Option<&'s HashMap<String, DefId>>,
    locals: Vec<(String, DefId)>,
}

impl<'a> Builder<'a> {
    fn add(&mut self, module: usize, kind: DefKind, name: &ast::Ident, item: &Item) -> DefId {
        self.index.defs.push(Def {
            kind,
            name: name.node.clone(),
            name_span: name.span,
            span: item.span,
            doc: item.doc.clone(),
            module,
            construct: None,
            item: None,
        });
        self.index.defs.len() - 1
    }

    /// Pass 1: every declaration of every module.
    fn declare(&mut self) {
        for (module, loaded) in self.loaded.iter().enumerate() {
            let mut scope = ModuleScope::default();
            for (index, item) in loaded.ast.items.iter().enumerate() {
                let Some(kind) = def_kind(&item.kind) else { continue };
                let Some(name) = item.kind.name() else { continue };
                let def = self.add(module, kind, name, item);
                scope.item_defs.insert(index, def);
                if kind != DefKind::Output {
                    scope.names.entry(name.node.clone()).or_insert(def);
                }
                match &item.kind {
                    ItemKind::Construct(construct) => {
                        self.index.defs[def].item = Some((module, index));
                        let (block, params, outputs) = self.declare_block(module, &construct.items);
                        scope.blocks.insert(index, block);
                        scope.params.insert(index, params);
                        scope.outputs.insert(index, outputs);
                    }
                    ItemKind::Stack(stack) => {
                        self.index.defs[def].item = Some((module, index));
                        if let StackBody::Items(items) = &stack.body {
                            let (block, _, _) = self.declare_block(module, items);
                            scope.blocks.insert(index, block);
                        }
                    }
                    _ => {}
                }
            }
            for item in &loaded.ast.items {
                if let ItemKind::Import(import) = &item.kind {
                    if let Some(alias) = &import.alias {
                        let def = self.add(module, DefKind::ImportAlias, alias, item);
                        scope.aliases.push(def);
                    }
                }
            }
            self.modules.push(scope);
        }
    }

    /// The referable declarations of a block, its params and its outputs.
    #[allow(clippy::type_complexity)]
    fn declare_block(
        &mut self,
        module: usize,
        items: &[Item],
    ) -> (HashMap<String, DefId>, HashMap<String, DefId>, HashMap<String, DefId>) {
        let (mut block, mut params, mut outputs) = (HashMap::new(), HashMap::new(), HashMap::new());
        for item in items {
            let Some(kind) = def_kind(&item.kind) else { continue };
            let Some(name) = item.kind.name() else { continue };
            let def = self.add(module, kind, name, item);
            match kind {
                DefKind::Output => {
                    outputs.entry(name.node.clone()).or_insert(def);
                }
                DefKind::Param => {
                    params.entry(name.node.clone()).or_insert(def);
                    block.entry(name.node.clone()).or_insert(def);
                }
                _ => {
                    block.entry(name.node.clone()).or_insert(def);
                }
            }
        }
        (block, params, outputs)
    }

    /// Pass 1b: what each module's imports bring, and the construct each
    /// resource instantiates.
    fn resolve_imports(&mut self) {
        for (module, loaded) in self.loaded.iter().enumerate() {
            let mut import_index = 0;
            let aliases = self.modules[module].aliases.clone();
            let mut module_aliases = aliases.into_iter();
            for item in &loaded.ast.items {
                let ItemKind::Import(import) = &item.kind else { continue };
                let target = loaded.imports.get(import_index).copied().flatten();
                import_index += 1;
                if import.alias.is_some() {
                    let def = module_aliases.next();
                    if let (Some(def), Some(target), Some(alias)) = (def, target, &import.alias) {
                        self.modules[module].namespaces.insert(alias.node.clone(), (def, target));
                    }
                    continue;
                }
                let Some(target) = target else { continue };
                if import.names.is_empty() {
                    self.modules[module].globs.push(target);
                    continue;
                }
                for name in &import.names {
                    if let Some(&def) = self.exported(target, &name.node) {
                        self.index.refs.push(Reference { span: name.span, def });
                        self.modules[module].names.entry(name.node.clone()).or_insert(def);
                    }
                }
            }
        }
        // The construct of every resource and construct-typed param.
        for (module, loaded) in self.loaded.iter().enumerate() {
            let mut constructs = Vec::new();
            collect_instances(&loaded.ast.items, &mut constructs);
            for (name_span, path) in constructs {
                let Some(found) = self.construct_at(module, &path) else { continue };
                if let Some(def) = self.index.defs.iter_mut().find(|d| d.name_span == name_span) {
                    def.construct = Some(found);
                }
            }
        }
    }

    /// A let or construct of `module` that an import may name.
    fn exported(&self, module: usize, name: &str) -> Option<&DefId> {
        let def = self.modules[module].names.get(name)?;
        matches!(self.index.defs[*def].kind, DefKind::Let | DefKind::Function | DefKind::Construct).then_some(def)
    }

    /// A name at module level: its own names, then its imports, then the
    /// standard library.
    fn module_binding(&self, module: usize, name: &str) -> Option<Binding> {
        let scope = &self.modules[module];
        if let Some(&def) = scope.names.get(name) {
            return Some(Binding::Def(def));
        }
        if let Some(&(def, target)) = scope.namespaces.get(name) {
            return Some(Binding::Namespace(Some(def), target));
        }
        for &target in &scope.globs {
            if let Some(&def) = self.exported(target, name) {
                return Some(Binding::Def(def));
            }
        }
        self.loaded
            .iter()
            .position(|l| l.std_namespace.as_deref() == Some(name))
            .map(|target| Binding::Namespace(None, target))
    }

    fn binding(&self, scope: &Scope, name: &str) -> Option<Binding> {
        if let Some((_, def)) = scope.locals.iter().rev().find(|(n, _)| n == name) {
            return Some(Binding::Def(*def));
        }
        if let Some(def) = scope.block.and_then(|b| b.get(name)) {
            return Some(Binding::Def(*def));
        }
        self.module_binding(scope.module, name)
    }

    /// The construct a type path names from `module`: `Name`, `ns.Name`.
    fn construct_at(&self, module: usize, path: &[String]) -> Option<(usize, usize)> {
        let def = match path {
            [name] => match self.module_binding(module, name)? {
                Binding::Def(def) => def,
                Binding::Namespace(..) => return None,
            },
            [namespace, name] => match self.module_binding(module, namespace)? {
                Binding::Namespace(_, target) => *self.exported(target, name)?,
                Binding::Def(_) => return None,
            },
            _ => return None,
        };
        let found = &self.index.defs[def];
        if found.kind == DefKind::Construct {
            found.item
        } else {
            None
        }
    }

    fn construct_def(&self, (module, index): (usize, usize)) -> Option<DefId> {
        self.modules[module].item_defs.get(&index).copied()
    }

    /// Pass 2: the references in one module.
    fn walk_module(&mut self, module: usize) {
        let loaded = self.loaded;
        let items = &loaded[module].ast.items;
        for (index, item) in items.iter().enumerate() {
            let block = match &item.kind {
                ItemKind::Construct(_) | ItemKind::Stack(_) => self.modules[module].blocks.remove(&index),
                _ => None,
            };
            let mut scope = Scope { module, block: None, locals: Vec::new() };
            match &item.kind {
                ItemKind::Construct(construct) => {
                    scope.block = block.as_ref();
                    self.walk_items(&mut scope, &construct.items);
                }
                ItemKind::Stack(stack) => match &stack.body {
                    StackBody::Items(inner) => {
                        scope.block = block.as_ref();
                        self.walk_items(&mut scope, inner);
                    }
                    StackBody::Instance { construct, properties } => {
                        let found = self.construct_at(module, &construct.node);
                        self.construct_path_ref(construct.span, &construct.node, found);
                        self.walk_instance_body(&mut scope, found, properties);
                    }
                },
                _ => self.walk_item(&mut scope, item),
            }
            if let Some(block) = block {
                self.modules[module].blocks.insert(index, block);
            }
        }
    }

    fn walk_items(&mut self, scope: &mut Scope, items: &[Item]) {
        for item in items {
            self.walk_item(scope, item);
        }
    }

    fn walk_item(&mut self, scope: &mut Scope, item: &Item) {
        for decorator in &item.decorators {
            for arg in &decorator.args {
                self.walk_expr(scope, arg);
            }
        }
        match &item.kind {
            ItemKind::Param(param) => {
                if let Some(default) = &param.default {
                    self.walk_expr(scope, default);
                }
                let path: Vec<String> = param.ty.node.name.split('.').map(str::to_string).collect();
                if path.len() == 2 {
                    let found = self.construct_at(scope.module, &path);
                    self.construct_path_ref(param.ty.span, &path, found);
                }
            }
            ItemKind::Let(let_) => {
                // A function's parameters are names in its body only.
                let params = let_.params.as_deref().unwrap_or_default();
                for param in params {
                    self.index.defs.push(Def {
                        kind: DefKind::FunctionParam,
                        name: param.node.clone(),
                        name_span: param.span,
                        span: item.span,
                        doc: None,
                        module: scope.module,
                        construct: None,
                        item: None,
                    });
                    scope.locals.push((param.node.clone(), self.index.defs.len() - 1));
                }
                self.walk_expr(scope, &let_.value);
                scope.locals.truncate(scope.locals.len() - params.len());
            }
            ItemKind::Output(output) => self.walk_expr(scope, &output.value),
            ItemKind::Resource(resource) => {
                let found = match &resource.ty.node {
                    ResourceType::Path(path) => {
                        let found = self.construct_at(scope.module, path);
                        self.construct_path_ref(resource.ty.span, path, found);
                        found
                    }
                    ResourceType::Cfn(_) => None,
                };
                let pushed = self.enter_for(scope, resource.for_each.as_ref());
                if found.is_some() {
                    self.walk_instance_body(scope, found, &resource.body);
                } else {
                    self.walk_expr(scope, &resource.body);
                }
                scope.locals.truncate(scope.locals.len() - pushed);
            }
            ItemKind::Existing(existing) => {
                let found = self.construct_at(scope.module, &existing.construct.node);
                self.construct_path_ref(existing.construct.span, &existing.construct.node, found);
                self.walk_expr(scope, &existing.body);
            }
            ItemKind::Construct(_) | ItemKind::Stack(_) | ItemKind::Import(_) | ItemKind::Error => {}
        }
    }

    /// Declares a `for` clause's variables after walking its iterable;
    /// returns how many it pushed.
    fn enter_for(&mut self, scope: &mut Scope, clause: Option<&ForClause>) -> usize {
        let Some(clause) = clause else { return 0 };
        self.walk_expr(scope, &clause.iterable);
        let mut pushed = 0;
        for ident in clause.key.iter().chain(std::iter::once(&clause.item)) {
            self.index.defs.push(Def {
                kind: DefKind::LoopVariable,
                name: ident.node.clone(),
                name_span: ident.span,
                span: ident.span.to(clause.iterable.span),
                doc: None,
                module: scope.module,
                construct: None,
                item: None,
            });
            scope.locals.push((ident.node.clone(), self.index.defs.len() - 1));
            pushed += 1;
        }
        pushed
    }

    /// A reference from the last segment of a construct path.
    fn construct_path_ref(&mut self, span: Span, path: &[String], found: Option<(usize, usize)>) {
        let (Some(found), Some(last)) = (found, path.last()) else { return };
        let Some(def) = self.construct_def(found) else { return };
        let start = span.end.saturating_sub(last.len() as u32).max(span.start);
        self.index.refs.push(Reference { span: Span { file: span.file, start, end: span.end }, def });
        // `ns.Name`: the namespace names the import alias, if it is one.
        if let [namespace, _] = path {
            let alias =
                self.index.defs.iter().position(|d| {
                    d.kind == DefKind::ImportAlias && d.name == *namespace && d.name_span.file == span.file
                });
            if let Some(alias) = alias {
                let end = span.start + namespace.len() as u32;
                self.index.refs.push(Reference { span: Span { file: span.file, start: span.start, end }, def: alias });
            }
        }
    }

    /// A construct instance's body: its keys name the construct's params.
    fn walk_instance_body(&mut self, scope: &mut Scope, construct: Option<(usize, usize)>, body: &Expr) {
        let ExprKind::Object(properties) = &body.node else {
            self.walk_expr(scope, body);
            return;
        };
        for property in properties {
            let param = construct.and_then(|(m, i)| self.modules[m].params.get(&i)?.get(&property.key.node).copied());
            if let Some(def) = param {
                self.index.refs.push(Reference { span: property.key.span, def });
            }
            self.walk_expr(scope, &property.value);
        }
    }

    fn walk_expr(&mut self, scope: &mut Scope, expr: &Expr) {
        match &expr.node {
            ExprKind::Name(name) => {
                if let Some(binding) = self.binding(scope, name) {
                    let def = match binding {
                        Binding::Def(def) => Some(def),
                        Binding::Namespace(def, _) => def,
                    };
                    if let Some(def) = def {
                        self.index.refs.push(Reference { span: expr.span, def });
                    }
                }
            }
            ExprKind::Member(base, member) => {
                self.walk_expr(scope, base);
                if let Some(def) = self.member_def(scope, base, &member.node) {
                    self.index.refs.push(Reference { span: member.span, def });
                }
            }
            ExprKind::Str(parts) => {
                for part in parts {
                    if let StrPart::Interp(inner) = part {
                        self.walk_expr(scope, inner);
                    }
                }
            }
            ExprKind::List(items) => {
                for item in items {
                    self.walk_expr(scope, item);
                }
            }
            ExprKind::Object(properties) => {
                for property in properties {
                    self.walk_expr(scope, &property.value);
                }
            }
            ExprKind::Index(base, index) => {
                self.walk_expr(scope, base);
                self.walk_expr(scope, index);
            }
            ExprKind::Call(callee, args) => {
                match &callee.node {
                    // A built-in's name is not a declaration (and comes first,
                    // as the checker calls it); a user function's is.
                    ExprKind::Name(name) => {
                        if let Some(Binding::Def(def)) = self.binding(scope, name) {
                            if builtins::named(name).is_none() && self.index.defs[def].kind == DefKind::Function {
                                self.index.refs.push(Reference { span: callee.span, def });
                            }
                        }
                    }
                    _ => self.walk_expr(scope, callee),
                }
                for arg in args {
                    self.walk_expr(scope, arg);
                }
            }
            ExprKind::Not(inner) => self.walk_expr(scope, inner),
            ExprKind::Binary(_, left, right) => {
                self.walk_expr(scope, left);
                self.walk_expr(scope, right);
            }
            ExprKind::Conditional(condition, then, otherwise) => {
                self.walk_expr(scope, condition);
                self.walk_expr(scope, then);
                self.walk_expr(scope, otherwise);
            }
            ExprKind::Comprehension(comprehension) => {
                let pushed = self.enter_for(scope, Some(&comprehension.clause));
                self.walk_expr(scope, &comprehension.body);
                scope.locals.truncate(scope.locals.len() - pushed);
            }
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::Error => {}
        }
    }

    /// `base.member`: a declaration of a namespace, or an output of the
    /// construct an instance instantiates.
    fn member_def(&self, scope: &Scope, base: &Expr, member: &str) -> Option<DefId> {
        let ExprKind::Name(name) = &base.node else { return None };
        match self.binding(scope, name)? {
            Binding::Namespace(_, target) => self.exported(target, member).copied(),
            // `Stack.resource`: a reference across stacks.
            Binding::Def(def) if self.index.defs[def].kind == DefKind::Stack => {
                let (module, index) = self.index.defs[def].item?;
                self.modules[module].blocks.get(&index)?.get(member).copied()
            }
            Binding::Def(def) => {
                let (module, index) = self.index.defs[def].construct?;
                self.modules[module].outputs.get(&index)?.get(member).copied()
            }
        }
    }
}

fn def_kind(kind: &ItemKind) -> Option<DefKind> {
    Some(match kind {
        ItemKind::Param(_) => DefKind::Param,
        ItemKind::Let(let_) if let_.params.is_some() => DefKind::Function,
        ItemKind::Let(_) => DefKind::Let,
        ItemKind::Resource(_) | ItemKind::Existing(_) => DefKind::Resource,
        ItemKind::Output(_) => DefKind::Output,
        ItemKind::Construct(_) => DefKind::Construct,
        ItemKind::Stack(_) => DefKind::Stack,
        ItemKind::Import(_) | ItemKind::Error => return None,
    })
}

/// The declarations that instantiate a construct path: resources with a
/// dotted or plain construct type, `existing` descriptions, construct-typed
/// params.
fn collect_instances(items: &[Item], found: &mut Vec<(Span, Vec<String>)>) {
    for item in items {
        match &item.kind {
            ItemKind::Resource(resource) => {
                if let ResourceType::Path(path) = &resource.ty.node {
                    found.push((resource.name.span, path.clone()));
                }
            }
            ItemKind::Existing(existing) => found.push((existing.name.span, existing.construct.node.clone())),
            ItemKind::Param(param) if param.ty.node.name.contains('.') => {
                found.push((param.name.span, param.ty.node.name.split('.').map(str::to_string).collect()));
            }
            ItemKind::Construct(construct) => collect_instances(&construct.items, found),
            ItemKind::Stack(stack) => {
                if let StackBody::Items(inner) = &stack.body {
                    collect_instances(inner, found);
                }
            }
            _ => {}
        }
    }
}
