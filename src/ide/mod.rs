//! What an editor asks about a program while it is being written: what is
//! at the cursor, what may be typed there, where a name is declared and
//! used, the outline of a file. The language server (`crates/lsp`) turns
//! these answers into the Language Server Protocol; nothing here knows the
//! protocol, and every position is a byte offset into a file of the
//! [`SourceMap`].
//!
//! A [`Snapshot`] is a program loaded (parsed, imports followed, through a
//! [`ParseCache`] so that unchanged files are not parsed again) and indexed;
//! [`Snapshot::check`] runs the checker for its diagnostics, which the server
//! does less often than it answers requests.
//!
//! **Invariant:** answers come from the syntax trees, the token stream and
//! the embedded data (schemas, the standard library, the built-in and
//! decorator tables), never from evaluating the program, so a program full
//! of errors still gets them. The one exception adds to an answer rather
//! than making it: hover shows a `let`'s folded value once the snapshot has
//! been checked.

mod complete;
pub mod context;
mod fixes;
mod hover;
pub mod index;
mod outline;
mod schema_path;

use std::sync::OnceLock;

pub use complete::{resolve_type_doc, Completion, CompletionKind, Signature};
pub use fixes::TextEdit;
pub use hover::Hover;
pub use index::{Def, DefId, DefKind, Index};
pub use outline::{FoldKind, Folding, Symbol, TokenKind, TokenModifier};

use crate::diagnostics::Diagnostic;
use crate::modules::{Loaded, ParseCache, Reader};
use crate::source::{FileId, SourceMap, Span};
use crate::syntax::ast;

/// A program loaded and indexed.
pub struct Snapshot {
    pub sources: SourceMap,
    pub loaded: Vec<Loaded>,
    pub index: Index,
    /// What loading found: syntax errors, imports that failed.
    pub load_diagnostics: Vec<Diagnostic>,
    /// What checking found, once [`Snapshot::check`] has run.
    checked: OnceLock<Checked>,
}

/// What the checker found in a snapshot's program.
struct Checked {
    diagnostics: Vec<Diagnostic>,
    folded_lets: crate::check::FoldedLets,
}

impl Snapshot {
    /// Loads the program whose entry files are `entries` (already in
    /// `sources`), reading imports through `read`.
    pub fn load(mut sources: SourceMap, entries: &[FileId], read: &mut Reader, cache: &mut ParseCache) -> Snapshot {
        let (loaded, load_diagnostics) =
            crate::with_deep_stack(|| crate::modules::load_cached(&mut sources, entries, read, cache));
        let index = Index::new(&loaded);
        Snapshot { sources, loaded, index, load_diagnostics, checked: OnceLock::new() }
    }

    /// Every diagnostic of the program, as `infrac check` reports them;
    /// what `asset()` names is read through `read_asset` (an editor need
    /// only say whether it exists: the key it would get does not matter).
    /// The program is checked once: a later call answers the same.
    pub fn check(&self, options: &crate::Options, read_asset: &mut crate::assets::AssetReader) -> &[Diagnostic] {
        let checked = self.checked.get_or_init(|| {
            let diagnostics = self.load_diagnostics.clone();
            let compilation = crate::with_deep_stack(|| {
                crate::compile_loaded(&self.sources, &self.loaded, diagnostics, options, read_asset)
            });
            Checked { diagnostics: compilation.diagnostics, folded_lets: compilation.folded_lets }
        });
        &checked.diagnostics
    }

    /// Whether [`Snapshot::check`] has run.
    pub fn is_checked(&self) -> bool {
        self.checked.get().is_some()
    }

    /// The value the `let` named at `name_span` folded to, written as infra,
    /// once the program has been checked.
    pub fn folded_value(&self, name_span: Span) -> Option<&str> {
        self.checked.get()?.folded_lets.get(name_span)
    }

    /// The loaded module of `file`.
    pub fn module_of(&self, file: FileId) -> Option<usize> {
        self.loaded.iter().position(|l| l.file == file)
    }

    fn ast(&self, file: FileId) -> Option<&ast::File> {
        self.loaded.iter().find(|l| l.file == file).map(|l| &*l.ast)
    }

    /// The `let` (value or function) a declaration is.
    fn let_of(&self, def: &Def) -> Option<&ast::Let> {
        matches!(def.kind, DefKind::Let | DefKind::Function)
            .then(|| let_named(&self.loaded[def.module].ast.items, def.name_span))?
    }

    /// Where the name at `offset` is declared.
    pub fn definition(&self, file: FileId, offset: u32) -> Option<Span> {
        let def = self.index.def_at(file, offset)?;
        Some(self.index.defs[def].name_span)
    }

    /// Every place the name at `offset` is named, its declaration first.
    pub fn references(&self, file: FileId, offset: u32) -> Vec<Span> {
        self.index.def_at(file, offset).map(|def| self.index.occurrences(def)).unwrap_or_default()
    }

    /// The places to rewrite to rename the name at `offset`, and its
    /// current name; `Err` says why it cannot be renamed.
    pub fn rename(&self, file: FileId, offset: u32) -> Result<(String, Vec<Span>), RenameError> {
        let def = self.index.def_at(file, offset).ok_or(RenameError::NotAName)?;
        let found = &self.index.defs[def];
        if self.sources.get(found.name_span.file).embedded {
            return Err(RenameError::StandardLibrary);
        }
        let spans = self.index.occurrences(def);
        if spans.iter().any(|span| self.sources.get(span.file).embedded) {
            return Err(RenameError::StandardLibrary);
        }
        Ok((found.name.clone(), spans))
    }

    /// The edit that adds the required properties an `E0403` or `E0216` at
    /// `span` names.
    pub fn add_properties(&self, span: Span, names: &[&str]) -> Option<TextEdit> {
        fixes::add_properties(self, span, names)
    }

    pub fn hover(&self, file: FileId, offset: u32) -> Option<Hover> {
        hover::hover(self, file, offset)
    }

    pub fn completions(&self, file: FileId, offset: u32) -> (Vec<Completion>, u32) {
        complete::completions(self, file, offset)
    }

    /// The outline of `file`: its declarations, nested.
    pub fn symbols(&self, file: FileId) -> Vec<Symbol> {
        self.ast(file).map(|ast| outline::symbols(ast)).unwrap_or_default()
    }

    /// Every declaration of the program's own files whose name contains
    /// `query` (ignoring case).
    pub fn workspace_symbols(&self, query: &str) -> Vec<&Def> {
        let query = query.to_lowercase();
        self.index
            .defs
            .iter()
            .filter(|d| !d.kind.is_local() && !self.sources.get(d.name_span.file).embedded)
            .filter(|d| d.name.to_lowercase().contains(&query))
            .collect()
    }

    pub fn folding(&self, file: FileId) -> Vec<Folding> {
        let text = &self.sources.get(file).text;
        self.ast(file).map(|ast| outline::folding(ast, text)).unwrap_or_default()
    }

    /// Every token worth colouring by meaning, in order.
    pub fn semantic_tokens(&self, file: FileId) -> Vec<(Span, TokenKind, u32)> {
        outline::semantic_tokens(self, file)
    }

    /// The built-in or user function whose call's arguments hold `offset`,
    /// and the argument the cursor is in.
    pub fn signature(&self, file: FileId, offset: u32) -> Option<Signature> {
        complete::signature(self, file, offset as usize)
    }
}

/// `(a, b)`: a user function's parameters as declared.
fn function_params_text(params: &[ast::Ident]) -> String {
    let names: Vec<&str> = params.iter().map(|p| p.node.as_str()).collect();
    format!("({})", names.join(", "))
}

/// The `let` whose name is at `name_span`, at any depth of `items`.
fn let_named(items: &[ast::Item], name_span: Span) -> Option<&ast::Let> {
    items.iter().find_map(|item| match &item.kind {
        ast::ItemKind::Let(l) if l.name.span == name_span => Some(l),
        ast::ItemKind::Construct(c) => let_named(&c.items, name_span),
        ast::ItemKind::Stack(ast::Stack { body: ast::StackBody::Items(items), .. }) => let_named(items, name_span),
        _ => None,
    })
}

/// Why a name cannot be renamed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenameError {
    NotAName,
    StandardLibrary,
}

/// Every standard-library namespace, parsed once.
fn std_files() -> &'static [(&'static str, ast::File)] {
    static FILES: OnceLock<Vec<(&'static str, ast::File)>> = OnceLock::new();
    FILES.get_or_init(|| {
        crate::stdlib::namespaces()
            .filter_map(|ns| Some((ns, crate::syntax::parse(crate::stdlib::source(ns)?, 0).0)))
            .collect()
    })
}

/// The construct `ns.Name` of the standard library.
fn std_construct(namespace: &str, name: &str) -> Option<(&'static ast::Item, &'static ast::Construct)> {
    let (_, file) = std_files().iter().find(|(ns, _)| *ns == namespace)?;
    file.items.iter().find_map(|item| match &item.kind {
        ast::ItemKind::Construct(c) if c.name.node == name => Some((item, c)),
        _ => None,
    })
}

/// The construct a body's owner path names, seen from `file`: one the
/// program declares or imports (through the index), else the standard
/// library's.
fn construct_named<'s>(
    snapshot: &'s Snapshot,
    file: FileId,
    path: &[String],
) -> Option<(&'s ast::Item, &'s ast::Construct)> {
    let name = path.last()?;
    // A construct of the program: one whose name is referenced from this file.
    let local = snapshot.index.refs.iter().filter(|r| r.span.file == file).find_map(|r| {
        let def = &snapshot.index.defs[r.def];
        if def.kind != DefKind::Construct || def.name != *name {
            return None;
        }
        let (module, index) = def.item?;
        let item = snapshot.loaded[module].ast.items.get(index)?;
        match &item.kind {
            ast::ItemKind::Construct(c) => Some((item, c)),
            _ => None,
        }
    });
    if local.is_some() {
        return local;
    }
    if path.len() == 1 {
        let module = snapshot.module_of(file)?;
        return snapshot.loaded[module].ast.items.iter().find_map(|item| match &item.kind {
            ast::ItemKind::Construct(c) if c.name.node == *name => Some((item, c)),
            _ => None,
        });
    }
    std_construct(&path[0], name)
}

/// A construct's parameters as its instances' properties: its own, then the
/// members of its parameter groups (`param ...service: ecs.FargateService`).
fn construct_params<'s>(
    snapshot: &'s Snapshot,
    file: FileId,
    construct: &'s ast::Construct,
) -> Vec<(&'s ast::Item, &'s ast::Param)> {
    let mut params: Vec<(&ast::Item, &ast::Param)> = construct.params().collect();
    for (_, group) in construct.groups() {
        let path: Vec<String> = group.ty.node.name.split('.').map(str::to_string).collect();
        // A library construct as the program loaded it, so that its spans
        // point into the loaded file.
        let loaded = match path.as_slice() {
            [namespace, name] => snapshot
                .loaded
                .iter()
                .filter(|module| module.std_namespace.as_deref() == Some(namespace.as_str()))
                .flat_map(|module| module.ast.items.iter())
                .find_map(|item| match &item.kind {
                    ast::ItemKind::Construct(c) if c.name.node == *name => Some(c),
                    _ => None,
                }),
            _ => None,
        };
        let Some(wrapped) = loaded.or_else(|| construct_named(snapshot, file, &path).map(|(_, c)| c)) else {
            continue;
        };
        let beside = crate::check::groups::keys_set_beside(&construct.items, &group.name.node);
        for (item, param) in wrapped.params() {
            let name = param.name.node.as_str();
            if !beside.contains(&name) && !params.iter().any(|(_, own)| own.name.node == name) {
                params.push((item, param));
            }
        }
    }
    params
}
