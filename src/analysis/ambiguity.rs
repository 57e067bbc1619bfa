//! Ambiguous abbreviations ("AD": atopic dermatitis or Alzheimer's disease) count only where the
//! document supports the meaning: it names the same entry in full, or speaks of the field (other
//! vocabulary terms) with no word of the other meaning.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};

use crate::vocab::{EntryId, Vocabulary};

/// Every word that signals another meaning of an ambiguous abbreviation, in one automaton, so a
/// text is read once for all of them and never lower-cased as a whole.
#[derive(Clone, Debug, Default)]
pub struct OtherMeanings {
    automaton: Option<AhoCorasick>,
    /// The entry each word belongs to.
    owners: Vec<EntryId>,
}

impl OtherMeanings {
    /// Collects the `ambiguous_with` words of a vocabulary.
    pub fn new(vocab: &Vocabulary) -> OtherMeanings {
        let mut words = Vec::new();
        let mut owners = Vec::new();
        for (i, e) in vocab.entries().iter().enumerate() {
            for w in e.ambiguous_with.iter().filter(|w| !w.trim().is_empty()) {
                words.push(w.trim().to_string());
                owners.push(EntryId(i as u32));
            }
        }
        if words.is_empty() {
            return OtherMeanings::default();
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(&words)
            .ok();
        OtherMeanings { automaton, owners }
    }

    /// The entries whose other meaning has a word in `text` (as a whole word, in any case),
    /// sorted and without repeats.
    pub fn in_text(&self, text: &str) -> Vec<EntryId> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut found: Vec<EntryId> = automaton
            .find_overlapping_iter(text)
            .filter(|m| is_whole_word(text, m.start(), m.end()))
            .map(|m| self.owners[m.pattern().as_usize()])
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// What a document says for its ambiguous abbreviations: which entries it names unambiguously,
/// and whose other meaning it names.
#[derive(Clone, Debug)]
pub struct Support {
    named: Vec<bool>,
    named_count: usize,
    other: Vec<bool>,
}

impl Support {
    /// Nothing named yet, for a vocabulary of `entries` entries.
    pub fn new(entries: usize) -> Support {
        Support {
            named: vec![false; entries],
            named_count: 0,
            other: vec![false; entries],
        }
    }

    /// The document names `entry` unambiguously.
    pub fn named(&mut self, entry: EntryId) {
        if let Some(n) = self.named.get_mut(entry.0 as usize)
            && !*n
        {
            *n = true;
            self.named_count += 1;
        }
    }

    /// The document has a word of another meaning of `entry`'s abbreviation.
    pub fn other_meaning(&mut self, entry: EntryId) {
        if let Some(o) = self.other.get_mut(entry.0 as usize) {
            *o = true;
        }
    }

    /// Whether an ambiguous mention of `entry` counts: the document names the entry in full, or
    /// names another entry of the field and no word of the other meaning.
    pub fn supports(&self, entry: EntryId) -> bool {
        let i = entry.0 as usize;
        let named = self.named.get(i).copied().unwrap_or(false);
        if named {
            return true;
        }
        let field = self.named_count > 0;
        field && !self.other.get(i).copied().unwrap_or(false)
    }
}

fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}
