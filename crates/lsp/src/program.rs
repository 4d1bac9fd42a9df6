//! Which program a document belongs to, and the files the server reads.
//!
//! A file that other `.infra` files import is checked as part of their
//! program: the entry files are those, in the file's folder or the folders
//! above it (up to the workspace root), that import it directly or not and
//! that no other such file imports. A file nobody imports is its own entry.
//! (An import may not leave its entry's folder, so importers live above.)
//!
//! Workspace symbols look further: at every program of the workspace
//! folder, whose entry files are the `.infra` files no other imports.
//!
//! The standard library's files are written, read-only, to a folder of
//! their own so that every editor can open them as ordinary files; a
//! document in that folder is the library's, not the user's.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use infrac::syntax::ast::ItemKind;

/// The standard library's folder: where its files are written for editors.
pub struct StdFolder {
    pub dir: PathBuf,
}

impl StdFolder {
    /// `std/s3.infra` (as the compiler names it) -> `<dir>/s3.infra`,
    /// written there first if it is not yet.
    pub fn path(&self, name: &str) -> Option<PathBuf> {
        let namespace = name.strip_prefix("std/")?.strip_suffix(".infra")?;
        let text = infrac::stdlib::source(namespace)?;
        let path = self.dir.join(format!("{namespace}.infra"));
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            let _ = std::fs::create_dir_all(&self.dir);
            // Replace a stale copy (from another version of infrac); read-only
            // so that an edit is refused rather than lost.
            if let Ok(metadata) = std::fs::metadata(&path) {
                let mut permissions = metadata.permissions();
                #[allow(clippy::permissions_set_readonly_false)]
                permissions.set_readonly(false);
                let _ = std::fs::set_permissions(&path, permissions);
            }
            std::fs::write(&path, text).ok()?;
            if let Ok(metadata) = std::fs::metadata(&path) {
                let mut permissions = metadata.permissions();
                permissions.set_readonly(true);
                let _ = std::fs::set_permissions(&path, permissions);
            }
        }
        Some(path)
    }

    /// `<dir>/s3.infra` -> `std/s3.infra`, for a file of the library.
    pub fn name_of(&self, path: &Path) -> Option<String> {
        let file = path.strip_prefix(&self.dir).ok()?.to_str()?;
        let namespace = file.strip_suffix(".infra")?;
        infrac::stdlib::source(namespace)?;
        Some(infrac::stdlib::file_name(namespace))
    }
}

/// The import paths each file names, remembered with the text they were
/// read from.
#[derive(Default)]
pub struct ImportGraph {
    files: HashMap<PathBuf, (String, Vec<PathBuf>)>,
}

impl ImportGraph {
    /// The files `path`'s text imports, resolved against its folder.
    fn imports(&mut self, path: &Path, text: String) -> &[PathBuf] {
        let stale = self.files.get(path).is_none_or(|(old, _)| *old != text);
        if stale {
            let (ast, _) = infrac::syntax::parse(&text, 0);
            let folder = path.parent().unwrap_or(Path::new("/"));
            let imports = ast
                .items
                .iter()
                .filter_map(|item| match &item.kind {
                    ItemKind::Import(import) => Some(normalize(&folder.join(&import.path.node))),
                    _ => None,
                })
                .collect();
            self.files.insert(path.to_path_buf(), (text, imports));
        }
        &self.files[path].1
    }

    /// The entry files of the program `path` belongs to.
    pub fn entries(
        &mut self,
        path: &Path,
        root: Option<&Path>,
        read: &dyn Fn(&Path) -> Option<String>,
    ) -> Vec<PathBuf> {
        let mut candidates = Vec::new();
        let mut folder = path.parent();
        while let Some(dir) = folder {
            if let Ok(listing) = std::fs::read_dir(dir) {
                let mut found: Vec<PathBuf> = listing
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "infra") && p != path)
                    .collect();
                found.sort();
                candidates.extend(found);
            }
            // Without a workspace root, only the file's own folder.
            match root {
                Some(root) if dir.starts_with(root) && dir != root => folder = dir.parent(),
                _ => break,
            }
        }
        let mut edges: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
        for candidate in &candidates {
            if let Some(text) = read(candidate) {
                edges.insert(candidate.clone(), self.imports(candidate, text).to_vec());
            }
        }
        // Every candidate that reaches `path` through imports.
        let mut importers: BTreeSet<PathBuf> = BTreeSet::new();
        let mut changed = true;
        while changed {
            changed = false;
            for (file, imports) in &edges {
                if !importers.contains(file) && imports.iter().any(|i| i == path || importers.contains(i)) {
                    importers.insert(file.clone());
                    changed = true;
                }
            }
        }
        let entries: Vec<PathBuf> = importers
            .iter()
            .filter(|file| !importers.iter().any(|other| edges.get(other).is_some_and(|i| i.contains(file))))
            .cloned()
            .collect();
        if entries.is_empty() {
            vec![path.to_path_buf()]
        } else {
            entries
        }
    }
}

/// Folders a workspace's programs are not looked for in: build output,
/// dependencies, and hidden folders (`.git`, caches).
const SKIPPED_FOLDERS: &[&str] = &["target", "node_modules"];

/// The most `.infra` files a workspace is searched for, so that opening a
/// home folder does not read a whole disk.
const MAX_WORKSPACE_FILES: usize = 10_000;

impl ImportGraph {
    /// The entry files of every program under `root`: its `.infra` files
    /// and the `open` ones (saved or not) that no other one imports (and,
    /// should imports go round in a circle, a file of the circle).
    pub fn workspace_entries(
        &mut self,
        root: &Path,
        open: &[PathBuf],
        read: &dyn Fn(&Path) -> Option<String>,
    ) -> Vec<PathBuf> {
        let mut files = Vec::new();
        infra_files_under(root, &mut files);
        files.extend(open.iter().filter(|path| path.starts_with(root)).cloned());
        files.sort();
        files.dedup();
        let mut edges: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
        for file in &files {
            if let Some(text) = read(file) {
                edges.insert(file.clone(), self.imports(file, text).to_vec());
            }
        }
        let imported: BTreeSet<&PathBuf> = edges.values().flatten().collect();
        let mut entries: Vec<PathBuf> = files.iter().filter(|f| !imported.contains(f)).cloned().collect();
        // What the entries reach; a file they do not is an entry too.
        let mut reached: BTreeSet<PathBuf> = BTreeSet::new();
        let mut stack = entries.clone();
        for file in &files {
            while let Some(next) = stack.pop() {
                if reached.insert(next.clone()) {
                    stack.extend(edges.get(&next).into_iter().flatten().cloned());
                }
            }
            if !reached.contains(file) {
                entries.push(file.clone());
                stack.push(file.clone());
            }
        }
        entries
    }
}

fn infra_files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(listing) = std::fs::read_dir(dir) else { return };
    let mut listing: Vec<std::fs::DirEntry> = listing.flatten().collect();
    listing.sort_by_key(|entry| entry.file_name());
    for entry in listing {
        if found.len() >= MAX_WORKSPACE_FILES {
            return;
        }
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if !name.starts_with('.') && !SKIPPED_FOLDERS.contains(&name.as_ref()) {
                infra_files_under(&entry.path(), found);
            }
        } else if kind.is_file() && name.ends_with(".infra") {
            found.push(entry.path());
        }
    }
}

/// `a/./b/../c` -> `a/c`.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_entries_are_the_files_nothing_imports() {
        let root = std::env::temp_dir().join(format!("infrac-lsp-entries-{}", std::process::id()));
        let files = [
            ("app.infra", "import \"./lib/a.infra\"\n"),
            ("lib/a.infra", "let a = 1\n"),
            // A circle of imports still gets an entry.
            ("loop/x.infra", "import \"./y.infra\"\n"),
            ("loop/y.infra", "import \"./x.infra\"\n"),
            ("target/built.infra", "let skipped = 1\n"),
            (".hidden/h.infra", "let skipped = 1\n"),
        ];
        for (name, text) in files {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let read = |p: &Path| std::fs::read_to_string(p).ok();
        let entries = ImportGraph::default().workspace_entries(&root, &[], &read);
        let names: Vec<String> = entries.iter().map(|p| p.strip_prefix(&root).unwrap().display().to_string()).collect();
        assert_eq!(names, ["app.infra", "loop/x.infra"]);
        let _ = std::fs::remove_dir_all(&root);
    }
}
