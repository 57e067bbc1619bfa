//! `autoimmune-misnomer`: a condition that is not autoimmune (atopic dermatitis / eczema) described
//! as autoimmune, by copula ("eczema is autoimmune"), appositive ("eczema, an autoimmune
//! condition"), adjective ("autoimmune eczema"), "as an autoimmune disorder, AD ...", examples
//! ("autoimmune diseases such as eczema") or cause ("eczema is caused by an autoimmune reaction").

use super::common::{capitalize, cite, list_from, subject_before};
use crate::analysis::finding::{Finding, Rule};
use crate::analysis::view::{Tok, View};
use crate::vocab::{EntryId, Kind};

/// Nouns "autoimmune" may qualify while still describing the subject.
const HEADS: &[&str] = &[
    "disease",
    "diseases",
    "disorder",
    "disorders",
    "condition",
    "conditions",
    "illness",
    "illnesses",
    "problem",
    "problems",
    "process",
    "processes",
    "reaction",
    "reactions",
    "response",
    "responses",
    "attack",
    "attacks",
    "origin",
    "nature",
    "skin",
    "inflammatory",
    "type",
    "form",
    "kind",
    "basis",
    "mechanism",
    "dermatitis",
    "rash",
    "dermatosis",
    "dermatoses",
    "inflammation",
    "component",
];

/// Function words that may follow a predicative "autoimmune" ("eczema is autoimmune in origin",
/// "... autoimmune today"): they show that no noun of another condition follows.
const FOLLOWERS: &[&str] = &[
    "and", "or", "but", "in", "rather", "than", "as", "at", "by", "for", "from", "because",
    "since", "so", "if", "when", "while", "whereas", "though", "although", "which", "that", "too",
    "also", "either", "itself", "today", "now", "then", "anyway", "after", "all", "like", "with",
    "to", "after", "either", "not", "nor",
];

/// Words that may stand between the condition and "autoimmune".
const BRIDGE: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "be",
    "being",
    "been",
    "'s",
    "remains",
    "remain",
    "becomes",
    "classified",
    "regarded",
    "described",
    "defined",
    "categorized",
    "categorised",
    "labelled",
    "labeled",
    "known",
    "viewed",
    "counted",
    "listed",
    "called",
    "as",
    "a",
    "an",
    "the",
    "truly",
    "really",
    "actually",
    "basically",
    "essentially",
    "fundamentally",
    "primarily",
    "mainly",
    "mostly",
    "largely",
    "also",
    "itself",
    "chronic",
    "common",
    "inflammatory",
    "skin",
    "type",
    "kind",
    "form",
    "of",
    "caused",
    "by",
    "results",
    "result",
    "resulting",
    "from",
    "due",
    "to",
    "stems",
    "stem",
    "driven",
    "arises",
    "arise",
    "comes",
    "come",
    "triggered",
    "in",
    "fact",
    "nature",
    "true",
    "classic",
    "typical",
    "lifelong",
    "systemic",
    "its",
    "core",
    "at",
    "heart",
    "purely",
    "entirely",
    "completely",
    "simply",
    "just",
    "definitely",
    "certainly",
    "clearly",
    "indeed",
    "rather",
    "more",
    "than",
    "like",
    "other",
    "any",
    "all",
    "one",
    "example",
    "considered",
    "generally",
    "widely",
    "now",
    "today",
    "s",
    "both",
    "partly",
    "partially",
    "ultimately",
    "probably",
    "relapsing",
    "remitting",
    "relapsing-remitting",
    "recurrent",
    "long-term",
    "long-lasting",
    "persistent",
    "itchy",
    "severe",
    "mild",
    "moderate",
    "moderate-to-severe",
    "genetic",
    "hereditary",
    "inherited",
    "complex",
    "multifactorial",
    "mediated",
    "primary",
    "cutaneous",
    "dermatological",
    "dermatologic",
    "childhood",
    "paediatric",
    "pediatric",
    "allergic",
    "and",
    "disease",
    "condition",
    "disorder",
];

/// Column headers under which a cell classifies the row's condition.
const TABLE_HEADERS: &[&str] = &[
    "mechanism",
    "type",
    "classification",
    "category",
    "class",
    "kind",
    "nature",
    "cause",
    "pathophysiology",
    "immunology",
    "process",
    "autoimmune",
];

/// "autoimmune-driven": compounds that still call the subject autoimmune.
const COMPOUND_TAILS: &[&str] = &["driven", "mediated", "based", "type"];

fn not_autoimmune(v: &View, e: EntryId) -> bool {
    let entry = v.vocab.entry(e);
    entry.kind == Kind::Condition
        && entry
            .condition
            .as_ref()
            .is_some_and(|c| c.autoimmune == Some(false))
}

/// The "autoimmune" predicate at token `i`: its byte range (the word itself) and whether it is a
/// bare adjective that a following noun could take away from the subject.
fn predicate_at(v: &View, i: usize) -> Option<(std::ops::Range<usize>, bool)> {
    match &v.toks[i].0 {
        Tok::Word(w) if matches!(w.as_str(), "autoimmune" | "auto-immune" | "autoimmunity") => {
            Some((v.range(i), w != "autoimmunity"))
        }
        Tok::Word(w)
            if w.strip_prefix("autoimmune-")
                .or_else(|| w.strip_prefix("auto-immune-"))
                .is_some_and(|tail| COMPOUND_TAILS.contains(&tail)) =>
        {
            Some((v.range(i), false))
        }
        Tok::Term(_, e) if v.vocab.entry(*e).kind == Kind::Concept => {
            let text = v.source_text(i);
            let lower = text.to_lowercase();
            if !lower.starts_with("autoimmun") && !lower.starts_with("auto-immun") {
                return None;
            }
            let word_len = text
                .char_indices()
                .find(|&(_, c)| !(c.is_alphanumeric() || c == '-'))
                .map_or(text.len(), |(k, _)| k);
            let r = v.range(i);
            Some((r.start..r.start + word_len, false))
        }
        _ => None,
    }
}

/// Checks one sentence.
pub fn check(v: &View, out: &mut Vec<Finding>) {
    for i in 0..v.len() {
        let Some((range, bare_adjective)) = predicate_at(v, i) else {
            continue;
        };
        // "non-autoimmune disease"
        if v.in_compound(i) {
            continue;
        }
        let want = |e: EntryId| not_autoimmune(v, e);
        // "autoimmune" must describe the subject, not a noun after it ("autoimmune thyroiditis",
        // "autoimmune comorbidities").
        let next_subject = v.entry_at(i + 1).filter(|&e| want(e));
        if bare_adjective && next_subject.is_none() {
            let free = match v.toks.get(i + 1).map(|t| &t.0) {
                None | Some(Tok::Punct(_)) => true,
                Some(Tok::Word(w)) => {
                    HEADS.contains(&w.as_str()) || FOLLOWERS.contains(&w.as_str())
                }
                Some(Tok::Term(..)) => false,
            };
            if !free {
                continue;
            }
        }
        let subject = next_subject
            .map(|e| (e, i + 1))
            .or_else(|| {
                subject_before(v, i, BRIDGE, &[',', '(', ')', '-', ':'], 12, &want, &|_| {
                    false
                })
                .map(|s| (s.entry, s.token))
            })
            .or_else(|| as_a_x_then_subject(v, i, &want))
            .or_else(|| examples_after(v, i, &want))
            .or_else(|| nature_of(v, i, &want))
            .or_else(|| and_other(v, i, &want))
            // "| Atopic dermatitis | Autoimmune |" under a "Mechanism" column
            .or_else(|| v.table_subject(TABLE_HEADERS, &want).map(|e| (e, i)));
        let Some((entry, _)) = subject else {
            continue;
        };
        if !v.asserted(i..i + 1, None) {
            continue;
        }
        let e = v.vocab.entry(entry);
        let source = e
            .condition
            .as_ref()
            .and_then(|c| c.autoimmune_source.clone())
            .or_else(|| e.sources.first().cloned());
        let replacement = match v.word(i) {
            Some("autoimmune" | "auto-immune") => Some("immune-mediated".to_string()),
            Some(_) => None,
            None => Some("immune-mediated".to_string()),
        };
        out.push(Finding {
            rule: Rule::AutoimmuneMisnomer,
            severity: Rule::AutoimmuneMisnomer.default_severity(),
            range,
            message: format!(
                "{} is not an autoimmune disease: it is immune-mediated. The immune system over-reacts to allergens, irritants and microbes; it does not attack the body's own tissue as in lupus or pemphigus. Write \"immune-mediated\".{}",
                capitalize(&e.name),
                cite(source.as_ref())
            ),
            replacement,
            source,
        });
    }
}

/// "As an autoimmune disorder, AD needs ...": the subject follows.
fn as_a_x_then_subject(
    v: &View,
    i: usize,
    want: &dyn Fn(EntryId) -> bool,
) -> Option<(EntryId, usize)> {
    let article = i.checked_sub(1)?;
    let as_at = if v.is_word(article, &["a", "an"]) {
        article.checked_sub(1)?
    } else {
        article
    };
    if !v.is_word(as_at, &["as"]) {
        return None;
    }
    let mut j = i + 1;
    while j < v.len() && (v.is_word(j, HEADS) || v.is_punct(j, ',')) {
        j += 1;
    }
    v.entry_at(j).filter(|&e| want(e)).map(|e| (e, j))
}

/// "autoimmune diseases such as eczema", "autoimmune conditions like AD and psoriasis".
fn examples_after(v: &View, i: usize, want: &dyn Fn(EntryId) -> bool) -> Option<(EntryId, usize)> {
    let mut j = i + 1;
    while j < v.len() && v.is_word(j, HEADS) {
        j += 1;
    }
    let intro = if v.is_word(j, &["such"]) && v.is_word(j + 1, &["as"]) {
        j + 2
    } else if v.is_word(j, &["like", "including", "include", "includes"]) || v.is_punct(j, '(') {
        j + 1
    } else {
        return None;
    };
    let items = list_from(v, intro, &["the", "e.g", "eg"], &|_| true);
    // a list of several items must be closed by "and" / "or", or "lupus, eczema is ..." would read
    // as a list
    let joined_by_conjunction = items.len() <= 1
        || (items[0]..=*items.last().unwrap_or(&items[0])).any(|k| v.is_word(k, &["and", "or"]));
    let items: Vec<usize> = if joined_by_conjunction {
        items
    } else {
        items.into_iter().take(1).collect()
    };
    items
        .into_iter()
        .find_map(|k| v.entry_at(k).filter(|&e| want(e)).map(|e| (e, k)))
}

/// "the autoimmune nature of atopic dermatitis", "the autoimmune origin of eczema".
fn nature_of(v: &View, i: usize, want: &dyn Fn(EntryId) -> bool) -> Option<(EntryId, usize)> {
    const NOUNS: &[&str] = &[
        "nature",
        "origin",
        "origins",
        "basis",
        "cause",
        "causes",
        "mechanism",
        "mechanisms",
        "roots",
        "response",
        "responses",
        "process",
        "processes",
        "reaction",
        "attack",
        "inflammation",
        "component",
        "side",
    ];
    const LINKS: &[&str] = &[
        "of",
        "behind",
        "in",
        "underlying",
        "driving",
        "causing",
        "that",
        "which",
        "drives",
        "causes",
        "underlies",
        "of",
    ];
    // "autoimmune response behind eczema" may be one vocabulary term ("autoimmune response")
    let link = if v.entry_at(i).is_some() {
        i + 1
    } else {
        i + 2
    };
    if (link == i + 2 && !v.is_word(i + 1, NOUNS)) || !v.is_word(link, LINKS) {
        return None;
    }
    let mut j = link + 1;
    while v.is_word(j, &["the", "drives", "causes", "underlies", "behind"]) {
        j += 1;
    }
    v.entry_at(j).filter(|&e| want(e)).map(|e| (e, j))
}

/// "eczema, psoriasis and other autoimmune conditions": the items before "and other".
fn and_other(v: &View, i: usize, want: &dyn Fn(EntryId) -> bool) -> Option<(EntryId, usize)> {
    if i < 2 || !v.is_word(i - 1, &["other"]) || !v.is_word(i - 2, &["and", "or"]) {
        return None;
    }
    let mut k = i - 2;
    while k > 0 {
        k -= 1;
        match v.entry_at(k) {
            Some(e) if want(e) => return Some((e, k)),
            Some(_) => {}
            None if v.is_punct(k, ',') => {}
            None => return None,
        }
    }
    None
}
