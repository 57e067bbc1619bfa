//! Finding vocabulary terms in text: one Aho-Corasick automaton over every spelling of every
//! surface form, overlapping search, a word-boundary filter on Unicode characters, and a
//! longest-first pick among the matches that pass, so that a rejected long candidate never hides
//! a valid shorter one at the same place.

pub mod variants;

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::text::normalize::Normalized;
use crate::vocab::{EntryId, Kind, Vocabulary};

/// How a surface form is written in its entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormKind {
    /// The canonical name.
    Name,
    /// A synonym.
    Synonym,
    /// An exact-case abbreviation.
    Abbreviation,
    /// An abbreviation that needs the document's support.
    Ambiguous,
    /// A brand name.
    Brand,
}

#[derive(Clone, Debug)]
struct Pattern {
    entry: EntryId,
    text: String,
    case_sensitive: bool,
    form: FormKind,
    /// Written in the entry (not a generated variant).
    explicit: bool,
    /// May take a plural "s" ("eosinophil" matches "eosinophils").
    plural_s: bool,
}

/// A term found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// The entry it names.
    pub entry: EntryId,
    /// Byte range in the original text.
    pub range: Range<usize>,
    /// How the form is written in the entry.
    pub form: FormKind,
}

impl Mention {
    /// Whether this is an ambiguous abbreviation that needs the document's support.
    pub fn is_ambiguous(&self) -> bool {
        self.form == FormKind::Ambiguous
    }
}

/// The compiled matcher for one vocabulary.
#[derive(Clone, Debug)]
pub struct Matcher {
    /// `None` only if the automaton could not be built (past its size limits).
    automaton: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
}

fn key(text: &str, case_sensitive: bool) -> String {
    if case_sensitive {
        text.to_string()
    } else {
        text.to_lowercase()
    }
}

impl Matcher {
    /// Compiles every spelling of every form of the vocabulary.
    pub fn build(vocab: &Vocabulary) -> Matcher {
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut conflicted: Vec<bool> = Vec::new();
        for (i, entry) in vocab.entries().iter().enumerate() {
            let id = EntryId(i as u32);
            let mut forms: Vec<(&str, FormKind)> = vec![(entry.name.as_str(), FormKind::Name)];
            forms.extend(
                entry
                    .synonyms
                    .iter()
                    .map(|s| (s.as_str(), FormKind::Synonym)),
            );
            forms.extend(
                entry
                    .abbreviations
                    .iter()
                    .map(|s| (s.as_str(), FormKind::Abbreviation)),
            );
            forms.extend(
                entry
                    .ambiguous
                    .iter()
                    .map(|s| (s.as_str(), FormKind::Ambiguous)),
            );
            if let Some(d) = &entry.drug {
                forms.extend(d.brands.iter().map(|b| (b.name.as_str(), FormKind::Brand)));
            }
            for (form, form_kind) in forms {
                let case_sensitive =
                    matches!(form_kind, FormKind::Abbreviation | FormKind::Ambiguous)
                        || looks_like_abbreviation(form);
                let plural = match entry.kind {
                    Kind::Drug => false,
                    Kind::Cell => true,
                    _ => !case_sensitive && form_kind != FormKind::Brand,
                };
                let written = crate::text::normalize::normalize_form(form);
                for (v, plural_s) in variants::variants(form, plural) {
                    let explicit = v == written;
                    let k = key(&v, case_sensitive);
                    match by_key.get(&k) {
                        None => {
                            by_key.insert(k, patterns.len());
                            patterns.push(Pattern {
                                entry: id,
                                text: v,
                                case_sensitive,
                                form: form_kind,
                                explicit,
                                plural_s,
                            });
                            conflicted.push(false);
                        }
                        Some(&at) if patterns[at].entry != id => {
                            // A written form beats a generated one; two generated ones of different
                            // entries cancel out (the loader reports clashes of written forms).
                            if explicit && !patterns[at].explicit {
                                patterns[at] = Pattern {
                                    entry: id,
                                    text: v,
                                    case_sensitive,
                                    form: form_kind,
                                    explicit,
                                    plural_s,
                                };
                                conflicted[at] = false;
                            } else if explicit == patterns[at].explicit {
                                conflicted[at] = true;
                            }
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        let patterns: Vec<Pattern> = patterns
            .into_iter()
            .zip(conflicted)
            .filter_map(|(p, c)| (!c).then_some(p))
            .collect();
        // The automaton runs over ASCII-lower-cased text: smaller and faster to build than an
        // ASCII-case-insensitive one; exact-case patterns are checked against the text after.
        // A contiguous NFA: a DFA of the embedded vocabulary searches about 8% faster over a whole
        // analysis (measured with callgrind) but takes 35 ms more to build and 7.5 MB more memory,
        // and after an edit only one block is searched anyway.
        let kind = Some(AhoCorasickKind::ContiguousNFA);
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(kind)
            .build(patterns.iter().map(|p| p.text.to_ascii_lowercase()));
        // Building only fails past the automaton's size limits, far above any vocabulary; the
        // matcher then finds nothing rather than failing the whole program.
        let automaton = automaton.ok();
        Matcher {
            automaton,
            patterns,
        }
    }

    /// Number of compiled spellings.
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// Finds the mentions in normalised text (offsets reported in `original`, the text it was
    /// normalised from; word boundaries are checked there).
    pub fn find(&self, norm: &Normalized, original: &str) -> Vec<Mention> {
        let text = norm.text.as_str();
        let lower = text.to_ascii_lowercase();
        let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        for m in automaton.find_overlapping_iter(&lower) {
            let p = &self.patterns[m.pattern().as_usize()];
            let (s, mut e) = (m.start(), m.end());
            if p.case_sensitive && text.get(s..e) != Some(p.text.as_str()) {
                continue;
            }
            let os = norm.to_original(s);
            let mut oe = norm.to_original_end(e);
            if os >= oe {
                continue;
            }
            if !at_word_boundary(original, os, oe) {
                // "eosinophils": the pattern and a plural s
                if !(p.plural_s && lower.as_bytes().get(e) == Some(&b's')) {
                    continue;
                }
                e += 1;
                oe = norm.to_original_end(e);
                if !at_word_boundary(original, os, oe) {
                    continue;
                }
            }
            candidates.push((s, e, m.pattern().as_usize()));
        }
        candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut out = Vec::new();
        let mut covered = 0;
        for (s, e, p) in candidates {
            if s < covered {
                continue;
            }
            covered = e;
            let p = &self.patterns[p];
            out.push(Mention {
                entry: p.entry,
                range: norm.to_original(s)..norm.to_original_end(e),
                form: p.form,
            });
        }
        out
    }
}

/// A short form with two or more capitals ("IgE", "IL-4", "TSLP", "IFN-γ") is an abbreviation and
/// is matched with its exact case, so "ige" or "Il" in ordinary words never count; words and names
/// with at most a leading capital ("Th2", "Dupixent", "eosinophil") match in any case.
pub fn looks_like_abbreviation(form: &str) -> bool {
    let letters: Vec<char> = form.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() <= 6 && letters.iter().filter(|c| c.is_uppercase()).count() >= 2
}

/// Whether `text[s..e]` neither starts nor ends inside a word: the characters just outside it
/// are not letters or digits (of any script).
pub fn at_word_boundary(text: &str, s: usize, e: usize) -> bool {
    if e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
        return false;
    }
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    let first = text[s..e].chars().next();
    let last = text[s..e].chars().next_back();
    let ok_before = match (before, first) {
        (Some(b), Some(f)) => !(b.is_alphanumeric() && f.is_alphanumeric()),
        _ => true,
    };
    let ok_after = match (last, after) {
        (Some(l), Some(a)) => !(a.is_alphanumeric() && l.is_alphanumeric()),
        _ => true,
    };
    ok_before && ok_after
}
