//! Loading a program: the files named on the command line and, through
//! `import`, the files they use.
//!
//! Import paths are relative to the importing file and may not leave the
//! folder of the entry file that (directly or not) imports them. Files are
//! read through a callback, so the library stays free of I/O.
//!
//! The text files a program loads with `file("./userdata.sh")` are read
//! here too, by the same rules, so that the checker reads no files: a call
//! whose path is a plain string is found in the syntax tree and its text
//! kept beside the module ([`Loaded::texts`]).

use crate::check::Module;
use crate::diagnostics::{builder as diag, Diagnostic};
use crate::source::{FileId, SourceMap, Span};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::syntax::ast::{Expr, ExprKind, File, Item, ItemKind, ResourceType, StackBody, StrPart};

/// A parsed file and the modules its imports resolved to.
pub struct Loaded {
    pub file: FileId,
    /// Shared with the [`ParseCache`] that may hold it.
    pub ast: Arc<File>,
    pub imports: Vec<Option<usize>>,
    pub is_entry: bool,
    /// `Some("s3")` for the standard library's `std/s3.infra`.
    pub std_namespace: Option<String>,
    /// The text of each file loaded with `file("path")`, by the path as
    /// written; one that could not be read was reported and is absent.
    pub texts: BTreeMap<String, String>,
}

/// The built-in that loads a text file at compile time.
pub const FILE_FUNCTION: &str = "file";

/// Reads a file by path: its text, or why it could not be read.
pub type Reader<'r> = dyn FnMut(&str) -> Result<String, String> + Send + 'r;

/// Syntax trees kept between loads of the same program, so that a file whose
/// text has not changed is not parsed again (the language server loads a
/// program on every keystroke).
///
/// A tree is reused only for the same text under the same [`FileId`], since
/// its spans name the file.
#[derive(Default)]
pub struct ParseCache {
    trees: HashMap<(FileId, bool, String), (String, Arc<File>, Vec<Diagnostic>)>,
}

impl ParseCache {
    /// The tree of `file` and its syntax diagnostics, parsed only when the
    /// cache has no tree of that text.
    fn parse(&mut self, sources: &SourceMap, file: FileId) -> (Arc<File>, Vec<Diagnostic>) {
        let source = sources.get(file);
        let key = (file, source.embedded, source.name.clone());
        if let Some((text, ast, diagnostics)) = self.trees.get(&key) {
            if *text == source.text {
                return (ast.clone(), diagnostics.clone());
            }
        }
        let (ast, diagnostics) = crate::syntax::parse(&source.text, file);
        let ast = Arc::new(ast);
        self.trees.insert(key, (source.text.clone(), ast.clone(), diagnostics.clone()));
        (ast, diagnostics)
    }
}

/// Parses the entry files and everything they import.
pub fn load(sources: &mut SourceMap, entries: &[FileId], read: &mut Reader) -> (Vec<Loaded>, Vec<Diagnostic>) {
    load_cached(sources, entries, read, &mut ParseCache::default())
}

/// [`load`], taking unchanged files' trees from `cache` and keeping the
/// new ones there.
pub fn load_cached(
    sources: &mut SourceMap,
    entries: &[FileId],
    read: &mut Reader,
    cache: &mut ParseCache,
) -> (Vec<Loaded>, Vec<Diagnostic>) {
    let mut loader = Loader { sources, read, cache, loaded: Vec::new(), diagnostics: Vec::new(), active: Vec::new() };
    for &entry in entries {
        let root = parent(&normalize(&loader.sources.get(entry).name)).to_string();
        if loader.loaded.iter().any(|l| l.file == entry) {
            continue;
        }
        loader.visit(entry, &root, true);
    }
    loader.load_std();
    (loader.loaded, loader.diagnostics)
}

/// The checker's view of loaded files.
pub fn modules<'a>(sources: &SourceMap, loaded: &'a [Loaded]) -> Vec<Module<'a>> {
    loaded
        .iter()
        .map(|l| Module {
            file: &*l.ast,
            file_id: l.file,
            path: normalize(&sources.get(l.file).name),
            stack_name: crate::stack_name_for(&sources.get(l.file).name),
            imports: l.imports.clone(),
            is_entry: l.is_entry,
            std_namespace: l.std_namespace.clone(),
            texts: &l.texts,
        })
        .collect()
}

struct Loader<'s, 'r> {
    sources: &'s mut SourceMap,
    read: &'s mut Reader<'r>,
    cache: &'s mut ParseCache,
    loaded: Vec<Loaded>,
    diagnostics: Vec<Diagnostic>,
    /// Files being loaded, outermost first: an import of one of them is a cycle.
    active: Vec<FileId>,
}

impl Loader<'_, '_> {
    /// Parses `file` and its imports; returns its module index.
    fn visit(&mut self, file: FileId, root: &str, is_entry: bool) -> usize {
        self.active.push(file);
        let (ast, diagnostics) = self.cache.parse(self.sources, file);
        self.diagnostics.extend(diagnostics);
        let index = self.loaded.len();
        let imports: Vec<(String, Span)> = ast
            .items
            .iter()
            .filter_map(|item| match &item.kind {
                ItemKind::Import(import) => Some((import.path.node.clone(), import.path.span)),
                _ => None,
            })
            .collect();
        let loads = files_loaded(&ast.items);
        let texts = BTreeMap::new();
        self.loaded.push(Loaded { file, ast, imports: Vec::new(), is_entry, std_namespace: None, texts });
        let here = normalize(&self.sources.get(file).name);
        let mut resolved = Vec::new();
        for (path, span) in imports {
            resolved.push(self.import(&here, root, &path, span));
        }
        self.loaded[index].imports = resolved;
        for (path, span) in loads {
            if let Some(text) = self.text_file(&here, root, &path, span) {
                self.loaded[index].texts.insert(path, text);
            }
        }
        self.active.pop();
        index
    }

    /// Loads the standard-library namespaces the program names, and the
    /// ones those name in turn. Only what is used is parsed.
    fn load_std(&mut self) {
        let mut next = 0;
        while next < self.loaded.len() {
            let mut wanted = BTreeSet::new();
            namespaces_used(&self.loaded[next].ast.items, &mut wanted);
            next += 1;
            for namespace in wanted {
                let loaded = self.loaded.iter().any(|l| l.std_namespace.as_deref() == Some(namespace.as_str()));
                // A namespace the library lacks is reported where it is used.
                let Some(text) = crate::stdlib::source(&namespace).filter(|_| !loaded) else { continue };
                // A source map reused across compilations holds it already.
                let name = crate::stdlib::file_name(&namespace);
                let file = match self.sources.find_embedded(&name) {
                    Some(file) => file,
                    None => self.sources.add_embedded(name, text.to_string()),
                };
                let (ast, diagnostics) = self.cache.parse(self.sources, file);
                self.diagnostics.extend(diagnostics);
                let std_namespace = Some(namespace);
                let texts = BTreeMap::new();
                self.loaded.push(Loaded { file, ast, imports: Vec::new(), is_entry: false, std_namespace, texts });
            }
        }
    }

    /// The text of a file `file("path")` loads, relative to the loading
    /// file and inside the project, as imports are.
    fn text_file(&mut self, loader: &str, root: &str, path: &str, span: Span) -> Option<String> {
        let joined = normalize(&format!("{}/{path}", parent(loader)));
        if !within(root, &joined) {
            self.diagnostics.push(diag::file_outside_root(span, path));
            return None;
        }
        let existing = self.sources.files().find(|(_, f)| !f.embedded && normalize(&f.name) == joined);
        if let Some((_, file)) = existing {
            return Some(file.text.clone());
        }
        match (self.read)(&joined) {
            Ok(text) => {
                self.sources.add(joined, text.clone());
                Some(text)
            }
            Err(error) => {
                self.diagnostics.push(diag::file_not_found(span, path, &error));
                None
            }
        }
    }

    fn import(&mut self, importer: &str, root: &str, path: &str, span: Span) -> Option<usize> {
        let joined = normalize(&format!("{}/{path}", parent(importer)));
        if !within(root, &joined) {
            self.diagnostics.push(diag::import_outside_root(span, path));
            return None;
        }
        let existing =
            self.sources.files().find(|(_, f)| !f.embedded && normalize(&f.name) == joined).map(|(id, _)| id);
        let file = match existing {
            Some(id) => id,
            None => match (self.read)(&joined) {
                Ok(text) => self.sources.add(joined.clone(), text),
                Err(error) => {
                    self.diagnostics.push(diag::import_not_found(span, path, &error));
                    return None;
                }
            },
        };
        if let Some(position) = self.active.iter().position(|&f| f == file) {
            let cycle: Vec<String> =
                self.active[position..].iter().map(|&f| self.sources.get(f).name.clone()).collect();
            self.diagnostics.push(diag::import_cycle(span, &cycle));
            return None;
        }
        if let Some(index) = self.loaded.iter().position(|l| l.file == file) {
            return Some(index);
        }
        Some(self.visit(file, root, false))
    }
}

/// The first segments of the dotted construct paths in `items`: the
/// namespaces a file may take from the standard library.
/// The paths `file("path")` calls name as plain strings, with their spans,
/// each once.
fn files_loaded(items: &[Item]) -> Vec<(String, Span)> {
    let mut found: Vec<(String, Span)> = Vec::new();
    crate::syntax::ast::walk_items(items, &mut |expr| {
        let ExprKind::Call(callee, args) = &expr.node else { return };
        let (ExprKind::Name(name), [argument]) = (&callee.node, args.as_slice()) else { return };
        if name != FILE_FUNCTION {
            return;
        }
        if let Some(path) = plain_string(argument) {
            if !found.iter().any(|(known, _)| *known == path) {
                found.push((path, argument.span));
            }
        }
    });
    found
}

/// The text of a string literal without interpolation.
pub(crate) fn plain_string(expr: &Expr) -> Option<String> {
    match &expr.node {
        ExprKind::Str(parts) => match parts.as_slice() {
            [] => Some(String::new()),
            [StrPart::Text(text)] => Some(text.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn namespaces_used(items: &[Item], found: &mut BTreeSet<String>) {
    fn add(found: &mut BTreeSet<String>, path: &str) {
        if let Some((namespace, _)) = path.split_once('.') {
            found.insert(namespace.to_string());
        }
    }
    for item in items {
        match &item.kind {
            ItemKind::Resource(resource) => {
                if let ResourceType::Path(path) = &resource.ty.node {
                    add(found, &path.join("."));
                }
            }
            ItemKind::Param(param) => add(found, &param.ty.node.name),
            ItemKind::Existing(existing) => add(found, &existing.construct.node.join(".")),
            ItemKind::Construct(construct) => namespaces_used(&construct.items, found),
            ItemKind::Stack(stack) => match &stack.body {
                StackBody::Items(items) => namespaces_used(items, found),
                StackBody::Instance { construct, .. } => add(found, &construct.node.join(".")),
            },
            _ => {}
        }
    }
}

/// `a/./b/../c` -> `a/c`; keeps leading `..` that cannot be resolved.
pub(crate) fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_string()
    } else {
        joined
    }
}

/// The folder of a normalized file path (`.` for a bare file name).
pub(crate) fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(i) => &path[..i],
        None => ".",
    }
}

/// Whether a normalized path lies inside a normalized folder.
pub(crate) fn within(root: &str, path: &str) -> bool {
    if root == "." {
        return !path.starts_with("../") && path != ".." && !path.starts_with('/');
    }
    path.strip_prefix(root).is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::{normalize, parent, within};

    #[test]
    fn paths() {
        assert_eq!(normalize("./a/./b/../c.infra"), "a/c.infra");
        assert_eq!(normalize("../x"), "../x");
        assert_eq!(normalize("/a/../../b"), "/b");
        assert_eq!(parent("a/b.infra"), "a");
        assert_eq!(parent("b.infra"), ".");
        assert!(within("a", "a/lib/x.infra"));
        assert!(!within("a", "ab/x.infra"));
        assert!(!within("a", "b/x.infra"));
        assert!(within(".", "lib/x.infra"));
        assert!(!within(".", "../x.infra"));
    }
}
