//! `wrong-target`: a drug said to block, inhibit, target, bind or neutralise a molecule it does not
//! act on: "dupilumab blocks IL-31", "tralokinumab works by blocking IL-4", "lebrikizumab is an
//! anti-IL-4 antibody", "omalizumab, an IL-5 inhibitor", "IL-13 is blocked by nemolizumab".
//!
//! A molecule counts as acted on when it is a listed target, a molecule whose signalling the drug
//! blocks, a ligand of a receptor target (or of a complex it belongs to), a receptor that only that
//! target binds, or for an intracellular enzyme inhibitor a related enzyme. Small molecules that
//! inhibit enzymes are only checked against enzymes: a JAK inhibitor does dampen IL-4 signalling.

use std::collections::HashSet;

use super::common::{article_for, cite, list_from, subject_before};
use crate::analysis::finding::{Finding, Rule};
use crate::analysis::view::View;
use crate::vocab::{EntryId, Kind, Vocabulary};

const VERBS: &[&str] = &[
    "block",
    "blocks",
    "blocked",
    "blocking",
    "blockade",
    "inhibit",
    "inhibits",
    "inhibited",
    "inhibiting",
    "target",
    "targets",
    "targeted",
    "targeting",
    "targetting",
    "bind",
    "binds",
    "binding",
    "bound",
    "neutralise",
    "neutralises",
    "neutralised",
    "neutralising",
    "neutralize",
    "neutralizes",
    "neutralized",
    "neutralizing",
    "antagonise",
    "antagonises",
    "antagonize",
    "antagonizes",
    "antagonising",
    "antagonizing",
    "against",
];

/// Words between the verb and the molecule ("blocks the action of IL-13").
const OBJECT_SKIP: &[&str] = &[
    "the",
    "a",
    "an",
    "both",
    "shared",
    "key",
    "cytokine",
    "cytokines",
    "interleukin",
    "action",
    "actions",
    "activity",
    "effect",
    "effects",
    "of",
    "signalling",
    "signaling",
    "directly",
    "selectively",
    "specifically",
    "only",
    "mainly",
    "primarily",
    "protein",
    "proteins",
    "molecule",
    "molecules",
    "messenger",
    "messengers",
    "inflammatory",
    "itch",
    "type",
    "2",
    "enzyme",
    "enzymes",
    "kinase",
    "kinases",
    "family",
    "its",
    "their",
    "receptor",
    "subunit",
    "chain",
    "signal",
    "signals",
    "pathway",
    "production",
    "release",
    "receptors",
];

/// Words between the drug and the verb ("dupilumab works by blocking", "which selectively binds").
const SUBJECT_BRIDGE: &[&str] = &[
    "is",
    "are",
    "was",
    "works",
    "work",
    "worked",
    "acts",
    "act",
    "by",
    "which",
    "that",
    "also",
    "directly",
    "selectively",
    "specifically",
    "primarily",
    "mainly",
    "only",
    "both",
    "to",
    "a",
    "an",
    "the",
    "antibody",
    "monoclonal",
    "biologic",
    "drug",
    "medicine",
    "medication",
    "injection",
    "designed",
    "thought",
    "known",
    "shown",
    "said",
    "cream",
    "ointment",
    "tablet",
    "pill",
    "treatment",
    "therapy",
    "it",
    "potently",
    "strongly",
    "and",
    "reversibly",
    "competitively",
    "orally",
    "topically",
    "then",
    "in",
    "turn",
    "effectively",
    "itself",
    "does",
    "do",
];

/// Verbs of direct binding: what a drug binds it binds, whatever it is (a JAK inhibitor "binds IL-13"
/// is wrong even though it dampens IL-13 signalling).
const BINDING_VERBS: &[&str] = &[
    "bind",
    "binds",
    "binding",
    "bound",
    "neutralise",
    "neutralises",
    "neutralised",
    "neutralising",
    "neutralize",
    "neutralizes",
    "neutralized",
    "neutralizing",
    "against",
    "anti",
];

/// Phrasal verbs of blocking ("switches off IL-31 signalling").
const PHRASAL: &[(&str, &str)] = &[
    ("switches", "off"),
    ("switch", "off"),
    ("switching", "off"),
    ("turns", "off"),
    ("turn", "off"),
    ("shuts", "down"),
    ("shut", "down"),
    ("shuts", "off"),
    ("shutting", "down"),
];

const ANTI_HEADS: &[&str] = &[
    "antibody",
    "antibodies",
    "monoclonal",
    "biologic",
    "biologics",
    "drug",
    "drugs",
    "medicine",
    "therapy",
    "treatment",
    "agent",
    "mab",
    "injection",
];

fn is_drug(v: &View, e: EntryId) -> bool {
    v.vocab
        .entry(e)
        .drug
        .as_ref()
        .is_some_and(|d| !d.targets.is_empty())
}

/// The molecules a drug acts on, as described in the module documentation.
pub fn acted_on(vocab: &Vocabulary, drug: EntryId) -> HashSet<EntryId> {
    let mut out = HashSet::new();
    let Some(d) = &vocab.entry(drug).drug else {
        return out;
    };
    for &t in d.targets.iter().chain(&d.blocks_signalling_of) {
        out.insert(t);
        let te = vocab.entry(t);
        if let Some(r) = &te.receptor {
            out.extend(r.ligands.iter().copied());
            for &complex in &r.part_of {
                out.insert(complex);
                if let Some(cr) = &vocab.entry(complex).receptor {
                    out.extend(cr.ligands.iter().copied());
                }
            }
        }
        // receptors that bind only this target ("IL-5 receptor" for an anti-IL-5)
        for &rec in vocab.receptors_of(t) {
            if vocab
                .entry(rec)
                .receptor
                .as_ref()
                .is_some_and(|r| r.ligands == [t])
            {
                out.insert(rec);
            }
        }
        if te.kind == Kind::Enzyme {
            out.extend(
                te.related
                    .iter()
                    .copied()
                    .filter(|&r| vocab.entry(r).kind == Kind::Enzyme),
            );
        }
    }
    out
}

/// Whether claims that `drug` acts on `molecule` are checkable at all. `direct`: the words claim
/// direct binding.
fn checkable(vocab: &Vocabulary, drug: EntryId, molecule: EntryId, direct: bool) -> bool {
    let Some(d) = &vocab.entry(drug).drug else {
        return false;
    };
    let kind = vocab.entry(molecule).kind;
    let enzyme_drug = d
        .targets
        .iter()
        .all(|&t| vocab.entry(t).kind == Kind::Enzyme);
    if enzyme_drug && !direct {
        // an enzyme inhibitor dampens cytokine signalling downstream, so only claims about
        // enzymes, other proteins and receptors that are not cytokine receptors are checked
        return match kind {
            Kind::Enzyme | Kind::Protein => true,
            Kind::Receptor => vocab.entry(molecule).receptor.as_ref().is_some_and(|r| {
                !r.ligands.is_empty()
                    && r.ligands
                        .iter()
                        .all(|&l| vocab.entry(l).kind != Kind::Cytokine)
            }),
            _ => false,
        };
    }
    matches!(kind, Kind::Cytokine | Kind::Receptor | Kind::Enzyme)
        || vocab.derived().drug_targets.contains(&molecule)
}

fn is_molecule(v: &View, e: EntryId) -> bool {
    matches!(
        v.vocab.entry(e).kind,
        Kind::Cytokine | Kind::Receptor | Kind::Enzyme | Kind::Protein | Kind::Gene
    )
}

/// Words between a drug and its "anti-<molecule>" description ("dupilumab is a fully human
/// anti-IL-4Rα antibody").
const ANTI_SKIP: &[&str] = &[
    "is",
    "are",
    "was",
    "a",
    "an",
    "the",
    "fully",
    "human",
    "humanised",
    "humanized",
    "monoclonal",
    "new",
    "newer",
    "novel",
    "injectable",
];

/// Words between a drug and its "<molecule> inhibitor" description ("abrocitinib is a selective
/// oral JAK1 inhibitor").
const HEAD_SKIP: &[&str] = &[
    "is",
    "are",
    "was",
    "a",
    "an",
    "the",
    "selective",
    "oral",
    "topical",
    "potent",
    "new",
    "newer",
    "novel",
    "first",
    "reversible",
    "injectable",
    "fully",
    "human",
    "monoclonal",
];

/// The drugs a description at token `at` is said of: the drug before it (over `skip` words and
/// light punctuation), else the drugs named after the description's head (from token `after`).
fn drugs_named_around(
    v: &View,
    at: usize,
    skip: &[&str],
    after: usize,
    drug: &dyn Fn(EntryId) -> bool,
) -> Vec<EntryId> {
    let before = subject_before(v, at, skip, &[',', '(', ')', ':'], 10, drug, &|e| {
        v.vocab.entry(e).kind == Kind::Drug
    });
    match before {
        Some(s) => vec![s.entry],
        None => after_head(v, after, drug),
    }
}

/// Checks one sentence.
pub fn check(v: &View, out: &mut Vec<Finding>) {
    let mut claims: Vec<(EntryId, usize, usize, bool)> = Vec::new(); // (drug, molecule token, trigger token, direct)
    let drug = |e: EntryId| is_drug(v, e);
    let molecule = |e: EntryId| is_molecule(v, e);
    for i in 0..v.len() {
        // "<drug> blocks <molecule>", "<drug> switches off <molecule>"
        let phrasal = PHRASAL
            .iter()
            .any(|(a, b)| v.is_word(i, &[a]) && v.is_word(i + 1, &[b]));
        if v.is_word(i, VERBS) || phrasal {
            let direct = v.is_word(i, BINDING_VERBS);
            let subject = subject_before(
                v,
                i,
                SUBJECT_BRIDGE,
                &[',', '(', ')', ':', '-'],
                10,
                &drug,
                &|e| v.vocab.entry(e).kind == Kind::DrugClass,
            );
            if let Some(s) = subject {
                let from = if phrasal { i + 2 } else { i + 1 };
                for m in list_from(v, from, OBJECT_SKIP, &molecule) {
                    claims.push((s.entry, m, i, direct));
                }
            }
            // "<molecule> is blocked by <drug>"
            if v.is_word(
                i,
                &[
                    "blocked",
                    "inhibited",
                    "targeted",
                    "neutralised",
                    "neutralized",
                    "bound",
                ],
            ) && v.is_word(i + 1, &["by"])
                && let Some(d) = v.entry_at(i + 2).filter(|&e| drug(e))
            {
                let mut k = i;
                while k > 0
                    && v.is_word(
                        k - 1,
                        &[
                            "is",
                            "are",
                            "was",
                            "were",
                            "be",
                            "been",
                            "can",
                            "directly",
                            "selectively",
                        ],
                    )
                {
                    k -= 1;
                }
                if k > 0 && v.entry_at(k - 1).is_some_and(molecule) {
                    claims.push((d, k - 1, i, v.is_word(i, BINDING_VERBS)));
                }
            }
        }
        // "anti-<molecule>"
        if v.is_word(i, &["anti"])
            && v.is_punct(i + 1, '-')
            && v.entry_at(i + 2).is_some_and(molecule)
        {
            let m = i + 2;
            // "nemolizumab (anti-IL-4Rα)": the parenthesis belongs to the drug before it
            let parenthesised = (i >= 2 && v.is_punct(i - 1, '('))
                .then(|| v.entry_at(i - 2).filter(|&e| drug(e)))
                .flatten()
                .map(|entry| super::common::Subject {
                    entry,
                    token: i - 2,
                });
            let drugs = match parenthesised {
                Some(s) => vec![s.entry],
                None => drugs_named_around(v, i, ANTI_SKIP, m + 1, &drug),
            };
            for d in drugs {
                claims.push((d, m, i, true));
            }
        }
        // "<molecule> inhibitor / antagonist / blocker", "<molecule>-blocking antibody"
        if let Some(mol) = v.entry_at(i).filter(|&e| molecule(e)) {
            const HEADS: &[&str] = &[
                "inhibitor",
                "inhibitors",
                "antagonist",
                "antagonists",
                "blocker",
                "blockers",
            ];
            let head = if v.is_word(i + 1, HEADS) {
                Some(i + 1)
            } else if (v.is_word(i + 1, &["receptor"]) && v.is_word(i + 2, HEADS))
                || v.is_punct(i + 1, '-')
                    && v.is_word(
                        i + 2,
                        &[
                            "blocking",
                            "targeting",
                            "targeted",
                            "neutralising",
                            "neutralizing",
                            "inhibiting",
                            "directed",
                            "specific",
                        ],
                    )
            {
                Some(i + 2)
            } else {
                None
            };
            if let Some(h) = head {
                let _ = mol;
                let drugs = drugs_named_around(v, i, HEAD_SKIP, h + 1, &drug);
                for d in drugs {
                    claims.push((d, i, h, false));
                }
            }
        }
    }
    // "| nemolizumab | IL-13 |" under a "Target" column
    if let Some(d) = v.table_subject(
        &["target", "targets", "mechanism", "blocks", "binds"],
        &drug,
    ) {
        for i in 0..v.len() {
            if v.entry_at(i).is_some_and(molecule) {
                claims.push((d, i, i, false));
            }
        }
    }
    // one claim per drug and molecule ("blocks IL-31, the itch cytokine" names IL-31 twice)
    claims.sort_by_key(|&(d, m, t, _)| (d, m, t));
    let mut seen: HashSet<(EntryId, EntryId)> = HashSet::new();
    claims.retain(|&(d, m, _, _)| v.entry_at(m).is_some_and(|mol| seen.insert((d, mol))));
    for (d, m, trigger, direct) in claims {
        let Some(mol) = v.entry_at(m) else { continue };
        if !checkable(v.vocab, d, mol, direct) || acted_on(v.vocab, d).contains(&mol) {
            continue;
        }
        if v.in_compound(m) {
            continue;
        }
        let lo = trigger.min(m);
        if !v.asserted(lo..m + 1, None) {
            continue;
        }
        out.push(finding(v, d, m));
    }
}

/// Drugs named right after a head noun: "anti-IL-13 antibody tralokinumab", "the IL-13 inhibitor
/// lebrikizumab", "anti-IL-13 biologics such as tralokinumab and lebrikizumab".
fn after_head(v: &View, from: usize, drug: &dyn Fn(EntryId) -> bool) -> Vec<EntryId> {
    let mut j = from;
    while j < v.len()
        && (v.is_word(j, ANTI_HEADS)
            || v.is_punct(j, ',')
            || v.is_punct(j, '(')
            || v.kind_at(j) == Some(Kind::DrugClass))
    {
        j += 1;
    }
    if let Some(d) = v.entry_at(j).filter(|&e| drug(e)) {
        return vec![d];
    }
    let list_start = if v.is_word(j, &["such"]) && v.is_word(j + 1, &["as"]) {
        j + 2
    } else if v.is_word(j, &["like", "including", "e.g", "eg"]) {
        j + 1
    } else {
        return Vec::new();
    };
    list_from(v, list_start, &["the"], drug)
        .into_iter()
        .filter_map(|k| v.entry_at(k))
        .collect()
}

fn finding(v: &View, drug: EntryId, m: usize) -> Finding {
    let d = v.vocab.entry(drug);
    let facts = d.drug.as_ref();
    let targets: Vec<&str> = facts
        .map(|f| {
            f.targets
                .iter()
                .map(|&t| v.vocab.entry(t).name.as_str())
                .collect()
        })
        .unwrap_or_default();
    let signalling: Vec<&str> = facts
        .map(|f| {
            f.blocks_signalling_of
                .iter()
                .map(|&t| v.vocab.entry(t).name.as_str())
                .collect()
        })
        .unwrap_or_default();
    let mut what = format!("{} acts on {}", d.name, join(&targets));
    if !signalling.is_empty() {
        what.push_str(&format!(" (blocking {} signalling)", join(&signalling)));
    }
    let _ = article_for;
    let source = d.sources.first().cloned();
    Finding {
        rule: Rule::WrongTarget,
        severity: Rule::WrongTarget.default_severity(),
        range: v.range(m),
        message: format!(
            "Wrong target: {what}, not {}.{}",
            v.source_text(m),
            cite(source.as_ref())
        ),
        replacement: targets.first().map(|t| (*t).to_string()),
        source,
    }
}

/// "A", "A and B", "A, B and C".
pub fn join(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [a] => (*a).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
