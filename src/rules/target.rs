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
    "block", "blocks", "blocked", "blocking", "blockade", "inhibit", "inhibits", "inhibited",
    "inhibiting", "target", "targets", "targeted", "targeting", "targetting", "bind", "binds",
    "binding", "bound", "neutralise", "neutralises", "neutralised", "neutralising", "neutralize",
    "neutralizes", "neutralized", "neutralizing", "antagonise", "antagonises", "antagonize",
    "antagonizes", "antagonising", "antagonizing", "against",
];

/// Words between the verb and the molecule ("blocks the action of IL-13").
const OBJECT_SKIP: &[&str] = &[
    "the", "a", "an", "both", "shared", "key", "cytokine", "cytokines", "interleukin", "action",
    "actions", "activity", "effect", "effects", "of", "signalling", "signaling", "directly",
    "selectively", "specifically", "only", "mainly", "primarily", "protein", "proteins",
    "molecule", "molecules", "messenger", "messengers", "inflammatory", "itch", "type", "2",
    "enzyme", "enzymes", "kinase", "kinases", "family", "its", "their", "receptor", "subunit",
    "chain", "signal", "signals", "pathway", "production", "release", "receptors",
];

/// Words between the drug and the verb ("dupilumab works by blocking", "which selectively binds").
const SUBJECT_BRIDGE: &[&str] = &[
    "is", "are", "was", "works", "work", "worked", "acts", "act", "by", "which", "that", "also",
    "directly", "selectively", "specifically", "primarily", "mainly", "only", "both", "to", "a",
    "an", "the", "antibody", "monoclonal", "biologic", "drug", "medicine", "medication",
    "injection", "designed", "thought", "known", "shown", "said", "cream", "ointment", "tablet",
    "pill", "treatment", "therapy", "it", "potently", "strongly", "and", "reversibly",
    "competitively", "orally", "topically", "then", "in", "turn", "effectively", "itself", "does",
    "do",
];

const ANTI_HEADS: &[&str] = &[
    "antibody", "antibodies", "monoclonal", "biologic", "biologics", "drug", "drugs", "medicine",
    "therapy", "treatment", "agent", "mab", "injection",
];

fn is_drug(v: &View, e: EntryId) -> bool {
    v.vocab.entry(e).drug.as_ref().is_some_and(|d| !d.targets.is_empty())
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
            if vocab.entry(rec).receptor.as_ref().is_some_and(|r| r.ligands == [t]) {
                out.insert(rec);
            }
        }
        if te.kind == Kind::Enzyme {
            out.extend(te.related.iter().copied().filter(|&r| vocab.entry(r).kind == Kind::Enzyme));
        }
    }
    out
}

/// Whether claims that `drug` acts on `molecule` are checkable at all.
fn checkable(vocab: &Vocabulary, drug: EntryId, molecule: EntryId) -> bool {
    let Some(d) = &vocab.entry(drug).drug else {
        return false;
    };
    let kind = vocab.entry(molecule).kind;
    let enzyme_drug = d.targets.iter().all(|&t| vocab.entry(t).kind == Kind::Enzyme);
    if enzyme_drug {
        return kind == Kind::Enzyme;
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

/// Checks one sentence.
pub fn check(v: &View, out: &mut Vec<Finding>) {
    let mut claims: Vec<(EntryId, usize, usize)> = Vec::new(); // (drug, molecule token, trigger token)
    let drug = |e: EntryId| is_drug(v, e);
    let molecule = |e: EntryId| is_molecule(v, e);
    for i in 0..v.len() {
        // "<drug> blocks <molecule>"
        if v.is_word(i, VERBS) {
            let subject = subject_before(v, i, SUBJECT_BRIDGE, &[',', '(', ')', ':', '-'], 10, &drug, &|e| {
                v.vocab.entry(e).kind == Kind::DrugClass
            });
            if let Some(s) = subject {
                for m in list_from(v, i + 1, OBJECT_SKIP, &molecule) {
                    claims.push((s.entry, m, i));
                }
            }
            // "<molecule> is blocked by <drug>"
            if v.is_word(i, &["blocked", "inhibited", "targeted", "neutralised", "neutralized", "bound"])
                && v.is_word(i + 1, &["by"])
                && let Some(d) = v.entry_at(i + 2).filter(|&e| drug(e))
            {
                let mut k = i;
                while k > 0 && v.is_word(k - 1, &["is", "are", "was", "were", "be", "been", "can", "directly", "selectively"]) {
                    k -= 1;
                }
                if k > 0 && v.entry_at(k - 1).is_some_and(molecule) {
                    claims.push((d, k - 1, i));
                }
            }
        }
        // "anti-<molecule>"
        if v.is_word(i, &["anti"]) && v.is_punct(i + 1, '-') && v.entry_at(i + 2).is_some_and(molecule) {
            let m = i + 2;
            let before = subject_before(v, i, &["is", "are", "was", "a", "an", "the", "fully", "human", "humanised", "humanized", "monoclonal", "new", "newer", "novel", "injectable"], &[',', '(', ':'], 8, &drug, &|_| false);
            let after = after_head(v, m + 1, &drug);
            if let Some(d) = before.map(|s| s.entry).or(after) {
                claims.push((d, m, i));
            }
        }
        // "<molecule> inhibitor / antagonist / blocker", "<molecule>-blocking antibody"
        if let Some(mol) = v.entry_at(i).filter(|&e| molecule(e)) {
            let head = if v.is_word(i + 1, &["inhibitor", "inhibitors", "antagonist", "antagonists", "blocker", "blockers"]) {
                Some(i + 1)
            } else if v.is_punct(i + 1, '-') && v.is_word(i + 2, &["blocking", "targeting", "targeted", "neutralising", "neutralizing", "inhibiting", "directed", "specific"]) {
                Some(i + 2)
            } else {
                None
            };
            if let Some(h) = head {
                let _ = mol;
                let before = subject_before(v, i, &["is", "are", "was", "a", "an", "the", "selective", "oral", "topical", "potent", "new", "newer", "novel", "first", "reversible", "injectable", "fully", "human", "monoclonal"], &[',', '(', ':'], 8, &drug, &|_| false);
                let after = after_head(v, h + 1, &drug);
                if let Some(d) = before.map(|s| s.entry).or(after) {
                    claims.push((d, i, h));
                }
            }
        }
    }
    claims.sort();
    claims.dedup();
    for (d, m, trigger) in claims {
        let Some(mol) = v.entry_at(m) else { continue };
        if !checkable(v.vocab, d, mol) || acted_on(v.vocab, d).contains(&mol) {
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

/// A drug named right after a head noun: "anti-IL-13 antibody tralokinumab", "the IL-13 inhibitor
/// lebrikizumab".
fn after_head(v: &View, from: usize, drug: &dyn Fn(EntryId) -> bool) -> Option<EntryId> {
    let mut j = from;
    while j < v.len() && (v.is_word(j, ANTI_HEADS) || v.is_punct(j, ',') || v.is_punct(j, '(')) {
        j += 1;
    }
    v.entry_at(j).filter(|&e| drug(e))
}

fn finding(v: &View, drug: EntryId, m: usize) -> Finding {
    let d = v.vocab.entry(drug);
    let facts = d.drug.as_ref();
    let targets: Vec<&str> = facts
        .map(|f| f.targets.iter().map(|&t| v.vocab.entry(t).name.as_str()).collect())
        .unwrap_or_default();
    let signalling: Vec<&str> = facts
        .map(|f| f.blocks_signalling_of.iter().map(|&t| v.vocab.entry(t).name.as_str()).collect())
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
