//! Protocol-level latency: drives the real server over stdio as an editor does, on notes of 10 KB,
//! 100 KB and 1 MB, and prints initialize time, open → first diagnostics, one-character edit →
//! diagnostics for that version (p50, p95, max over 60 edits), hover and completion latency (p50,
//! p99) and the server's peak RSS.
//!
//! Run: `cargo bench --bench lsp_latency` (figures in docs/PERFORMANCE.md).

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = match Command::new(env!("CARGO_BIN_EXE_immuno-ls"))
            .arg("--stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(c) => c,
            Err(e) => panic!("cannot start the server: {e}"),
        };
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            panic!("no pipes");
        };
        Client {
            child,
            stdin,
            stdout: BufReader::new(stdout),
            next_id: 0,
        }
    }

    fn send(&mut self, msg: &Value) {
        let body = msg.to_string();
        let _ = write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len());
        let _ = self.stdin.flush();
    }

    fn read(&mut self) -> Value {
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            if self.stdout.read_line(&mut line).unwrap_or(0) == 0 {
                panic!("server closed its output");
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length:") {
                len = v.trim().parse().unwrap_or(0);
            }
        }
        let mut buf = vec![0u8; len];
        let _ = self.stdout.read_exact(&mut buf);
        serde_json::from_slice(&buf).unwrap_or(Value::Null)
    }

    /// Sends a request and waits for its answer, answering server requests on the way.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let msg = self.read();
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                return msg;
            }
            self.answer_server_request(&msg);
        }
    }

    fn answer_server_request(&mut self, msg: &Value) {
        if let (Some(id), Some(_)) = (msg.get("id"), msg.get("method")) {
            let result = if msg["method"] == "workspace/configuration" {
                json!([null])
            } else {
                Value::Null
            };
            self.send(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Waits for diagnostics of `version`.
    fn diagnostics_for(&mut self, version: i64) {
        loop {
            let msg = self.read();
            if msg["method"] == "textDocument/publishDiagnostics"
                && msg["params"]["version"] == json!(version)
            {
                return;
            }
            self.answer_server_request(&msg);
        }
    }

    fn peak_rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    fn stop(mut self) {
        let _ = self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let _ = self.child.wait();
    }
}

fn note_text(size: usize) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    let unit = [
        std::fs::read_to_string(format!("{root}/tests/fixtures/sample-draft.txt"))
            .unwrap_or_default(),
        std::fs::read_to_string(format!("{root}/examples/eczema-leaflet.md")).unwrap_or_default(),
    ]
    .join("\n\n");
    let mut out = String::new();
    while out.len() < size {
        out.push_str(&unit);
        out.push_str("\n\n");
    }
    let mut end = size;
    while !out.is_char_boundary(end) {
        end -= 1;
    }
    out.truncate(end);
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let k = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[k.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo bench` passes --bench; a filter argument selects sizes by label
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    for (label, size) in [("10KB", 10_000), ("100KB", 100_000), ("1MB", 1_000_000)] {
        if filter.as_deref().is_some_and(|f| !label.contains(f)) {
            continue;
        }
        let text = note_text(size);
        let mut c = Client::start();
        let t = Instant::now();
        let _ = c.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {"general": {"positionEncodings": ["utf-16"]}}}));
        let init = t.elapsed();
        c.notify("initialized", json!({}));
        let uri = format!("file:///bench/{label}.md");
        let t = Instant::now();
        c.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}));
        c.diagnostics_for(1);
        let open = t.elapsed();

        // one-character edits in the middle of the document, each waiting for its diagnostics
        let line = text[..text.len() / 2].matches('\n').count() as u32;
        let mut edits = Vec::new();
        for k in 0..60 {
            let version = 2 + k as i64;
            let t = Instant::now();
            c.notify("textDocument/didChange", json!({
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": "x"}]
            }));
            c.diagnostics_for(version);
            edits.push(t.elapsed());
        }
        edits.sort();

        let mut hovers = Vec::new();
        let mut completions = Vec::new();
        for k in 0..100u32 {
            let pos = json!({"line": k % 20, "character": 3});
            let t = Instant::now();
            let _ = c.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": pos}),
            );
            hovers.push(t.elapsed());
            let t = Instant::now();
            let _ = c.request(
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": pos}),
            );
            completions.push(t.elapsed());
        }
        hovers.sort();
        completions.sort();
        let rss = c.peak_rss_kb();
        println!(
            "lsp/{label}: initialize {}; open->diagnostics {}; edit->diagnostics p50 {} p95 {} max {}; hover p50 {} p99 {}; completion p50 {} p99 {}; peak RSS {:.1} MB",
            ms(init),
            ms(open),
            ms(percentile(&edits, 0.5)),
            ms(percentile(&edits, 0.95)),
            ms(percentile(&edits, 1.0)),
            ms(percentile(&hovers, 0.5)),
            ms(percentile(&hovers, 0.99)),
            ms(percentile(&completions, 0.5)),
            ms(percentile(&completions, 0.99)),
            rss as f64 / 1024.0
        );
        c.stop();
    }
}
