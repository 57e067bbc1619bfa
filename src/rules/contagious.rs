//! `contagious-myth`: a condition that does not pass from person to person (atopic dermatitis /
//! eczema) described as contagious, infectious or catching, as spreading to other people, or as
//! something one can catch. Infected eczema and eczema herpeticum are another matter and stay silent.

use super::common::{capitalize, cite, subject_before};
use crate::analysis::finding::{Finding, Rule};
use crate::analysis::view::View;
use crate::vocab::{EntryId, Kind};

const ADJECTIVES: &[&str] = &[
    "contagious",
    "infectious",
    "communicable",
    "transmissible",
    "transmittable",
    "catching",
];

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
    "becomes",
    "can",
    "a",
    "an",
    "the",
    "very",
    "highly",
    "extremely",
    "quite",
    "really",
    "also",
    "itself",
    "condition",
    "disease",
    "rash",
    "skin",
    "considered",
    "classified",
    "as",
    "and",
    "so",
    "mildly",
    "slightly",
    "somewhat",
    "fairly",
    "not",
    "always",
    "often",
    "usually",
    "sometimes",
];

const SPREAD_VERBS: &[&str] = &[
    "spread",
    "spreads",
    "spreading",
    "passed",
    "pass",
    "passes",
    "transmitted",
    "transmit",
    "transmits",
    "caught",
    "given",
    "transferred",
    "give",
    "gives",
    "giving",
];

const PEOPLE: &[&str] = &[
    "person",
    "people",
    "others",
    "someone",
    "anyone",
    "somebody",
    "classmates",
    "siblings",
    "brother",
    "sister",
    "children",
    "kids",
    "friends",
    "family",
    "partner",
    "household",
    "contacts",
    "baby",
    "babies",
    "child",
    "schoolmates",
    "carers",
    "parents",
];

fn not_contagious(v: &View, e: EntryId) -> bool {
    let entry = v.vocab.entry(e);
    entry.kind == Kind::Condition
        && entry
            .condition
            .as_ref()
            .is_some_and(|c| c.contagious == Some(false))
}

/// The subject is qualified as infected ("infected eczema", "eczema infected with").
fn infected(v: &View, subject: usize) -> bool {
    (subject > 0 && v.is_word(subject - 1, &["infected", "secondarily", "superinfected"]))
        || v.is_word(subject + 1, &["infected", "infection", "infections"])
}

/// Checks one sentence.
pub fn check(v: &View, out: &mut Vec<Finding>) {
    let want = |e: EntryId| not_contagious(v, e);
    let mut reported: Vec<EntryId> = Vec::new();
    for i in 0..v.len() {
        let Some(word) = v.word(i) else { continue };
        let before_subject = v
            .entry_at(i + 1)
            .filter(|&e| want(e) && matches!(word, "contagious" | "infectious"));
        let (subject, replacement) = if let Some(entry) = before_subject {
            // "contagious eczema"
            (
                Some(super::common::Subject {
                    entry,
                    token: i + 1,
                }),
                None,
            )
        } else if ADJECTIVES.contains(&word) {
            // "catching" only as a predicate ("eczema is catching"), never "catching a cold"
            if word == "catching" && !(i > 0 && v.is_word(i - 1, &["is", "are", "be"])) {
                continue;
            }
            let s = subject_before(v, i, BRIDGE, &[',', '(', ')', '-'], 10, &want, &|_| false);
            let fix = (word == "contagious" && i > 0 && v.is_word(i - 1, &["is", "are", "be"]))
                .then(|| "not contagious".to_string());
            (s, fix)
        } else if SPREAD_VERBS.contains(&word) && to_other_people(v, i) {
            let s = subject_before(
                v,
                i,
                &[
                    "is", "are", "can", "be", "easily", "will", "may", "readily", "could", "often",
                ],
                &[],
                6,
                &want,
                &|_| false,
            )
            // "kids with eczema can give it to their classmates"
            .or_else(|| {
                v.is_word(i + 1, &["it"])
                    .then(|| super::common::resolve_pronoun(v, i + 1, &want))
                    .flatten()
                    .map(|entry| super::common::Subject {
                        entry,
                        token: i + 1,
                    })
            });
            (s, None)
        } else if matches!(word, "catch" | "catches" | "caught" | "get" | "pick") {
            // "you can catch eczema from ..." (the subject follows the verb)
            let next = if v.is_word(i + 1, &["up"]) {
                i + 2
            } else {
                i + 1
            };
            let s = v
                .entry_at(next)
                .filter(|&e| want(e))
                .filter(|_| {
                    matches!(word, "catch" | "catches" | "caught") || v.is_word(next + 1, &["from"])
                })
                .map(|entry| super::common::Subject { entry, token: next });
            (s, None)
        } else {
            continue;
        };
        let Some(subject) = subject else { continue };
        if infected(v, subject.token)
            || !v.asserted(i..i + 1, None)
            || reported.contains(&subject.entry)
        {
            continue;
        }
        // one finding per condition and sentence ("contagious ... passes between people")
        reported.push(subject.entry);
        let e = v.vocab.entry(subject.entry);
        let source = e
            .condition
            .as_ref()
            .and_then(|c| c.contagious_source.clone())
            .or_else(|| e.sources.first().cloned());
        out.push(Finding {
            rule: Rule::ContagiousMyth,
            severity: Rule::ContagiousMyth.default_severity(),
            range: v.range(i),
            message: format!(
                "{} is not contagious: it cannot be caught from or passed to another person. (Infected eczema, such as impetigo or eczema herpeticum, is another matter.){}",
                capitalize(&e.name),
                cite(source.as_ref())
            ),
            replacement,
            source,
        });
    }
}

/// "spread from person to person", "passed to others", "spread between people".
fn to_other_people(v: &View, verb: usize) -> bool {
    (verb + 1..(verb + 6).min(v.len())).any(|k| {
        v.is_word(k, PEOPLE)
            && k > 0
            && v.is_word(
                k - 1,
                &[
                    "to", "between", "among", "from", "other", "your", "their", "his", "her", "a",
                    "another",
                ],
            )
            && !(verb + 1..k).any(|j| v.entry_at(j).is_some())
    })
}
