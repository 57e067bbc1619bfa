//! Protocol tests: starting, negotiating, surviving a panicking handler, and stopping.

mod common;

use common::{Client, Enc, Options, session};
use serde_json::{Value, json};

#[test]
fn utf16_is_chosen_when_utf8_is_not_offered() {
    for offered in [vec!["utf-16"], vec![], vec!["utf-32", "utf-16"]] {
        let mut c = Client::start(Options::default());
        let r = c.initialize(&offered, None, Value::Null, json!({}));
        assert_eq!(
            r["capabilities"]["positionEncoding"], "utf-16",
            "offered {offered:?}"
        );
        assert_eq!(c.shutdown().code(), Some(0));
    }
}

#[test]
fn utf8_is_chosen_when_offered() {
    let mut c = Client::start(Options::default());
    let r = c.initialize(&["utf-16", "utf-8"], None, Value::Null, json!({}));
    assert_eq!(r["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn capabilities() {
    let mut c = session(Enc::Utf16);
    let caps = c.init_result["capabilities"].clone();
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["documentHighlightProvider"], true);
    assert_eq!(caps["inlayHintProvider"], true);
    assert_eq!(
        caps["codeActionProvider"]["codeActionKinds"],
        json!(["quickfix"])
    );
    assert!(caps["completionProvider"].is_object());
    // the client below supports pull diagnostics, so they are offered
    assert_eq!(caps["diagnosticProvider"]["identifier"], "immuno-ls");
    assert_eq!(c.init_result["serverInfo"]["name"], "immuno-ls");
    assert_eq!(c.shutdown().code(), Some(0));

    // a client without pull diagnostics is not offered them
    let mut c = Client::start(Options::default());
    let r = c.initialize(
        &["utf-16"],
        None,
        Value::Null,
        json!({"textDocument": {"diagnostic": null}}),
    );
    assert!(
        r["capabilities"]
            .get("diagnosticProvider")
            .is_none_or(Value::is_null),
        "{r}"
    );
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn every_way_of_starting_speaks_lsp() {
    for args in [
        vec![],
        vec!["--stdio"],
        vec!["serve"],
        vec!["serve", "--stdio"],
    ] {
        let mut c = Client::start(Options {
            args: args.iter().map(|s| s.to_string()).collect(),
            ..Options::default()
        });
        let r = c.initialize(&["utf-16"], None, Value::Null, json!({}));
        assert_eq!(r["serverInfo"]["name"], "immuno-ls", "args {args:?}");
        assert_eq!(c.shutdown().code(), Some(0), "args {args:?}");
    }
}

#[test]
fn exit_without_shutdown_is_1() {
    let mut c = session(Enc::Utf16);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(1));
}

#[test]
fn exit_after_shutdown_is_0_even_with_stdin_open() {
    let mut c = session(Enc::Utf16);
    // the stdin stays open: the server must leave on `exit` alone
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn closing_stdin_ends_the_server() {
    let mut c = session(Enc::Utf16);
    c.open("file:///w/a.md", "markdown", 1, "Dupilumab.");
    assert_eq!(c.close_stdin_and_wait().code(), Some(1));
    // and before initialize too
    let mut c = Client::start(Options::default());
    assert_eq!(c.close_stdin_and_wait().code(), Some(1));
}

#[test]
fn a_panicking_handler_is_answered_with_an_error_and_the_server_goes_on() {
    let mut c = session(Enc::Utf16);
    let text = "Dupilumab 😀 works.";
    c.open("file:///w/p.md", "markdown", 1, text);
    let id = c.request_async("immunoLs/debugPanic", Value::Null);
    let r = c.response(id);
    assert_eq!(r["error"]["code"], -32603, "{r}");
    let h = c.hover_at("file:///w/p.md", text, 2);
    assert!(common::hover_text(&h).contains("dupilumab"), "{h}");
    // the panic message is not echoed (only its location)
    assert!(!c.stderr().contains("deliberate panic"), "{}", c.stderr());
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn debug_requests_are_off_without_the_test_hook() {
    let mut c = Client::start(Options {
        hooks: String::new(),
        ..Options::default()
    });
    c.init(Enc::Utf16);
    let id = c.request_async(
        "immunoLs/debugText",
        json!({"textDocument": {"uri": "file:///w/a.md"}}),
    );
    assert_eq!(c.response(id)["error"]["code"], -32601);
    let id = c.request_async("immunoLs/debugPanic", Value::Null);
    assert_eq!(c.response(id)["error"]["code"], -32601);
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn logs_never_contain_document_text() {
    let marker = "Zqxmarker7731";
    let mut c = Client::start(Options {
        env: vec![("IMMUNO_LS_LOG".into(), "trace".into())],
        ..Options::default()
    });
    c.init(Enc::Utf16);
    let uri = "file:///w/private.md";
    let text = format!("Patient {marker} has eczema, an autoimmune disease.\r\nDupilumab 😀.");
    c.open(uri, "markdown", 1, &text);
    let d = c.diagnostics(uri, 1);
    assert!(!d.is_empty());
    c.change(
        uri,
        2,
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}),
        marker,
    );
    let _ = c.diagnostics(uri, 2);
    let _ = c.hover_at(uri, &text, text.find("Dupilumab").unwrap_or(0));
    // malformed params that quote the marker
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": marker}, "contentChanges": []}),
    );
    let _ = c.debug_text(uri);
    assert_eq!(c.shutdown().code(), Some(0));
    let err = c.stderr();
    assert!(
        err.contains("TRACE") || err.contains("DEBUG") || err.contains("INFO"),
        "the log level took effect:\n{err}"
    );
    assert!(!err.contains(marker), "document text in the log:\n{err}");
}

#[test]
fn malformed_input_is_skipped_and_the_server_goes_on() {
    let mut c = session(Enc::Utf16);
    let uri = "file:///w/junk.md";
    let text = "湿疹 😀 Dupilumab.";
    c.open(uri, "markdown", 1, text);
    c.send_raw(b"Content-Length: 10\r\n\r\n{not json}");
    c.send_raw(b"\x00\x01\x02binary junk\xff\xfe\r\n\r\n");
    c.send_raw(b"Content-Type: text/plain\r\n\r\n{}");
    c.send_raw(
        b"Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}",
    );
    c.send_raw(b"Content-Length: 5\r\n\r\n[1,2]");
    // an unknown method and invalid params get the protocol's errors
    let id = c.request_async("immunoLs/noSuchMethod", json!({}));
    assert_eq!(c.response(id)["error"]["code"], -32601);
    let id = c.request_async("textDocument/hover", json!({"nope": 1}));
    assert_eq!(c.response(id)["error"]["code"], -32602);
    // a document that is not open, positions far out of range: no answer, no crash
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///w/never.md"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(r.is_null());
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 4_000_000_000u64, "character": 4_000_000_000u64}}),
    );
    assert_eq!(r["items"], json!([]));
    // "湿疹 😀 " is 2 + 1 + 2 + 1 = 6 UTF-16 units: Dupilumab starts at column 6
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 8}}),
    );
    assert_eq!(h["range"]["start"], json!({"line": 0, "character": 6}));
    assert_eq!(c.shutdown().code(), Some(0));
}
