//! The infra language server: `infrac lsp`.
//!
//! Speaks the Language Server Protocol over stdio through `lsp-server` (the
//! transport rust-analyzer uses) with `lsp-types`. It keeps the text of open
//! documents, works out which program each belongs to (`program.rs`), and
//! answers from [`infrac::ide`]: diagnostics from the checker, everything
//! else from the syntax trees and the embedded data. All protocol shapes are
//! made in `handlers.rs`; `convert.rs` turns offsets into positions.
//!
//! One thread does everything, in order. Before a request is answered, the
//! messages that arrived meanwhile are read: a request already cancelled
//! (`$/cancelRequest`) is answered with `RequestCanceled` and not worked on.
//! Diagnostics are debounced: a change
//! schedules a check of the document's program after a pause in typing
//! (`Config::debounce`), while requests are answered at once from the
//! latest text; a file whose text is unchanged is not parsed again.

mod convert;
mod handlers;
mod program;

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{notification as note, InitializeParams, PositionEncodingKind, Uri};

use infrac::ide::Snapshot;
use infrac::modules::ParseCache;
use infrac::source::{FileId, SourceMap};

pub use convert::Encoding;

/// An error that ends the server: the connection failed.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// How long after the last change a document's program is checked, unless
/// the client says otherwise (`initializationOptions.debounceMs`).
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(150);

/// Serves one client over stdin and stdout until it says `exit`.
pub fn run_stdio() -> Result<(), Error> {
    let (connection, io_threads) = Connection::stdio();
    run(connection)?;
    io_threads.join()?;
    Ok(())
}

/// Serves one client over `connection` (stdio, or an in-memory pair in
/// tests) until it says `exit`.
pub fn run(connection: Connection) -> Result<(), Error> {
    // The syntax trees recurse as deep as a program nests, on every stage.
    infrac::with_deep_stack(move || serve(connection))
}

fn serve(connection: Connection) -> Result<(), Error> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let utf8 = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|encodings| encodings.contains(&PositionEncodingKind::UTF8));
    let encoding = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
    let options = params.initialization_options.unwrap_or_default();
    let debounce =
        options.get("debounceMs").and_then(serde_json::Value::as_u64).map_or(DEFAULT_DEBOUNCE, Duration::from_millis);
    let std_dir =
        options.get("stdDir").and_then(serde_json::Value::as_str).map(PathBuf::from).unwrap_or_else(default_std_dir);
    #[allow(deprecated)]
    let root = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| &folder.uri)
        .or(params.root_uri.as_ref())
        .and_then(convert::path_of);
    let result = serde_json::json!({
        "capabilities": handlers::capabilities(encoding),
        "serverInfo": { "name": "infrac", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result)?;
    let mut server = Server {
        connection: &connection,
        encoding,
        root,
        std: program::StdFolder { dir: std_dir },
        docs: HashMap::new(),
        parses: ParseCache::default(),
        graph: program::ImportGraph::default(),
        entries: HashMap::new(),
        pending: BTreeSet::new(),
        deadline: None,
        debounce,
        published: HashMap::new(),
        generation: 0,
        last: None,
        waiting: VecDeque::new(),
    };
    server.main_loop()
}

/// `$XDG_CACHE_HOME/infrac/std-<version>`, or under `~/.cache`, or the
/// temporary folder.
fn default_std_dir() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    cache.join("infrac").join(format!("std-{}", env!("CARGO_PKG_VERSION")))
}

/// An open document.
struct Doc {
    text: String,
}

struct Server<'c> {
    connection: &'c Connection,
    encoding: Encoding,
    root: Option<PathBuf>,
    std: program::StdFolder,
    docs: HashMap<PathBuf, Doc>,
    parses: ParseCache,
    graph: program::ImportGraph,
    /// Each document's entry files, found for the generation stated: the
    /// folders are read again only after a change.
    entries: HashMap<PathBuf, (u64, Vec<PathBuf>)>,
    /// Documents whose program is to be checked when `deadline` passes.
    pending: BTreeSet<PathBuf>,
    deadline: Option<Instant>,
    debounce: Duration,
    /// The files each program's last check published diagnostics for, by
    /// its entries: cleared when a later check finds none there.
    published: HashMap<Vec<PathBuf>, BTreeSet<PathBuf>>,
    /// Counts changes to open documents: a snapshot of an older generation
    /// is stale.
    generation: u64,
    last: Option<(u64, Vec<PathBuf>, Snapshot)>,
    /// Messages read ahead of the one being handled, in order: a request
    /// the client cancels while it waits is answered without being worked
    /// on.
    waiting: VecDeque<Message>,
}

impl Server<'_> {
    fn main_loop(&mut self) -> Result<(), Error> {
        loop {
            let message = match self.waiting.pop_front() {
                Some(message) => message,
                None => match self.receive() {
                    Some(message) => message,
                    None => return Ok(()),
                },
            };
            match message {
                Message::Request(request) => {
                    if request.method == lsp_types::request::Shutdown::METHOD {
                        return self.shutdown(request);
                    }
                    // What arrived while the last answer was worked on: the
                    // client may have cancelled this request since.
                    self.waiting.extend(self.connection.receiver.try_iter());
                    let response = if self.take_cancellation(&request.id) {
                        let code = lsp_server::ErrorCode::RequestCanceled as i32;
                        Response::new_err(request.id, code, "cancelled".to_string())
                    } else {
                        self.request(request)
                    };
                    self.connection.sender.send(Message::Response(response))?;
                }
                Message::Notification(notification) => self.notification(notification),
                Message::Response(_) => {}
            }
        }
    }

    /// The next message from the client, checking the pending programs
    /// when typing pauses first; `None` once the client is gone.
    fn receive(&mut self) -> Option<Message> {
        loop {
            let message = match self.deadline {
                Some(deadline) => match self.connection.receiver.recv_deadline(deadline) {
                    Ok(message) => message,
                    Err(RecvTimeoutError::Timeout) => {
                        self.deadline = None;
                        // As for a request: a bug in a check must not end the session.
                        let published =
                            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.publish_pending()));
                        if published.is_err() {
                            self.last = None;
                        }
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return None,
                },
                None => self.connection.receiver.recv().ok()?,
            };
            return Some(message);
        }
    }

    /// Whether a `$/cancelRequest` for `id` is among the waiting messages
    /// (it is then dropped: the request gets its answer, an error).
    fn take_cancellation(&mut self, id: &RequestId) -> bool {
        let id = serde_json::to_value(id).unwrap_or_default();
        let at = self.waiting.iter().position(|message| {
            matches!(message, Message::Notification(n) if n.method == note::Cancel::METHOD && n.params["id"] == id)
        });
        at.map(|at| self.waiting.remove(at)).is_some()
    }

    /// Answers `shutdown`, then waits for `exit`, which may have been read
    /// already.
    fn shutdown(&mut self, request: Request) -> Result<(), Error> {
        self.connection.sender.send(Message::Response(Response::new_ok(request.id, ())))?;
        loop {
            let message = match self.waiting.pop_front() {
                Some(message) => message,
                None => self.connection.receiver.recv_timeout(Duration::from_secs(30))?,
            };
            if matches!(&message, Message::Notification(n) if n.method == note::Exit::METHOD) {
                return Ok(());
            }
        }
    }

    fn notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(notification.params)
                else {
                    return;
                };
                let Some(path) = convert::path_of(&params.text_document.uri) else { return };
                self.docs.insert(path.clone(), Doc { text: params.text_document.text });
                self.generation += 1;
                // Opening answers at once; typing waits for a pause.
                self.schedule(path, Duration::ZERO);
            }
            note::DidChangeTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(notification.params)
                else {
                    return;
                };
                let Some(path) = convert::path_of(&params.text_document.uri) else { return };
                let Some(doc) = self.docs.get_mut(&path) else { return };
                for change in params.content_changes {
                    match change.range {
                        // Full sync is announced, but a ranged change is honoured.
                        Some(range) => {
                            let index = convert::LineIndex::new(&doc.text, self.encoding);
                            let (start, end) = (index.offset(range.start), index.offset(range.end));
                            doc.text.replace_range(start..end, &change.text);
                        }
                        None => doc.text = change.text,
                    }
                }
                self.generation += 1;
                self.schedule(path, self.debounce);
            }
            note::DidSaveTextDocument::METHOD => {}
            note::DidCloseTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(notification.params)
                else {
                    return;
                };
                if let Some(path) = convert::path_of(&params.text_document.uri) {
                    self.docs.remove(&path);
                    self.generation += 1;
                    self.pending.remove(&path);
                }
            }
            _ => {}
        }
    }

    fn schedule(&mut self, path: PathBuf, delay: Duration) {
        if self.std.name_of(&path).is_some() {
            return;
        }
        self.pending.insert(path);
        let at = Instant::now() + delay;
        self.deadline = Some(self.deadline.map_or(at, |d| if delay.is_zero() { d.min(at) } else { d.max(at) }));
    }

    /// Checks the programs of the documents changed since the last check
    /// and publishes their diagnostics.
    fn publish_pending(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        let mut checked: BTreeSet<Vec<PathBuf>> = BTreeSet::new();
        for path in pending {
            if !self.docs.contains_key(&path) {
                continue;
            }
            let entries = self.entries(&path);
            if !checked.insert(entries.clone()) {
                continue;
            }
            // The snapshot requests were answered from, when nothing changed since.
            let snapshot = match self.last.take() {
                Some((generation, built_for, snapshot)) if generation == self.generation && built_for == entries => {
                    snapshot
                }
                other => {
                    self.last = other;
                    self.snapshot_of(&entries)
                }
            };
            let diagnostics = snapshot.check(&infrac::Options::default(), &mut asset_exists);
            let mut by_file: HashMap<PathBuf, Vec<lsp_types::Diagnostic>> = HashMap::new();
            for (_, source) in snapshot.sources.files() {
                if !source.embedded {
                    by_file.insert(PathBuf::from(&source.name), Vec::new());
                }
            }
            for diagnostic in diagnostics {
                let file = diagnostic.primary.span.file;
                let source = snapshot.sources.get(file);
                if source.embedded {
                    continue;
                }
                let converted = handlers::diagnostic(&snapshot, &self.std, self.encoding, diagnostic);
                by_file.entry(PathBuf::from(&source.name)).or_default().push(converted);
            }
            let previous = self.published.remove(&entries).unwrap_or_default();
            for path in previous {
                by_file.entry(path).or_default();
            }
            let mut now_published = BTreeSet::new();
            let mut files: Vec<(PathBuf, Vec<lsp_types::Diagnostic>)> = by_file.into_iter().collect();
            files.sort_by(|a, b| a.0.cmp(&b.0));
            for (path, diagnostics) in files {
                if !diagnostics.is_empty() {
                    now_published.insert(path.clone());
                }
                let params =
                    lsp_types::PublishDiagnosticsParams { uri: convert::uri_of(&path), diagnostics, version: None };
                let notification = Notification::new(note::PublishDiagnostics::METHOD.to_string(), params);
                let _ = self.connection.sender.send(Message::Notification(notification));
            }
            self.published.insert(entries.clone(), now_published);
            self.last = Some((self.generation, entries, snapshot));
        }
    }

    /// The text of a file: the open document's, else the file's on disk.
    fn read(&self, path: &Path) -> Option<String> {
        match self.docs.get(path) {
            Some(doc) => Some(doc.text.clone()),
            None => std::fs::read_to_string(path).ok(),
        }
    }

    fn entries(&mut self, path: &Path) -> Vec<PathBuf> {
        if self.std.name_of(path).is_some() {
            return vec![path.to_path_buf()];
        }
        if let Some((generation, entries)) = self.entries.get(path) {
            if *generation == self.generation {
                return entries.clone();
            }
        }
        let docs = &self.docs;
        let read = |p: &Path| match docs.get(p) {
            Some(doc) => Some(doc.text.clone()),
            None => std::fs::read_to_string(p).ok(),
        };
        let entries = self.graph.entries(path, self.root.as_deref(), &read);
        self.entries.insert(path.to_path_buf(), (self.generation, entries.clone()));
        entries
    }

    /// Loads the program with these entry files.
    fn snapshot_of(&mut self, entries: &[PathBuf]) -> Snapshot {
        let mut sources = SourceMap::new();
        let mut ids = Vec::new();
        for entry in entries {
            let text = self.read(entry).unwrap_or_default();
            let id = match self.std.name_of(entry) {
                Some(name) => sources.add_embedded(name, text),
                None => sources.add(entry.to_string_lossy().into_owned(), text),
            };
            ids.push(id);
        }
        let docs = &self.docs;
        let mut read = |name: &str| -> Result<String, String> {
            let path = Path::new(name);
            match docs.get(path) {
                Some(doc) => Ok(doc.text.clone()),
                None => std::fs::read_to_string(path).map_err(|e| e.to_string()),
            }
        };
        Snapshot::load(sources, &ids, &mut read, &mut self.parses)
    }

    /// The snapshot that answers requests about `path`, and the file's id
    /// in it: the last one when nothing changed since, else a new one.
    fn snapshot_for(&mut self, path: &Path) -> Option<(FileId, &Snapshot)> {
        let entries = self.entries(path);
        let fresh = matches!(&self.last, Some((generation, built_for, _)) if *generation == self.generation && *built_for == entries);
        if !fresh {
            let snapshot = self.snapshot_of(&entries);
            self.last = Some((self.generation, entries, snapshot));
        }
        let (_, _, snapshot) = self.last.as_ref()?;
        let file = match self.std.name_of(path) {
            Some(name) => snapshot.sources.find_embedded(&name)?,
            None => snapshot.sources.find(&path.to_string_lossy())?,
        };
        Some((file, snapshot))
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        // A bug in one answer must not end the session: the editor gets an
        // error for that request and the server goes on.
        let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handlers::handle(self, request)));
        match answer {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(message)) => Response::new_err(id, lsp_server::ErrorCode::InvalidParams as i32, message),
            Err(_) => {
                // The snapshot may be half-built: start the next one afresh.
                self.last = None;
                let message = "internal error in the infra language server".to_string();
                Response::new_err(id, lsp_server::ErrorCode::InternalError as i32, message)
            }
        }
    }
}

/// The documents a request may be about, for handlers.
pub(crate) struct Context<'s> {
    pub snapshot: &'s Snapshot,
    pub file: FileId,
    pub std: &'s program::StdFolder,
    pub encoding: Encoding,
}

impl Server<'_> {
    /// Runs `f` on the snapshot holding the document at `uri`.
    pub(crate) fn with_document<T>(&mut self, uri: &Uri, f: impl FnOnce(&Context) -> T) -> Option<T> {
        let path = convert::path_of(uri)?;
        let encoding = self.encoding;
        // Borrow the snapshot and the std folder apart.
        self.snapshot_for(&path)?;
        let (_, _, snapshot) = self.last.as_ref()?;
        let file = match self.std.name_of(&path) {
            Some(name) => snapshot.sources.find_embedded(&name)?,
            None => snapshot.sources.find(&path.to_string_lossy())?,
        };
        Some(f(&Context { snapshot, file, std: &self.std, encoding }))
    }

    /// As [`Server::with_document`], with the program checked first (once
    /// a snapshot), for answers that show what checking computed.
    pub(crate) fn with_checked_document<T>(&mut self, uri: &Uri, f: impl FnOnce(&Context) -> T) -> Option<T> {
        self.with_document(uri, |cx| {
            cx.snapshot.check(&infrac::Options::default(), &mut asset_exists);
            f(cx)
        })
    }

    /// The open documents' paths outside the workspace folder.
    pub(crate) fn documents_outside_workspace(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self
            .docs
            .keys()
            .filter(|path| self.root.as_ref().is_none_or(|root| !path.starts_with(root)))
            .cloned()
            .collect();
        paths.sort();
        paths
    }

    /// Every program of the workspace folder, loaded as one: its entry
    /// files and what they import, open documents as they are being edited.
    pub(crate) fn workspace_snapshot(&mut self) -> Option<Snapshot> {
        let root = self.root.clone()?;
        let docs = &self.docs;
        let read = |p: &Path| match docs.get(p) {
            Some(doc) => Some(doc.text.clone()),
            None => std::fs::read_to_string(p).ok(),
        };
        let open: Vec<PathBuf> = docs.keys().filter(|path| self.std.name_of(path).is_none()).cloned().collect();
        let entries = self.graph.workspace_entries(&root, &open, &read);
        Some(self.snapshot_of(&entries))
    }

    pub(crate) fn std(&self) -> &program::StdFolder {
        &self.std
    }

    pub(crate) fn encoding(&self) -> Encoding {
        self.encoding
    }
}

/// Whether what `asset(PATH)` names exists, for diagnostics: neither read
/// nor zipped on every keystroke, since the editor needs no object key.
fn asset_exists(name: &str) -> Result<infrac::assets::Source, String> {
    let path = Path::new(name);
    let metadata = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !metadata.is_dir() {
        return Ok(infrac::assets::Source::File(Vec::new()));
    }
    let mut entries = std::fs::read_dir(path).map_err(|e| e.to_string())?;
    match entries.next() {
        Some(_) => Ok(infrac::assets::Source::Folder(Vec::new())),
        None => Err("the folder holds no file".to_string()),
    }
}
