//! Words and punctuation of a sentence, for the context triggers and claim patterns. A word is a
//! run of letters and digits joined by inner hyphens or apostrophes ("immune-mediated", "isn't");
//! every other visible character is a punctuation token.

use std::ops::Range;

/// What a token is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A word, lower-cased, apostrophes normalised to `'`.
    Word(String),
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

/// Tokenises `text[range]`, appending to `out`. Offsets are absolute.
pub fn tokenize_into(text: &str, range: Range<usize>, out: &mut Vec<Token>) {
    let slice = &text[range.clone()];
    let base = range.start;
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = i + 1;
            loop {
                if j < chars.len() && chars[j].1.is_alphanumeric() {
                    j += 1;
                } else if j + 1 < chars.len()
                    && is_joiner(chars[j].1)
                    && chars[j + 1].1.is_alphanumeric()
                {
                    j += 2;
                } else {
                    break;
                }
            }
            let end = chars.get(j).map_or(slice.len(), |&(k, _)| k);
            let word: String = slice[at..end]
                .chars()
                .map(|c| {
                    if matches!(c, '’') {
                        '\''
                    } else if is_joiner(c) && c != '\'' {
                        '-'
                    } else {
                        c
                    }
                })
                .flat_map(char::to_lowercase)
                .collect();
            out.push(Token {
                kind: TokenKind::Word(word),
                range: base + at..base + end,
            });
            i = j;
        } else {
            let p = match c {
                '\u{2010}'..='\u{2014}' | '\u{2212}' => '-',
                '’' | '‘' => '\'',
                other => other,
            };
            out.push(Token {
                kind: TokenKind::Punct(p),
                range: base + at..base + at + c.len_utf8(),
            });
            i += 1;
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
                TokenKind::Word(w) => w,
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
