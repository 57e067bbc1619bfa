//! A small LSP client for the protocol tests: it starts the real `immuno-ls` binary over stdio
//! and acts as an editor does. A reader thread parses the server's messages and answers the
//! server's own requests at once (`workspace/configuration` from [`Client::set_settings`], the
//! rest with `null`); tests wait for answers and notifications with generous deadlines that only
//! guard against hangs (nothing here asserts on time).
//!
//! Positions are computed here independently of the server's code: lines end at `\n`, `\r\n` or
//! `\r`, and `character` counts UTF-16 code units or bytes.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any single wait may take before the test fails as hung.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// The test hooks every session switches on (the `immunoLs/debugText` request).
pub const DEBUG_HOOKS: &str = "debug";

/// Position encodings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    /// UTF-16 code units.
    Utf16,
    /// Bytes.
    Utf8,
}

impl Enc {
    /// The protocol name.
    pub fn name(self) -> &'static str {
        match self {
            Enc::Utf16 => "utf-16",
            Enc::Utf8 => "utf-8",
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Enc::Utf16 => c.len_utf16(),
            Enc::Utf8 => c.len_utf8(),
        }
    }
}

/// Byte offsets where each line starts (LSP line breaks).
fn line_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 2;
            }
            b'\r' | b'\n' => {
                starts.push(i + 1);
                i += 1;
            }
            _ => i += 1,
        }
    }
    starts
}

/// The LSP position of a byte offset.
pub fn pos(text: &str, offset: usize, enc: Enc) -> Value {
    let starts = line_starts(text);
    let line = starts.partition_point(|&s| s <= offset) - 1;
    let character: usize = text[starts[line]..offset]
        .chars()
        .map(|c| enc.width(c))
        .sum();
    json!({"line": line, "character": character})
}

/// The byte offset of an LSP position (clamped like the protocol says).
pub fn offset(text: &str, line: u64, character: u64, enc: Enc) -> usize {
    let starts = line_starts(text);
    let Some(&start) = starts.get(line as usize) else {
        return text.len();
    };
    let end = starts.get(line as usize + 1).map_or(text.len(), |&next| {
        let mut e = next;
        let b = text.as_bytes();
        if e >= 2 && b[e - 2] == b'\r' && b[e - 1] == b'\n' {
            e -= 2;
        } else {
            e -= 1;
        }
        e
    });
    let mut units = 0usize;
    for (i, c) in text[start..end].char_indices() {
        if units + enc.width(c) > character as usize {
            return start + i;
        }
        units += enc.width(c);
    }
    end
}

/// The LSP range of a byte range.
pub fn range(text: &str, r: std::ops::Range<usize>, enc: Enc) -> Value {
    json!({"start": pos(text, r.start, enc), "end": pos(text, r.end, enc)})
}

/// Byte range of an LSP range.
pub fn byte_range(text: &str, r: &Value, enc: Enc) -> std::ops::Range<usize> {
    let p = |v: &Value| {
        offset(
            text,
            v["line"].as_u64().unwrap_or(0),
            v["character"].as_u64().unwrap_or(0),
            enc,
        )
    };
    p(&r["start"])..p(&r["end"])
}

/// FNV-1a 64 as the server's `immunoLs/debugText` computes it.
pub fn fnv1a64(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A `file://` URI for a path.
pub fn uri_for(path: &Path) -> String {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// How to start the server.
#[derive(Clone, Debug)]
pub struct Options {
    /// Arguments after the binary.
    pub args: Vec<String>,
    /// `IMMUNO_LS_TEST_HOOKS`.
    pub hooks: String,
    /// Extra environment.
    pub env: Vec<(String, String)>,
    /// Working directory (the workspace root by default).
    pub cwd: Option<std::path::PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            args: vec!["--stdio".into()],
            hooks: DEBUG_HOOKS.into(),
            env: Vec::new(),
            cwd: None,
        }
    }
}

fn write_frame(w: &mut impl Write, msg: &Value) -> std::io::Result<()> {
    let body = serde_json::to_vec(msg).unwrap_or_default();
    write!(w, "Content-Length: {}\r\n\r\n", body.len())?;
    w.write_all(&body)?;
    w.flush()
}

fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// A running server and its editor side.
pub struct Client {
    child: Child,
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    messages: Receiver<Value>,
    /// Notifications received so far, in order.
    pub notifications: Vec<Value>,
    responses: HashMap<i64, Value>,
    next_id: i64,
    settings: Arc<Mutex<Value>>,
    /// Server requests seen (method names), in order.
    pub server_requests: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    threads: Vec<JoinHandle<()>>,
    /// The negotiated encoding.
    pub enc: Enc,
    /// The initialize result.
    pub init_result: Value,
}

impl Client {
    /// Starts the binary.
    pub fn start(opts: Options) -> Client {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_immuno-ls"));
        cmd.args(&opts.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env("IMMUNO_LS_TEST_HOOKS", &opts.hooks)
            .env_remove("IMMUNO_LS_LOG");
        for (k, v) in &opts.env {
            cmd.env(k, v);
        }
        if let Some(cwd) = &opts.cwd {
            cmd.current_dir(cwd);
        }
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the server: {e}"));
        let stdin = Arc::new(Mutex::new(child.stdin.take()));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let mut stderr_pipe = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
        let (tx, rx): (Sender<Value>, Receiver<Value>) = channel();
        let settings = Arc::new(Mutex::new(Value::Null));
        let server_requests = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let mut threads = Vec::new();
        {
            let stdin = Arc::clone(&stdin);
            let settings = Arc::clone(&settings);
            let server_requests = Arc::clone(&server_requests);
            threads.push(std::thread::spawn(move || {
                let mut reader = BufReader::new(stdout);
                while let Some(msg) = read_frame(&mut reader) {
                    if msg.get("method").is_some() && msg.get("id").is_some() {
                        // a request from the server: answer at once
                        let method = msg["method"].as_str().unwrap_or("").to_string();
                        server_requests
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(method.clone());
                        let result = if method == "workspace/configuration" {
                            let s = settings.lock().unwrap_or_else(|e| e.into_inner()).clone();
                            let n = msg["params"]["items"].as_array().map_or(1, Vec::len);
                            Value::Array(vec![s; n])
                        } else {
                            Value::Null
                        };
                        let reply =
                            json!({"jsonrpc": "2.0", "id": msg["id"].clone(), "result": result});
                        if let Some(w) = stdin.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
                            let _ = write_frame(w, &reply);
                        }
                        continue;
                    }
                    if tx.send(msg).is_err() {
                        break;
                    }
                }
            }));
        }
        {
            let stderr = Arc::clone(&stderr);
            threads.push(std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = stderr_pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    stderr
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .extend_from_slice(&buf[..n]);
                }
            }));
        }
        Client {
            child,
            stdin,
            messages: rx,
            notifications: Vec::new(),
            responses: HashMap::new(),
            next_id: 1,
            settings,
            server_requests,
            stderr,
            threads,
            enc: Enc::Utf16,
            init_result: Value::Null,
        }
    }

    /// What the server wrote on stderr so far.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }

    /// Sets what `workspace/configuration` answers (the `immunoLs` section).
    pub fn set_settings(&self, settings: Value) {
        *self.settings.lock().unwrap_or_else(|e| e.into_inner()) = settings;
    }

    /// Writes one message.
    pub fn send(&self, msg: &Value) {
        let mut guard = self.stdin.lock().unwrap_or_else(|e| e.into_inner());
        let w = guard
            .as_mut()
            .unwrap_or_else(|| panic!("stdin already closed"));
        write_frame(w, msg).unwrap_or_else(|e| panic!("cannot write to the server: {e}"));
    }

    /// Writes raw bytes.
    pub fn send_raw(&self, bytes: &[u8]) {
        let mut guard = self.stdin.lock().unwrap_or_else(|e| e.into_inner());
        let w = guard
            .as_mut()
            .unwrap_or_else(|| panic!("stdin already closed"));
        w.write_all(bytes)
            .and_then(|_| w.flush())
            .unwrap_or_else(|e| panic!("cannot write: {e}"));
    }

    /// Sends a notification.
    pub fn notify(&self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request without waiting; returns its id.
    pub fn request_async(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    fn pump(&mut self, until: Instant) -> bool {
        let left = until.saturating_duration_since(Instant::now());
        match self.messages.recv_timeout(left) {
            Ok(msg) => {
                if let Some(id) = msg.get("id").and_then(Value::as_i64)
                    && msg.get("method").is_none()
                {
                    self.responses.insert(id, msg);
                } else if msg.get("method").is_some() {
                    self.notifications.push(msg);
                }
                true
            }
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the server closed its output; stderr:\n{}", self.stderr())
            }
        }
    }

    /// Waits for the full response to a request.
    pub fn response(&mut self, id: i64) -> Value {
        let until = Instant::now() + DEADLINE;
        loop {
            if let Some(r) = self.responses.remove(&id) {
                return r;
            }
            if !self.pump(until) {
                panic!("no response to request {id}; stderr:\n{}", self.stderr());
            }
        }
    }

    /// Sends a request and returns its result (panics on an error answer).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_async(method, params);
        let r = self.response(id);
        if let Some(e) = r.get("error") {
            panic!("{method} failed: {e}");
        }
        r["result"].clone()
    }

    /// Waits for a notification matching `pred` among those received after index `from`; returns
    /// its index and the message.
    pub fn wait_notification(
        &mut self,
        from: usize,
        pred: impl Fn(&Value) -> bool,
    ) -> (usize, Value) {
        let until = Instant::now() + DEADLINE;
        let mut i = from;
        loop {
            while i < self.notifications.len() {
                if pred(&self.notifications[i]) {
                    return (i, self.notifications[i].clone());
                }
                i += 1;
            }
            if !self.pump(until) {
                panic!("no matching notification; stderr:\n{}", self.stderr());
            }
        }
    }

    /// Waits for `publishDiagnostics` of `uri` with exactly `version`; returns the diagnostics.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let (_, msg) = self.wait_notification(0, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        msg["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Waits for the next `publishDiagnostics` of `uri` after notification index `from` that
    /// satisfies `pred`.
    pub fn diagnostics_where(
        &mut self,
        uri: &str,
        from: usize,
        pred: impl Fn(&[Value]) -> bool,
    ) -> (usize, Vec<Value>) {
        let (i, msg) = self.wait_notification(from, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && pred(
                    m["params"]["diagnostics"]
                        .as_array()
                        .map_or(&[][..], Vec::as_slice),
                )
        });
        (
            i,
            msg["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
        )
    }

    /// `initialize` offering these position encodings, then `initialized`.
    pub fn initialize(
        &mut self,
        encodings: &[&str],
        root: Option<&Path>,
        init_options: Value,
        capabilities: Value,
    ) -> Value {
        let mut caps = json!({
            "general": {"positionEncodings": encodings},
            "textDocument": {
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "completion": {"completionItem": {"documentationFormat": ["markdown"]}},
                "publishDiagnostics": {"versionSupport": true},
                "diagnostic": {"dynamicRegistration": false},
                "codeAction": {"isPreferredSupport": true},
            },
            "workspace": {"configuration": false, "didChangeWatchedFiles": {"dynamicRegistration": true}},
        });
        merge(&mut caps, &capabilities);
        let root_uri = root.map(uri_for);
        let folders = root_uri
            .as_ref()
            .map(|u| json!([{"uri": u, "name": "ws"}]))
            .unwrap_or(Value::Null);
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "workspaceFolders": folders,
                "capabilities": caps,
                "initializationOptions": init_options,
            }),
        );
        self.enc = match result["capabilities"]["positionEncoding"].as_str() {
            Some("utf-8") => Enc::Utf8,
            _ => Enc::Utf16,
        };
        self.notify("initialized", json!({}));
        self.init_result = result.clone();
        result
    }

    /// `initialize` with defaults for the encoding.
    pub fn init(&mut self, enc: Enc) {
        self.initialize(&[enc.name()], None, Value::Null, json!({}));
        assert_eq!(self.enc, enc);
    }

    /// `didOpen`.
    pub fn open(&self, uri: &str, language: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}}),
        );
    }

    /// `didChange` with one ranged edit.
    pub fn change(&self, uri: &str, version: i64, range: Value, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": range, "text": text}]}),
        );
    }

    /// `immunoLs/debugText`: (version, hash).
    pub fn debug_text(&mut self, uri: &str) -> (i64, String) {
        let r = self.request("immunoLs/debugText", json!({"textDocument": {"uri": uri}}));
        (
            r["version"].as_i64().unwrap_or(-1),
            r["hash"].as_str().unwrap_or("").to_string(),
        )
    }

    /// `textDocument/hover` at a byte offset of `text`.
    pub fn hover_at(&mut self, uri: &str, text: &str, at: usize) -> Value {
        let p = pos(text, at, self.enc);
        self.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": p}),
        )
    }

    /// `textDocument/completion` at a byte offset.
    pub fn complete_at(&mut self, uri: &str, text: &str, at: usize) -> Vec<Value> {
        let p = pos(text, at, self.enc);
        let r = self.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": p, "context": {"triggerKind": 1}}),
        );
        let mut items = r["items"].as_array().cloned().unwrap_or_default();
        items.sort_by(|a, b| a["sortText"].as_str().cmp(&b["sortText"].as_str()));
        items
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Closes stdin and waits for the exit status.
    pub fn close_stdin_and_wait(&mut self) -> ExitStatus {
        self.stdin.lock().unwrap_or_else(|e| e.into_inner()).take();
        self.wait_exit()
    }

    /// Waits for the process to end (killing it after the deadline).
    pub fn wait_exit(&mut self) -> ExitStatus {
        let until = Instant::now() + DEADLINE;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            if Instant::now() > until {
                let _ = self.child.kill();
                panic!("the server did not exit; stderr:\n{}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// `shutdown`, `exit`; the exit status.
    pub fn shutdown(&mut self) -> ExitStatus {
        let r = self.request("shutdown", Value::Null);
        assert!(r.is_null(), "{r}");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn merge(base: &mut Value, extra: &Value) {
    match (base, extra) {
        (Value::Object(b), Value::Object(e)) => {
            for (k, v) in e {
                merge(b.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (b, e) => *b = e.clone(),
    }
}

/// A started and initialized session with the given encoding.
pub fn session(enc: Enc) -> Client {
    let mut c = Client::start(Options::default());
    c.init(enc);
    c
}

/// The markdown of a hover result.
pub fn hover_text(h: &Value) -> String {
    h["contents"]["value"].as_str().unwrap_or("").to_string()
}

/// Labels of completion items.
pub fn labels(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["label"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Applies LSP text edits (from a workspace edit) to a text.
pub fn apply_edits(text: &str, edits: &[Value], enc: Enc) -> String {
    let mut ranges: Vec<(std::ops::Range<usize>, String)> = edits
        .iter()
        .map(|e| {
            (
                byte_range(text, &e["range"], enc),
                e["newText"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    ranges.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for (r, t) in ranges {
        out.replace_range(r, &t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_by_hand() {
        let t = "ab\r\nIL-4Rα 😀x\rz";
        // line 1 starts at byte 4; α is 2 bytes, 😀 is 4 bytes / 2 UTF-16 units
        assert_eq!(
            pos(t, 4 + "IL-4Rα 😀".len(), Enc::Utf16),
            json!({"line": 1, "character": 9})
        );
        assert_eq!(
            pos(t, 4 + "IL-4Rα 😀".len(), Enc::Utf8),
            json!({"line": 1, "character": 12})
        );
        assert_eq!(offset(t, 1, 9, Enc::Utf16), 4 + "IL-4Rα 😀".len());
        assert_eq!(offset(t, 2, 0, Enc::Utf16), t.len() - 1);
        assert_eq!(offset(t, 0, 99, Enc::Utf16), 2);
    }
}
