//! Context detection, after NegEx and ConText: trigger phrases found in a sentence open scopes
//! (forward to the end of the sentence or the next terminator, or backward a few words); a claim
//! whose words fall in a negation, possibility, hypothetical, reported-belief or contrast scope is
//! not asserted by the writer, and no rule fires on it.

pub mod lexicon;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

pub use lexicon::{Category, Direction};

/// A token as the context mechanism sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// A lower-case word.
    Word(&'a str),
    /// A punctuation character.
    Punct(char),
    /// A vocabulary mention (never part of a trigger).
    Term,
}

/// A trigger found in a sentence and the tokens it governs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    /// What it says.
    pub category: Category,
    /// Token indices of the trigger phrase.
    pub trigger: Range<usize>,
    /// Token indices it governs.
    pub tokens: Range<usize>,
}

struct Compiled {
    words: Vec<&'static str>,
    category: Category,
    direction: Direction,
    max: usize,
}

static BY_FIRST_WORD: LazyLock<HashMap<&'static str, Vec<Compiled>>> = LazyLock::new(|| {
    let mut map: HashMap<&'static str, Vec<Compiled>> = HashMap::new();
    for &(phrase, category, direction, max) in lexicon::TRIGGERS {
        let words: Vec<&'static str> = phrase.split(' ').collect();
        map.entry(words[0]).or_default().push(Compiled {
            words,
            category,
            direction,
            max,
        });
    }
    for list in map.values_mut() {
        list.sort_by_key(|t| std::cmp::Reverse(t.words.len()));
    }
    map
});

/// Backward scopes reach at most this many tokens.
const BACKWARD_LIMIT: usize = 14;

/// Finds the trigger phrases of a sentence (longest first, left to right) and their scopes.
pub fn scopes(pieces: &[Piece]) -> Vec<Scope> {
    let mut found: Vec<(Range<usize>, &Compiled)> = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let Piece::Word(w) = pieces[i] else {
            i += 1;
            continue;
        };
        let mut matched = None;
        if let Some(list) = BY_FIRST_WORD.get(w) {
            for t in list {
                let n = t.words.len();
                if i + n <= pieces.len()
                    && t.words
                        .iter()
                        .enumerate()
                        .all(|(k, tw)| pieces[i + k] == Piece::Word(tw))
                {
                    matched = Some((i..i + n, t));
                    break;
                }
            }
        }
        match matched {
            Some((r, t)) => {
                let end = r.end;
                // "No, it blocks IL-4": an answer, not a negation of what follows.
                let answer = t.words == ["no"]
                    && matches!(pieces.get(end), Some(Piece::Punct(',' | '.' | '!')));
                if !answer {
                    found.push((r, t));
                }
                i = end;
            }
            None => i += 1,
        }
    }

    let is_terminator_at = |k: usize| -> bool {
        matches!(pieces[k], Piece::Punct(';'))
            || found
                .iter()
                .any(|(r, t)| t.category == Category::Terminator && r.start == k)
    };
    let mut out = Vec::new();
    for (r, t) in &found {
        if t.category == Category::Terminator {
            continue;
        }
        let tokens = match t.direction {
            Direction::Forward => {
                let mut end = r.end;
                let limit = if t.max == 0 {
                    usize::MAX
                } else {
                    r.end + t.max
                };
                while end < pieces.len() && end < limit {
                    if is_terminator_at(end) {
                        break;
                    }
                    if t.category == Category::Contrast && matches!(pieces[end], Piece::Punct(','))
                    {
                        break;
                    }
                    // a later trigger of the same category starts its own scope
                    if end > r.end
                        && found
                            .iter()
                            .any(|(r2, t2)| r2.start == end && t2.category == t.category)
                    {
                        break;
                    }
                    end += 1;
                }
                r.end..end
            }
            Direction::Backward => {
                let mut start = r.start;
                let limit = if t.max == 0 { BACKWARD_LIMIT } else { t.max };
                while start > 0 && r.start - start < limit {
                    if is_terminator_at(start - 1) {
                        break;
                    }
                    start -= 1;
                }
                start..r.start
            }
        };
        out.push(Scope {
            category: t.category,
            trigger: r.clone(),
            tokens,
        });
    }
    // A pseudo-trigger cancels the triggers inside it ("not only" is not "not").
    let pseudo: Vec<Range<usize>> = out
        .iter()
        .filter(|s| s.category == Category::Pseudo)
        .map(|s| s.trigger.clone())
        .collect();
    out.retain(|s| {
        s.category != Category::Pseudo
            && !pseudo
                .iter()
                .any(|p| p.start <= s.trigger.start && s.trigger.end <= p.end)
    });
    out
}

/// The first scope that covers any token of `target`, ignoring triggers that lie inside `own`
/// (the claim's own words, such as the "not" of "not yet approved").
pub fn governing(
    scopes: &[Scope],
    target: Range<usize>,
    own: Option<Range<usize>>,
) -> Option<&Scope> {
    scopes.iter().find(|s| {
        let inside_own = own
            .as_ref()
            .is_some_and(|o| o.start <= s.trigger.start && s.trigger.end <= o.end);
        !inside_own && s.tokens.start < target.end && target.start < s.tokens.end
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::{TokenKind, tokenize};

    fn cats(sentence: &str, word: &str) -> Option<Category> {
        let toks = tokenize(sentence);
        let words: Vec<String> = toks
            .iter()
            .map(|t| match &t.kind {
                TokenKind::Word(w) => w.to_string(),
                TokenKind::Punct(p) => p.to_string(),
            })
            .collect();
        let pieces: Vec<Piece> = toks
            .iter()
            .zip(&words)
            .map(|(t, w)| match t.kind {
                TokenKind::Word(_) => Piece::Word(w.as_str()),
                TokenKind::Punct(p) => Piece::Punct(p),
            })
            .collect();
        let at = words.iter().position(|w| w == word)?;
        let s = scopes(&pieces);
        governing(&s, at..at + 1, None).map(|s| s.category)
    }

    #[test]
    fn negation_forward() {
        assert_eq!(
            cats("eczema is not an autoimmune disease", "autoimmune"),
            Some(Category::Negated)
        );
        assert_eq!(
            cats("eczema isn't autoimmune", "autoimmune"),
            Some(Category::Negated)
        );
        assert_eq!(cats("eczema is an autoimmune disease", "autoimmune"), None);
    }

    #[test]
    fn terminators_end_scopes() {
        assert_eq!(
            cats(
                "eczema is not contagious, but it is autoimmune",
                "autoimmune"
            ),
            None
        );
        assert_eq!(
            cats(
                "dupilumab is not a jak inhibitor; it is an antibody",
                "antibody"
            ),
            None
        );
    }

    #[test]
    fn pseudo_triggers_cancel() {
        assert_eq!(
            cats("eczema is not only itchy but autoimmune", "itchy"),
            None
        );
    }

    #[test]
    fn reported_and_contrast() {
        assert_eq!(
            cats("some believe eczema is autoimmune, but no", "autoimmune"),
            Some(Category::Reported)
        );
        assert_eq!(
            cats(
                "unlike autoimmune diseases such as lupus, eczema is common",
                "autoimmune"
            ),
            Some(Category::Contrast)
        );
        assert_eq!(
            cats(
                "unlike autoimmune diseases such as lupus, eczema is common",
                "common"
            ),
            None
        );
    }

    #[test]
    fn backward_negation() {
        assert_eq!(
            cats("the idea that eczema is autoimmune is a myth", "autoimmune"),
            Some(Category::Reported)
        );
        assert_eq!(
            cats("that eczema is contagious is false", "contagious"),
            Some(Category::Negated)
        );
    }

    #[test]
    fn answer_no_is_not_negation() {
        assert_eq!(cats("no, it blocks il-4", "blocks"), None);
    }

    #[test]
    fn hypothetical_and_possible() {
        assert_eq!(
            cats(
                "if eczema were autoimmune, steroids would cure it",
                "autoimmune"
            ),
            Some(Category::Hypothetical)
        );
        assert_eq!(
            cats("eczema may be autoimmune", "autoimmune"),
            Some(Category::Possible)
        );
    }
}
