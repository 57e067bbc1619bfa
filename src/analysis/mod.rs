//! The analysis pipeline, free of any protocol: text in, mentions and findings out (UTF-8 byte
//! ranges). Prose is separated from code and markup, terms are matched, sentences are split, and
//! each sentence is read by the claim rules under the context mechanism. In-file switches and the
//! configured severities are applied last.

pub mod ambiguity;
pub mod finding;
pub mod switches;
pub mod table;
pub mod view;

use std::collections::HashMap;
use std::sync::Arc;

use crate::matcher::{Matcher, Mention};
use crate::text::normalize::normalize;
use crate::text::prose::{Format, prose};
use crate::text::sentences::{Sentence, sentences};
use crate::vocab::{EntryId, VocabError, Vocabulary};
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
}

impl Analyzer {
    /// Compiles the matcher for a vocabulary.
    pub fn new(vocab: Arc<Vocabulary>) -> Analyzer {
        let matcher = Arc::new(Matcher::build(&vocab));
        Analyzer { vocab, matcher }
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

    /// Analyses a document.
    pub fn analyze(&self, text: &str, format: Format, settings: &RuleSettings) -> Analysis {
        let prose = prose(text, format);
        let masked = prose.masked.as_str();
        let sentences = sentences(masked);
        let found = self.matcher.find(&normalize(masked), masked);
        let found = ambiguity::resolve(masked, &self.vocab, found);
        // keep mentions that lie within one sentence
        let mut mentions = Vec::with_capacity(found.len());
        let mut s = 0;
        for m in found {
            while s < sentences.len() && sentences[s].range.end <= m.range.start {
                s += 1;
            }
            if sentences
                .get(s)
                .is_some_and(|x| x.range.start <= m.range.start && m.range.end <= x.range.end)
            {
                mentions.push(m);
            }
        }

        let mut findings = Vec::new();
        let enabled = |r: Rule| settings.enabled(r);
        let doc = view::Document {
            text,
            masked,
            vocab: &self.vocab,
            mentions: &mentions,
        };
        let mut m = 0;
        let mut earlier: Vec<EntryId> = Vec::new();
        let mut headers: Option<Vec<String>> = None;
        let mut pending_header: Option<Vec<String>> = None;
        let mut index = 0;
        while index < sentences.len() {
            let block = sentences[index].block;
            let mut last = index;
            while last + 1 < sentences.len() && sentences[last + 1].block == block {
                last += 1;
            }
            let block_range = sentences[index].range.start..sentences[last].range.end;
            earlier.clear();
            if let Some(cells) = table::cells(masked, block_range.clone()) {
                let first = m;
                while m < mentions.len() && mentions[m].range.end <= block_range.end {
                    m += 1;
                }
                self.read_table_row(
                    &doc,
                    &cells,
                    first..m,
                    block,
                    &mut headers,
                    &mut pending_header,
                    &enabled,
                    &mut findings,
                );
                index = last + 1;
                continue;
            }
            headers = None;
            pending_header = None;
            for (k, sentence) in sentences.iter().enumerate().take(last + 1).skip(index) {
                let first = m;
                while m < mentions.len() && mentions[m].range.end <= sentence.range.end {
                    m += 1;
                }
                let mentioned: Vec<EntryId> = mentions[first..m].iter().map(|x| x.entry).collect();
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
                let view = View::new(&doc, first..m, sentence, earlier.clone());
                // "Eczema is autoimmune. That is a myth.": the next sentence takes it back
                let refuted = sentences
                    .get(k + 1)
                    .is_some_and(|next| refutes_previous(&masked[next.range.clone()]));
                let before = findings.len();
                crate::rules::check_sentence(&view, &enabled, &mut findings);
                if refuted {
                    findings.truncate(before);
                }
                earlier.extend(mentions[first..m].iter().map(|x| x.entry));
            }
            index = last + 1;
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
}

impl Analyzer {
    /// Reads one table row: header rows are remembered, data cells are read with the row's
    /// subject (the first thing named in its first cell) and their column header.
    #[allow(clippy::too_many_arguments)]
    fn read_table_row(
        &self,
        doc: &view::Document,
        cells: &[std::ops::Range<usize>],
        row_mentions: std::ops::Range<usize>,
        block: usize,
        headers: &mut Option<Vec<String>>,
        pending_header: &mut Option<Vec<String>>,
        enabled: &dyn Fn(Rule) -> bool,
        findings: &mut Vec<Finding>,
    ) {
        let texts: Vec<String> = cells
            .iter()
            .map(|c| doc.masked[c.clone()].trim().to_lowercase())
            .collect();
        if table::is_separator(doc.masked, cells) {
            *headers = pending_header.take();
            return;
        }
        let Some(header_row) = headers.as_ref() else {
            // a row before the separator is the header
            *pending_header = Some(texts);
            return;
        };
        let (Some(first_cell), true) = (cells.first(), cells.len() > 1) else {
            return;
        };
        let subject = doc.mentions[row_mentions.clone()]
            .iter()
            .find(|x| first_cell.start <= x.range.start && x.range.end <= first_cell.end)
            .map(|x| x.entry);
        let Some(subject) = subject else { return };
        for (k, cell) in cells.iter().enumerate().skip(1) {
            let in_cell: Vec<usize> = row_mentions
                .clone()
                .filter(|&i| {
                    cell.start <= doc.mentions[i].range.start
                        && doc.mentions[i].range.end <= cell.end
                })
                .collect();
            let range = in_cell.first().copied().unwrap_or(row_mentions.end)
                ..in_cell.last().map_or(row_mentions.end, |&l| l + 1);
            let sentence = Sentence {
                range: cell.clone(),
                block,
                question: false,
            };
            let mut view = View::new(doc, range, &sentence, vec![subject]);
            view.table = Some(table::TableCell {
                header: header_row.get(k).cloned().unwrap_or_default(),
            });
            crate::rules::check_sentence(&view, enabled, findings);
        }
    }
}

/// Whether a sentence takes back the one before it: "That is a myth.", "This is not true: ...",
/// "Wrong.", "Fact: it is not contagious."
pub fn refutes_previous(sentence: &str) -> bool {
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
