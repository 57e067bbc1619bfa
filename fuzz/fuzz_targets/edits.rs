//! Edit application in the document store: arbitrary `didChange` content changes (ranged or whole,
//! in order, inverted, out of range, inside surrogate pairs and UTF-8 sequences, around CRLF), in
//! UTF-16 or UTF-8, checked against a plain `String` edited with positions computed here,
//! independently of the server's code. Then the position conversions of the final text are
//! checked against the same model, both ways.

#![no_main]

use std::sync::{Arc, LazyLock};

use arbitrary::Arbitrary;
use immuno_ls::analysis::Analyzer;
use immuno_ls::server::documents::{Engine, Store};
use immuno_ls::server::position::{
    Encoding, byte_to_position, position_to_byte, range_to_byte_range,
};
use immuno_ls::server::settings::Settings;
use immuno_ls::vocab::Vocabulary;
use libfuzzer_sys::fuzz_target;
use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

/// Pieces text is made of: line breaks of every kind, characters of 1 to 4 bytes and of 1 or 2
/// UTF-16 units, and characters that are line breaks elsewhere but not in LSP.
const PIECES: [&str; 16] = [
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

#[derive(Arbitrary, Debug)]
enum Text {
    Pieces(Vec<u8>),
    Any(String),
}

impl Text {
    fn build(&self) -> String {
        match self {
            Text::Pieces(p) => p.iter().map(|&b| PIECES[usize::from(b) % 16]).collect(),
            Text::Any(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Pos {
    line: u8,
    character: u8,
    far: bool,
}

impl Pos {
    fn get(&self) -> Position {
        if self.far {
            Position::new(
                u32::from(self.line) * 16_777_259,
                u32::MAX - u32::from(self.character),
            )
        } else {
            Position::new(u32::from(self.line % 12), u32::from(self.character % 40))
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Change {
    range: Option<(Pos, Pos)>,
    text: Text,
}

#[derive(Arbitrary, Debug)]
struct Input {
    utf8: bool,
    initial: Text,
    /// Notifications, each a list of content changes.
    notifications: Vec<Vec<Change>>,
    probes: Vec<Pos>,
}

static STORE: LazyLock<Store> = LazyLock::new(|| {
    let engine = Engine::new(Analyzer::new(Arc::new(Vocabulary::default())));
    Store::new(Arc::new(engine), Arc::new(Settings::default()))
});

fn width(c: char, enc: Encoding) -> usize {
    match enc {
        Encoding::Utf16 => c.len_utf16(),
        Encoding::Utf8 => c.len_utf8(),
    }
}

/// Byte offsets where LSP lines start.
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

/// The model: the byte offset of a position, clamped as the protocol says, rounding down inside a
/// character.
fn offset(text: &str, p: Position, enc: Encoding) -> usize {
    let starts = line_starts(text);
    let Some(&start) = starts.get(p.line as usize) else {
        return text.len();
    };
    let end = match starts.get(p.line as usize + 1) {
        None => text.len(),
        Some(&next) if text[..next].ends_with("\r\n") => next - 2,
        Some(&next) => next - 1,
    };
    let mut units = 0usize;
    for (i, c) in text[start..end].char_indices() {
        units += width(c, enc);
        if units > p.character as usize {
            return start + i;
        }
    }
    end
}

/// The model: the position of a byte offset on a character boundary outside a CRLF.
fn position(text: &str, at: usize, enc: Encoding) -> Position {
    let starts = line_starts(text);
    let line = starts.partition_point(|&s| s <= at) - 1;
    let character: usize = text[starts[line]..at].chars().map(|c| width(c, enc)).sum();
    Position::new(line as u32, character as u32)
}

fuzz_target!(|input: Input| {
    let enc = if input.utf8 {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    };
    let uri = "file:///fuzz.md";
    let mut model = input.initial.build();
    STORE.open(uri.to_string(), &model, 0, "markdown".to_string());
    for (n, changes) in input.notifications.iter().enumerate() {
        let events: Vec<TextDocumentContentChangeEvent> = changes
            .iter()
            .map(|c| TextDocumentContentChangeEvent {
                range: c.range.as_ref().map(|(a, b)| Range::new(a.get(), b.get())),
                range_length: None,
                text: c.text.build(),
            })
            .collect();
        for e in &events {
            match e.range {
                None => model = e.text.clone(),
                Some(r) => {
                    let a = offset(&model, r.start, enc);
                    let b = offset(&model, r.end, enc);
                    model.replace_range(a.min(b)..a.max(b), &e.text);
                }
            }
        }
        STORE.change(uri, n as i32 + 1, &events, enc);
        let snapshot = STORE.snapshot(uri).expect("the document is open");
        assert_eq!(snapshot.rope.to_string(), model, "after notification {n}");
    }

    let rope = Rope::from_str(&model);
    assert_eq!(rope.len_lines(), line_starts(&model).len());
    for (at, _) in model.char_indices().chain([(model.len(), ' ')]) {
        if at > 0 && model[..at].ends_with('\r') && model[at..].starts_with('\n') {
            continue;
        }
        let p = byte_to_position(&rope, at, enc);
        assert_eq!(p, position(&model, at, enc), "position of byte {at}");
        assert_eq!(
            position_to_byte(&rope, p, enc),
            at,
            "round trip of byte {at}"
        );
    }
    for probe in &input.probes {
        let p = probe.get();
        let at = position_to_byte(&rope, p, enc);
        assert_eq!(at, offset(&model, p, enc), "offset of {p:?}");
        let r = range_to_byte_range(&rope, Range::new(p, Position::new(0, 0)), enc);
        assert_eq!(r, 0..at);
    }
});
