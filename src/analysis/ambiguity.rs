//! Ambiguous abbreviations ("AD": atopic dermatitis or Alzheimer's disease) count only where the
//! document supports the meaning: it defines the abbreviation, names the same entry in full, or
//! speaks of the field (other vocabulary terms) with no word of the other meaning.

use std::collections::HashSet;

use crate::matcher::Mention;
use crate::vocab::{EntryId, Vocabulary};

/// Keeps the ambiguous mentions the document supports and drops the others.
pub fn resolve(text: &str, vocab: &Vocabulary, mentions: Vec<Mention>) -> Vec<Mention> {
    if !mentions.iter().any(Mention::is_ambiguous) {
        return mentions;
    }
    let plain: HashSet<EntryId> = mentions
        .iter()
        .filter(|m| !m.is_ambiguous())
        .map(|m| m.entry)
        .collect();
    let lower = text.to_lowercase();
    // whether the document has a word of the other meaning, decided once per entry
    let mut other_meaning: std::collections::HashMap<EntryId, bool> =
        std::collections::HashMap::new();
    mentions
        .into_iter()
        .filter(|m| {
            if !m.is_ambiguous() || plain.contains(&m.entry) {
                return true;
            }
            let other = *other_meaning.entry(m.entry).or_insert_with(|| {
                vocab
                    .entry(m.entry)
                    .ambiguous_with
                    .iter()
                    .any(|w| contains_word(&lower, &w.to_lowercase()))
            });
            let field = plain.iter().any(|&e| e != m.entry);
            field && !other
        })
        .collect()
}

fn contains_word(haystack: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    haystack.match_indices(word).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}
