//! Words and punctuation of a sentence, for the context triggers and claim patterns. A word is a
//! run of letters and digits joined by inner hyphens or apostrophes ("immune-mediated", "isn't");
//! every other visible character is a punctuation token.

use std::ops::Range;

use compact_str::CompactString;

use super::normalize::{char_at, is_alnum};

/// What a token is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A word, lower-cased, apostrophes normalised to `'` (held inline when short, as nearly
    /// every word is, so tokenising a sentence does not allocate per word).
    Word(CompactString),
    /// One punctuation character (dashes normalised to `-`).
    Punct(char),
}

/// A token and its byte range in the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Byte range in the document.
    pub range: Range<usize>,
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | '\u{2010}' | '\u{2011}')
}

/// The lower-cased form of a word as written: typographic apostrophes become `'` and
/// hyphen-like joiners `-`.
fn word_form(written: &str) -> CompactString {
    if written.is_ascii() {
        let mut w = CompactString::from(written);
        w.make_ascii_lowercase();
        return w;
    }
    written
        .chars()
        .map(|c| {
            if c == '’' {
                '\''
            } else if is_joiner(c) && c != '\'' {
                '-'
            } else {
                c
            }
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Tokenises `text[range]`, appending to `out`. Offsets are absolute.
pub fn tokenize_into(text: &str, range: Range<usize>, out: &mut Vec<Token>) {
    let slice = &text[range.clone()];
    let base = range.start;
    let mut i = 0;
    while let Some((c, len)) = char_at(slice, i) {
        if c.is_whitespace() {
            i += len;
            continue;
        }
        if is_alnum(c) {
            // a run of letters and digits, joined by inner hyphens and apostrophes
            let mut end = i + len;
            while let Some((d, dl)) = char_at(slice, end) {
                let joins = is_alnum(d)
                    || (is_joiner(d) && char_at(slice, end + dl).is_some_and(|(n, _)| is_alnum(n)));
                if joins {
                    end += dl;
                } else {
                    break;
                }
            }
            out.push(Token {
                kind: TokenKind::Word(word_form(&slice[i..end])),
                range: base + i..base + end,
            });
            i = end;
        } else {
            let p = match c {
                '\u{2010}'..='\u{2014}' | '\u{2212}' => '-',
                '’' | '‘' => '\'',
                other => other,
            };
            out.push(Token {
                kind: TokenKind::Punct(p),
                range: base + i..base + i + len,
            });
            i += len;
        }
    }
}

/// Tokenises a whole string (offsets relative to it).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    tokenize_into(text, 0..text.len(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text)
            .into_iter()
            .map(|t| match t.kind {
                TokenKind::Word(w) => w.to_string(),
                TokenKind::Punct(p) => p.to_string(),
            })
            .collect()
    }

    #[test]
    fn words_and_punctuation() {
        assert_eq!(
            words("Eczema isn’t autoimmune (it's immune-mediated)."),
            vec![
                "eczema",
                "isn't",
                "autoimmune",
                "(",
                "it's",
                "immune-mediated",
                ")",
                "."
            ]
        );
    }

    #[test]
    fn trailing_hyphen_is_punctuation() {
        assert_eq!(words("anti- IL"), vec!["anti", "-", "il"]);
    }
}
