//! Protocol tests of the features: hover, completion (prefix and every drug-target context),
//! diagnostics (push and pull), code actions applied and re-checked, document highlight, inlay
//! hints and the size cap. Every position test has non-ASCII text before the position, in UTF-16
//! and UTF-8; the expected columns were counted by hand (comments show the counts).

mod common;

use common::{Client, Enc, Options, apply_edits, hover_text, labels, session};
use serde_json::{Value, json};

fn at(line: u64, character: u64) -> Value {
    json!({"line": line, "character": character})
}

fn span(a: Value, b: Value) -> Value {
    json!({"start": a, "end": b})
}

/// UTF-16 or UTF-8 column, chosen by the session's encoding.
fn col(enc: Enc, utf16: u64, utf8: u64) -> u64 {
    if enc == Enc::Utf16 { utf16 } else { utf8 }
}

const HOVER_TEXT: &str =
    "Note 😀 µg:\r\nThe patient (湿疹) started dupilumab (Dupixent) today.\r\nNothing else.";

#[test]
fn hover_shows_the_entry_and_covers_the_mention() {
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut c = session(enc);
        let uri = "file:///w/hover.md";
        c.open(uri, "markdown", 1, HOVER_TEXT);
        // line 1: "The patient (" 13 units / 13 bytes, 湿疹 2 units / 6 bytes, ")" and " started "
        // bring it to 25 / 29: dupilumab is 25..34 (UTF-16) or 29..38 (UTF-8)
        let h = c.hover_at(
            uri,
            HOVER_TEXT,
            HOVER_TEXT.find("dupilumab").unwrap_or(0) + 4,
        );
        assert_eq!(
            h["range"],
            span(at(1, col(enc, 25, 29)), at(1, col(enc, 34, 38))),
            "{enc:?}"
        );
        assert_eq!(h["contents"]["kind"], "markdown");
        let md = hover_text(&h);
        assert!(md.starts_with("**dupilumab**"), "{md}");
        for fact in ["IL-4Rα", "Dupixent", "IL-13", "monoclonal antibody", "http"] {
            assert!(md.contains(fact), "{fact} missing from {md}");
        }
        // the brand name gives the same card; " (" after dupilumab: Dupixent is 36..44 / 40..48
        let h = c.hover_at(uri, HOVER_TEXT, HOVER_TEXT.find("Dupixent").unwrap_or(0));
        assert_eq!(
            h["range"],
            span(at(1, col(enc, 36, 40)), at(1, col(enc, 44, 48)))
        );
        assert!(hover_text(&h).starts_with("**dupilumab**"));
        // nothing on words that are not terms, nor far out of range
        for word in ["patient", "Nothing", "today", "µg"] {
            let start = HOVER_TEXT.find(word).unwrap_or(0);
            let inside = start + word.chars().next().map_or(0, char::len_utf8);
            let h = c.hover_at(uri, HOVER_TEXT, inside);
            assert!(h.is_null(), "{word}: {h}");
        }
        let h = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": at(99, 99)}),
        );
        assert!(h.is_null());
        let h = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": at(1, 9999)}),
        );
        assert!(h.is_null());
        // a document that is not open
        let h = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///w/none.md"}, "position": at(0, 0)}),
        );
        assert!(h.is_null());
        assert_eq!(c.shutdown().code(), Some(0));
    }
}

#[test]
fn plain_text_hover_when_the_client_has_no_markdown() {
    let mut c = Client::start(Options::default());
    c.initialize(
        &["utf-16"],
        None,
        Value::Null,
        json!({"textDocument": {"hover": {"contentFormat": ["plaintext"]}}}),
    );
    let text = "😀 Dupixent.";
    c.open("file:///w/p.txt", "plaintext", 1, text);
    // byte 6 is inside "Dupixent" (😀 is 4 bytes, then a space)
    let h = c.hover_at("file:///w/p.txt", text, 6);
    assert_eq!(h["contents"]["kind"], "plaintext");
    assert!(!hover_text(&h).contains("**"));
    // 😀 is 2 units, then a space: Dupixent is 3..11
    assert_eq!(h["range"], span(at(0, 3), at(0, 11)));
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn completion_by_prefix() {
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut c = session(enc);
        let uri = "file:///w/c.md";
        let text = "😀 µg: Patient started on dupi";
        c.open(uri, "markdown", 1, text);
        let items = c.complete_at(uri, text, text.len());
        assert_eq!(labels(&items)[0], "dupilumab", "{:?}", labels(&items));
        let first = &items[0];
        // "😀 µg: Patient started on " is 26 UTF-16 units, 29 bytes: "dupi" is 26..30 / 29..33
        assert_eq!(
            first["textEdit"]["range"],
            span(at(0, col(enc, 26, 29)), at(0, col(enc, 30, 33)))
        );
        assert_eq!(first["textEdit"]["newText"], "dupilumab");
        let detail = first["detail"].as_str().unwrap_or("");
        assert!(
            detail.contains("Dupixent") && detail.contains("IL-4Rα"),
            "{detail}"
        );
        assert!(
            first["documentation"]["value"]
                .as_str()
                .unwrap_or("")
                .starts_with("**dupilumab**")
        );

        // a brand name keeps its case; a capitalised prefix gives a capitalised generic name
        let text2 = "湿疹. Switched from cyclosporine to Rinv";
        c.open("file:///w/c2.md", "markdown", 1, text2);
        assert_eq!(
            labels(&c.complete_at("file:///w/c2.md", text2, text2.len()))[0],
            "Rinvoq"
        );
        let text3 = "Filag";
        c.open("file:///w/c3.md", "markdown", 1, text3);
        assert_eq!(
            labels(&c.complete_at("file:///w/c3.md", text3, 5))[0],
            "Filaggrin"
        );
        // nothing is offered for an empty word without a context
        let text4 = "The patient ";
        c.open("file:///w/c4.md", "markdown", 1, text4);
        assert!(
            c.complete_at("file:///w/c4.md", text4, text4.len())
                .is_empty()
        );
        assert_eq!(c.shutdown().code(), Some(0));
    }
}

/// The first five labels at the end of `text`.
fn top5(c: &mut Client, uri: &str, text: &str) -> Vec<String> {
    c.open(uri, "markdown", 1, text);
    let items = c.complete_at(uri, text, text.len());
    labels(&items).into_iter().take(5).collect()
}

#[test]
fn completion_from_drug_target_context() {
    let mut c = session(Enc::Utf16);
    // drug -> its targets (tralokinumab binds IL-13, not IL-31)
    let l = top5(&mut c, "file:///w/1.md", "😀 Tralokinumab blocks ");
    assert_eq!(l[0], "IL-13", "{l:?}");
    assert!(!l.contains(&"IL-31".to_string()), "{l:?}");
    for (n, text) in [
        "Lebrikizumab inhibits ",
        "Adtralza neutralises ",
        "Tralokinumab binds ",
        "Lebrikizumab targets ",
    ]
    .iter()
    .enumerate()
    {
        let l = top5(&mut c, &format!("file:///w/v{n}.md"), text);
        assert_eq!(l[0], "IL-13", "{text}: {l:?}");
    }
    // dupilumab: its receptor target first, then the cytokines whose signalling it blocks
    let l = top5(&mut c, "file:///w/2.md", "湿疹: Dupilumab blocks ");
    assert_eq!(&l[..3], ["IL-4Rα", "IL-4", "IL-13"]);
    // target -> drugs acting on it (nemolizumab acts on the IL-31 receptor)
    let l = top5(
        &mut c,
        "file:///w/3.md",
        "µg. Drugs that target IL-31 include ",
    );
    assert!(l.contains(&"nemolizumab".to_string()), "{l:?}");
    assert!(!l.contains(&"dupilumab".to_string()), "{l:?}");
    let l = top5(&mut c, "file:///w/4.md", "IL-13 inhibitors such as ");
    let mut two = l[..2].to_vec();
    two.sort();
    assert_eq!(two, ["lebrikizumab", "tralokinumab"], "{l:?}");
    let l = top5(&mut c, "file:///w/5.md", "She had anti-IL-5 ");
    assert!(l.contains(&"mepolizumab".to_string()), "{l:?}");
    assert!(!l.contains(&"dupilumab".to_string()), "{l:?}");
    // class -> members
    let l = top5(&mut c, "file:///w/6.md", "😀 JAK inhibitors such as ");
    assert!(
        ["upadacitinib", "abrocitinib", "baricitinib"]
            .iter()
            .any(|d| l.contains(&d.to_string())),
        "{l:?}"
    );
    assert!(!l.contains(&"dupilumab".to_string()), "{l:?}");
    let l = top5(
        &mut c,
        "file:///w/7.md",
        "Topical calcineurin inhibitors like ",
    );
    assert!(
        l.contains(&"tacrolimus".to_string()) && l.contains(&"pimecrolimus".to_string()),
        "{l:?}"
    );
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn context_completion_after_the_first_letters() {
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut c = session(enc);
        let uri = "file:///w/typed.md";
        let text = "湿疹 😀 Tralokinumab blocks IL";
        c.open(uri, "markdown", 1, text);
        let items = c.complete_at(uri, text, text.len());
        let l = labels(&items);
        assert_eq!(l[0], "IL-13", "{l:?}");
        // "湿疹 😀 Tralokinumab blocks " is 2+1+2+1+13+7 = 26 units, 6+1+4+1+13+7 = 32 bytes
        assert_eq!(
            items[0]["textEdit"]["range"],
            span(at(0, col(enc, 26, 32)), at(0, col(enc, 28, 34)))
        );
        // context items sort before prefix items: IL-31 may follow as a prefix item, never first
        let il31 = l.iter().position(|x| x == "IL-31");
        assert!(il31.is_none_or(|i| i > 0), "{l:?}");
        assert!(items[0]["sortText"].as_str() < items[1]["sortText"].as_str());
        // every item still starts with what was typed
        assert!(
            l.iter().all(|x| x.to_lowercase().starts_with("il")),
            "{l:?}"
        );
        assert_eq!(c.shutdown().code(), Some(0));
    }
}

#[test]
fn diagnostics_are_pushed_with_the_version_and_answered_on_pull() {
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut c = session(enc);
        let uri = "file:///w/d.md";
        let text =
            "湿疹 😀: Atopic dermatitis is an autoimmune disease.\r\nTralokinumab blocks IL-31.";
        c.open(uri, "markdown", 1, text);
        let d = c.diagnostics(uri, 1);
        let find = |d: &[Value], code: &str| d.iter().find(|x| x["code"] == code).cloned();
        let auto = find(&d, "autoimmune-misnomer").unwrap_or_else(|| panic!("{d:?}"));
        // "湿疹 😀: Atopic dermatitis is an " is 31 units / 37 bytes
        assert_eq!(
            auto["range"],
            span(at(0, col(enc, 31, 37)), at(0, col(enc, 41, 47)))
        );
        assert_eq!(auto["source"], "immuno-ls");
        assert_eq!(auto["severity"], 2);
        assert!(
            auto["message"]
                .as_str()
                .unwrap_or("")
                .contains("immune-mediated")
        );
        let wrong = find(&d, "wrong-target").unwrap_or_else(|| panic!("{d:?}"));
        assert_eq!(wrong["range"], span(at(1, 20), at(1, 25)));
        assert!(wrong["message"].as_str().unwrap_or("").contains("IL-13"));

        // fix the target: version 2 has only the autoimmune finding
        c.change(uri, 2, span(at(1, 20), at(1, 25)), "IL-13");
        let d = c.diagnostics(uri, 2);
        assert!(
            find(&d, "wrong-target").is_none() && find(&d, "autoimmune-misnomer").is_some(),
            "{d:?}"
        );

        // pull: the same, with a result id; asking again with it gives "unchanged"
        let r = c.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        );
        assert_eq!(r["kind"], "full");
        let items = r["items"].as_array().cloned().unwrap_or_default();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0]["range"], auto["range"]);
        let id = r["resultId"].clone();
        let r = c.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}, "previousResultId": id}),
        );
        assert_eq!(r["kind"], "unchanged");
        // after an edit the old result id no longer holds
        c.change(uri, 3, span(at(0, 0), at(0, 0)), "µ");
        let r = c.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}, "previousResultId": id}),
        );
        assert_eq!(r["kind"], "full");

        // closing clears the pushed diagnostics
        let before = c.notifications.len();
        c.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
        c.diagnostics_where(uri, before, <[Value]>::is_empty);
        assert_eq!(c.shutdown().code(), Some(0));
    }
}

/// The code actions for a range, as (title, preferred, edits of `uri`).
fn actions(c: &mut Client, uri: &str, range: Value) -> Vec<(String, bool, Vec<Value>)> {
    let r = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": []}}),
    );
    r.as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|a| {
            let edits = a["edit"]["changes"][uri]
                .as_array()
                .cloned()
                .unwrap_or_default();
            (
                a["title"].as_str().unwrap_or("").to_string(),
                a["isPreferred"] == true,
                edits,
            )
        })
        .collect()
}

/// Sends the edits as one didChange (in reverse order so each range holds).
fn send_edits(c: &Client, uri: &str, version: i64, edits: &[Value]) {
    let mut sorted = edits.to_vec();
    sorted.sort_by_key(|e| {
        std::cmp::Reverse((
            e["range"]["start"]["line"].as_u64(),
            e["range"]["start"]["character"].as_u64(),
        ))
    });
    let changes: Vec<Value> = sorted
        .iter()
        .map(|e| json!({"range": e["range"], "text": e["newText"]}))
        .collect();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
    );
}

#[test]
fn code_actions_fix_the_text_and_the_result_is_rechecked() {
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut c = session(enc);
        let uri = "file:///w/fix.md";
        let text = "湿疹 😀: Atopic dermatitis is an autoimmune disease.\r\nTralokinumab blocks IL-31 (µg).";
        c.open(uri, "markdown", 1, text);
        let _ = c.diagnostics(uri, 1);

        // the quick fix for the wrong target comes first and is preferred
        let a = actions(&mut c, uri, span(at(1, 21), at(1, 21)));
        assert_eq!(a[0].0, "Replace with “IL-13”");
        assert!(a[0].1);
        assert!(
            a.iter()
                .any(|x| x.0 == "Disable wrong-target for this line" && !x.1)
        );
        let fixed = apply_edits(text, &a[0].2, enc);
        assert_eq!(
            fixed,
            "湿疹 😀: Atopic dermatitis is an autoimmune disease.\r\nTralokinumab blocks IL-13 (µg)."
        );
        send_edits(&c, uri, 2, &a[0].2);
        let d = c.diagnostics(uri, 2);
        assert!(d.iter().all(|x| x["code"] != "wrong-target"), "{d:?}");

        // the autoimmune finding: the fix says immune-mediated
        let a = actions(
            &mut c,
            uri,
            span(at(0, col(enc, 33, 39)), at(0, col(enc, 33, 39))),
        );
        assert_eq!(a[0].0, "Replace with “immune-mediated”");
        assert_eq!(
            apply_edits(&fixed, &a[0].2, enc),
            "湿疹 😀: Atopic dermatitis is an immune-mediated disease.\r\nTralokinumab blocks IL-13 (µg)."
        );
        // ...but take "disable for this line": the switch goes on its own line above (CRLF kept)
        let disable = a
            .iter()
            .find(|x| x.0 == "Disable autoimmune-misnomer for this line")
            .cloned();
        let disable = disable.unwrap_or_else(|| panic!("{a:?}"));
        let switched = apply_edits(&fixed, &disable.2, enc);
        assert_eq!(
            switched,
            "<!-- immuno-ls-disable-next-line autoimmune-misnomer -->\r\n湿疹 😀: Atopic dermatitis is an autoimmune disease.\r\nTralokinumab blocks IL-13 (µg)."
        );
        send_edits(&c, uri, 3, &disable.2);
        assert_eq!(c.debug_text(uri), (3, common::fnv1a64(switched.as_bytes())));
        let d = c.diagnostics(uri, 3);
        assert!(d.is_empty(), "{d:?}");
        // no finding, no action
        assert!(actions(&mut c, uri, span(at(1, 0), at(1, 0))).is_empty());
        assert_eq!(c.shutdown().code(), Some(0));
    }
}

#[test]
fn document_highlight_marks_every_mention_of_the_entry() {
    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut c = session(enc);
        let uri = "file:///w/hl.md";
        let text = "Dupilumab (Dupixent) 😀 blocks IL-4Rα; dupilumab again.";
        c.open(uri, "markdown", 1, text);
        let p = common::pos(text, 2, enc);
        let r = c.request(
            "textDocument/documentHighlight",
            json!({"textDocument": {"uri": uri}, "position": p}),
        );
        let ranges: Vec<Value> = r
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|h| h["range"].clone())
            .collect();
        // 😀 is 2 units / 4 bytes and α 1 unit / 2 bytes: the last dupilumab is 39..48 / 42..51
        assert_eq!(
            ranges,
            vec![
                span(at(0, 0), at(0, 9)),
                span(at(0, 11), at(0, 19)),
                span(at(0, col(enc, 39, 42)), at(0, col(enc, 48, 51))),
            ]
        );
        // on a word that is not a term: nothing
        let p = common::pos(text, text.find("again").unwrap_or(0), enc);
        let r = c.request(
            "textDocument/documentHighlight",
            json!({"textDocument": {"uri": uri}, "position": p}),
        );
        assert!(r.is_null());
        assert_eq!(c.shutdown().code(), Some(0));
    }
}

#[test]
fn inlay_hints_are_off_by_default_and_show_targets_when_on() {
    let text = "😀 dupilumab and tralokinumab.";
    let whole = span(at(0, 0), at(1, 0));
    let mut c = session(Enc::Utf16);
    c.open("file:///w/i.md", "markdown", 1, text);
    let r = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": "file:///w/i.md"}, "range": whole}),
    );
    assert_eq!(r, json!([]));
    assert_eq!(c.shutdown().code(), Some(0));

    for enc in [Enc::Utf16, Enc::Utf8] {
        let mut c = Client::start(Options::default());
        c.initialize(
            &[enc.name()],
            None,
            json!({"immunoLs": {"inlayHints": true}}),
            json!({}),
        );
        c.open("file:///w/i.md", "markdown", 1, text);
        let r = c.request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": "file:///w/i.md"}, "range": whole}),
        );
        let hints = r.as_array().cloned().unwrap_or_default();
        let got: Vec<(Value, String)> = hints
            .iter()
            .map(|h| {
                (
                    h["position"].clone(),
                    h["label"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        // dupilumab ends at 2+1+9 = 12 units / 4+1+9 = 14 bytes; tralokinumab at 29 / 31
        assert_eq!(
            got,
            vec![
                (at(0, col(enc, 12, 14)), "‹IL-4Rα›".to_string()),
                (at(0, col(enc, 29, 31)), "‹IL-13›".to_string()),
            ]
        );
        assert_eq!(c.shutdown().code(), Some(0));
    }
}

#[test]
fn documents_above_the_size_cap_are_not_analysed_and_the_user_is_told_once() {
    let cap = immuno_ls::server::documents::MAX_DOCUMENT_BYTES;
    let mut c = session(Enc::Utf16);
    let uri = "file:///w/big.md";
    let head = "Eczema is an autoimmune disease. Dupilumab 😀.\n";
    let mut big = String::with_capacity(cap + 100);
    big.push_str(head);
    while big.len() <= cap {
        big.push_str("Plain words without any term in them at all, repeated.\n");
    }
    c.open(uri, "markdown", 1, &big);
    let (i, msg) = c.wait_notification(0, |m| m["method"] == "window/showMessage");
    assert!(
        msg["params"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("larger than"),
        "{msg}"
    );
    assert!(c.diagnostics(uri, 1).is_empty());
    assert!(
        c.hover_at(uri, &big, head.find("Dupilumab").unwrap_or(0))
            .is_null()
    );
    // a further edit: still nothing, and no second message
    c.change(uri, 2, span(at(0, 0), at(0, 0)), "µ");
    assert!(c.diagnostics(uri, 2).is_empty());
    let later = c.notifications[i + 1..]
        .iter()
        .filter(|m| m["method"] == "window/showMessage")
        .count();
    assert_eq!(later, 0);
    // back under the cap (a change without a range replaces the text): analysed again
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": head}]}),
    );
    let d = c.diagnostics(uri, 3);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(c.shutdown().code(), Some(0));
}
