//! An LSP client for tests and benchmarks: starts the server on an
//! in-memory connection and speaks the protocol to it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::thread::JoinHandle;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};

pub struct Session {
    client: Connection,
    server: Option<JoinHandle<()>>,
    next_id: i32,
    /// Notifications received while waiting for something else.
    pub notifications: Vec<Notification>,
}

const TIMEOUT: Duration = Duration::from_secs(60);

impl Session {
    /// Starts a server and initializes it, with `dir` as the workspace and
    /// `options` as its initialization options.
    pub fn start(dir: &Path, options: Value) -> Session {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || infrac_lsp::run(server).expect("the server fails"));
        let mut session = Session { client, server: Some(handle), next_id: 0, notifications: Vec::new() };
        let root = uri(dir);
        session.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root,
                "capabilities": { "general": { "positionEncodings": ["utf-16"] } },
                "initializationOptions": options,
            }),
        );
        session.notify("initialized", json!({}));
        session
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let notification = Notification::new(method.to_string(), params);
        self.client.sender.send(Message::Notification(notification)).expect("the server hung up");
    }

    /// Sends a request and waits for its response: the result, or the
    /// error as `{"error": message}`.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request without waiting for its response.
    pub fn send_request(&mut self, method: &str, params: Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let request = Request::new(id.clone(), method.to_string(), params);
        self.client.sender.send(Message::Request(request)).expect("the server hung up");
        id
    }

    /// Waits for the response to the request `id`: its result, or the
    /// error as `{"error": message, "code": code}`.
    pub fn response(&mut self, id: RequestId) -> Value {
        loop {
            match self.client.receiver.recv_timeout(TIMEOUT).expect("no answer from the server") {
                Message::Response(Response { id: got, result, error }) if got == id => {
                    return match error {
                        Some(error) => json!({ "error": error.message, "code": error.code }),
                        None => result.unwrap_or(Value::Null),
                    };
                }
                Message::Notification(notification) => self.notifications.push(notification),
                _ => {}
            }
        }
    }

    /// Waits for the diagnostics of `uri`, taking them from those already
    /// received first.
    pub fn diagnostics(&mut self, uri: &str) -> Value {
        let is_for = |n: &Notification| n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri;
        if let Some(at) = self.notifications.iter().position(is_for) {
            return self.notifications.remove(at).params["diagnostics"].clone();
        }
        loop {
            match self.client.receiver.recv_timeout(TIMEOUT).expect("no diagnostics from the server") {
                Message::Notification(n) if is_for(&n) => return n.params["diagnostics"].clone(),
                Message::Notification(n) => self.notifications.push(n),
                _ => {}
            }
        }
    }

    pub fn open(&mut self, path: &Path, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri(path), "languageId": "infra", "version": 1, "text": text } }),
        );
    }

    pub fn change(&mut self, path: &Path, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri(path), "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    pub fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        if let Some(handle) = self.server.take() {
            handle.join().expect("the server panicked");
        }
    }
}

/// The `file:` URI of a path, as the server writes them.
pub fn uri(path: &Path) -> String {
    let mut encoded = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    let _ = lsp_types::Uri::from_str(&encoded).expect("a valid URI");
    encoded
}

/// A fresh, empty folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("infrac-lsp-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}

/// Line and UTF-16 column of a byte offset.
pub fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[line_start..].encode_utf16().count();
    json!({ "line": line, "character": character })
}

/// The byte offset of a protocol position.
pub fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[line_start..].char_indices() {
        if units >= character {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}
