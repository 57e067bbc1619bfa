//! `outdated-status`: an approval status that is no longer true: "nemolizumab is still in
//! development for AD", "lebrikizumab has not yet been approved for eczema", "tapinarof is awaiting
//! FDA approval". The message gives the agency and the date of the decision that made it stale.
//!
//! The statement is read for one agency: the one the sentence names (FDA / US, EMA / EU / Europe,
//! PMDA / Japan, MHRA / UK), else the FDA. It is left alone when it speaks of the past ("was
//! investigational in 2019"), of a population ("not approved for children under 2") or when the
//! drug has no recorded approval by that agency for the condition named.

use super::common::{capitalize, subject_before};
use crate::analysis::finding::{Finding, Rule};
use crate::analysis::view::View;
use crate::vocab::model::Approval;
use crate::vocab::{EntryId, Kind};

/// Status phrases (lower-case words). Triggers inside them ("not", "may") are part of the claim.
const PHRASES: &[&str] = &[
    "in development",
    "still in development",
    "in clinical development",
    "under development",
    "in late-stage development",
    "in late stage development",
    "in clinical trials",
    "in trials",
    "in phase 2",
    "in phase 3",
    "in phase ii",
    "in phase iii",
    "in phase 3 trials",
    "in phase iii trials",
    "investigational",
    "an investigational drug",
    "an investigational treatment",
    "experimental",
    "an experimental drug",
    "an experimental treatment",
    "not yet approved",
    "not approved",
    "not been approved",
    "not yet been approved",
    "not approved yet",
    "hasn't been approved",
    "hasn't yet been approved",
    "has yet to be approved",
    "yet to be approved",
    "unapproved",
    "awaiting approval",
    "awaiting fda approval",
    "awaiting regulatory approval",
    "pending approval",
    "pending fda approval",
    "under review",
    "under regulatory review",
    "under fda review",
    "being studied",
    "being tested",
    "being investigated",
    "being evaluated",
    "being developed",
    "not yet available",
    "not available yet",
    "expected to be approved",
    "may soon be approved",
    "could soon be approved",
    "should soon be approved",
    "likely to be approved",
    "soon to be approved",
    "only available in clinical trials",
    "only available in trials",
];

/// Words between the drug and the phrase ("is still", "remains", "has").
const BRIDGE: &[&str] = &[
    "is", "are", "remains", "remain", "still", "currently", "presently", "now", "today", "only",
    "has", "have", "as", "of", "yet", "being", "a", "an", "the", "drug", "medicine", "treatment",
    "therapy", "biologic", "antibody", "cream", "ointment", "also", "considered",
];

/// Words that put the statement in the past or on a population the vocabulary does not track.
const OUT_OF_SCOPE: &[&str] = &[
    "was", "were", "had", "until", "previously", "formerly", "originally", "initially", "then",
    "ago", "children", "child", "infants", "infant", "babies", "baby", "toddlers", "adolescents",
    "teens", "teenagers", "kids", "pediatric", "paediatric", "under", "younger", "older", "aged",
    "age", "ages", "years", "months", "pregnancy", "pregnant", "breastfeeding", "elderly",
    "off-label", "dose", "doses", "dosing", "higher", "lower", "strength", "formulation",
];

struct Phrase {
    words: Vec<&'static str>,
}

fn phrases() -> Vec<Phrase> {
    let mut v: Vec<Phrase> = PHRASES
        .iter()
        .map(|p| Phrase {
            words: p.split(' ').collect(),
        })
        .collect();
    v.sort_by(|a, b| b.words.len().cmp(&a.words.len()));
    v
}

/// The agency a sentence speaks of.
fn agency_named(v: &View) -> Option<&'static str> {
    for i in 0..v.len() {
        let Some(w) = v.word(i) else { continue };
        let agency = match w {
            "fda" | "us" | "u.s" | "usa" | "america" | "american" => Some("FDA"),
            "united" if v.is_word(i + 1, &["states"]) => Some("FDA"),
            "united" if v.is_word(i + 1, &["kingdom"]) => Some("MHRA"),
            "ema" | "eu" | "europe" | "european" | "ec" => Some("EMA"),
            "pmda" | "japan" | "japanese" | "mhlw" => Some("PMDA"),
            "mhra" | "uk" | "britain" | "england" => Some("MHRA"),
            "canada" | "canadian" => Some("Health Canada"),
            "china" | "chinese" | "nmpa" => Some("NMPA"),
            _ => None,
        };
        if agency.is_some() {
            return agency;
        }
    }
    None
}

fn agency_matches(approval: &Approval, agency: &str) -> bool {
    let a = approval.agency.to_ascii_uppercase();
    match agency {
        "EMA" => a.contains("EMA") || a == "EC" || a.contains("EUROPEAN"),
        "PMDA" => a.contains("PMDA") || a.contains("MHLW") || a.contains("JAPAN"),
        "MHRA" => a.contains("MHRA"),
        other => a.contains(&other.to_ascii_uppercase()),
    }
}

/// Checks one sentence.
pub fn check(v: &View, out: &mut Vec<Finding>) {
    if (0..v.len()).any(|i| v.is_word(i, OUT_OF_SCOPE) || is_year(v.word(i))) {
        return;
    }
    let phrases = phrases();
    let mut i = 0;
    while i < v.len() {
        let Some(p) = phrases.iter().find(|p| {
            p.words
                .iter()
                .enumerate()
                .all(|(k, w)| v.word(i + k) == Some(w))
        }) else {
            i += 1;
            continue;
        };
        let end = i + p.words.len();
        if let Some(f) = claim(v, i, end) {
            out.push(f);
        }
        i = end;
    }
}

fn is_year(word: Option<&str>) -> bool {
    word.is_some_and(|w| w.len() == 4 && w.starts_with(['1', '2']) && w.bytes().all(|b| b.is_ascii_digit()))
}

fn claim(v: &View, start: usize, end: usize) -> Option<Finding> {
    let drug = |e: EntryId| v.vocab.entry(e).drug.is_some();
    // the drug: before the phrase in this sentence, else the one drug of the earlier sentences of
    // the block ("Nemolizumab: blocks IL-31. ... In development for AD.")
    let subject = subject_before(v, start, BRIDGE, &[',', ':', '(', ')', '-'], 8, &drug, &|e| {
        v.vocab.entry(e).kind == Kind::DrugClass
    })
    .map(|s| s.entry)
    .or_else(|| {
        let in_sentence = (0..start).any(|k| v.entry_at(k).is_some_and(drug));
        if in_sentence {
            return None;
        }
        let mut drugs: Vec<EntryId> = v.earlier.iter().copied().filter(|&e| drug(e)).collect();
        drugs.sort();
        drugs.dedup();
        (drugs.len() == 1).then(|| drugs[0])
    })?;
    // the condition: "for <condition>" after the phrase
    let mut condition = None;
    let mut k = end;
    while k < v.len() && k < end + 10 {
        if let Some(e) = v.entry_at(k) {
            if v.vocab.entry(e).kind == Kind::Condition {
                condition = Some(e);
            }
            break;
        }
        if v.is_punct(k, ';') || v.is_punct(k, '.') {
            break;
        }
        k += 1;
    }
    let agency = agency_named(v).unwrap_or("FDA");
    let facts = v.vocab.entry(subject).drug.as_ref()?;
    let mut approvals: Vec<&Approval> = facts
        .approvals
        .iter()
        .filter(|a| agency_matches(a, agency))
        .filter(|a| condition.is_none_or(|c| a.indication == c))
        .collect();
    approvals.sort_by(|a, b| a.date.cmp(&b.date));
    let first = approvals.first()?;
    if !v.asserted(start..end, Some(start..end)) {
        return None;
    }
    let d = v.vocab.entry(subject);
    let condition_name = &v.vocab.entry(first.indication).name;
    let population = if first.population.is_empty() {
        String::new()
    } else {
        format!(" ({})", first.population)
    };
    let message = format!(
        "Out of date: {} approved {} for {}{} on {}. Update the status.{}",
        first.agency,
        d.name,
        condition_name,
        population,
        first.date,
        super::common::cite(Some(&first.source))
    );
    let _ = capitalize;
    Some(Finding {
        rule: Rule::OutdatedStatus,
        severity: Rule::OutdatedStatus.default_severity(),
        range: v.range(start).start..v.range(end - 1).end,
        message,
        replacement: None,
        source: Some(first.source.clone()),
    })
}
