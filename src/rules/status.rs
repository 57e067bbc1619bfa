//! `outdated-status`: an approval status that is no longer true. Three shapes:
//!
//! - a status phrase: "nemolizumab is still in development for AD", "lebrikizumab has not yet been
//!   approved for eczema", "tapinarof is under FDA review", "the FDA has not yet approved
//!   nemolizumab", "approved in Japan but not yet in the United States";
//! - a population claim: "ruxolitinib cream is only approved for adults", "Dupixent is not licensed
//!   for children under 6", compared with the youngest approved age;
//! - "only approved for <condition>" when the drug has since been approved for another one.
//!
//! The statement is read for one agency: the one the clause names after the phrase, else anywhere
//! in it (FDA / US, EMA / EU / Europe, PMDA / Japan, MHRA / UK...), else the FDA. It is left alone
//! when it speaks of the past ("was investigational in 2019"), when what follows the phrase is
//! something the vocabulary does not record ("not approved for use on the face"), or when the drug
//! has no recorded approval that contradicts it. The message gives the agency, the decision and
//! its date.

use std::sync::LazyLock;

use super::common::{PhraseSet, cite, subject_before};
use crate::analysis::finding::{Finding, Rule};
use crate::analysis::view::View;
use crate::describe::human_date;
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
    "not licensed",
    "not yet licensed",
    "unlicensed",
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
    "but not yet in",
    "but not in",
    "still reviewing",
    "are reviewing",
    "is reviewing",
    "are still reviewing",
    "still being reviewed",
    "being reviewed",
];

/// Phrases in the active voice: the drug follows ("the FDA has not yet approved nemolizumab").
const ACTIVE: &[&str] = &[
    "has not yet approved",
    "has not approved",
    "hasn't approved",
    "hasn't yet approved",
    "has yet to approve",
    "is yet to approve",
    "still has not approved",
    "have not yet approved",
    "have not approved",
];

/// Phrases that restrict an approval: "only approved for", "approved for ... only".
const ONLY: &[&str] = &[
    "only approved for",
    "approved only for",
    "only licensed for",
    "licensed only for",
    "only indicated for",
    "indicated only for",
    "approved for",
    "licensed for",
    "indicated for",
];

/// Words between the drug and the phrase ("is still", "remains", "has").
const BRIDGE: &[&str] = &[
    "is",
    "are",
    "remains",
    "remain",
    "still",
    "currently",
    "presently",
    "now",
    "today",
    "only",
    "has",
    "have",
    "as",
    "of",
    "yet",
    "being",
    "a",
    "an",
    "the",
    "drug",
    "medicine",
    "treatment",
    "therapy",
    "biologic",
    "antibody",
    "cream",
    "ointment",
    "also",
    "considered",
    "approved",
    "in",
    "japan",
    "europe",
    "eu",
    "us",
    "uk",
    "china",
    "canada",
    "fda",
    "ema",
    "fda-approved",
    "which",
    "regulators",
    "regulator",
    "authorities",
    "agencies",
    "european",
];

/// Words that put the statement in the past.
const PAST: &[&str] = &[
    "was",
    "were",
    "had",
    "until",
    "previously",
    "formerly",
    "originally",
    "initially",
    "ago",
];

/// Phrases that put the statement in the past.
const PAST_PHRASES: &[&str] = &[
    "at the time",
    "at that time",
    "back then",
    "at first",
    "at launch",
];

/// Words that may follow the phrase without changing what it says.
const FILLER: &[&str] = &[
    "for",
    "the",
    "treatment",
    "treating",
    "of",
    "in",
    "use",
    "moderate",
    "severe",
    "mild",
    "moderate-to-severe",
    "mild-to-moderate",
    "chronic",
    "yet",
    "still",
    "as",
    "today",
    "now",
    "by",
    "with",
    "patients",
    "people",
    "at",
    "present",
    "anywhere",
    "and",
    "or",
    "either",
    "any",
    "country",
    "market",
    "approval",
    "adult",
    "only",
    "pill",
    "tablet",
    "drug",
    "medicine",
    "medication",
    "cream",
    "ointment",
    "antibody",
    "biologic",
    "option",
    "options",
    "agent",
    "injection",
    "therapy",
    "product",
    "compound",
];

/// Words after which the clause no longer speaks of the status ("an experimental pill from Pfizer").
const TAIL_STOPS: &[&str] = &[
    "from",
    "made",
    "developed",
    "by",
    "manufactured",
    "marketed",
    "which",
    "that",
    "who",
    "because",
];

/// Words of regions and agencies, and the agency they mean.
fn agency_of(v: &View, i: usize) -> Option<&'static str> {
    let w = v.word(i)?;
    match w {
        "fda" | "us" | "u.s" | "usa" | "america" | "american" => Some("FDA"),
        "united" if v.is_word(i + 1, &["states"]) => Some("FDA"),
        "states" if i > 0 && v.is_word(i - 1, &["united"]) => Some("FDA"),
        "united" if v.is_word(i + 1, &["kingdom"]) => Some("MHRA"),
        "kingdom" if i > 0 && v.is_word(i - 1, &["united"]) => Some("MHRA"),
        "ema" | "eu" | "europe" | "european" | "ec" => Some("EMA"),
        "pmda" | "japan" | "japanese" | "mhlw" => Some("PMDA"),
        "mhra" | "uk" | "britain" | "england" | "nice" => Some("MHRA"),
        "canada" | "canadian" => Some("Health Canada"),
        "china" | "chinese" | "nmpa" => Some("NMPA"),
        _ => None,
    }
}

fn agency_matches(approval: &Approval, agency: &str) -> bool {
    let a = approval.agency.to_ascii_uppercase();
    match agency {
        "EMA" => a.contains("EMA") || a == "EC" || a.contains("EUROPEAN"),
        "PMDA" => a.contains("PMDA") || a.contains("MHLW") || a.contains("JAPAN"),
        other => a.contains(&other.to_ascii_uppercase()),
    }
}

/// The youngest age (in years) an approval's population covers, when it says: "adults" 18,
/// "12 years and older" 12, "6 months to 5 years" 0.5, "adolescents" 12.
pub fn min_age(population: &str) -> Option<f32> {
    let lower = population.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '.'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut found: Vec<f32> = Vec::new();
    for (k, w) in words.iter().enumerate() {
        let Ok(n) = w.parse::<f32>() else { continue };
        let next = words.get(k + 1).copied().unwrap_or("");
        let prev = if k > 0 { words[k - 1] } else { "" };
        if next.starts_with("month") {
            found.push(n / 12.0);
        } else if next.starts_with("year")
            || next.starts_with("yr")
            || matches!(next, "and" | "to" | "or" | "through" | "plus")
            || matches!(prev, "aged" | "ages" | "age")
        {
            found.push(n);
        }
    }
    if found.is_empty() {
        if words.iter().any(|w| w.starts_with("adolescent")) {
            found.push(12.0);
        } else if words.iter().any(|w| w.starts_with("adult")) {
            found.push(18.0);
        }
    }
    found.into_iter().reduce(f32::min)
}

fn is_year(word: Option<&str>) -> bool {
    word.is_some_and(|w| {
        w.len() == 4 && w.starts_with(['1', '2']) && w.bytes().all(|b| b.is_ascii_digit())
    })
}

fn find_phrase(v: &View, i: usize, phrases: &PhraseSet) -> Option<usize> {
    phrases.longest_at(v, i)
}

static PHRASE_SET: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::new(PHRASES));
static ACTIVE_SET: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::new(ACTIVE));
static ONLY_SET: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::new(ONLY));
static PAST_SET: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::new(PAST_PHRASES));

/// What follows a phrase up to the end of its clause.
#[derive(Default, Debug)]
struct Tail {
    condition: Option<EntryId>,
    agency: Option<&'static str>,
    /// The population the words speak of, as an age bound: `Some((n, false))` "under n",
    /// `Some((n, true))` "n and older" / "adults" (n = 18).
    population: Option<(f32, bool)>,
    /// Something the vocabulary cannot judge follows.
    unknown: bool,
    end: usize,
}

fn read_tail(v: &View, from: usize) -> Tail {
    let mut t = Tail::default();
    let mut k = from;
    while k < v.len() {
        if v.is_punct(k, ';')
            || v.is_punct(k, '.')
            || v.is_punct(k, ',')
            || v.is_punct(k, ':')
            || v.is_punct(k, '|')
            || v.is_word(
                k,
                &[
                    "but", "although", "though", "while", "whereas", "because", "since", "so",
                ],
            )
            || v.is_word(k, TAIL_STOPS)
        {
            // "people who are immunocompromised", "skin that is broken": a qualifier the
            // vocabulary does not record
            if v.is_word(k, &["who", "that", "which", "whose"])
                && !v.is_punct(k.wrapping_sub(1), ',')
            {
                t.unknown = true;
            }
            break;
        }
        if let Some(e) = v.entry_at(k) {
            if v.vocab.entry(e).kind == Kind::Condition && t.condition.is_none() {
                t.condition = Some(e);
            } else if v.vocab.entry(e).kind != Kind::Condition {
                t.unknown = true;
            }
        } else if let Some(a) = agency_of(v, k) {
            t.agency = Some(a);
        } else if let Some(w) = v.word(k) {
            match w {
                "children" | "child" | "kids" | "kid" => {
                    t.population = Some((bound_after(v, k).unwrap_or(12.0), false));
                }
                "infants" | "infant" | "babies" | "baby" => {
                    t.population = Some((bound_after(v, k).unwrap_or(1.0), false))
                }
                "toddlers" => t.population = Some((bound_after(v, k).unwrap_or(3.0), false)),
                "teenagers" | "teens" | "adolescents" | "teenager" | "adolescent" => {
                    t.population = Some((18.0, false))
                }
                "adults" => t.population = Some((18.0, true)),
                // "under-6s", "under-12s"
                _ if w.starts_with("under-")
                    && w[6..].trim_end_matches('s').parse::<f32>().is_ok() =>
                {
                    t.population =
                        Some((w[6..].trim_end_matches('s').parse().unwrap_or(0.0), false));
                }
                "under" | "younger" | "below" | "than" | "old" | "aged" | "years" | "year"
                | "months" | "month" | "over" | "older" | "above" => {}
                _ if w.chars().all(|c| c.is_ascii_digit() || c == '.') => {
                    if t.population.is_none() {
                        t.population = Some((w.parse().unwrap_or(18.0), true));
                    }
                }
                _ if FILLER.contains(&w) => {}
                _ => t.unknown = true,
            }
        } else if !v.is_punct(k, '(') && !v.is_punct(k, ')') && !v.is_punct(k, '-') {
            t.unknown = true;
        }
        k += 1;
    }
    t.end = k;
    t
}

/// "children under 6 (years)", "children younger than 12", "infants under 6 months".
fn bound_after(v: &View, k: usize) -> Option<f32> {
    let mut j = k + 1;
    while v.is_word(j, &["under", "younger", "than", "below", "aged", "less"]) {
        j += 1;
    }
    let n: f32 = v.word(j)?.parse().ok()?;
    Some(if v.is_word(j + 1, &["months", "month"]) {
        n / 12.0
    } else {
        n
    })
}

/// Checks one sentence.
pub fn check(v: &View, out: &mut Vec<Finding>) {
    if (0..v.len())
        .any(|i| v.is_word(i, PAST) || is_year(v.word(i)) || find_phrase(v, i, &PAST_SET).is_some())
    {
        return;
    }
    let mut i = 0;
    while i < v.len() {
        if let Some(n) = find_phrase(v, i, &ACTIVE_SET) {
            if let Some(f) = active(v, i, i + n) {
                out.push(f);
            }
            i += n;
        } else if let Some(n) = find_phrase(v, i, &PHRASE_SET) {
            if let Some(f) = passive(v, i, i + n) {
                out.push(f);
            }
            i += n;
        } else if let Some(n) = find_phrase(v, i, &ONLY_SET) {
            if let Some(f) = only(v, i, i + n) {
                out.push(f);
            }
            i += n;
        } else {
            i += 1;
        }
    }
}

/// The drug a phrase at `start` speaks of: before it in the sentence, else the one drug of the
/// earlier sentences of the block ("Nemolizumab: blocks IL-31. ... In development for AD.").
fn subject(v: &View, start: usize) -> Option<EntryId> {
    let drug = |e: EntryId| v.vocab.entry(e).drug.is_some();
    subject_before(
        v,
        start,
        BRIDGE,
        &[',', ':', '(', ')', '-'],
        8,
        &drug,
        &|e| matches!(v.vocab.entry(e).kind, Kind::DrugClass | Kind::Drug),
    )
    .map(|s| s.entry)
    .or_else(|| {
        // "- Roflumilast cream (Zoryve): approved for psoriasis; not yet approved for eczema": the
        // one drug the sentence is about
        let mut in_sentence: Vec<EntryId> = (0..start)
            .filter_map(|k| v.entry_at(k))
            .filter(|&e| drug(e))
            .collect();
        in_sentence.dedup();
        if !in_sentence.is_empty() {
            return (in_sentence.len() == 1).then(|| in_sentence[0]);
        }
        let mut drugs: Vec<EntryId> = v.earlier.iter().copied().filter(|&e| drug(e)).collect();
        drugs.sort();
        drugs.dedup();
        (drugs.len() == 1).then(|| drugs[0])
    })
}

fn agency_for(v: &View, tail: &Tail) -> &'static str {
    tail.agency
        .or_else(|| (0..v.len()).find_map(|k| agency_of(v, k)))
        .unwrap_or("FDA")
}

fn approvals_of<'v>(
    v: &'v View,
    drug: EntryId,
    agency: &str,
    condition: Option<EntryId>,
) -> Vec<&'v Approval> {
    let mut list: Vec<&Approval> = v
        .vocab
        .entry(drug)
        .drug
        .as_ref()
        .map(|d| d.approvals.iter().collect())
        .unwrap_or_default();
    list.retain(|a| agency_matches(a, agency) && condition.is_none_or(|c| a.indication == c));
    list.sort_by(|a, b| a.date.cmp(&b.date));
    list
}

/// "<drug> is still in development for <condition>".
fn passive(v: &View, start: usize, end: usize) -> Option<Finding> {
    let drug = subject(v, start)?;
    let tail = read_tail(v, end);
    if tail.unknown {
        return None;
    }
    let agency = agency_for(v, &tail);
    let approvals = approvals_of(v, drug, agency, tail.condition);
    let contradicting: Vec<&Approval> = match tail.population {
        // "not approved for children under 6": an approval reaching below 6
        Some((bound, false)) => approvals
            .into_iter()
            .filter(|a| min_age(&a.population).is_some_and(|m| m < bound))
            .collect(),
        Some((_, true)) => return None,
        None => approvals,
    };
    let first = contradicting.first()?;
    if !v.asserted(start..end, Some(start..end)) {
        return None;
    }
    Some(finding(v, drug, first, start, end - 1, None))
}

/// "the FDA has not yet approved <drug> for <condition>".
fn active(v: &View, start: usize, end: usize) -> Option<Finding> {
    let drug = v
        .entry_at(end)
        .filter(|&e| v.vocab.entry(e).drug.is_some())?;
    let tail = read_tail(v, end + 1);
    if tail.unknown || tail.population.is_some() {
        return None;
    }
    let agency = agency_for(v, &tail);
    let approvals = approvals_of(v, drug, agency, tail.condition);
    let first = approvals.first()?;
    if !v.asserted(start..end, Some(start..end)) {
        return None;
    }
    Some(finding(v, drug, first, start, end - 1, None))
}

/// "<drug> is only approved for adults / for <condition>", "approved for adults only".
fn only(v: &View, start: usize, end: usize) -> Option<Finding> {
    let said_only = v.is_word(start, &["only"])
        || v.is_word(start + 1, &["only"])
        || (start > 0 && v.is_word(start - 1, &["only"]));
    let tail = read_tail(v, end);
    let only_after =
        (end..=tail.end.min(v.len().saturating_sub(1))).any(|k| v.is_word(k, &["only"]));
    if !only_after && (!said_only || tail.unknown) {
        return None;
    }
    let drug = subject(
        v,
        if start > 0 && v.is_word(start - 1, &["only"]) {
            start - 1
        } else {
            start
        },
    )?;
    let agency = agency_for(v, &tail);
    let first: &Approval = match (tail.population, tail.condition) {
        // "only approved for adults" / "for people aged 12 and over": an approval reaching younger
        (Some((bound, true)), condition) => {
            let approvals = approvals_of(v, drug, agency, condition);
            let mut younger: Vec<&Approval> = approvals
                .into_iter()
                .filter(|a| min_age(&a.population).is_some_and(|m| m < bound))
                .collect();
            younger.sort_by(|a, b| a.date.cmp(&b.date));
            younger.first().copied()?
        }
        // "only approved for plaque psoriasis": an approval for another condition
        (None, Some(condition)) => {
            let all = approvals_of(v, drug, agency, None);
            all.into_iter().find(|a| a.indication != condition)?
        }
        _ => return None,
    };
    if !v.asserted(start..end, Some(start..end)) {
        return None;
    }
    let last = end - 1;
    let from = if start > 0 && v.is_word(start - 1, &["only"]) {
        start - 1
    } else {
        start
    };
    Some(finding(v, drug, first, from, last, None))
}

fn finding(
    v: &View,
    drug: EntryId,
    approval: &Approval,
    first_tok: usize,
    last_tok: usize,
    replacement: Option<String>,
) -> Finding {
    let d = v.vocab.entry(drug);
    let brand = d
        .drug
        .as_ref()
        .and_then(|f| f.brands.first())
        .map_or_else(String::new, |b| format!(" ({})", b.name));
    let population = if approval.population.is_empty() {
        String::new()
    } else {
        format!(" ({})", approval.population)
    };
    let message = format!(
        "Out of date: the {} approved {}{} for {}{} {} {}. Update the status.{}",
        approval.agency,
        d.name,
        brand,
        v.vocab.entry(approval.indication).name,
        population,
        if approval.date.len() > 7 { "on" } else { "in" },
        human_date(&approval.date),
        cite(Some(&approval.source))
    );
    Finding {
        rule: Rule::OutdatedStatus,
        severity: Rule::OutdatedStatus.default_severity(),
        range: v.range(first_tok).start..v.range(last_tok).end,
        message,
        replacement,
        source: Some(approval.source.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::min_age;

    #[test]
    fn ages_from_populations() {
        assert_eq!(min_age("adults"), Some(18.0));
        assert_eq!(
            min_age("adults and pediatric patients 12 years and older weighing at least 40 kg"),
            Some(12.0)
        );
        assert_eq!(min_age("children 6 months to 5 years"), Some(0.5));
        assert_eq!(min_age("patients aged 2 to 11 years"), Some(2.0));
        assert_eq!(min_age("adolescents"), Some(12.0));
        assert_eq!(min_age("pediatric patients"), None);
    }
}
