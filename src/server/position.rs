//! Position encodings and the one place where LSP positions meet byte offsets.
//!
//! LSP positions are (line, character) where lines end at `\n`, `\r\n` or `\r` and `character`
//! counts UTF-16 code units by default, or bytes when UTF-8 was negotiated. The analysis core
//! speaks UTF-8 byte offsets. Documents are held in a [`Rope`] built with ropey's `cr_lines`
//! feature only, so its lines are exactly LSP's. Every conversion here is total: positions past
//! the end of a line clamp to the line end (never between `\r` and `\n`), lines past the end clamp
//! to the end of the document, and a character inside a surrogate pair or a UTF-8 sequence rounds
//! down to the start of that character.

use std::ops::Range as StdRange;

use ropey::Rope;
use tower_lsp_server::ls_types::{
    Position, PositionEncodingKind, Range, TextDocumentContentChangeEvent,
};

/// The negotiated position encoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// `character` counts bytes.
    Utf8,
    /// `character` counts UTF-16 code units (the protocol's default).
    #[default]
    Utf16,
}

impl Encoding {
    /// Picks UTF-8 when the client offers it, else UTF-16 (which every client must support).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(list) if list.iter().any(|k| k.as_str() == "utf-8") => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    /// The protocol's name for it.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// Number of characters of line `line` without its line break.
fn line_content_chars(rope: &Rope, line: usize) -> usize {
    let Some(slice) = rope.get_line(line) else {
        return 0;
    };
    let n = slice.len_chars();
    if n >= 2 && slice.char(n - 2) == '\r' && slice.char(n - 1) == '\n' {
        n - 2
    } else if n >= 1 && matches!(slice.char(n - 1), '\n' | '\r') {
        n - 1
    } else {
        n
    }
}

/// The char index of a position (clamped).
pub fn position_to_char(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    let end = start + line_content_chars(rope, line);
    let character = pos.character as usize;
    match enc {
        Encoding::Utf16 => {
            let s16 = rope.char_to_utf16_cu(start);
            let e16 = rope.char_to_utf16_cu(end);
            rope.utf16_cu_to_char(s16.saturating_add(character).min(e16))
        }
        Encoding::Utf8 => {
            let sb = rope.char_to_byte(start);
            let eb = rope.char_to_byte(end);
            rope.byte_to_char(sb.saturating_add(character).min(eb))
        }
    }
}

/// The byte offset of a position (clamped, on a character boundary).
pub fn position_to_byte(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    rope.char_to_byte(position_to_char(rope, pos, enc))
}

/// The position of a char index (clamped to the document and to its line's content).
pub fn char_to_position(rope: &Rope, char_idx: usize, enc: Encoding) -> Position {
    let c = char_idx.min(rope.len_chars());
    let line = rope.char_to_line(c);
    let start = rope.line_to_char(line);
    let c = c.min(start + line_content_chars(rope, line));
    let character = match enc {
        Encoding::Utf16 => rope.char_to_utf16_cu(c) - rope.char_to_utf16_cu(start),
        Encoding::Utf8 => rope.char_to_byte(c) - rope.char_to_byte(start),
    };
    Position::new(clamp_u32(line), clamp_u32(character))
}

/// The position of a byte offset (rounded down to a character boundary, clamped).
pub fn byte_to_position(rope: &Rope, byte: usize, enc: Encoding) -> Position {
    let b = byte.min(rope.len_bytes());
    let c = rope.byte_to_char(b);
    let line = rope.char_to_line(c);
    let start = rope.line_to_char(line);
    if c - start > SHORT_COLUMN {
        return char_to_position(rope, c, enc);
    }
    // A short column (nearly every one) is counted from the line's own characters: fewer walks
    // down the rope than the index conversions, which matters for hundreds of diagnostics.
    let mut units = 0usize;
    let mut last_cr = 0;
    for ch in rope.slice(start..c).chars() {
        let n = match enc {
            Encoding::Utf16 => ch.len_utf16(),
            Encoding::Utf8 => ch.len_utf8(),
        };
        units += n;
        last_cr = if ch == '\r' { n } else { 0 };
    }
    // between the "\r" and "\n" of a line break: the position is the end of the line's text
    if last_cr > 0 && rope.get_char(c) == Some('\n') {
        units -= last_cr;
    }
    Position::new(clamp_u32(line), clamp_u32(units))
}

/// Columns up to this many characters are counted directly by [`byte_to_position`].
const SHORT_COLUMN: usize = 4096;

/// The LSP range of a byte range.
pub fn byte_range_to_range(rope: &Rope, range: StdRange<usize>, enc: Encoding) -> Range {
    Range::new(
        byte_to_position(rope, range.start, enc),
        byte_to_position(rope, range.end, enc),
    )
}

/// The byte range of an LSP range (an inverted range is put in order).
pub fn range_to_byte_range(rope: &Rope, range: Range, enc: Encoding) -> StdRange<usize> {
    let a = position_to_byte(rope, range.start, enc);
    let b = position_to_byte(rope, range.end, enc);
    a.min(b)..a.max(b)
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What applying one content change did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeOutcome {
    /// Applied as sent.
    Applied,
    /// The range ended before it started; applied to the range put in order.
    Inverted,
}

/// Applies one content change (ranges refer to the text after the previous change of the same
/// notification). A change without a range replaces the whole text.
pub fn apply_change(
    rope: &mut Rope,
    change: &TextDocumentContentChangeEvent,
    enc: Encoding,
) -> ChangeOutcome {
    match change.range {
        None => {
            *rope = Rope::from_str(&change.text);
            ChangeOutcome::Applied
        }
        Some(range) => {
            let a = position_to_char(rope, range.start, enc);
            let b = position_to_char(rope, range.end, enc);
            let (a, b, outcome) = if b < a {
                (b, a, ChangeOutcome::Inverted)
            } else {
                (a, b, ChangeOutcome::Applied)
            };
            if a < b {
                rope.remove(a..b);
            }
            if !change.text.is_empty() {
                rope.insert(a, &change.text);
            }
            outcome
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    fn edit(
        rope: &mut Rope,
        (l1, c1): (u32, u32),
        (l2, c2): (u32, u32),
        text: &str,
        enc: Encoding,
    ) {
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(pos(l1, c1), pos(l2, c2))),
            range_length: None,
            text: text.to_string(),
        };
        apply_change(rope, &change, enc);
    }

    #[test]
    fn negotiation_prefers_utf8() {
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF16])),
            Encoding::Utf16
        );
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            Encoding::Utf16
        );
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }

    #[test]
    fn non_ascii_columns() {
        // "IL-4Rα" : α is 1 UTF-16 unit, 2 bytes; "😀" is 2 units, 4 bytes; "湿疹" 1 unit, 3 bytes each
        let text = "IL-4Rα 😀 湿疹 dupilumab";
        let rope = Rope::from_str(text);
        let at = text.find("dupilumab").unwrap_or(0);
        assert_eq!(at, 20);
        // UTF-16: I L - 4 R α ␠ 😀(2) ␠ 湿 疹 ␠ = 13 units
        assert_eq!(byte_to_position(&rope, at, Encoding::Utf16), pos(0, 13));
        assert_eq!(byte_to_position(&rope, at, Encoding::Utf8), pos(0, 20));
        assert_eq!(position_to_byte(&rope, pos(0, 13), Encoding::Utf16), at);
        assert_eq!(position_to_byte(&rope, pos(0, 20), Encoding::Utf8), at);
        // inside the surrogate pair of 😀 (units 7..9): rounds down to its start (byte 8)
        assert_eq!(position_to_byte(&rope, pos(0, 8), Encoding::Utf16), 8);
        // inside the UTF-8 bytes of α (bytes 5..7): rounds down to 5
        assert_eq!(position_to_byte(&rope, pos(0, 6), Encoding::Utf8), 5);
        // µg and en dash
        let rope = Rope::from_str("0.5 µg – IL-13");
        assert_eq!(
            position_to_byte(&rope, pos(0, 9), Encoding::Utf16),
            "0.5 µg – ".len()
        );
    }

    #[test]
    fn line_endings_and_clamping() {
        let text = "abc\r\ndéf\rghi\njk";
        let rope = Rope::from_str(text);
        assert_eq!(rope.len_lines(), 4);
        assert_eq!(position_to_byte(&rope, pos(1, 0), Encoding::Utf16), 5);
        assert_eq!(
            position_to_byte(&rope, pos(2, 1), Encoding::Utf16),
            text.find('h').unwrap_or(0)
        );
        // past the line end: clamps before the \r\n, never between \r and \n
        assert_eq!(position_to_byte(&rope, pos(0, 99), Encoding::Utf16), 3);
        assert_eq!(
            position_to_byte(&rope, pos(1, 99), Encoding::Utf8),
            5 + "déf".len()
        );
        // past the last line: end of document
        assert_eq!(
            position_to_byte(&rope, pos(99, 0), Encoding::Utf16),
            text.len()
        );
        // byte of the \n in \r\n maps to the end of line 0
        assert_eq!(byte_to_position(&rope, 4, Encoding::Utf16), pos(0, 3));
        // past the end of the document
        assert_eq!(byte_to_position(&rope, 999, Encoding::Utf16), pos(3, 2));
        // form feed, NEL and U+2028 are not line breaks in LSP
        let rope = Rope::from_str("a\u{0c}b\u{85}c\u{2028}d\ne");
        assert_eq!(rope.len_lines(), 2);
        assert_eq!(
            byte_to_position(&rope, "a\u{0c}b\u{85}c\u{2028}d\n".len(), Encoding::Utf16),
            pos(1, 0)
        );
    }

    #[test]
    fn round_trips() {
        let text = "x\r\nIL-4Rα 😀\r\n湿疹\rend\n";
        let rope = Rope::from_str(text);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            for (b, _) in text.char_indices() {
                let p = byte_to_position(&rope, b, enc);
                let back = position_to_byte(&rope, p, enc);
                // a byte inside a line break maps to the end of the line's content
                if text[b..].starts_with('\n') && b > 0 && text.as_bytes()[b - 1] == b'\r' {
                    assert_eq!(back, b - 1);
                } else {
                    assert_eq!(back, b, "{enc:?} {b}");
                }
            }
        }
    }

    #[test]
    fn incremental_edits() {
        let mut rope = Rope::from_str("abc\r\ndef\r\n");
        assert_eq!(rope.len_lines(), 3);
        edit(&mut rope, (2, 0), (2, 0), "tail", Encoding::Utf16);
        assert_eq!(rope.to_string(), "abc\r\ndef\r\ntail");
        edit(&mut rope, (0, 3), (1, 0), "", Encoding::Utf16);
        assert_eq!(rope.to_string(), "abcdef\r\ntail");
        let mut rope = Rope::from_str("x\r");
        edit(&mut rope, (1, 0), (1, 0), "\ny", Encoding::Utf16);
        assert_eq!(rope.to_string(), "x\r\ny");
        assert_eq!(rope.len_lines(), 2);
        // replace α (UTF-16 col 5..6) with "alpha"
        let mut rope = Rope::from_str("IL-4Rα 😀");
        edit(&mut rope, (0, 5), (0, 6), "alpha", Encoding::Utf16);
        assert_eq!(rope.to_string(), "IL-4Ralpha 😀");
        // same in UTF-8 (bytes 5..7)
        let mut rope = Rope::from_str("IL-4Rα 😀");
        edit(&mut rope, (0, 5), (0, 7), "alpha", Encoding::Utf8);
        assert_eq!(rope.to_string(), "IL-4Ralpha 😀");
        // delete the emoji (UTF-16 8..10)
        let mut rope = Rope::from_str("IL-4Rα 😀!");
        edit(&mut rope, (0, 7), (0, 9), "", Encoding::Utf16);
        assert_eq!(rope.to_string(), "IL-4Rα !");
        // inverted range is put in order
        let mut rope = Rope::from_str("abcdef");
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(pos(0, 4), pos(0, 1))),
            range_length: None,
            text: "X".into(),
        };
        assert_eq!(
            apply_change(&mut rope, &change, Encoding::Utf16),
            ChangeOutcome::Inverted
        );
        assert_eq!(rope.to_string(), "aXef");
        // full replacement
        let change = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "new".into(),
        };
        apply_change(&mut rope, &change, Encoding::Utf16);
        assert_eq!(rope.to_string(), "new");
    }
}
