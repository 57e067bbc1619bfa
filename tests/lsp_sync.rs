//! Protocol tests: incremental text synchronisation, in UTF-16 and UTF-8, with CRLF and
//! non-ASCII text; a burst of quick edits; and the ordering test (edits applied strictly in the
//! order sent, reads seeing exactly the edits sent before them), with its self-check.

mod common;

use common::{Client, Enc, Options, fnv1a64, pos, session};
use serde_json::{Value, json};

fn at(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

fn span(a: Value, b: Value) -> Value {
    json!({"start": a, "end": b})
}

/// A fixed sequence of edits whose positions were worked out by hand.
fn hand_checked_edits(enc: Enc) {
    let mut c = session(enc);
    let uri = "file:///w/edits.md";
    c.open(uri, "markdown", 1, "Line one\r\nIL-4Rα 😀 湿疹\r\nend");
    // the emoji: UTF-16 columns 7..9, bytes 8..12
    let emoji = match enc {
        Enc::Utf16 => span(at(1, 7), at(1, 9)),
        Enc::Utf8 => span(at(1, 8), at(1, 12)),
    };
    c.change(uri, 2, emoji, "dupilumab");
    // join line 0 and line 1 (removes the whole \r\n)
    c.change(uri, 3, span(at(0, 8), at(1, 0)), "");
    assert_eq!(
        c.debug_text(uri),
        (
            3,
            fnv1a64("Line oneIL-4Rα dupilumab 湿疹\r\nend".as_bytes())
        )
    );
    // split it again
    c.change(uri, 4, span(at(0, 8), at(0, 8)), "\r\n");
    // a claim at the start of the last line
    c.change(
        uri,
        5,
        span(at(2, 0), at(2, 0)),
        "Tralokinumab blocks IL-31. ",
    );
    let expected = "Line one\r\nIL-4Rα dupilumab 湿疹\r\nTralokinumab blocks IL-31. end";
    assert_eq!(c.debug_text(uri), (5, fnv1a64(expected.as_bytes())));

    // hover on dupilumab after the edits: the range is the mention
    let h = c.hover_at(uri, expected, expected.find("dupilumab").unwrap_or(0) + 3);
    let want = match enc {
        Enc::Utf16 => span(at(1, 7), at(1, 16)),
        Enc::Utf8 => span(at(1, 8), at(1, 17)),
    };
    assert_eq!(h["range"], want, "{h}");

    // the diagnostics of version 5 point at IL-31 (line 2, columns 20..25 in both encodings)
    let d = c.diagnostics(uri, 5);
    let wrong: Vec<&Value> = d.iter().filter(|x| x["code"] == "wrong-target").collect();
    assert_eq!(wrong.len(), 1, "{d:?}");
    assert_eq!(wrong[0]["range"], span(at(2, 20), at(2, 25)));
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn incremental_edits_utf16() {
    hand_checked_edits(Enc::Utf16);
}

#[test]
fn incremental_edits_utf8() {
    hand_checked_edits(Enc::Utf8);
}

#[test]
fn lone_cr_line_endings_and_clamped_positions() {
    let mut c = session(Enc::Utf16);
    let uri = "file:///w/cr.txt";
    c.open(uri, "plaintext", 1, "a\rb\rc");
    // (1, 99) clamps to the end of line 1 ("b"), before its \r
    c.change(uri, 2, span(at(1, 99), at(1, 99)), "X");
    // a line past the end clamps to the end of the document
    c.change(uri, 3, span(at(42, 3), at(42, 3)), "Z");
    // a range whose end is before its start is put in order
    c.change(uri, 4, span(at(0, 1), at(0, 0)), "");
    assert_eq!(c.debug_text(uri), (4, fnv1a64("\rbX\rcZ".as_bytes())));
    // a change for a document that is not open is ignored; the open one is untouched
    c.change(
        "file:///w/never-opened.md",
        9,
        span(at(0, 0), at(0, 0)),
        "junk",
    );
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "file:///w/never-opened.md"}}),
    );
    assert_eq!(c.debug_text(uri), (4, fnv1a64("\rbX\rcZ".as_bytes())));
    // closing forgets the document
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let r = c.request("immunoLs/debugText", json!({"textDocument": {"uri": uri}}));
    assert!(r.is_null());
    assert_eq!(c.shutdown().code(), Some(0));
}

/// Types `sentence` character by character at the end of the document, with a backspace after
/// every 7th character (retyped), without waiting; returns the number of edits sent and the text.
fn type_out(
    c: &Client,
    uri: &str,
    start_version: i64,
    mut text: String,
    sentence: &str,
    enc: Enc,
) -> (i64, String) {
    let mut version = start_version;
    for (n, ch) in sentence.chars().enumerate() {
        let end = pos(&text, text.len(), enc);
        version += 1;
        c.change(uri, version, span(end.clone(), end), &ch.to_string());
        text.push(ch);
        if n % 7 == 6 && ch != '\r' && ch != '\n' {
            // backspace, then type it again
            let before = text.len() - ch.len_utf8();
            let a = pos(&text, before, enc);
            let b = pos(&text, text.len(), enc);
            version += 1;
            c.change(uri, version, span(a, b), "");
            text.truncate(before);
            version += 1;
            let end = pos(&text, text.len(), enc);
            c.change(uri, version, span(end.clone(), end), &ch.to_string());
            text.push(ch);
        }
    }
    (version, text)
}

#[test]
fn burst_of_500_quick_edits() {
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut c = session(enc);
        let uri = "file:///w/burst.md";
        c.open(uri, "markdown", 1, "");
        let line = "湿疹 😀: eczema is an autoimmune disease; IL-4Rα µg.\r\n";
        let mut text = String::new();
        let mut version = 1;
        while version < 501 {
            let (v, t) = type_out(&c, uri, version, text, line, enc);
            version = v;
            text = t;
        }
        assert!(version >= 501);
        // a Rust check of the reference text itself
        assert!(text.starts_with(line) && text.len().is_multiple_of(line.len()));
        assert_eq!(
            c.debug_text(uri),
            (version, fnv1a64(text.as_bytes())),
            "{enc:?}"
        );
        // the diagnostics of the last version flag every "autoimmune", at the right place
        let d = c.diagnostics(uri, version);
        let lines = text.matches("\r\n").count();
        let hits: Vec<&Value> = d
            .iter()
            .filter(|x| x["code"] == "autoimmune-misnomer")
            .collect();
        assert_eq!(hits.len(), lines, "{d:?}");
        // "湿疹 😀: eczema is an " is 20 UTF-16 units (😀 counts 2), 26 bytes (湿, 疹 3 each, 😀 4)
        let col = if enc == Enc::Utf16 { 20 } else { 26 };
        assert_eq!(hits[0]["range"], span(at(0, col), at(0, col + 10)));
        assert_eq!(c.shutdown().code(), Some(0));
    }
}

/// A small deterministic generator.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A byte offset of `text` where an edit may start or end: a character boundary that is not
/// between the \r and \n of a line break.
fn boundary(text: &str, g: &mut XorShift) -> usize {
    let cuts: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .filter(|&i| {
            !(i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes().get(i) == Some(&b'\n'))
        })
        .collect();
    cuts[g.below(cuts.len())]
}

const PIECES: &[&str] = &[
    "a",
    "α",
    "𝛼",
    "\r\n",
    "IL-4Rα ",
    "湿疹",
    "😀",
    "dupilumab ",
    "\n",
    "é",
    "\r",
    " µg – ",
];

/// Moves an offset that falls between the \r and \n of a line break past the \n.
fn not_inside_crlf(text: &str, i: usize) -> usize {
    if i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes().get(i) == Some(&b'\n') {
        i + 1
    } else {
        i
    }
}

/// One round of the ordering test: `edits` incremental edits fired without waiting, each placed
/// by the reference text (so it lands right only if every earlier edit was applied first), with
/// a read every `every` edits. Returns the number of mismatches (reads and the final text).
fn ordering_round(c: &mut Client, uri: &str, seed: u64, edits: usize, every: usize) -> usize {
    let enc = c.enc;
    let mut g = XorShift(seed);
    let mut text = String::from("start\r\n");
    c.open(uri, "markdown", 1, &text);
    let mut reads: Vec<(i64, i64, String)> = Vec::new();
    for i in 0..edits {
        let version = i as i64 + 2;
        let a = boundary(&text, &mut g);
        if g.below(4) == 0 && a < text.len() {
            // delete up to four characters from a
            let b = text[a..]
                .char_indices()
                .nth(1 + g.below(4))
                .map_or(text.len(), |(j, _)| a + j);
            let b = not_inside_crlf(&text, b);
            c.change(
                uri,
                version,
                span(pos(&text, a, enc), pos(&text, b, enc)),
                "",
            );
            text.replace_range(a..b, "");
        } else {
            let piece = PIECES[g.below(PIECES.len())];
            let p = pos(&text, a, enc);
            c.change(uri, version, span(p.clone(), p), piece);
            text.insert_str(a, piece);
        }
        if i % every == every - 1 {
            let id = c.request_async("immunoLs/debugText", json!({"textDocument": {"uri": uri}}));
            reads.push((id, version, fnv1a64(text.as_bytes())));
        }
    }
    let id = c.request_async("immunoLs/debugText", json!({"textDocument": {"uri": uri}}));
    reads.push((id, edits as i64 + 1, fnv1a64(text.as_bytes())));
    let mut mismatches = 0;
    for (id, version, hash) in reads {
        let r = c.response(id);
        if r["result"]["version"] != version || r["result"]["hash"] != hash.as_str() {
            mismatches += 1;
        }
    }
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    mismatches
}

#[test]
fn edits_are_applied_in_wire_order_and_reads_see_exactly_the_edits_before_them() {
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut c = session(enc);
        for round in 0..6u64 {
            let uri = format!("file:///w/order-{round}.md");
            let bad = ordering_round(
                &mut c,
                &uri,
                0x9e37_79b9_7f4a_7c15 ^ ((round + 1) * 7919),
                1000,
                10,
            );
            assert_eq!(bad, 0, "{enc:?} round {round}: {bad} reads out of order");
        }
        assert_eq!(c.shutdown().code(), Some(0));
    }
}

/// The self-check: with a yield injected before the mutation (the hazard the design avoids), the
/// same test finds reads or texts that are wrong.
#[test]
fn the_ordering_test_fails_when_a_yield_is_injected_before_the_mutation() {
    let mut c = Client::start(Options {
        hooks: "debug,yield-before-mutation".into(),
        ..Options::default()
    });
    c.init(Enc::Utf16);
    let mut caught = false;
    for round in 0..10u64 {
        let uri = format!("file:///w/yield-{round}.md");
        if ordering_round(&mut c, &uri, 0x2545_f491_4f6c_dd1d ^ (round + 1), 1000, 10) > 0 {
            caught = true;
            break;
        }
    }
    assert!(
        caught,
        "the ordering test did not notice edits applied out of order"
    );
    assert_eq!(c.shutdown().code(), Some(0));
}
