//! Each kind of mistake in a vocabulary file (syntax, unknown field, dangling id, conflicting
//! surface form, empty definition, missing source) is reported with the file, line and column by
//! all three users of the loader: `immuno-ls vocab check` (exit 1), `immuno-ls check --vocab`
//! (exit 2), and the language server, which shows it on the file and keeps running on the last
//! good vocabulary. (`tests/vocab_errors.rs` tests the loader itself.)

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{Client, Options, hover_text, uri_for};
use serde_json::{Value, json};

/// A good user file. Line 5 has characters of 2 and 4 bytes (and 2 UTF-16 units) before the
/// place where the conflicting-name case puts its error.
const GOOD: &str = r#"[[entry]]
id = "local-term"
kind = "concept"
name = "wet wrap protocol B"
synonyms = ["Grüne 😀 wrap"]
definition = "Our clinic's wet wrap protocol."
sources = [{ title = "Clinic handbook", url = "https://example.org/handbook" }]
"#;

/// (kind, the file, 1-based line and character column of the error, words of the message).
fn cases() -> Vec<(&'static str, String, usize, usize, &'static str)> {
    vec![
        (
            "syntax",
            GOOD.replace(r#"id = "local-term""#, r#"id = "local-term"#),
            2,
            17,
            "invalid basic string",
        ),
        (
            "unknown field",
            GOOD.replace("kind = ", "knd = "),
            3,
            1,
            "unknown field `knd`",
        ),
        (
            "dangling id",
            GOOD.replace(
                "definition = ",
                "related = [\"no-such-entry\"]\ndefinition = ",
            ),
            6,
            12,
            "\"no-such-entry\", which is not an entry id",
        ),
        (
            "conflicting surface form",
            GOOD.replace(r#"😀 wrap""#, r#"😀 wrap", "Dupixent""#),
            5,
            29,
            "is also a form of \"dupilumab\"",
        ),
        (
            "empty definition",
            GOOD.replace("\"Our clinic's wet wrap protocol.\"", "\" \""),
            6,
            14,
            "empty definition",
        ),
        (
            "missing source",
            GOOD.replace(
                "sources = [{ title = \"Clinic handbook\", url = \"https://example.org/handbook\" }]\n",
                "",
            ),
            2,
            6,
            "has no source",
        ),
    ]
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_immuno-ls"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run immuno-ls: {e}"));
    if let Some(mut w) = child.stdin.take() {
        use std::io::Write;
        let _ = w.write_all(stdin.as_bytes());
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("immuno-ls: {e}"))
}

#[test]
fn the_command_line_reports_each_kind_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("team.toml");
    let file = path.to_str().unwrap_or("");
    write(&path, GOOD);
    assert_eq!(run(&["vocab", "check", file], "").status.code(), Some(0));
    for (kind, text, line, column, words) in cases() {
        write(&path, &text);
        let at = format!("{file}:{line}:{column}: ");

        let out = run(&["vocab", "check", file], "");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "vocab check, {kind}: {err}");
        assert!(
            err.lines()
                .any(|l| l.starts_with(&format!("error: {at}")) && l.contains(words)),
            "vocab check, {kind}: expected {at}… {words}:\n{err}"
        );

        let out = run(&["check", "--vocab", file, "-"], "Dupilumab works.\n");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "check, {kind}: {err}");
        assert!(
            err.contains(&at) && err.contains(words),
            "check, {kind}: expected {at}… {words}:\n{err}"
        );
        assert!(
            out.stdout.is_empty(),
            "check, {kind}: no report on a bad vocabulary"
        );
    }
}

/// The LSP position of a 1-based line and character column, in UTF-16 units.
fn lsp_position(text: &str, line: usize, column: usize) -> Value {
    let l = text.lines().nth(line - 1).unwrap_or("");
    let character: usize = l.chars().take(column - 1).map(char::len_utf16).sum();
    json!({"line": line - 1, "character": character})
}

#[test]
fn the_server_reports_each_kind_on_the_file_and_keeps_the_last_good_vocabulary() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("team.toml");
    write(&path, GOOD);
    let mut c = Client::start(Options {
        cwd: Some(dir.path().to_path_buf()),
        ..Options::default()
    });
    c.initialize(
        &["utf-16"],
        Some(dir.path()),
        json!({"immunoLs": {"vocabulary": ["team.toml"]}}),
        json!({}),
    );
    let uri = uri_for(&dir.path().join("note.md"));
    let note = "Wrap: wet wrap protocol B 😀 with dupilumab.";
    c.open(&uri, "markdown", 1, note);
    let _ = c.diagnostics(&uri, 1);
    let at = note.find("protocol").unwrap_or(0);
    assert!(hover_text(&c.hover_at(&uri, note, at)).contains("Our clinic's wet wrap"));

    let file_uri = uri_for(&path);
    for (kind, text, line, column, words) in cases() {
        write(&path, &text);
        let from = c.notifications.len();
        c.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri, "type": 2}]}),
        );
        // a message naming the file, line and column of the first problem
        let (_, m) = c.wait_notification(from, |m| m["method"] == "window/showMessage");
        let message = m["params"]["message"].as_str().unwrap_or("");
        assert!(
            message.contains(&format!("team.toml:{line}:{column}: ")) && message.contains(words),
            "{kind}: {message}"
        );
        assert_eq!(m["params"]["type"], 1, "{kind}: an error");
        // a diagnostic on the file itself, at that place
        let (_, d) = c.diagnostics_where(&file_uri, from, |d| !d.is_empty());
        assert_eq!(d.len(), 1, "{kind}: {d:?}");
        assert_eq!(
            d[0]["range"]["start"],
            lsp_position(&text, line, column),
            "{kind}: {d:?}"
        );
        assert_eq!(d[0]["severity"], 1, "{kind}");
        assert!(
            d[0]["message"].as_str().unwrap_or("").contains(words),
            "{kind}: {d:?}"
        );
        // the notes are checked again, on the last good vocabulary
        let _ = c.diagnostics_where(&uri, from, |_| true);
        assert!(c.is_running(), "{kind}");
        let h = c.hover_at(&uri, note, at);
        assert!(
            hover_text(&h).contains("Our clinic's wet wrap"),
            "{kind}: the last good vocabulary is gone: {h}"
        );
        let d = note.find("dupilumab").unwrap_or(0);
        assert!(hover_text(&c.hover_at(&uri, note, d)).contains("dupilumab"));
    }

    // fixed: the file's diagnostics are cleared
    write(&path, &GOOD.replace("Our clinic's", "The clinic's"));
    let from = c.notifications.len();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri, "type": 2}]}),
    );
    let _ = c.diagnostics_where(&file_uri, from, <[Value]>::is_empty);
    let _ = c.diagnostics_where(&uri, from, |_| true);
    assert!(hover_text(&c.hover_at(&uri, note, at)).contains("The clinic's wet wrap"));
    assert_eq!(c.shutdown().code(), Some(0));
}
