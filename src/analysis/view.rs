//! One sentence as the claim rules see it: words, punctuation and vocabulary mentions as tokens,
//! the context scopes over them, and what earlier sentences of the same block mentioned.

use std::ops::Range;

use crate::context::{self, Piece, Scope};
use crate::matcher::Mention;
use crate::text::sentences::Sentence;
use crate::text::tokens::{TokenKind, tokenize_into};
use crate::vocab::{EntryId, Kind, Vocabulary};

/// A token of a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    /// A lower-case word.
    Word(compact_str::CompactString),
    /// A punctuation character.
    Punct(char),
    /// A vocabulary mention (index into the document's mentions, and its entry).
    Term(usize, EntryId),
}

/// What every sentence view of a document shares.
#[derive(Clone)]
pub struct Document<'a> {
    /// The document text.
    pub text: &'a str,
    /// The text with non-prose masked out (same byte offsets).
    pub masked: &'a str,
    /// The vocabulary.
    pub vocab: &'a Vocabulary,
    /// The mentions of the block being read, in order.
    pub mentions: &'a [Mention],
    /// The byte range of the block being read: the rules look no further.
    pub bounds: Range<usize>,
}

/// A sentence ready for the rules.
pub struct View<'a> {
    /// The whole document text.
    pub text: &'a str,
    /// The vocabulary.
    pub vocab: &'a Vocabulary,
    /// The document's mentions.
    pub mentions: &'a [Mention],
    /// The tokens of the sentence, with their byte ranges.
    pub toks: Vec<(Tok, Range<usize>)>,
    /// Context scopes over `toks`.
    pub scopes: Vec<Scope>,
    /// Whether the sentence is a question.
    pub question: bool,
    /// Entries mentioned in earlier sentences of the same block, most recent last (for a table
    /// cell: the row's subject).
    pub earlier: Vec<EntryId>,
    /// For a table cell: its column header.
    pub table: Option<super::table::TableCell>,
    /// The byte range of the block the sentence is in.
    pub bounds: Range<usize>,
}

impl<'a> View<'a> {
    /// Builds the view of one sentence: `in_sentence` are the indices of the document's mentions
    /// that lie in it, `earlier` the entries of the earlier sentences of its block.
    pub fn new(
        doc: &Document<'a>,
        in_sentence: Range<usize>,
        sentence: &Sentence,
        earlier: Vec<EntryId>,
    ) -> View<'a> {
        let Document {
            text,
            masked,
            vocab,
            mentions,
            ref bounds,
        } = *doc;
        let range = sentence.range.clone();
        let question = sentence.question;
        let mut raw = Vec::new();
        let mut toks = Vec::new();
        let mut pos = range.start;
        let push_words =
            |from: usize, to: usize, raw: &mut Vec<_>, toks: &mut Vec<(Tok, Range<usize>)>| {
                raw.clear();
                if from < to {
                    tokenize_into(masked, from..to, raw);
                }
                for t in raw.drain(..) {
                    let crate::text::tokens::Token { kind, range } = t;
                    toks.push((
                        match kind {
                            TokenKind::Word(w) => Tok::Word(w),
                            TokenKind::Punct(p) => Tok::Punct(p),
                        },
                        range,
                    ));
                }
            };
        for m in in_sentence {
            let mention = &mentions[m];
            push_words(pos, mention.range.start.max(pos), &mut raw, &mut toks);
            toks.push((Tok::Term(m, mention.entry), mention.range.clone()));
            pos = mention.range.end.max(pos);
        }
        push_words(pos, range.end, &mut raw, &mut toks);
        let pieces: Vec<Piece> = toks
            .iter()
            .map(|(t, _)| match t {
                Tok::Word(w) => Piece::Word(w.as_str()),
                Tok::Punct(p) => Piece::Punct(*p),
                Tok::Term(..) => Piece::Term,
            })
            .collect();
        let scopes = context::scopes(&pieces);
        View {
            text,
            vocab,
            mentions,
            toks,
            scopes,
            question,
            earlier,
            table: None,
            bounds: bounds.clone(),
        }
    }

    /// For a table cell whose column header has one of `words`: the row's subject, if `want`
    /// holds for it.
    pub fn table_subject(&self, words: &[&str], want: &dyn Fn(EntryId) -> bool) -> Option<EntryId> {
        self.table
            .as_ref()
            .filter(|t| t.header_has(words))
            .and_then(|_| self.earlier.first().copied())
            .filter(|&e| want(e))
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// Whether the sentence has no token.
    pub fn is_empty(&self) -> bool {
        self.toks.is_empty()
    }

    /// The word at `i`, if it is one.
    pub fn word(&self, i: usize) -> Option<&str> {
        match self.toks.get(i) {
            Some((Tok::Word(w), _)) => Some(w.as_str()),
            _ => None,
        }
    }

    /// Whether token `i` is one of these words.
    pub fn is_word(&self, i: usize, words: &[&str]) -> bool {
        self.word(i).is_some_and(|w| words.contains(&w))
    }

    /// Whether token `i` is this punctuation.
    pub fn is_punct(&self, i: usize, p: char) -> bool {
        matches!(self.toks.get(i), Some((Tok::Punct(c), _)) if *c == p)
    }

    /// The entry of the mention at `i`.
    pub fn entry_at(&self, i: usize) -> Option<EntryId> {
        match self.toks.get(i) {
            Some((Tok::Term(_, e), _)) => Some(*e),
            _ => None,
        }
    }

    /// The kind of the mention at `i`.
    pub fn kind_at(&self, i: usize) -> Option<Kind> {
        self.entry_at(i).map(|e| self.vocab.entry(e).kind)
    }

    /// Byte range of token `i`.
    pub fn range(&self, i: usize) -> Range<usize> {
        self.toks[i].1.clone()
    }

    /// The original text of token `i`.
    pub fn source_text(&self, i: usize) -> &str {
        let r = self.range(i);
        self.text.get(r).unwrap_or("")
    }

    /// Whether the writer asserts the words at `tokens`: not a question and no negation,
    /// possibility, hypothesis, reported belief or contrast governs them (triggers inside `own`
    /// are part of the claim and do not count).
    pub fn asserted(&self, tokens: Range<usize>, own: Option<Range<usize>>) -> bool {
        !self.question && context::governing(&self.scopes, tokens, own).is_none()
    }

    /// Whether the mention at `i` is written as part of a compound that changes its meaning:
    /// "non-steroidal", "steroid-free", "steroid-sparing", "IL-13-like".
    pub fn in_compound(&self, i: usize) -> bool {
        let r = self.range(i);
        // the block's own text only, so that a block reads the same wherever it stands
        let before = self
            .text
            .get(self.bounds.start.min(r.start)..r.start)
            .unwrap_or("");
        let after = self
            .text
            .get(r.end..self.bounds.end.max(r.end))
            .unwrap_or("");
        // only the last few characters matter ("non-", "non ")
        let tail_start = before.char_indices().rev().nth(3).map_or(0, |(k, _)| k);
        let lower_before = before[tail_start..].to_lowercase();
        if lower_before.ends_with("non-")
            || lower_before.ends_with("non ")
            || lower_before.ends_with("non")
        {
            return true;
        }
        let after_lower: String = after.chars().take(12).collect::<String>().to_lowercase();
        [
            "-free",
            "-sparing",
            "-like",
            "-naive",
            "-naïve",
            "-induced",
            "-related",
            "-resistant",
            "-refractory",
            "-experienced",
            "-exposed",
            " free",
            " sparing",
        ]
        .iter()
        .any(|s| after_lower.starts_with(s))
    }
}
