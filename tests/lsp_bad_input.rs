//! Protocol tests: every kind of bad input the server can meet in an editor. After each one the
//! process must still be running and hover must still answer on a good document; each input gets
//! the protocol's error or is ignored with a log line. The session runs at the most verbose log
//! level and every bad input carries a marker string, which must never show up on stderr or in an
//! error message.

mod common;

use common::{Client, Enc, Options, fnv1a64, hover_text, pos};
use serde_json::{Value, json};

const MARKER: &str = "Zqxbadinput4417";
const GOOD: &str = "file:///w/good.md";
const GOOD_TEXT: &str = "Dupilumab 😀 works.\r\nTralokinumab blocks IL-31.";

fn at(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

fn span(a: Value, b: Value) -> Value {
    json!({"start": a, "end": b})
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// A session at trace level with the good document open and checked.
fn start(enc: Enc) -> Client {
    let mut c = Client::start(Options {
        env: vec![("IMMUNO_LS_LOG".into(), "trace".into())],
        ..Options::default()
    });
    c.init(enc);
    c.open(GOOD, "markdown", 1, GOOD_TEXT);
    let _ = c.diagnostics(GOOD, 1);
    c
}

/// The server is alive and still answers hover on the good document.
fn still_serving(c: &mut Client, after: &str) {
    assert!(c.is_running(), "the server died after {after}");
    let h = c.hover_at(GOOD, GOOD_TEXT, 2);
    assert!(
        hover_text(&h).contains("dupilumab"),
        "no hover after {after}: {h}"
    );
    assert_eq!(
        h["range"],
        span(at(0, 0), at(0, 9)),
        "hover range after {after}"
    );
}

/// Sends a request and returns the whole response (result or error).
fn call(c: &mut Client, method: &str, params: Value) -> Value {
    let id = c.request_async(method, params);
    c.response(id)
}

/// Asserts an error answer with this code whose message does not quote the marker.
fn assert_error(r: &Value, code: i64, what: &str) {
    assert_eq!(r["error"]["code"], code, "{what}: {r}");
    assert!(
        !r.to_string().contains(MARKER),
        "{what} echoes the input: {r}"
    );
}

#[test]
fn every_kind_of_bad_input_is_answered_or_ignored_and_hover_still_works() {
    let mut c = start(Enc::Utf16);
    still_serving(&mut c, "start");

    // unknown methods: a request gets MethodNotFound, a notification is ignored, and a `$/`
    // request is answered too (the protocol requires it; a `$/` notification may be ignored)
    let r = call(&mut c, "immunoLs/noSuchMethod", json!({"x": MARKER}));
    assert_error(&r, -32601, "unknown request");
    c.notify("immunoLs/noSuchNotification", json!({"x": MARKER}));
    c.notify("$/noSuchNotification", json!({"x": MARKER}));
    let r = call(&mut c, "$/noSuchRequest", json!({"x": MARKER}));
    assert_error(&r, -32601, "unknown $/ request");
    still_serving(&mut c, "unknown methods");

    // invalid params: requests get InvalidParams without the offending value quoted back;
    // notifications are ignored with a log line
    let cases = [
        ("textDocument/hover", json!({"nope": MARKER})),
        (
            "textDocument/hover",
            json!({"textDocument": {"uri": GOOD}, "position": MARKER}),
        ),
        (
            "textDocument/hover",
            json!({"textDocument": {"uri": GOOD}, "position": {"line": -1, "character": 0}}),
        ),
        (
            "textDocument/completion",
            json!({"textDocument": {"uri": GOOD}, "position": {"line": 0, "character": 1u64 << 40}}),
        ),
        ("textDocument/codeAction", json!([MARKER])),
        ("textDocument/hover", json!(MARKER)),
        ("immunoLs/debugText", json!({"textDocument": MARKER})),
    ];
    for (method, params) in cases {
        let r = call(&mut c, method, params.clone());
        assert_error(&r, -32602, &format!("{method} {params}"));
    }
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": GOOD, "version": MARKER}, "contentChanges": [{"text": MARKER}]}),
    );
    c.notify("textDocument/didOpen", json!({"textDocument": MARKER}));
    c.notify("textDocument/didClose", json!(null));
    c.notify("workspace/didChangeConfiguration", json!(MARKER));
    assert_eq!(c.debug_text(GOOD), (1, fnv1a64(GOOD_TEXT.as_bytes())));
    still_serving(&mut c, "invalid params");

    // malformed JSON and bodies that are not JSON-RPC objects
    for body in [
        format!("{{\"jsonrpc\":\"2.0\",\"id\":900,\"method\":\"textDocument/hover\" {MARKER}"),
        format!("{{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":\"{MARKER}\"}}}}"),
        format!("[\"{MARKER}\"]"),
        "null".to_string(),
        "42".to_string(),
        format!("\"{MARKER}\""),
        format!("{{\"jsonrpc\":\"1.0\",\"id\":901,\"method\":\"{MARKER}\"}}"),
        format!("{{\"id\":902,\"method\":\"textDocument/hover\",\"params\":\"{MARKER}\"}}"),
        format!("{{\"jsonrpc\":\"2.0\",\"id\":{{\"{MARKER}\":1}},\"method\":\"shutdown\"}}"),
        "{}".to_string(),
    ] {
        c.send_raw(&frame(&body));
    }
    still_serving(&mut c, "malformed JSON");

    // a missing Content-Length: other headers only, and a body with no header at all
    let hover_900 = format!(
        "{{\"jsonrpc\":\"2.0\",\"id\":903,\"method\":\"textDocument/hover\",\"params\":{{\"textDocument\":{{\"uri\":\"{GOOD}\"}},\"position\":{{\"line\":0,\"character\":1}}}},\"x\":\"{MARKER}\"}}"
    );
    c.send_raw(
        format!("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{hover_900}")
            .as_bytes(),
    );
    c.send_raw(hover_900.as_bytes());
    c.send_raw(format!("Content-Lenght: 12\r\n\r\n{hover_900}").as_bytes());
    still_serving(&mut c, "a missing Content-Length");

    // wrong Content-Length: not a number, negative, too large to accept, too short (the message
    // is dropped), too long (the message ends where the next header starts: both are served),
    // and a header promising a body that never comes before the next message
    for header in [
        format!("Content-Length: {MARKER}\r\n\r\n"),
        "Content-Length: -5\r\n\r\n".to_string(),
        "Content-Length: 99999999999999999999999\r\n\r\n".to_string(),
        "Content-Length: 1000000000000\r\n\r\n".to_string(),
    ] {
        c.send_raw(header.as_bytes());
        c.send_raw(hover_900.as_bytes());
    }
    still_serving(&mut c, "an unusable Content-Length");
    c.send_raw(format!("Content-Length: 10\r\n\r\n{hover_900}").as_bytes());
    still_serving(&mut c, "a Content-Length too short");
    let long = json!({"jsonrpc": "2.0", "id": 904, "method": "textDocument/hover",
        "params": {"textDocument": {"uri": GOOD}, "position": pos(GOOD_TEXT, 1, Enc::Utf16)}});
    let long = long.to_string();
    c.send_raw(format!("Content-Length: {}\r\n\r\n{long}", long.len() + 500).as_bytes());
    still_serving(&mut c, "a Content-Length too long");
    let r = c.response(904);
    assert!(hover_text(&r["result"]).contains("dupilumab"), "{r}");
    c.send_raw(b"Content-Length: 200000000\r\n\r\n");
    still_serving(&mut c, "a Content-Length with no body");
    c.send_raw(b"Content-Length: 4\r\n\r\n{}\r\n");
    c.send_raw(b"Content-Length: 0\r\n\r\n");
    still_serving(&mut c, "an empty body");

    // binary junk: random bytes, a framed body that is not UTF-8, NULs and stray header pieces
    let mut junk = Vec::new();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..200_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        junk.push((x >> 24) as u8);
        if i % 9973 == 0 {
            junk.extend_from_slice(b"\r\n\r\nContent-Length: 3\r\n\r\n");
        }
        if i % 50_000 == 0 {
            junk.extend_from_slice(MARKER.as_bytes());
        }
    }
    c.send_raw(&junk);
    still_serving(&mut c, "random bytes");
    let mut not_utf8 = b"{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":\"".to_vec();
    not_utf8.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
    not_utf8.extend_from_slice(MARKER.as_bytes());
    not_utf8.extend_from_slice(b"\"}");
    let mut framed = format!("Content-Length: {}\r\n\r\n", not_utf8.len()).into_bytes();
    framed.extend_from_slice(&not_utf8);
    c.send_raw(&framed);
    c.send_raw(b"\0\0\0\r\n\r\n\0Content-Length:\r\n\r\n\xff");
    still_serving(&mut c, "a body that is not UTF-8");

    // requests for a document that is not open: empty answers, not errors
    let never = "file:///w/never-opened.md";
    let doc = json!({"uri": never});
    let p0 = at(0, 0);
    assert!(
        c.request(
            "textDocument/hover",
            json!({"textDocument": doc, "position": p0})
        )
        .is_null()
    );
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": doc, "position": p0}),
    );
    assert!(r.is_null() || r["items"] == json!([]), "{r}");
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": doc, "range": span(p0.clone(), p0.clone()), "context": {"diagnostics": []}}),
    );
    assert!(r.is_null() || r == json!([]), "{r}");
    let r = c.request(
        "textDocument/documentHighlight",
        json!({"textDocument": doc, "position": p0}),
    );
    assert!(r.is_null() || r == json!([]), "{r}");
    let r = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": doc, "range": span(p0.clone(), p0.clone())}),
    );
    assert!(r.is_null() || r == json!([]), "{r}");
    let r = c.request("textDocument/diagnostic", json!({"textDocument": doc}));
    assert_eq!(r["items"], json!([]), "{r}");
    assert!(
        c.request("immunoLs/debugText", json!({"textDocument": doc}))
            .is_null()
    );
    still_serving(&mut c, "requests for a document that is not open");

    // positions far out of range clamp to the end of the document
    let far = at(u64::from(u32::MAX), u64::from(u32::MAX));
    let line_far = at(0, u64::from(u32::MAX));
    assert!(
        c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": GOOD}, "position": far})
        )
        .is_null()
    );
    // past the end of line 0 clamps to its end, which is the end of "works."
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": GOOD}, "position": line_far}),
    );
    assert!(r.is_null(), "{r}");
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": GOOD}, "position": far}),
    );
    assert!(r["items"].is_array(), "{r}");
    let r = c.request(
        "textDocument/documentHighlight",
        json!({"textDocument": {"uri": GOOD}, "position": far}),
    );
    assert!(r.is_null() || r == json!([]), "{r}");
    // a range covering far past the end: the whole document, so the wrong-target fix is offered
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": GOOD}, "range": span(p0.clone(), far.clone()), "context": {"diagnostics": []}}),
    );
    assert!(
        r.as_array()
            .is_some_and(|a| a.iter().any(|x| x["title"] == "Replace with “IL-13”")),
        "{r}"
    );
    // and an inverted one
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": GOOD}, "range": span(far.clone(), p0.clone()), "context": {"diagnostics": []}}),
    );
    assert!(r.as_array().is_some_and(|a| !a.is_empty()), "{r}");
    let r = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": GOOD}, "range": span(far.clone(), far.clone())}),
    );
    assert!(r.is_null() || r.is_array(), "{r}");
    still_serving(&mut c, "positions far out of range");

    // edits with inverted and out-of-range ranges are applied, clamped and put in order
    let scratch = "file:///w/scratch.md";
    let mut text = String::from("abc\r\ndéf 😀\r\nghi");
    c.open(scratch, "markdown", 1, &text);
    // inverted: (1,4)..(0,1) is "bc\r\ndéf " put in order
    c.change(scratch, 2, span(at(1, 4), at(0, 1)), "X");
    text = "aX😀\r\nghi".to_string();
    assert_eq!(c.debug_text(scratch), (2, fnv1a64(text.as_bytes())));
    // a start past the end of its line clamps to the line end (before the CRLF); an end past
    // the last line clamps to the end of the document
    c.change(scratch, 3, span(at(0, 999), at(999, 999)), "!");
    text = "aX😀!".to_string();
    assert_eq!(c.debug_text(scratch), (3, fnv1a64(text.as_bytes())));
    // both ends past the end: an append
    c.change(scratch, 4, span(far.clone(), far.clone()), MARKER);
    text.push_str(MARKER);
    assert_eq!(c.debug_text(scratch), (4, fnv1a64(text.as_bytes())));
    // a character in the middle of the surrogate pair rounds down to its start
    c.change(scratch, 5, span(at(0, 3), at(0, 3)), "[");
    text = format!("aX[😀!{MARKER}");
    assert_eq!(c.debug_text(scratch), (5, fnv1a64(text.as_bytes())));
    // an inverted range far out of range, then a version that goes backwards
    c.change(scratch, 6, span(far.clone(), at(0, 2)), "");
    text = "aX".to_string();
    assert_eq!(c.debug_text(scratch), (6, fnv1a64(text.as_bytes())));
    c.change(scratch, 2, span(at(0, 0), at(0, 0)), ">");
    text = ">aX".to_string();
    assert_eq!(c.debug_text(scratch), (2, fnv1a64(text.as_bytes())));
    still_serving(&mut c, "inverted and out-of-range edits");

    // a 10 MB document on one line: held, edited, not analysed, and the server stays responsive
    let big_uri = "file:///w/big.md";
    let unit = "Dupilumab blocks IL-4Rα; 😀 ";
    let mut big = unit.repeat(10 * 1024 * 1024 / unit.len() + 1);
    big.push_str(MARKER);
    assert!(big.len() >= 10 * 1024 * 1024 && !big.contains('\n'));
    let from = c.notifications.len();
    c.open(big_uri, "markdown", 1, &big);
    let (_, m) = c.wait_notification(from, |m| m["method"] == "window/showMessage");
    assert!(
        m["params"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("is not checked"),
        "{m}"
    );
    still_serving(&mut c, "opening a 10 MB document");
    let end = pos(&big, big.len(), Enc::Utf16);
    c.change(big_uri, 2, span(end.clone(), end.clone()), " end");
    big.push_str(" end");
    assert_eq!(c.debug_text(big_uri), (2, fnv1a64(big.as_bytes())));
    assert!(
        c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": big_uri}, "position": at(0, 5_000_000)})
        )
        .is_null()
    );
    let r = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": big_uri}, "position": at(0, 1_000_000)}),
    );
    assert!(r["items"].is_array(), "{r}");
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": big_uri}}),
    );
    still_serving(&mut c, "a 10 MB document");

    // didChange for a closed document (and one never opened) is ignored with a log line
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": scratch}}),
    );
    c.change(scratch, 7, span(at(0, 0), at(0, 0)), MARKER);
    c.change(never, 1, span(at(0, 0), at(0, 0)), MARKER);
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": never}}),
    );
    assert!(
        c.request(
            "immunoLs/debugText",
            json!({"textDocument": {"uri": scratch}})
        )
        .is_null()
    );
    assert!(
        c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": scratch}, "position": p0})
        )
        .is_null()
    );
    still_serving(&mut c, "didChange for a closed document");
    // opening it again starts from the text sent
    c.open(scratch, "markdown", 1, "Dupixent");
    assert_eq!(c.debug_text(scratch), (1, fnv1a64(b"Dupixent")));

    // a panicking handler, once more in this session
    let r = call(&mut c, "immunoLs/debugPanic", Value::Null);
    assert_error(&r, -32603, "a panicking handler");
    still_serving(&mut c, "a panicking handler");

    // the good document never changed
    assert_eq!(c.debug_text(GOOD), (1, fnv1a64(GOOD_TEXT.as_bytes())));
    assert_eq!(c.shutdown().code(), Some(0));

    let err = c.stderr();
    for logged in [
        "skipped bytes outside any message",
        "skipped a message that is not valid JSON-RPC",
        "a header block without a usable Content-Length",
        "ignored a notification with invalid params",
        "didChange for a document that is not open",
        "didChange with a range whose end is before its start",
        "didChange version did not increase",
    ] {
        assert!(err.contains(logged), "no log line {logged:?}:\n{err}");
    }
    assert!(err.contains("DEBUG"), "the log level took effect:\n{err}");
    assert!(!err.contains(MARKER), "input quoted in the log:\n{err}");
}

#[test]
fn before_initialize_and_after_shutdown() {
    let mut c = Client::start(Options {
        env: vec![("IMMUNO_LS_LOG".into(), "trace".into())],
        ..Options::default()
    });
    // requests before initialize: ServerNotInitialized; notifications: ignored
    let r = call(
        &mut c,
        "textDocument/hover",
        json!({"textDocument": {"uri": GOOD}, "position": at(0, 0)}),
    );
    assert_error(&r, -32002, "hover before initialize");
    c.open(GOOD, "markdown", 1, MARKER);
    c.send_raw(b"Content-Length: 3\r\n\r\n{x}");
    c.init(Enc::Utf8);
    assert!(
        c.request("immunoLs/debugText", json!({"textDocument": {"uri": GOOD}}))
            .is_null(),
        "the didOpen before initialize was applied"
    );
    // a second initialize is an error
    let r = call(
        &mut c,
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    assert!(r.get("error").is_some(), "{r}");
    c.open(GOOD, "markdown", 1, GOOD_TEXT);
    still_serving_utf8(&mut c);
    // after shutdown (sent with params, which it does not take): requests are invalid, and
    // exit still gives 0
    assert!(c.request("shutdown", json!({"text": MARKER})).is_null());
    let r = call(
        &mut c,
        "textDocument/hover",
        json!({"textDocument": {"uri": GOOD}, "position": at(0, 0)}),
    );
    assert_error(&r, -32600, "hover after shutdown");
    c.change(GOOD, 2, span(at(0, 0), at(0, 0)), MARKER);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit().code(), Some(0));
    assert!(!c.stderr().contains(MARKER), "{}", c.stderr());
}

fn still_serving_utf8(c: &mut Client) {
    let h = c.hover_at(GOOD, GOOD_TEXT, 2);
    assert!(hover_text(&h).contains("dupilumab"), "{h}");
}

#[test]
fn input_ending_inside_a_message_ends_the_server() {
    let mut c = start(Enc::Utf16);
    // half a message, then a whole one: the half is dropped at the next header
    c.send_raw(b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",");
    still_serving(&mut c, "half a message");
    // half a message, then the end of the input
    c.send_raw(b"Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",");
    assert_eq!(c.close_stdin_and_wait().code(), Some(1));
    assert!(
        c.stderr().contains("the input ended inside a message"),
        "{}",
        c.stderr()
    );
}
