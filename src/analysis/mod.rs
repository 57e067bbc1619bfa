//! The analysis pipeline, free of any protocol: text in, mentions and findings out (UTF-8 byte
//! ranges). Prose is separated from code and markup, terms are matched, sentences are split, and
//! each sentence is read by the claim rules under the context mechanism. In-file switches and the
//! configured severities are applied last.

pub mod ambiguity;
pub mod blocks;
pub mod finding;
pub mod switches;
pub mod table;
pub mod view;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use crate::matcher::{Matcher, Mention};
use crate::text::normalize::normalize;
use crate::text::prose::{Format, prose};
use crate::text::sentences::Sentence;
use crate::vocab::{EntryId, VocabError, Vocabulary};
use ambiguity::OtherMeanings;
pub use blocks::BlockCache;
use blocks::{
    BlockFindings, BlockText, CachedBlock, ContextKey, NextBlocks, TableRow, shifted, text_hash,
    unshifted,
};
pub use finding::{Finding, Rule, Severity};
use view::View;

/// Which rules run, and at which severity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSettings {
    severities: HashMap<Rule, Option<Severity>>,
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            severities: Rule::ALL
                .into_iter()
                .map(|r| (r, Some(r.default_severity())))
                .collect(),
        }
    }
}

impl RuleSettings {
    /// Sets a rule's severity, or switches it off with `None`.
    pub fn set(&mut self, rule: Rule, severity: Option<Severity>) {
        self.severities.insert(rule, severity);
    }

    /// The rule's severity, or `None` when it is off.
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        self.severities
            .get(&rule)
            .copied()
            .unwrap_or(Some(rule.default_severity()))
    }

    /// Whether the rule runs.
    pub fn enabled(&self, rule: Rule) -> bool {
        self.severity(rule).is_some()
    }
}

/// The result of analysing one document.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Every recognised term, in document order.
    pub mentions: Vec<Mention>,
    /// The claim findings, in document order.
    pub findings: Vec<Finding>,
    /// The sentences.
    pub sentences: Vec<Sentence>,
}

impl Analysis {
    /// The mention covering byte `offset` (a cursor at its end counts).
    pub fn mention_at(&self, offset: usize) -> Option<&Mention> {
        let i = self.mentions.partition_point(|m| m.range.end < offset);
        self.mentions
            .get(i)
            .filter(|m| m.range.start <= offset && offset <= m.range.end)
    }
}

/// A vocabulary with its compiled matcher: everything needed to analyse text.
#[derive(Clone, Debug)]
pub struct Analyzer {
    vocab: Arc<Vocabulary>,
    matcher: Arc<Matcher>,
    other_meanings: Arc<OtherMeanings>,
    /// Unique to this compilation (shared by clones): what a block cache belongs to. An address
    /// would not do: a new matcher can be allocated where a dropped one was.
    id: u64,
}

impl Analyzer {
    /// Compiles the matcher for a vocabulary.
    pub fn new(vocab: Arc<Vocabulary>) -> Analyzer {
        let matcher = Arc::new(Matcher::build(&vocab));
        let other_meanings = Arc::new(OtherMeanings::new(&vocab));
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Analyzer {
            vocab,
            matcher,
            other_meanings,
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// The analyzer of the embedded vocabulary.
    pub fn embedded() -> Result<Analyzer, Vec<VocabError>> {
        let vocab = crate::vocab::embedded::vocabulary().map_err(<[VocabError]>::to_vec)?;
        Ok(Analyzer::new(Arc::new(vocab.clone())))
    }

    /// The vocabulary.
    pub fn vocab(&self) -> &Vocabulary {
        &self.vocab
    }

    /// The shared vocabulary.
    pub fn vocab_arc(&self) -> Arc<Vocabulary> {
        Arc::clone(&self.vocab)
    }

    /// The compiled matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// The terms of a short text on its own (no document context): for `explain` and completion.
    pub fn mentions_in(&self, text: &str) -> Vec<Mention> {
        self.matcher.find(&normalize(text), text)
    }

    /// Analyses a document from scratch.
    pub fn analyze(&self, text: &str, format: Format, settings: &RuleSettings) -> Analysis {
        self.analyze_blocks(text, format, settings, None)
    }

    /// Analyses a new version of a document, reusing from `cache` every block (paragraph, list
    /// item, heading, table row) that is unchanged since the version it was last used for, and
    /// leaving in it the blocks of this version. The result is the same as [`Analyzer::analyze`];
    /// the work grows with the blocks an edit touches, not with the document.
    pub fn analyze_incremental(
        &self,
        text: &str,
        format: Format,
        settings: &RuleSettings,
        cache: &mut BlockCache,
    ) -> Analysis {
        self.analyze_blocks(text, format, settings, Some(cache))
    }

    fn analyze_blocks(
        &self,
        text: &str,
        format: Format,
        settings: &RuleSettings,
        mut cache: Option<&mut BlockCache>,
    ) -> Analysis {
        let prose = prose(text, format);
        let masked = prose.masked.as_str();
        let ranges = crate::text::sentences::blocks(masked);
        if let Some(c) = cache.as_deref_mut() {
            c.claim(blocks::Owner {
                analyzer: self.id,
                enabled: Rule::ALL.iter().map(|&r| settings.enabled(r)).collect(),
            });
        }
        let old: Option<&BlockCache> = cache.as_deref();

        // step 1: what each block's text yields
        let mut hashes = Vec::with_capacity(ranges.len());
        let mut hits: Vec<Option<CachedBlock>> = Vec::with_capacity(ranges.len());
        let mut reads: Vec<Arc<BlockText>> = Vec::with_capacity(ranges.len());
        let (mut hit_count, mut miss_count) = (0, 0);
        for r in &ranges {
            let (t, m) = (&text[r.clone()], &masked[r.clone()]);
            let hash = if old.is_some() { text_hash(t) } else { 0 };
            let hit = old.and_then(|c| c.get(hash, t, m)).cloned();
            let read = match &hit {
                Some(h) => Arc::clone(&h.read),
                None => Arc::new(self.read_block(masked, r.clone())),
            };
            hashes.push(hash);
            hits.push(hit);
            reads.push(read);
        }

        // the document's support for its ambiguous abbreviations
        let any_ambiguous = reads
            .iter()
            .any(|b| b.raw.iter().any(Mention::is_ambiguous));
        let mut support = ambiguity::Support::new(self.vocab.entries().len());
        if any_ambiguous {
            for (b, r) in reads.iter().zip(&ranges) {
                for m in b.raw.iter().filter(|m| !m.is_ambiguous()) {
                    support.named(m.entry);
                }
                let words = b
                    .other_meaning
                    .get_or_init(|| self.other_meanings.in_text(&masked[r.clone()]));
                for &e in words {
                    support.other_meaning(e);
                }
            }
        }

        // step 2: what the rules find in each block, in its context
        let mut next = NextBlocks::default();
        let mut founds: Vec<Arc<BlockFindings>> = Vec::with_capacity(ranges.len());
        let mut headers: Option<Vec<String>> = None;
        let mut pending_header: Option<Vec<String>> = None;
        for (i, r) in ranges.iter().enumerate() {
            let read = &reads[i];
            let mut row_headers = None;
            match &read.table {
                Some(row) if row.separator => headers = pending_header.take(),
                Some(row) if headers.is_none() => pending_header = Some(row.texts.clone()),
                Some(_) => row_headers = headers.clone(),
                None => {
                    headers = None;
                    pending_header = None;
                }
            }
            let key = ContextKey {
                rejected: read
                    .ambiguous_entries()
                    .into_iter()
                    .filter(|&e| !support.supports(e))
                    .collect(),
                headers: row_headers,
            };
            let reused = hits[i].as_ref().filter(|h| h.found.key == key);
            let found = match reused {
                Some(h) => {
                    hit_count += 1;
                    Arc::clone(&h.found)
                }
                None => {
                    miss_count += 1;
                    Arc::new(self.find_in_block(text, masked, r.clone(), read, key, settings))
                }
            };
            if old.is_some() {
                next.keep(
                    hashes[i],
                    (&text[r.clone()], &masked[r.clone()]),
                    hits[i].as_ref(),
                    read,
                    &found,
                );
            }
            founds.push(found);
        }
        if let Some(c) = cache {
            c.replace(next.blocks);
            c.last_hits = hit_count;
            c.last_misses = miss_count;
        }

        // the blocks placed at their offsets
        let mut sentences = Vec::new();
        let mut mentions = Vec::new();
        let mut findings = Vec::new();
        for (i, r) in ranges.iter().enumerate() {
            let base = r.start;
            sentences.extend(reads[i].sentences.iter().map(|s| Sentence {
                range: shifted(&s.range, base),
                block: i,
                question: s.question,
            }));
            let found = &founds[i];
            mentions.extend(found.mentions.iter().map(|m| Mention {
                range: shifted(&m.range, base),
                ..m.clone()
            }));
            // "Eczema is autoimmune.\n\nThat is a myth.": the next block takes it back
            let keep = if reads.get(i + 1).is_some_and(|n| n.first_refutes) {
                found.last_sentence_from
            } else {
                found.findings.len()
            };
            findings.extend(found.findings[..keep].iter().map(|f| Finding {
                range: shifted(&f.range, base),
                ..f.clone()
            }));
        }

        let suppressions = switches::suppressions(text, &prose.comments);
        switches::apply(&mut findings, &suppressions);
        for f in &mut findings {
            if let Some(sev) = settings.severity(f.rule) {
                f.severity = sev;
            }
        }
        findings.sort_by(|a, b| {
            (a.range.start, a.range.end, a.rule).cmp(&(b.range.start, b.range.end, b.rule))
        });
        findings.dedup_by(|a, b| a.range == b.range && a.rule == b.rule);
        Analysis {
            mentions,
            findings,
            sentences,
        }
    }

    /// Step 1 for the block at `range` of the masked text (offsets relative to its start).
    fn read_block(&self, masked: &str, range: Range<usize>) -> BlockText {
        let base = range.start;
        let block = &masked[range.clone()];
        let mut absolute = Vec::new();
        crate::text::sentences::split_block(masked, range, 0, &mut absolute);
        let sentences: Vec<Sentence> = absolute
            .into_iter()
            .map(|s| Sentence {
                range: unshifted(&s.range, base),
                ..s
            })
            .collect();
        let raw = self.matcher.find(&normalize(block), block);
        let table = match (sentences.first(), sentences.last()) {
            (Some(first), Some(last)) => {
                let row = first.range.start..last.range.end;
                table::cells(block, row).map(|cells| {
                    let separator = table::is_separator(block, &cells);
                    let texts = cells
                        .iter()
                        .map(|c| block[c.clone()].trim().to_lowercase())
                        .collect();
                    TableRow {
                        cells,
                        separator,
                        texts,
                    }
                })
            }
            _ => None,
        };
        let first_refutes = sentences
            .first()
            .is_some_and(|s| refutes_previous(&block[s.range.clone()]));
        BlockText {
            sentences,
            raw,
            other_meaning: std::sync::OnceLock::new(),
            table,
            first_refutes,
        }
    }

    /// Step 2 for the block at `range`, read as `read`, in the context `key`.
    fn find_in_block(
        &self,
        text: &str,
        masked: &str,
        range: Range<usize>,
        read: &BlockText,
        key: ContextKey,
        settings: &RuleSettings,
    ) -> BlockFindings {
        let base = range.start;
        // the mentions that count, in document offsets: supported, and inside one sentence
        let mut mentions = Vec::with_capacity(read.raw.len());
        let mut s = 0;
        for m in &read.raw {
            if m.is_ambiguous() && key.rejected.contains(&m.entry) {
                continue;
            }
            while s < read.sentences.len() && read.sentences[s].range.end <= m.range.start {
                s += 1;
            }
            if read
                .sentences
                .get(s)
                .is_some_and(|x| x.range.start <= m.range.start && m.range.end <= x.range.end)
            {
                mentions.push(Mention {
                    range: shifted(&m.range, base),
                    ..m.clone()
                });
            }
        }
        let doc = view::Document {
            text,
            masked,
            vocab: &self.vocab,
            mentions: &mentions,
            bounds: range.clone(),
        };
        let mut findings = Vec::new();
        let mut last_sentence_from = 0;
        match (&read.table, &key.headers) {
            (Some(row), Some(header_row)) => {
                let cells: Vec<Range<usize>> = row.cells.iter().map(|c| shifted(c, base)).collect();
                let enabled = |r: Rule| settings.enabled(r);
                read_table_row(&doc, &cells, header_row, &enabled, &mut findings);
                last_sentence_from = findings.len();
            }
            (Some(_), None) => {}
            (None, _) => {
                let mut m = 0;
                let mut earlier: Vec<EntryId> = Vec::new();
                let count = read.sentences.len();
                for (k, sentence) in read.sentences.iter().enumerate() {
                    let sentence = Sentence {
                        range: shifted(&sentence.range, base),
                        block: 0,
                        question: sentence.question,
                    };
                    let first = m;
                    while m < mentions.len() && mentions[m].range.end <= sentence.range.end {
                        m += 1;
                    }
                    if k + 1 == count {
                        last_sentence_from = findings.len();
                    }
                    let mentioned: Vec<EntryId> =
                        mentions[first..m].iter().map(|x| x.entry).collect();
                    let candidates = crate::rules::prefilter::candidates(
                        &self.vocab,
                        &masked[sentence.range.clone()],
                        &mentioned,
                        &earlier,
                    );
                    if candidates.is_empty() {
                        earlier.extend(mentioned);
                        continue;
                    }
                    let enabled = |r: Rule| settings.enabled(r) && candidates.has(r);
                    let view = View::new(&doc, first..m, &sentence, earlier.clone());
                    // "Eczema is autoimmune. That is a myth.": the next sentence takes it back
                    let refuted = read
                        .sentences
                        .get(k + 1)
                        .is_some_and(|next| refutes_previous(&masked[shifted(&next.range, base)]));
                    let before = findings.len();
                    crate::rules::check_sentence(&view, &enabled, &mut findings);
                    if refuted {
                        findings.truncate(before);
                    }
                    earlier.extend(mentioned);
                }
            }
        }
        for f in &mut findings {
            f.range = unshifted(&f.range, base);
        }
        for m in &mut mentions {
            m.range = unshifted(&m.range, base);
        }
        BlockFindings {
            key,
            mentions,
            findings,
            last_sentence_from,
        }
    }
}

/// Reads one table data row: each cell after the first is read with the row's subject (the
/// first thing named in its first cell) and its column header.
fn read_table_row(
    doc: &view::Document,
    cells: &[Range<usize>],
    header_row: &[String],
    enabled: &dyn Fn(Rule) -> bool,
    findings: &mut Vec<Finding>,
) {
    let (Some(first_cell), true) = (cells.first(), cells.len() > 1) else {
        return;
    };
    let subject = doc
        .mentions
        .iter()
        .find(|x| first_cell.start <= x.range.start && x.range.end <= first_cell.end)
        .map(|x| x.entry);
    let Some(subject) = subject else { return };
    let all = 0..doc.mentions.len();
    for (k, cell) in cells.iter().enumerate().skip(1) {
        let in_cell: Vec<usize> = all
            .clone()
            .filter(|&i| {
                cell.start <= doc.mentions[i].range.start && doc.mentions[i].range.end <= cell.end
            })
            .collect();
        let range =
            in_cell.first().copied().unwrap_or(all.end)..in_cell.last().map_or(all.end, |&l| l + 1);
        let sentence = Sentence {
            range: cell.clone(),
            block: 0,
            question: false,
        };
        let mut view = View::new(doc, range, &sentence, vec![subject]);
        view.table = Some(table::TableCell {
            header: header_row.get(k).cloned().unwrap_or_default(),
        });
        crate::rules::check_sentence(&view, enabled, findings);
    }
}

/// How a sentence that takes back the one before it opens (lower-case).
const OPENINGS: &[&str] = &[
    "that is wrong",
    "that's wrong",
    "this is wrong",
    "that is not true",
    "that's not true",
    "this is not true",
    "this isn't true",
    "that isn't true",
    "not true",
    "false",
    "wrong",
    "that is false",
    "this is false",
    "that's false",
    "that is a myth",
    "this is a myth",
    "that's a myth",
    "that is incorrect",
    "this is incorrect",
    "that's incorrect",
    "that is a misconception",
    "this is a misconception",
    "that's a misconception",
    "this is a common misconception",
    "that is a common misconception",
    "this is a common myth",
    "that is a common myth",
    "fact:",
    "the fact is",
    "in reality",
    "in fact, no",
    "actually, no",
    "myth.",
    "not so",
    "that is outdated",
    "this is outdated",
    "that's outdated",
    "this is no longer true",
    "that is no longer true",
    "that's no longer true",
    "it isn't",
    "it is not",
    "it's not",
    "no, it isn't",
    "no, it is not",
    "no, it's not",
    "they aren't",
    "they are not",
    "it doesn't",
    "it does not",
    "that's a mistake",
    "that is a mistake",
    "this is a mistake",
    "not at all",
    "absolutely not",
    "definitely not",
];

/// The first words of the openings of [`refutes_previous`] (a test checks the list is complete).
const OPENING_FIRST_WORDS: &[&str] = &[
    "that",
    "that's",
    "this",
    "not",
    "false",
    "wrong",
    "fact",
    "the",
    "in",
    "actually",
    "myth",
    "it",
    "it's",
    "no",
    "they",
    "absolutely",
    "definitely",
];

/// Whether a sentence takes back the one before it: "That is a myth.", "This is not true: ...",
/// "Wrong.", "Fact: it is not contagious."
pub fn refutes_previous(sentence: &str) -> bool {
    // nearly every sentence fails on its first word, decided without copying anything
    let body = sentence.trim_start_matches(|c: char| !c.is_alphanumeric());
    let first_word = body
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .next()
        .unwrap_or("");
    let first_word: std::borrow::Cow<str> = if first_word.contains('\u{2019}') {
        first_word.replace('\u{2019}', "'").into()
    } else {
        first_word.into()
    };
    if !OPENING_FIRST_WORDS
        .iter()
        .any(|w| w.eq_ignore_ascii_case(&first_word))
    {
        return false;
    }
    // the openings are short: only the first characters need lower-casing
    let lower: String = sentence
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .take(48)
        .collect::<String>()
        .to_lowercase()
        .replace('\u{2019}', "'");
    OPENINGS.iter().any(|o| {
        let Some(rest) = lower.strip_prefix(o) else {
            return false;
        };
        let next = rest.chars().next();
        let pronoun = o.starts_with("it ")
            || o.starts_with("it'")
            || o.starts_with("they ")
            || o.starts_with("no, ");
        if pronoun {
            // "It isn't: ..." answers the sentence before; "It is not used for eczema" does not
            next.is_none_or(|c| {
                matches!(
                    c,
                    '.' | ':' | ';' | ',' | '!' | '-' | '\u{2014}' | '\u{2013}'
                )
            })
        } else {
            next.is_none_or(|c| !c.is_alphanumeric())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_opening_starts_with_a_listed_first_word() {
        for o in OPENINGS {
            let first = o
                .split(|c: char| !(c.is_alphanumeric() || c == '\''))
                .next()
                .unwrap_or("");
            assert!(OPENING_FIRST_WORDS.contains(&first), "{o}");
        }
    }

    #[test]
    fn refutations_are_recognised_and_other_sentences_are_not() {
        for yes in [
            "That is a myth.",
            "That\u{2019}s wrong.",
            "It isn't.",
            "Fact: eczema is not contagious.",
            "Actually, no.",
            "  \"Not true.\"",
        ] {
            assert!(refutes_previous(yes), "{yes}");
        }
        for no in [
            "It is not used for eczema.",
            "Thatch is a roof.",
            "The skin barrier is weak.",
            "Dupilumab blocks IL-4R\u{3b1}.",
            "",
        ] {
            assert!(!refutes_previous(no), "{no}");
        }
    }
}
