//! Completion candidates for a text and a cursor, free of any protocol (byte offsets in, entries
//! and labels out). Two sources, context first:
//!
//! - **sentence context**: the words just before the cursor name a drug, a target or a class and a
//!   phrase that asks for its partners: "Tralokinumab blocks ‸" (the drug's targets), "IL-13
//!   inhibitors such as ‸", "drugs that target IL-31 include ‸", "anti-IL-13 ‸" (drugs acting on
//!   the target), "JAK inhibitors such as ‸" (members of the class). The drug, target or class is
//!   found by the core matcher ([`Analyzer::mentions_in`]), never by a list of names here; the
//!   phrase around it is read by a small word grammar. Items already listed before the cursor
//!   ("dupilumab blocks IL-4 and ‸") are left out.
//! - **prefix**: every canonical name, synonym, abbreviation and brand name that starts with the
//!   word being typed (ignoring case; separators like hyphens optional), in the case the user is
//!   typing, exact-case and canonical forms first, shorter first.
//!
//! The prefix index is built once per vocabulary ([`CompletionIndex`]); a request reads only a
//! window of text before the cursor, so its cost does not grow with the document.

use std::collections::HashSet;
use std::ops::Range;

use crate::analysis::Analyzer;
use crate::matcher::Mention;
use crate::vocab::{EntryId, Kind, Vocabulary};

/// How many bytes before the cursor are read for sentence context.
pub const CONTEXT_WINDOW: usize = 400;

/// At most this many prefix items are returned (the list is then marked truncated).
pub const MAX_PREFIX_ITEMS: usize = 60;

/// How a surface form is written in its entry (for ranking).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FormRole {
    /// The canonical name.
    Name,
    /// A brand name.
    Brand,
    /// A synonym.
    Synonym,
    /// An exact-case abbreviation.
    Abbreviation,
    /// An abbreviation that needs the document's support.
    Ambiguous,
}

#[derive(Clone, Debug)]
struct IndexedForm {
    /// Lower-cased form.
    folded: String,
    /// Lower-cased form without separators (hyphens, spaces, dashes).
    loose: String,
    /// The form as written.
    text: String,
    entry: EntryId,
    role: FormRole,
}

/// Every surface form of a vocabulary, sorted for prefix look-up. Build it once per vocabulary.
#[derive(Clone, Debug, Default)]
pub struct CompletionIndex {
    by_folded: Vec<IndexedForm>,
    /// Indices into `by_folded`, sorted by the loose key.
    by_loose: Vec<usize>,
}

fn fold(text: &str) -> String {
    text.to_lowercase()
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        '-' | ' ' | '_' | '\u{2010}'..='\u{2015}' | '\u{00a0}' | '\u{2212}'
    )
}

fn loose(text: &str) -> String {
    text.chars()
        .filter(|c| !is_separator(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

impl CompletionIndex {
    /// Indexes every written form of every entry.
    pub fn new(vocab: &Vocabulary) -> CompletionIndex {
        let mut by_folded = Vec::new();
        for (i, e) in vocab.entries().iter().enumerate() {
            let entry = EntryId(i as u32);
            let mut push = |text: &str, role: FormRole| {
                by_folded.push(IndexedForm {
                    folded: fold(text),
                    loose: loose(text),
                    text: text.to_string(),
                    entry,
                    role,
                });
            };
            push(&e.name, FormRole::Name);
            for s in &e.synonyms {
                push(s, FormRole::Synonym);
            }
            for s in &e.abbreviations {
                push(s, FormRole::Abbreviation);
            }
            for s in &e.ambiguous {
                push(s, FormRole::Ambiguous);
            }
            if let Some(d) = &e.drug {
                for b in &d.brands {
                    push(&b.name, FormRole::Brand);
                }
            }
        }
        by_folded.sort_by(|a, b| a.folded.cmp(&b.folded).then(a.role.cmp(&b.role)));
        let mut by_loose: Vec<usize> = (0..by_folded.len()).collect();
        by_loose.sort_by(|&a, &b| by_folded[a].loose.cmp(&by_folded[b].loose));
        CompletionIndex {
            by_folded,
            by_loose,
        }
    }

    /// Number of indexed forms.
    pub fn len(&self) -> usize {
        self.by_folded.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.by_folded.is_empty()
    }

    fn strict(&self, folded_prefix: &str) -> &[IndexedForm] {
        let start = self
            .by_folded
            .partition_point(|f| f.folded.as_str() < folded_prefix);
        let len = self.by_folded[start..].partition_point(|f| f.folded.starts_with(folded_prefix));
        &self.by_folded[start..start + len]
    }

    fn loose_matches(&self, loose_prefix: &str) -> impl Iterator<Item = &IndexedForm> {
        let start = self
            .by_loose
            .partition_point(|&i| self.by_folded[i].loose.as_str() < loose_prefix);
        self.by_loose[start..]
            .iter()
            .map(|&i| &self.by_folded[i])
            .take_while(move |f| f.loose.starts_with(loose_prefix))
    }

    /// The forms of one entry, best role first.
    fn forms_of(&self, entry: EntryId) -> impl Iterator<Item = &IndexedForm> {
        let mut v: Vec<&IndexedForm> = self.by_folded.iter().filter(|f| f.entry == entry).collect();
        v.sort_by_key(|f| f.role);
        v.into_iter()
    }
}

/// What the sentence before the cursor asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// "<drug> blocks ‸": the drug's targets.
    DrugTargets {
        /// The drug.
        drug: EntryId,
    },
    /// "<target> inhibitors such as ‸", "drugs that target <target> include ‸", "anti-<target> ‸":
    /// the drugs acting on the target.
    TargetDrugs {
        /// The target.
        target: EntryId,
    },
    /// "<class> such as ‸": the members of the class.
    ClassMembers {
        /// The class.
        class: EntryId,
    },
}

/// Where an item comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The sentence context.
    Context,
    /// The typed prefix.
    Prefix,
}

/// One completion candidate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The entry.
    pub entry: EntryId,
    /// The text to insert (and show).
    pub label: String,
    /// Where it comes from.
    pub origin: Origin,
}

/// The candidates at a cursor, best first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completions {
    /// Byte range of the typed word the chosen item replaces (ends at the cursor).
    pub replace: Range<usize>,
    /// The candidates, best first: context items, then prefix items.
    pub items: Vec<Candidate>,
    /// The sentence context found, if any.
    pub context: Option<Context>,
    /// Whether prefix items were cut at [`MAX_PREFIX_ITEMS`].
    pub truncated: bool,
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || c == '\u{2010}' || c == '\u{2011}'
}

/// Start of the word that ends at `offset` (letters, digits, `_` and hyphens).
pub fn word_start(text: &str, offset: usize) -> usize {
    let offset = floor_boundary(text, offset);
    let mut start = offset;
    for (i, c) in text[..offset].char_indices().rev() {
        if is_word_char(c) {
            start = i;
        } else {
            break;
        }
    }
    start
}

/// The label in the case the user is typing: an all-lower-case form gets a capital first letter
/// when the typed word starts with one ("Filag" gives "Filaggrin"); forms with capitals keep them.
fn adapt_case(form: &str, typed: &str) -> String {
    let typed_upper = typed.chars().next().is_some_and(char::is_uppercase);
    let form_lower = !form.chars().any(char::is_uppercase);
    if typed_upper && form_lower {
        let mut chars = form.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    } else {
        form.to_string()
    }
}

/// Completion candidates for `text` with the cursor at byte `offset`.
pub fn complete(
    analyzer: &Analyzer,
    index: &CompletionIndex,
    text: &str,
    offset: usize,
) -> Completions {
    let offset = floor_boundary(text, offset);
    let start = word_start(text, offset);
    let typed = &text[start..offset];
    let mut out = Completions {
        replace: start..offset,
        ..Completions::default()
    };
    let vocab = analyzer.vocab();

    let mut taken: HashSet<EntryId> = HashSet::new();
    if let Some((context, listed)) = find_context(analyzer, text, start) {
        let entries = context_entries(vocab, context, &listed);
        for entry in entries {
            if let Some(label) = label_for(index, entry, typed) {
                taken.insert(entry);
                out.items.push(Candidate {
                    entry,
                    label,
                    origin: Origin::Context,
                });
            }
        }
        if !out.items.is_empty() {
            out.context = Some(context);
        }
    }

    if !typed.is_empty() {
        let (mut prefix, truncated) = prefix_items(index, typed, &taken);
        if prefix.is_empty() {
            // "anti-IL" completes the target after "anti-"
            let lower = typed.to_lowercase();
            if let Some(rest) = lower.strip_prefix("anti-").filter(|r| !r.is_empty()) {
                let cut = typed.len() - rest.len();
                let (p, t) = prefix_items(index, &typed[cut..], &taken);
                if !p.is_empty() {
                    out.replace = start + cut..offset;
                    prefix = p;
                    out.truncated = t;
                }
            }
        } else {
            out.truncated = truncated;
        }
        out.items.extend(prefix);
    }
    out
}

/// The best label of an entry for the typed word: its canonical name when nothing is typed, else
/// the first of its forms (canonical name first) that starts with it.
fn label_for(index: &CompletionIndex, entry: EntryId, typed: &str) -> Option<String> {
    let forms: Vec<&IndexedForm> = index.forms_of(entry).collect();
    if typed.is_empty() {
        return forms.first().map(|f| f.text.clone());
    }
    let folded = fold(typed);
    let l = loose(typed);
    forms
        .iter()
        .find(|f| f.folded.starts_with(&folded))
        .or_else(|| {
            forms
                .iter()
                .find(|f| !l.is_empty() && f.loose.starts_with(&l))
        })
        .map(|f| adapt_case(&f.text, typed))
}

fn prefix_items(
    index: &CompletionIndex,
    typed: &str,
    taken: &HashSet<EntryId>,
) -> (Vec<Candidate>, bool) {
    let folded = fold(typed);
    let l = loose(typed);
    // (strictness, case mismatch, length, role), then the label
    let mut ranked: Vec<((u8, u8, usize, FormRole), Candidate)> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut consider = |f: &IndexedForm, strict: bool, ranked: &mut Vec<_>| {
        if taken.contains(&f.entry) {
            return;
        }
        let label = adapt_case(&f.text, typed);
        if !seen.insert(label.to_lowercase()) {
            return;
        }
        let case_miss = u8::from(!label.starts_with(typed));
        let key = (u8::from(!strict), case_miss, label.chars().count(), f.role);
        ranked.push((
            key,
            Candidate {
                entry: f.entry,
                label,
                origin: Origin::Prefix,
            },
        ));
    };
    for f in index.strict(&folded) {
        consider(f, true, &mut ranked);
    }
    if !l.is_empty() {
        for f in index.loose_matches(&l) {
            consider(f, false, &mut ranked);
        }
    }
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.label.cmp(&b.1.label)));
    let truncated = ranked.len() > MAX_PREFIX_ITEMS;
    ranked.truncate(MAX_PREFIX_ITEMS);
    (ranked.into_iter().map(|(_, c)| c).collect(), truncated)
}

// ---------------------------------------------------------------------------------------------
// Sentence context
// ---------------------------------------------------------------------------------------------

/// Words that may sit between a drug and its verb, or around the verb, without changing the
/// question ("tralokinumab, which selectively blocks ‸").
const FILLERS: &[&str] = &[
    "which",
    "that",
    "also",
    "both",
    "the",
    "to",
    "it",
    "is",
    "a",
    "an",
    "by",
    "and",
    "its",
    "of",
    "on",
    "with",
    "via",
    "through",
    "works",
    "work",
    "acts",
    "act",
    "directed",
    "signalling",
    "signaling",
    "receptor",
    "subunit",
    "cytokine",
    "cytokines",
    "monoclonal",
    "antibody",
    "molecule",
    "drug",
    "medicine",
    "selective",
    "as",
    "well",
    "more",
    "most",
    "key",
];

/// Verbs (and "inhibitor of", "antibody against") after a drug that ask for its targets.
const DRUG_VERBS: &[&str] = &[
    "block",
    "blocks",
    "blocking",
    "blocked",
    "inhibit",
    "inhibits",
    "inhibiting",
    "target",
    "targets",
    "targeting",
    "targetting",
    "bind",
    "binds",
    "binding",
    "neutralise",
    "neutralises",
    "neutralising",
    "neutralize",
    "neutralizes",
    "neutralizing",
    "antagonise",
    "antagonises",
    "antagonize",
    "antagonizes",
    "against",
    "inhibitor",
    "antagonist",
    "blocker",
];

/// Passive participles: "<target> is blocked by ‸" asks for drugs.
const PASSIVE_VERBS: &[&str] = &[
    "targeted",
    "targetted",
    "blocked",
    "inhibited",
    "bound",
    "neutralised",
    "neutralized",
    "antagonised",
    "antagonized",
];

/// Singular nouns that, right after a class or target, name one drug to come: "the JAK
/// inhibitor ‸", "an IL-13 antibody ‸".
const SINGULAR_DRUG_NOUNS: &[&str] = &[
    "inhibitor",
    "antagonist",
    "blocker",
    "antibody",
    "biologic",
    "drug",
    "medicine",
];

/// Words that introduce examples of a class or of the drugs acting on a target.
const INTRODUCERS: &[&[&str]] = &[
    &["such", "as"],
    &["like"],
    &["including"],
    &["include"],
    &["includes"],
    &["e.g."],
    &["eg"],
    &["for", "example"],
    &["for", "instance"],
    &["namely"],
    &["especially"],
    &["notably"],
    &["incl."],
    &[":"],
    &["("],
    &["are"],
];

/// Nouns (and noun-like participles) that make a target phrase ask for drugs: "IL-13
/// inhibitors such as ‸", "IL-31-targeting biologics like ‸".
const DRUG_NOUNS: &[&str] = &[
    "inhibitor",
    "inhibitors",
    "blocker",
    "blockers",
    "antagonist",
    "antagonists",
    "antibody",
    "antibodies",
    "drug",
    "drugs",
    "medicine",
    "medicines",
    "medication",
    "medications",
    "therapy",
    "therapies",
    "biologic",
    "biologics",
    "agent",
    "agents",
    "treatment",
    "treatments",
    "mabs",
    "targeting",
    "targetting",
    "blocking",
    "directed",
    "inhibiting",
    "targeted",
    "monoclonal",
    "selective",
    "oral",
    "topical",
    "injectable",
    "approved",
    "newer",
    "new",
    "other",
    "the",
    "and",
    "or",
    "of",
];

/// Verbs before a target that make "<target> include ‸" ask for drugs ("drugs that target IL-31
/// include ‸").
const TARGET_VERBS: &[&str] = &[
    "target",
    "targets",
    "targeting",
    "targetting",
    "block",
    "blocks",
    "blocking",
    "inhibit",
    "inhibits",
    "inhibiting",
    "against",
    "on",
    "bind",
    "binds",
    "binding",
    "neutralise",
    "neutralize",
    "neutralising",
    "neutralizing",
    "antagonise",
    "antagonize",
    "anti",
];

/// Words that join items of a list.
const LIST_JOINERS: &[&str] = &[",", "and", "or", "/", "&", "plus", "as", "well", "nor"];

/// Splits a gap of text into lower-case word and punctuation tokens. `None` when it holds a
/// sentence end or anything that is neither (a digit run is a word).
fn tokens(gap: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for raw in gap.split_whitespace() {
        let mut word = raw.to_lowercase();
        let mut tail = Vec::new();
        // leading punctuation
        while let Some(c) = word.chars().next() {
            if matches!(
                c,
                '(' | ',' | ':' | ';' | '-' | '\u{2010}' | '\u{2011}' | '\u{2013}'
            ) {
                if c != '-' && c != '\u{2010}' && c != '\u{2011}' && c != '\u{2013}' {
                    out.push(c.to_string());
                }
                word.drain(..c.len_utf8());
            } else {
                break;
            }
        }
        // trailing punctuation
        while let Some(c) = word.chars().next_back() {
            if matches!(c, ',' | ':' | '(' | ';') {
                tail.push(c.to_string());
                word.pop();
            } else {
                break;
            }
        }
        if !word.is_empty() {
            if word.ends_with('.') && !matches!(word.as_str(), "e.g." | "i.e." | "incl." | "eg.") {
                return None;
            }
            if word.contains(['!', '?', ')', '"']) {
                return None;
            }
            if word == "eg." {
                word = "e.g.".to_string();
            }
            out.push(word);
        }
        out.extend(tail.into_iter().rev());
    }
    if out.iter().any(|t| t == ";") {
        return None;
    }
    Some(out)
}

fn is_filler(t: &str) -> bool {
    FILLERS.contains(&t) || (t.len() > 4 && t.ends_with("ly")) || t == ","
}

/// Strips trailing commas, colons or an opening bracket after an introducer ("e.g.,").
fn strip_trailing_punct(t: &[String]) -> &[String] {
    let mut t = t;
    while let Some(last) = t.last() {
        if (last == "," || last == ":" || last == "(") && t.len() > 1 {
            t = &t[..t.len() - 1];
        } else {
            break;
        }
    }
    t
}

/// If the tokens end with an introducer, the tokens before it.
fn before_introducer(t: &[String]) -> Option<&[String]> {
    let t = strip_trailing_punct(t);
    for intro in INTRODUCERS {
        if t.len() >= intro.len()
            && t[t.len() - intro.len()..]
                .iter()
                .zip(intro.iter())
                .all(|(a, b)| a == b)
        {
            return Some(&t[..t.len() - intro.len()]);
        }
    }
    None
}

fn is_target_kind(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Cytokine | Kind::Receptor | Kind::Enzyme | Kind::Protein | Kind::Gene | Kind::Pathway
    )
}

/// Lower-case words of the few words before a mention.
fn words_before(text: &str, n: usize) -> Vec<String> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    let from = words.len().saturating_sub(n);
    words[from..].to_vec()
}

/// The last word before a mention, lower-cased ("anti" for "anti-IL-13").
fn before_tail_word(before: &str) -> String {
    // a mention glued to a letter or digit has no separate word before it
    if before
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
    {
        return String::new();
    }
    before
        .trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2013}')
        })
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .next()
        .unwrap_or("")
        .to_lowercase()
}

fn ends_with_anti(before: &str) -> bool {
    let lower = before.to_lowercase();
    [
        "anti-",
        "anti\u{2010}",
        "anti\u{2011}",
        "anti\u{2013}",
        "anti ",
    ]
    .iter()
    .any(|a| lower.ends_with(a))
}

fn classify(vocab: &Vocabulary, m: &Mention, gap: &[String], before: &str) -> Option<Context> {
    let kind = vocab.entry(m.entry).kind;
    match kind {
        Kind::Drug => {
            // "acts on", "works on" count as a verb
            let acts_on = |i: usize| {
                gap[i] == "on"
                    && i > 0
                    && matches!(
                        gap[i - 1].as_str(),
                        "acts" | "act" | "acting" | "works" | "work"
                    )
            };
            let verb =
                (0..gap.len()).find(|&i| DRUG_VERBS.contains(&gap[i].as_str()) || acts_on(i))?;
            let ok = gap
                .iter()
                .enumerate()
                .all(|(i, t)| i == verb || is_filler(t) || DRUG_VERBS.contains(&t.as_str()));
            (ok && gap.len() <= 8).then_some(Context::DrugTargets { drug: m.entry })
        }
        Kind::DrugClass => {
            // "the JAK inhibitor ‸": a singular class name right before the cursor
            if gap.is_empty() {
                let singular = vocab.entry(m.entry).name.to_lowercase();
                let written = before_tail_word(before);
                return (!singular.ends_with('s')
                    && matches!(written.as_str(), "the" | "a" | "an" | "topical" | "oral"))
                .then_some(Context::ClassMembers { class: m.entry });
            }
            let rest = before_introducer(gap)?;
            let ok = rest.len() <= 3
                && rest.iter().all(|t| {
                    t == "," || t == "(" || DRUG_NOUNS.contains(&t.as_str()) || is_filler(t)
                });
            ok.then_some(Context::ClassMembers { class: m.entry })
        }
        k if is_target_kind(k) => {
            if gap.is_empty() {
                return ends_with_anti(before).then_some(Context::TargetDrugs { target: m.entry });
            }
            // "<target> is blocked by ‸"
            if gap.last().is_some_and(|t| t == "by")
                && gap.iter().any(|t| PASSIVE_VERBS.contains(&t.as_str()))
            {
                let ok = gap.iter().all(|t| {
                    t == "by"
                        || PASSIVE_VERBS.contains(&t.as_str())
                        || is_filler(t)
                        || t == "are"
                        || t == "can"
                        || t == "be"
                });
                return (ok && gap.len() <= 6).then_some(Context::TargetDrugs { target: m.entry });
            }
            // "an IL-13 antibody ‸"
            if gap.len() == 1 && SINGULAR_DRUG_NOUNS.contains(&gap[0].as_str()) {
                return matches!(
                    before_tail_word(before).as_str(),
                    "the" | "a" | "an" | "anti"
                )
                .then_some(Context::TargetDrugs { target: m.entry });
            }
            let rest = before_introducer(gap)?;
            if rest.len() > 4
                || !rest.iter().all(|t| {
                    t == "," || t == "(" || DRUG_NOUNS.contains(&t.as_str()) || is_filler(t)
                })
            {
                return None;
            }
            let noun = rest.iter().any(|t| {
                DRUG_NOUNS.contains(&t.as_str())
                    && !matches!(
                        t.as_str(),
                        "the"
                            | "and"
                            | "or"
                            | "of"
                            | "other"
                            | "new"
                            | "newer"
                            | "approved"
                            | "oral"
                            | "topical"
                            | "injectable"
                            | "selective"
                            | "monoclonal"
                    )
            });
            let verb_before = ends_with_anti(before)
                || words_before(before, 4)
                    .iter()
                    .any(|w| TARGET_VERBS.contains(&w.as_str()));
            (noun || verb_before).then_some(Context::TargetDrugs { target: m.entry })
        }
        _ => None,
    }
}

/// Finds the context at `word_start`, with the entries already listed after the anchor.
fn find_context(
    analyzer: &Analyzer,
    text: &str,
    word_start: usize,
) -> Option<(Context, Vec<EntryId>)> {
    let from = floor_boundary(text, word_start.saturating_sub(CONTEXT_WINDOW));
    let mut window = &text[from..word_start];
    // a blank line ends a paragraph: nothing before it counts
    if let Some(i) = window
        .rfind("\n\n")
        .or_else(|| window.rfind("\r\n\r\n"))
        .or_else(|| window.rfind("\r\r"))
    {
        window = &window[i..];
    }
    let mentions = analyzer.mentions_in(window);
    let vocab = analyzer.vocab();
    let mut end = window.len();
    let mut listed = Vec::new();
    for m in mentions.iter().rev().take(12) {
        if m.range.end > end {
            continue;
        }
        let gap = tokens(&window[m.range.end..end])?;
        let joiner = !gap.is_empty() && gap.iter().all(|t| LIST_JOINERS.contains(&t.as_str()));
        if joiner {
            listed.push(m.entry);
            end = m.range.start;
            continue;
        }
        return classify(vocab, m, &gap, &window[..m.range.start]).map(|c| (c, listed));
    }
    None
}

/// The entries a context offers, best first, without those already listed.
pub fn context_entries(vocab: &Vocabulary, context: Context, listed: &[EntryId]) -> Vec<EntryId> {
    let mut out: Vec<EntryId> = Vec::new();
    let push = |id: EntryId, out: &mut Vec<EntryId>| {
        if !out.contains(&id) && !listed.contains(&id) {
            out.push(id);
        }
    };
    match context {
        Context::DrugTargets { drug } => {
            if let Some(d) = &vocab.entry(drug).drug {
                for &t in d.targets.iter().chain(&d.blocks_signalling_of) {
                    push(t, &mut out);
                }
            }
        }
        Context::TargetDrugs { target } => {
            let mut groups: [Vec<EntryId>; 3] = Default::default();
            let add = |drugs: &[EntryId], on: EntryId, groups: &mut [Vec<EntryId>; 3]| {
                for &d in drugs {
                    let direct = vocab
                        .entry(d)
                        .drug
                        .as_ref()
                        .is_some_and(|f| f.targets.contains(&on));
                    let g = if on != target {
                        2
                    } else if direct {
                        0
                    } else {
                        1
                    };
                    groups[g].push(d);
                }
            };
            add(vocab.drugs_acting_on(target), target, &mut groups);
            for &r in vocab.receptors_of(target) {
                add(vocab.drugs_acting_on(r), r, &mut groups);
            }
            for g in &mut groups {
                sort_drugs(vocab, g, None);
            }
            for d in groups.into_iter().flatten() {
                push(d, &mut out);
            }
        }
        Context::ClassMembers { class } => {
            let mut members = vocab.class_members(class).to_vec();
            sort_drugs(vocab, &mut members, Some(class));
            for d in members {
                push(d, &mut out);
            }
        }
    }
    out
}

/// Orders drugs: direct members of the class first, then approved drugs, then those with more
/// recorded approvals; vocabulary order otherwise.
fn sort_drugs(vocab: &Vocabulary, drugs: &mut [EntryId], class: Option<EntryId>) {
    drugs.sort_by_key(|&d| {
        let facts = vocab.entry(d).drug.as_ref();
        let direct = class.is_none_or(|c| facts.is_some_and(|f| f.classes.contains(&c)));
        let approved = facts.and_then(|f| f.status.as_deref()) == Some("approved")
            || facts.is_some_and(|f| !f.approvals.is_empty());
        let approvals = facts.map_or(0, |f| f.approvals.len());
        (!direct, !approved, std::cmp::Reverse(approvals), d)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer() -> Analyzer {
        Analyzer::embedded().unwrap_or_else(|e| panic!("embedded vocabulary: {e:?}"))
    }

    /// Labels at the cursor marked `‸`.
    fn labels(a: &Analyzer, marked: &str) -> Vec<String> {
        let at = marked.find('‸').unwrap_or(marked.len());
        let text = marked.replace('‸', "");
        let index = CompletionIndex::new(a.vocab());
        complete(a, &index, &text, at)
            .items
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    fn top(a: &Analyzer, marked: &str, n: usize) -> Vec<String> {
        labels(a, marked).into_iter().take(n).collect()
    }

    #[test]
    fn word_start_takes_hyphens_and_greek() {
        assert_eq!(word_start("take IL-4Rα", 12), 5);
        assert_eq!(word_start("x dupi", 6), 2);
        assert_eq!(word_start("x ", 2), 2);
        // inside a multi-byte character rounds down
        assert_eq!(word_start("α", 1), 0);
    }

    #[test]
    fn prefix_generic_name() {
        let a = analyzer();
        assert_eq!(top(&a, "Patient started on dupi‸", 1), vec!["dupilumab"]);
    }

    #[test]
    fn prefix_brand_name_keeps_its_case() {
        let a = analyzer();
        assert_eq!(top(&a, "Switched to Rinv‸", 1), vec!["Rinvoq"]);
        assert_eq!(top(&a, "Switched to rinv‸", 1), vec!["Rinvoq"]);
    }

    #[test]
    fn prefix_capitalised_at_sentence_start() {
        let a = analyzer();
        assert_eq!(top(&a, "Filag‸", 1), vec!["Filaggrin"]);
        assert_eq!(top(&a, "loss of filag‸", 1), vec!["filaggrin"]);
    }

    #[test]
    fn prefix_is_sorted_shorter_first_and_replaces_the_word() {
        let a = analyzer();
        let index = CompletionIndex::new(a.vocab());
        let text = "raised IL-1";
        let c = complete(&a, &index, text, text.len());
        assert_eq!(c.replace, 7..11);
        assert!(c.context.is_none());
        let l: Vec<&str> = c.items.iter().map(|i| i.label.as_str()).collect();
        assert!(l.contains(&"IL-13"), "{l:?}");
        assert!(
            l.iter()
                .all(|x| x.to_lowercase().replace(['-', ' '], "").starts_with("il1")),
            "{l:?}"
        );
        let lens: Vec<usize> = c
            .items
            .iter()
            .filter(|i| i.label.starts_with("IL-1"))
            .map(|i| i.label.chars().count())
            .collect();
        assert!(lens.windows(2).all(|w| w[0] <= w[1]), "{l:?}");
    }

    #[test]
    fn prefix_without_separators() {
        let a = analyzer();
        let l = labels(&a, "raised IL4‸");
        assert_eq!(l.first().map(String::as_str), Some("IL-4"), "{l:?}");
    }

    #[test]
    fn non_ascii_prefix() {
        let a = analyzer();
        let l = labels(&a, "blocks IL-4Rα‸");
        assert!(l.iter().any(|x| x == "IL-4Rα"), "{l:?}");
    }

    #[test]
    fn nothing_for_an_empty_word_without_context() {
        let a = analyzer();
        assert!(labels(&a, "The patient ‸").is_empty());
        assert!(labels(&a, "").is_empty());
    }

    #[test]
    fn drug_blocks_gives_its_targets() {
        let a = analyzer();
        let l = top(&a, "Tralokinumab blocks ‸", 5);
        assert_eq!(l.first().map(String::as_str), Some("IL-13"), "{l:?}");
        assert!(!l.contains(&"IL-31".to_string()), "{l:?}");
        // brand name, other verbs, fillers
        for s in [
            "Adbry selectively neutralises ‸",
            "tralokinumab, which binds ‸",
            "Tralokinumab targets ‸",
            "Tralokinumab inhibits ‸",
            "Tralokinumab neutralizes ‸",
        ] {
            assert_eq!(top(&a, s, 1), vec!["IL-13"], "{s}");
        }
    }

    #[test]
    fn dupilumab_targets_receptor_first_then_cytokines() {
        let a = analyzer();
        let l = top(&a, "Dupilumab blocks ‸", 3);
        assert_eq!(l, vec!["IL-4Rα", "IL-4", "IL-13"]);
        // already listed items are dropped
        let l = top(&a, "Dupilumab blocks IL-4 and ‸", 3);
        assert!(!l.contains(&"IL-4".to_string()), "{l:?}");
        assert!(l.contains(&"IL-13".to_string()), "{l:?}");
    }

    #[test]
    fn context_works_after_first_letters() {
        let a = analyzer();
        let index = CompletionIndex::new(a.vocab());
        let text = "Tralokinumab blocks IL";
        let c = complete(&a, &index, text, text.len());
        assert_eq!(c.context.map(|_| ()), Some(()));
        assert_eq!(c.items[0].label, "IL-13");
        assert_eq!(c.items[0].origin, Origin::Context);
        assert_eq!(c.replace, 20..22);
        // the context item is not repeated among prefix items
        assert_eq!(c.items.iter().filter(|i| i.label == "IL-13").count(), 1);
        let text = "Tralokinumab blocks interl";
        let c = complete(&a, &index, text, text.len());
        assert_eq!(c.items[0].label, "interleukin-13");
    }

    #[test]
    fn target_gives_drugs() {
        let a = analyzer();
        for s in [
            "Drugs that target IL-31 include ‸",
            "IL-31 inhibitors such as ‸",
            "anti-IL-31 ‸",
        ] {
            let l = top(&a, s, 5);
            assert!(l.contains(&"nemolizumab".to_string()), "{s}: {l:?}");
            assert!(!l.contains(&"dupilumab".to_string()), "{s}: {l:?}");
        }
        let l = top(&a, "IL-13 inhibitors such as ‸", 5);
        let mut first_two = l[..2].to_vec();
        first_two.sort();
        assert_eq!(first_two, vec!["lebrikizumab", "tralokinumab"], "{l:?}");
        assert!(l.contains(&"dupilumab".to_string()), "{l:?}");
        let direct = l.iter().position(|x| x == "tralokinumab").unwrap_or(99);
        let via_receptor = l.iter().position(|x| x == "dupilumab").unwrap_or(0);
        assert!(direct < via_receptor, "{l:?}");
        let l = top(&a, "Treatment with anti-IL-13 ‸", 5);
        assert!(l.contains(&"lebrikizumab".to_string()), "{l:?}");
        assert!(!l.contains(&"nemolizumab".to_string()), "{l:?}");
    }

    #[test]
    fn class_gives_members() {
        let a = analyzer();
        for s in [
            "JAK inhibitors such as ‸",
            "Oral JAK inhibitors, e.g. ‸",
            "JAK inhibitors including ‸",
            "JAK inhibitors like up‸",
        ] {
            let l = top(&a, s, 5);
            assert!(
                l.iter()
                    .any(|x| ["upadacitinib", "abrocitinib", "baricitinib"].contains(&x.as_str())),
                "{s}: {l:?}"
            );
            assert!(!l.contains(&"dupilumab".to_string()), "{s}: {l:?}");
        }
        let l = labels(&a, "JAK inhibitors such as upadacitinib, ‸");
        assert!(!l.contains(&"upadacitinib".to_string()), "{l:?}");
        assert!(l.contains(&"abrocitinib".to_string()), "{l:?}");
    }

    #[test]
    fn more_phrasings() {
        let a = analyzer();
        assert_eq!(
            top(&a, "Upadacitinib is a selective inhibitor of ‸", 1),
            vec!["JAK1"]
        );
        assert_eq!(
            top(&a, "Lebrikizumab is an antibody against ‸", 1),
            vec!["IL-13"]
        );
        assert_eq!(top(&a, "Nemolizumab acts on ‸", 1), vec!["IL-31RA"]);
        let l = top(&a, "IL-13 is blocked by ‸", 5);
        assert!(
            l.contains(&"tralokinumab".to_string()) && !l.contains(&"nemolizumab".to_string()),
            "{l:?}"
        );
        let l = top(&a, "She was started on the JAK inhibitor ‸", 5);
        assert!(
            l.contains(&"upadacitinib".to_string()) && !l.contains(&"dupilumab".to_string()),
            "{l:?}"
        );
        let l = top(&a, "Treatment with an IL-13 antibody ‸", 5);
        assert!(l.contains(&"lebrikizumab".to_string()), "{l:?}");
        // a plural class followed by a space is not a list
        assert!(labels(&a, "JAK inhibitors ‸").is_empty());
    }

    #[test]
    fn no_context_across_a_sentence_end_or_without_a_trigger() {
        let a = analyzer();
        assert!(labels(&a, "Tralokinumab was started. It blocks ‸").is_empty());
        assert!(labels(&a, "Tralokinumab was started and ‸").is_empty());
        assert!(labels(&a, "IL-13 levels were ‸").is_empty());
        assert!(labels(&a, "Tralokinumab blocks.\n\nThe ‸").is_empty());
    }

    #[test]
    fn case_adaptation() {
        assert_eq!(adapt_case("filaggrin", "Fil"), "Filaggrin");
        assert_eq!(adapt_case("filaggrin", "fil"), "filaggrin");
        assert_eq!(adapt_case("IL-13", "il"), "IL-13");
        assert_eq!(adapt_case("Dupixent", "dup"), "Dupixent");
        assert_eq!(adapt_case("éczéma", "É"), "Éczéma");
    }
}
