//! Pattern helpers shared by the claim rules: finding the subject of a predicate across the words
//! that can stand between them, reading coordinated lists, and small text utilities.

use crate::analysis::view::{Tok, View};
use crate::vocab::EntryId;

/// Negators and hedges the patterns let through, so that the context mechanism (not the
/// pattern) decides whether the statement is asserted.
pub const CONTEXT_WORDS: &[&str] = &[
    "not",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "never",
    "no",
    "longer",
    "hardly",
    "may",
    "might",
    "could",
    "can",
    "possibly",
    "probably",
    "perhaps",
    "likely",
    "sometimes",
    "often",
    "usually",
    "commonly",
    "wrongly",
    "mistakenly",
    "falsely",
    "incorrectly",
    "erroneously",
    "thought",
    "believed",
    "said",
    "claimed",
    "considered",
    "seen",
    "sometimes",
    "still",
];

/// Pronouns that may stand for the subject of an earlier clause or sentence.
pub const PRONOUNS: &[&str] = &[
    "it", "this", "they", "these", "which", "that", "it's", "that's", "they're",
];

/// Contractions that carry a copula ("it's a steroid").
pub const PRONOUN_COPULAS: &[&str] = &["it's", "that's", "they're"];

/// Words that put a mention aside as a comparison rather than the subject.
pub const COMPARED: &[&str] = &[
    "unlike",
    "than",
    "versus",
    "vs",
    "besides",
    "alongside",
    "except",
    "from",
    "after",
    "before",
    "over",
];

/// Whether the mention at `i` is set aside as a comparison: "unlike dupilumab", "compared with
/// dupilumab", "combined with dupilumab", ", like dupilumab,", "switched from dupilumab". ("Biologics
/// like dupilumab" and "such as dupilumab" introduce examples, not comparisons.)
pub fn is_compared(v: &View, i: usize) -> bool {
    if i == 0 {
        return false;
    }
    let w2 = |k: usize| {
        k >= 2
            && v.is_word(
                k - 2,
                &[
                    "compared",
                    "combined",
                    "along",
                    "together",
                    "contrast",
                    "similar",
                    "relative",
                    "addition",
                    "alternative",
                    "as",
                    "vs",
                    "opposed",
                ],
            )
    };
    v.is_word(i - 1, COMPARED)
        || (v.is_word(i - 1, &["with", "to"]) && w2(i))
        || (v.is_word(i - 1, &["like"])
            && (i < 2 || v.is_punct(i - 2, ',') || v.is_word(i - 2, &["just", "much"])))
}

/// Where a subject was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subject {
    /// The entry.
    pub entry: EntryId,
    /// The token index of the mention, or of the pronoun that stands for it.
    pub token: usize,
}

/// Walks back from token `from` (exclusive) over bridge words, bridge punctuation and mentions for
/// which `pass` holds, and returns the first mention for which `want` holds. A pronoun resolves to
/// the nearest earlier mention in the sentence, or in the block, for which `want` holds.
pub fn subject_before(
    v: &View,
    from: usize,
    bridge: &[&str],
    puncts: &[char],
    max: usize,
    want: &dyn Fn(EntryId) -> bool,
    pass: &dyn Fn(EntryId) -> bool,
) -> Option<Subject> {
    let mut i = from;
    let mut steps = 0;
    while i > 0 && steps < max {
        i -= 1;
        steps += 1;
        match &v.toks[i].0 {
            // "nemolizumab, unlike dupilumab, blocks IL-31": the compared drug is not the subject
            Tok::Term(_, e) if want(*e) && is_compared(v, i) => {}
            Tok::Term(_, e) if want(*e) => {
                return Some(Subject {
                    entry: *e,
                    token: i,
                });
            }
            Tok::Term(_, e) if pass(*e) => {}
            Tok::Term(..) => return None,
            Tok::Word(w) if PRONOUNS.contains(&w.as_str()) => {
                return resolve_pronoun(v, i, want).map(|entry| Subject { entry, token: i });
            }
            Tok::Word(w) if bridge.contains(&w.as_str()) || CONTEXT_WORDS.contains(&w.as_str()) => {
            }
            Tok::Word(w) if is_dose_word(w) => {}
            Tok::Punct(p) if puncts.contains(p) || matches!(p, '*' | '_' | '`') => {}
            _ => return None,
        }
    }
    None
}

/// Dose, strength and schedule words of clinical notes ("300", "mg", "0.1", "q2w", "oint"), which
/// may stand between a drug and what is said of it.
pub fn is_dose_word(w: &str) -> bool {
    const UNITS: &[&str] = &[
        "mg",
        "mcg",
        "µg",
        "μg",
        "g",
        "ml",
        "kg",
        "iu",
        "units",
        "q2w",
        "q4w",
        "qw",
        "q8w",
        "qd",
        "od",
        "bd",
        "bid",
        "tid",
        "qds",
        "daily",
        "weekly",
        "fortnightly",
        "monthly",
        "oint",
        "crm",
        "ung",
        "sc",
        "s.c",
        "subcut",
        "iv",
        "po",
        "prn",
        "loading",
        "dose",
        "then",
        "every",
        "two",
        "weeks",
        "once",
        "twice",
        "a",
        "day",
    ];
    w.chars().next().is_some_and(|c| c.is_ascii_digit()) || UNITS.contains(&w)
}

/// The entry a pronoun at `at` stands for: the first mention of the sentence before it for which
/// `want` holds and that is not set aside as a comparison ("it would work like lebrikizumab"),
/// else the entry of the earlier sentences of the block, when only one such entry was mentioned
/// there.
pub fn resolve_pronoun(v: &View, at: usize, want: &dyn Fn(EntryId) -> bool) -> Option<EntryId> {
    for i in 0..at {
        if let Some(e) = v.entry_at(i)
            && want(e)
            && !is_compared(v, i)
        {
            return Some(e);
        }
    }
    let mut candidates: Vec<EntryId> = v.earlier.iter().copied().filter(|&e| want(e)).collect();
    candidates.dedup();
    candidates.sort();
    candidates.dedup();
    (candidates.len() == 1).then(|| candidates[0])
}

/// Mentions for which `want` holds in a coordinated list starting at `from`: "IL-4 and IL-13",
/// "IL-4/IL-13", "tacrolimus, pimecrolimus or crisaborole". Words in `skip` may stand before or
/// between items ("the", "both"). Returns the token indices of the items.
pub fn list_from(
    v: &View,
    from: usize,
    skip: &[&str],
    want: &dyn Fn(EntryId) -> bool,
) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = from;
    let mut expect_item = true;
    while i < v.len() {
        match &v.toks[i].0 {
            Tok::Term(_, e) if expect_item => {
                if want(*e) {
                    out.push(i);
                }
                expect_item = false;
            }
            Tok::Word(w) if expect_item && skip.contains(&w.as_str()) => {}
            Tok::Word(w) if !expect_item && matches!(w.as_str(), "and" | "or" | "plus" | "&") => {
                expect_item = true;
            }
            Tok::Word(w) if !expect_item && skip.contains(&w.as_str()) => {}
            Tok::Punct(',' | '/' | '&') if !expect_item => expect_item = true,
            _ => break,
        }
        i += 1;
    }
    out
}

/// "a" or "an" to stand before `word` (by its first letter; good enough for class names).
pub fn article_for(word: &str) -> &'static str {
    let first = word.chars().next().unwrap_or('x').to_ascii_lowercase();
    if "aeio".contains(first) { "an" } else { "a" }
}

/// Upper-cases the first letter.
pub fn capitalize(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// " (Source: title, url)" for a message.
pub fn cite(source: Option<&crate::vocab::model::Source>) -> String {
    source.map_or_else(String::new, |s| {
        format!(" Source: {} <{}>.", s.title, s.url)
    })
}

/// A set of word phrases compiled once, looked up by their first word; `longest_at` gives the
/// length of the longest phrase starting at a token.
pub struct PhraseSet {
    by_first: std::collections::HashMap<&'static str, Vec<Vec<&'static str>>>,
}

impl PhraseSet {
    /// Compiles phrases of lower-case words separated by single spaces.
    pub fn new(phrases: &[&'static str]) -> PhraseSet {
        let mut by_first: std::collections::HashMap<&'static str, Vec<Vec<&'static str>>> =
            std::collections::HashMap::new();
        for p in phrases {
            let words: Vec<&'static str> = p.split(' ').collect();
            by_first.entry(words[0]).or_default().push(words);
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|w| std::cmp::Reverse(w.len()));
        }
        PhraseSet { by_first }
    }

    /// The number of words of the longest phrase starting at token `i`.
    pub fn longest_at(&self, v: &View, i: usize) -> Option<usize> {
        let first = v.word(i)?;
        self.by_first.get(first)?.iter().find_map(|words| {
            words
                .iter()
                .enumerate()
                .all(|(k, w)| v.word(i + k) == Some(w))
                .then_some(words.len())
        })
    }
}
