//! Property tests (proptest) of text integrity, through the server's public API:
//!
//! - any sequence of `didChange` notifications (ranged and whole changes, several per
//!   notification, inverted and out-of-range ranges, positions inside surrogate pairs and UTF-8
//!   sequences), in UTF-16 and UTF-8, over text with CRLF, lone CR and astral characters, leaves
//!   the document store with the same text as a plain `String` edited at the positions the
//!   protocol defines;
//! - position conversions agree with that definition and round-trip;
//! - every code action's edit, applied to the text, does what its title says: the quick fix
//!   replaces exactly the finding's words, and "disable for this line" inserts one comment line
//!   above the finding's line, leaves every line intact, and silences that finding.
//!
//! The positions of the model come from `tests/common` (written apart from the server's code).
//! Case counts are kept small so that the suite stays quick on two cores; `PROPTEST_CASES` raises
//! them.

mod common;

use std::str::FromStr;
use std::sync::{Arc, LazyLock};

use common::{Enc, apply_edits};
use immuno_ls::analysis::Analyzer;
use immuno_ls::server::code_action::code_actions;
use immuno_ls::server::documents::{Engine, Store};
use immuno_ls::server::position::{
    Encoding, byte_range_to_range, byte_to_position, char_to_position, position_to_byte,
    position_to_char, range_to_byte_range,
};
use immuno_ls::server::settings::Settings;
use immuno_ls::vocab::Vocabulary;
use proptest::prelude::*;
use ropey::Rope;
use serde_json::Value;
use tower_lsp_server::ls_types::{
    CodeActionOrCommand, Position, Range, TextDocumentContentChangeEvent, TextEdit, Uri,
};

/// What text is made of: every kind of line break, characters of 1 to 4 bytes and of 1 or 2
/// UTF-16 units, and characters that are line breaks to some tools but not to LSP.
const PIECES: &[&str] = &[
    "a",
    "b",
    " ",
    "\n",
    "\r",
    "\r\n",
    "é",
    "α",
    "湿",
    "😀",
    "𝛼",
    "\u{2028}",
    "\u{85}",
    "\u{0c}",
    "Dupilumab",
    "IL-13.",
];

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max).prop_map(|p| p.concat())
}

fn position() -> impl Strategy<Value = Position> {
    prop_oneof![
        8 => (0u32..8, 0u32..24).prop_map(|(l, c)| Position::new(l, c)),
        1 => (any::<u32>(), any::<u32>()).prop_map(|(l, c)| Position::new(l, c)),
        1 => (0u32..8, any::<u32>()).prop_map(|(l, c)| Position::new(l, c)),
    ]
}

fn change() -> impl Strategy<Value = TextDocumentContentChangeEvent> {
    let ranged =
        (position(), position(), text(6)).prop_map(|(a, b, t)| TextDocumentContentChangeEvent {
            range: Some(Range::new(a, b)),
            range_length: None,
            text: t,
        });
    let whole = text(20).prop_map(|t| TextDocumentContentChangeEvent {
        range: None,
        range_length: None,
        text: t,
    });
    prop_oneof![12 => ranged, 1 => whole]
}

fn encoding() -> impl Strategy<Value = (Encoding, Enc)> {
    prop_oneof![
        Just((Encoding::Utf16, Enc::Utf16)),
        Just((Encoding::Utf8, Enc::Utf8))
    ]
}

/// `n` cases, or as many as `PROPTEST_CASES` says.
fn cases(n: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n)
}

fn json_pos(p: Position) -> (u64, u64) {
    (u64::from(p.line), u64::from(p.character))
}

/// The model's byte offset of a position.
fn model_offset(text: &str, p: Position, enc: Enc) -> usize {
    let (l, c) = json_pos(p);
    common::offset(text, l, c, enc)
}

/// The model's position of a byte offset.
fn model_position(text: &str, at: usize, enc: Enc) -> Position {
    let v = common::pos(text, at, enc);
    Position::new(
        v["line"].as_u64().unwrap_or(u64::MAX) as u32,
        v["character"].as_u64().unwrap_or(u64::MAX) as u32,
    )
}

fn empty_store() -> Store {
    let engine = Engine::new(Analyzer::new(Arc::new(Vocabulary::default())));
    Store::new(Arc::new(engine), Arc::new(Settings::default()))
}

/// Whether byte `at` is between the `\r` and `\n` of a CRLF (no position can name it).
fn inside_crlf(text: &str, at: usize) -> bool {
    at > 0 && text.as_bytes()[at - 1] == b'\r' && text.as_bytes().get(at) == Some(&b'\n')
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(96), ..ProptestConfig::default() })]

    #[test]
    fn edits_give_the_same_text_as_a_string(
        (encoding, enc) in encoding(),
        initial in text(40),
        notifications in prop::collection::vec(prop::collection::vec(change(), 1..4), 1..10),
    ) {
        let store = empty_store();
        let uri = "file:///w/p.md";
        store.open(uri.to_string(), &initial, 1, "markdown".to_string());
        let mut model = initial.clone();
        for (n, changes) in notifications.iter().enumerate() {
            for c in changes {
                match c.range {
                    None => model.clone_from(&c.text),
                    Some(r) => {
                        let a = model_offset(&model, r.start, enc);
                        let b = model_offset(&model, r.end, enc);
                        model.replace_range(a.min(b)..a.max(b), &c.text);
                    }
                }
            }
            store.change(uri, n as i32 + 2, changes, encoding);
            let held = store.snapshot(uri).map(|s| s.rope.to_string());
            prop_assert_eq!(held.as_deref(), Some(model.as_str()), "after notification {}", n);
        }
    }

    #[test]
    fn positions_round_trip(
        (encoding, enc) in encoding(),
        text in text(60),
        probes in prop::collection::vec(position(), 0..16),
    ) {
        let rope = Rope::from_str(&text);
        for (at, _) in text.char_indices().chain([(text.len(), ' ')]) {
            // the direct count and the rope's index conversions agree everywhere, line breaks
            // included
            prop_assert_eq!(
                byte_to_position(&rope, at, encoding),
                char_to_position(&rope, rope.byte_to_char(at), encoding),
                "byte {}", at
            );
            if inside_crlf(&text, at) {
                continue;
            }
            let p = byte_to_position(&rope, at, encoding);
            prop_assert_eq!(p, model_position(&text, at, enc), "position of byte {}", at);
            prop_assert_eq!(position_to_byte(&rope, p, encoding), at, "back from {:?}", p);
            let c = position_to_char(&rope, p, encoding);
            prop_assert_eq!(char_to_position(&rope, c, encoding), p);
        }
        for p in probes {
            let at = position_to_byte(&rope, p, encoding);
            prop_assert_eq!(at, model_offset(&text, p, enc), "offset of {:?}", p);
            // a clamped position names the same place, and from there round-trips
            let q = byte_to_position(&rope, at, encoding);
            prop_assert_eq!(position_to_byte(&rope, q, encoding), at);
            prop_assert!(q.line <= p.line);
            // ranges: put in order, and back
            let r = range_to_byte_range(&rope, Range::new(p, Position::new(0, 0)), encoding);
            prop_assert_eq!(r.clone(), 0..at);
            prop_assert_eq!(byte_range_to_range(&rope, r, encoding), Range::new(Position::new(0, 0), q));
        }
    }
}

/// Sentences with a finding (most with a fix)...
const FINDINGS: &[&str] = &[
    "Atopic dermatitis is an autoimmune disease.",
    "Tralokinumab blocks IL-31.",
    "Dupixent blocks IL-31, which is why the itch improves.",
    "Adbry neutralizes IL-4 in the skin.",
    "Tacrolimus ointment is a corticosteroid.",
    "Atopic dermatitis is highly contagious.",
    "Nemolizumab is still an investigational drug for atopic dermatitis.",
    "  Eczema is an autoimmune skin disease.",
];

/// ...and harmless ones.
const OTHERS: &[&str] = &[
    "Dupilumab 😀 works.",
    "湿疹 µg 𝛼.",
    "Eczema is not contagious.",
];

/// Between sentences. Not a lone CR: the in-file switches of the core count lines by `\n` only,
/// so in a note whose lines end with a lone CR the comment goes above the wrong line and silences
/// the lines around it as well (a known limitation, see docs/RELIABILITY.md).
const SEPARATORS: &[&str] = &[" ", "\n", "\r\n", "\n\n", "\r\n\r\n", " 😀 ", "\n- ", "\t"];

/// A note of a few sentences, one at least with a finding.
fn note() -> impl Strategy<Value = String> {
    let sentence = prop_oneof![prop::sample::select(FINDINGS), prop::sample::select(OTHERS)];
    (
        prop::sample::select(FINDINGS),
        prop::collection::vec((prop::sample::select(SEPARATORS), sentence), 0..6),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(first, rest, at)| {
            let mut parts: Vec<String> = rest.iter().map(|(sep, s)| format!("{sep}{s}")).collect();
            let i = at.index(parts.len() + 1);
            parts.insert(
                i,
                if i == 0 {
                    first.to_string()
                } else {
                    format!(" {first}")
                },
            );
            // (a tab at the very start would make an indented code block of the Markdown)
            parts.concat().trim_start_matches(['\t', ' ']).to_string()
        })
}

/// A store with the embedded vocabulary, built once (compiling it is the slow part).
static ANALYZER_STORE: LazyLock<Store> = LazyLock::new(|| {
    let analyzer = Analyzer::embedded().unwrap_or_else(|e| panic!("{e:?}"));
    Store::new(
        Arc::new(Engine::new(analyzer)),
        Arc::new(Settings::default()),
    )
});

/// The edits of one action, as JSON the model's `apply_edits` reads.
fn edits_of(action: &CodeActionOrCommand) -> (String, Vec<TextEdit>) {
    let CodeActionOrCommand::CodeAction(a) = action else {
        return (String::new(), Vec::new());
    };
    let edits = a
        .edit
        .as_ref()
        .and_then(|e| e.changes.as_ref())
        .map(|c| c.values().flatten().cloned().collect())
        .unwrap_or_default();
    (a.title.clone(), edits)
}

fn apply(text: &str, edits: &[TextEdit], enc: Enc) -> String {
    let json: Vec<Value> = edits
        .iter()
        .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
        .collect();
    apply_edits(text, &json, enc)
}

/// Byte offsets where LSP lines start.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let b = text.as_bytes();
    for i in 0..b.len() {
        if b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    starts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(32), ..ProptestConfig::default() })]

    #[test]
    fn code_action_edits_do_what_they_say(
        (encoding, enc) in encoding(),
        note in note(),
        markdown in any::<bool>(),
    ) {
        let store = &*ANALYZER_STORE;
        let uri_text = "file:///w/note.md";
        let uri = Uri::from_str(uri_text).unwrap_or_else(|e| panic!("{e}"));
        let language = if markdown { "markdown" } else { "plaintext" };
        store.open(uri_text.to_string(), &note, 1, language.to_string());
        let snapshot = store.snapshot(uri_text).unwrap_or_else(|| panic!("open"));
        let analyzed = snapshot.analyzed();
        let Ok(analysis) = analyzed.analysis.as_ref() else {
            return Err(TestCaseError::fail("not analysed"));
        };
        prop_assert!(!analysis.findings.is_empty(), "no finding in {:?}", note);
        for f in &analysis.findings {
            let range = byte_range_to_range(&snapshot.rope, f.range.clone(), encoding);
            let actions = code_actions(&snapshot, &uri, range, None, encoding);
            let rule = f.rule.id();

            // the quick fix, when there is one, is preferred and replaces exactly the words
            if let Some(replacement) = &f.replacement {
                let title = format!("Replace with “{replacement}”");
                let fix = actions.iter().find(|a| {
                    let (t, e) = edits_of(a);
                    t == title && e.len() == 1 && e[0].range == range
                });
                let Some(fix) = fix else {
                    return Err(TestCaseError::fail(format!("no fix for {rule}")));
                };
                prop_assert!(matches!(fix, CodeActionOrCommand::CodeAction(a) if a.is_preferred == Some(true)));
                let (_, edits) = edits_of(fix);
                let expected = format!(
                    "{}{replacement}{}",
                    &note[..f.range.start],
                    &note[f.range.end..]
                );
                prop_assert_eq!(apply(&note, &edits, enc), expected);
            }

            // "disable for this line": one comment line inserted at the start of the finding's
            // line; every line of the note is kept as it was
            let disable = actions
                .iter()
                .map(edits_of)
                .find(|(t, _)| *t == format!("Disable {rule} for this line"));
            let Some((_, edits)) = disable else {
                return Err(TestCaseError::fail(format!("no disable action for {rule}")));
            };
            prop_assert_eq!(edits.len(), 1);
            let at = common::byte_range(&note, &serde_json::to_value(edits[0].range).unwrap_or(Value::Null), enc);
            prop_assert!(at.is_empty());
            let starts = line_starts(&note);
            let line = starts.partition_point(|&s| s <= f.range.start) - 1;
            prop_assert_eq!(at.start, starts[line], "not at the start of the finding's line");
            let switched = apply(&note, &edits, enc);
            let comment = &edits[0].new_text;
            prop_assert!(comment.contains(rule));
            prop_assert!(comment.ends_with('\n'));
            prop_assert_eq!(
                format!("{}{}{}", &note[..at.start], comment, &note[at.start..]),
                switched.clone()
            );
            // the finding's words moved by the comment's length and are no longer flagged
            let moved = f.range.start + comment.len()..f.range.end + comment.len();
            prop_assert_eq!(&switched[moved.clone()], &note[f.range.clone()]);
            store.open("file:///w/switched.md".to_string(), &switched, 1, language.to_string());
            let after = store.snapshot("file:///w/switched.md").unwrap_or_else(|| panic!("open"));
            let after = after.analyzed();
            let still = after
                .analysis
                .as_ref()
                .map(|a| a.findings.iter().any(|g| g.rule == f.rule && g.range == moved))
                .unwrap_or(true);
            prop_assert!(!still, "{} still flagged after the disable comment in {:?}", rule, switched);
        }
    }
}
