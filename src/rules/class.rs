//! `wrong-class`: a drug put in a class it does not belong to: "dupilumab is a JAK inhibitor",
//! "tacrolimus is a topical steroid", "upadacitinib is a monoclonal antibody", "the JAK inhibitor
//! dupilumab", "calcineurin inhibitors such as crisaborole".
//!
//! A stated class is compatible with the drug when the drug (or one of its classes) belongs to a
//! checkable class at or above the stated one. Vague umbrella classes are never checked; potency
//! groups are checked through their wider checkable class ("a mild topical steroid" is checked as
//! "a topical corticosteroid").

use super::common::{article_for, cite, list_from, subject_before};
use crate::analysis::finding::{Finding, Rule};
use crate::analysis::view::View;
use crate::vocab::{EntryId, Kind, Vocabulary};

/// Words between the drug and the class ("is an oral", "is a mild topical").
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
    "a",
    "an",
    "the",
    "type",
    "kind",
    "form",
    "class",
    "of",
    "new",
    "newer",
    "novel",
    "oral",
    "topical",
    "injectable",
    "injected",
    "mild",
    "moderate",
    "potent",
    "strong",
    "weak",
    "selective",
    "once-daily",
    "twice-daily",
    "daily",
    "prescription",
    "first-line",
    "second-line",
    "cream",
    "ointment",
    "gel",
    "lotion",
    "tablet",
    "also",
    "actually",
    "classified",
    "considered",
    "as",
    "known",
    "called",
    "itself",
    "another",
    "technically",
    "strictly",
    "basically",
    "essentially",
    "just",
    "simply",
    "really",
    "fast-acting",
    "long-acting",
    "short-acting",
    "low-potency",
    "high-potency",
    "mid-potency",
    "super-potent",
    "very",
    "highly",
    "targeted",
    "systemic",
    "local",
    "safe",
    "safer",
    "effective",
    "steroid-free",
    "nonsteroidal",
    "non-steroidal",
    "medicated",
    "prescribed",
    "approved",
    "licensed",
    "widely",
    "used",
    "commonly",
    "older",
    "traditional",
    "conventional",
    "reversible",
    "first",
    "second",
    "generation",
    "humanised",
    "humanized",
    "fully",
    "human",
    "monoclonal",
    "anti",
    "to",
    "the",
    "face",
    "body",
    "skin",
    "stronger",
    "weaker",
    "milder",
    "gentle",
    "gentler",
    "low-strength",
    "high-strength",
    "medium-strength",
    "both",
    "belongs",
    "belong",
    "among",
    "one",
    "part",
    "member",
    "group",
    "family",
    "by",
    "contrast",
    "however",
    "meanwhile",
    "instead",
    "sort",
    "strength",
    "potency",
    "effectively",
    "primarily",
    "mainly",
];

fn is_drug(v: &View, e: EntryId) -> bool {
    v.vocab.entry(e).drug.is_some()
}

fn is_class(v: &View, e: EntryId) -> bool {
    v.vocab.entry(e).kind == Kind::DrugClass
}

/// Whether saying that `drug` is a `class` is wrong.
pub fn is_wrong_class(vocab: &Vocabulary, drug: EntryId, class: EntryId) -> bool {
    let ancestors = vocab.class_ancestors(class);
    // the stated class, or for a vague one (a potency group) the nearest checkable class above it
    let Some(&checked) = ancestors
        .iter()
        .find(|&&c| vocab.entry(c).class.as_ref().is_some_and(|f| f.checkable))
    else {
        return false;
    };
    let closure = vocab.drug_class_closure(drug);
    if closure.contains(&class) || closure.contains(&checked) {
        return false;
    }
    // narrower than one of the drug's mechanistic classes ("a topical calcineurin inhibitor" for a
    // calcineurin inhibitor): not provably wrong. Root classes (small molecule, biologic) do not
    // count: a PDE4 inhibitor and an AhR agonist are both small molecules, and still different.
    let own = vocab
        .entry(drug)
        .drug
        .as_ref()
        .map(|d| d.classes.clone())
        .unwrap_or_default();
    let is_root = |c: EntryId| {
        vocab
            .entry(c)
            .class
            .as_ref()
            .is_none_or(|f| f.broader.is_empty())
    };
    !ancestors
        .iter()
        .skip(1)
        .any(|&a| own.contains(&a) && !is_root(a))
}

/// Checks one sentence.
pub fn check(v: &View, out: &mut Vec<Finding>) {
    let drug = |e: EntryId| is_drug(v, e);
    let mut claims: Vec<(EntryId, usize)> = Vec::new(); // (drug, class token)
    for i in 0..v.len() {
        let Some(_) = v.entry_at(i).filter(|&e| is_class(v, e)) else {
            continue;
        };
        if v.in_compound(i) {
            continue;
        }
        // "| crisaborole | calcineurin inhibitor |" under a "Class" column
        if let Some(d) = v.table_subject(
            &[
                "class",
                "type",
                "category",
                "mechanism",
                "modality",
                "kind",
                "group",
            ],
            &drug,
        ) {
            claims.push((d, i));
        }
        // "<drug> is a <class>", "<drug>, a <class>,", "<drug> (a <class>)"
        if let Some(s) = subject_before(
            v,
            i,
            BRIDGE,
            &[',', '(', ')', ':', '-', '%', '.'],
            14,
            &drug,
            &|e| {
                // the drug's other names, and "anti-IL-13" in "an anti-IL-13 monoclonal antibody"
                v.vocab.entry(e).kind == Kind::Drug
                    || !matches!(v.vocab.entry(e).kind, Kind::DrugClass | Kind::Condition)
            },
        ) && copula_between(v, s.token, i)
        {
            claims.push((s.entry, i));
        }
        // "the <class> <drug>", "<class>s such as <drug>, <drug> and <drug>", "<class>s (<drug>)"
        let next = i + 1;
        if let Some(d) = v.entry_at(next).filter(|&e| drug(e)) {
            claims.push((d, i));
        } else {
            let intro = if v.is_word(next, &["such"]) && v.is_word(next + 1, &["as"]) {
                Some(next + 2)
            } else if v.is_word(next, &["like", "including", "e.g", "eg", "namely"])
                || v.is_punct(next, '(')
                || v.is_punct(next, ':')
            {
                Some(next + 1)
            } else if v.is_punct(next, ',')
                && v.is_word(next + 1, &["such", "like", "including", "e.g"])
            {
                Some(if v.is_word(next + 1, &["such"]) {
                    next + 3
                } else {
                    next + 2
                })
            } else {
                None
            };
            if let Some(from) = intro {
                for k in list_from(
                    v,
                    from,
                    &["the", "e.g", "eg", "topical", "oral", "ointment", "cream"],
                    &drug,
                ) {
                    if let Some(d) = v.entry_at(k) {
                        claims.push((d, i));
                    }
                }
            }
        }
    }
    claims.sort();
    claims.dedup();
    for (d, c) in claims {
        let Some(class) = v.entry_at(c) else { continue };
        if !is_wrong_class(v.vocab, d, class) || !v.asserted(c..c + 1, None) {
            continue;
        }
        out.push(finding(v, d, class, c));
    }
}

/// A subject found behind a class needs a linking word ("dupilumab is a ...", "known as") or an
/// article ("dupilumab, a ...", "dupilumab (a ..."): a bare list ("dupilumab, tralokinumab, JAK
/// inhibitors") says nothing about classes.
fn copula_between(v: &View, subject: usize, class: usize) -> bool {
    (subject..class).any(|k| {
        v.is_word(
            k,
            &[
                "is", "are", "was", "were", "be", "'s", "remains", "as", "called", "known", "a",
                "an", "belongs", "belong", "among", "it's", "that's", "they're",
            ],
        )
    }) || (class > 0 && v.is_punct(class - 1, '(') && v.is_punct(class + 1, ')'))
}

fn finding(v: &View, drug: EntryId, class: EntryId, c: usize) -> Finding {
    let d = v.vocab.entry(drug);
    let facts = d.drug.as_ref();
    let right: Vec<&str> = facts
        .map(|f| {
            f.classes
                .iter()
                .filter(|&&k| v.vocab.entry(k).class.as_ref().is_some_and(|x| x.checkable))
                .map(|&k| v.vocab.entry(k).name.as_str())
                .collect()
        })
        .unwrap_or_default();
    let stated = v.vocab.entry(class);
    // keep the article right: "a JAK inhibitor" -> "a monoclonal antibody", "an IL-..." -> "a ..."
    let mut range = v.range(c);
    let replacement = right.first().map(|r| {
        let article = if c > 0 { v.word(c - 1) } else { None };
        match article {
            Some(a @ ("a" | "an")) if a != article_for(r) => {
                range = v.range(c - 1).start..range.end;
                let keep_case = v.source_text(c - 1).starts_with('A');
                let new_article = if keep_case {
                    super::common::capitalize(article_for(r))
                } else {
                    article_for(r).to_string()
                };
                format!("{new_article} {r}")
            }
            _ => (*r).to_string(),
        }
    });
    let source = d.sources.first().cloned();
    Finding {
        rule: Rule::WrongClass,
        severity: Rule::WrongClass.default_severity(),
        range,
        message: format!(
            "Wrong class: {} is {}, not {} {}.{}",
            d.name,
            describe_classes(&right),
            article_for(&stated.name),
            stated.name,
            cite(source.as_ref())
        ),
        replacement,
        source,
    }
}

/// "a monoclonal antibody (also: biologic)".
fn describe_classes(classes: &[&str]) -> String {
    match classes {
        [] => "a different kind of drug".to_string(),
        [one] => format!("{} {one}", article_for(one)),
        [first, rest @ ..] => format!("{} {first} (also: {})", article_for(first), rest.join(", ")),
    }
}
