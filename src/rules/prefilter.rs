//! A cheap look at a sentence before the rules read it: one pass of an Aho-Corasick automaton over
//! the word stems each rule needs, and the kinds of terms present. A sentence no rule could apply to
//! is never tokenised or scoped, which keeps analysis fast on ordinary prose.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::analysis::finding::Rule;
use crate::vocab::{EntryId, Kind, Vocabulary};

/// Stems and the rule they may start.
const STEMS: &[(&str, Rule)] = &[
    ("autoimm", Rule::AutoimmuneMisnomer),
    ("auto-imm", Rule::AutoimmuneMisnomer),
    ("contagio", Rule::ContagiousMyth),
    ("infectio", Rule::ContagiousMyth),
    ("communicab", Rule::ContagiousMyth),
    ("transmi", Rule::ContagiousMyth),
    ("catch", Rule::ContagiousMyth),
    ("caught", Rule::ContagiousMyth),
    ("spread", Rule::ContagiousMyth),
    ("pass", Rule::ContagiousMyth),
    ("give", Rule::ContagiousMyth),
    ("giving", Rule::ContagiousMyth),
    ("gave", Rule::ContagiousMyth),
    ("given", Rule::ContagiousMyth),
    ("develop", Rule::OutdatedStatus),
    ("trial", Rule::OutdatedStatus),
    ("phase", Rule::OutdatedStatus),
    ("investig", Rule::OutdatedStatus),
    ("experiment", Rule::OutdatedStatus),
    ("approv", Rule::OutdatedStatus),
    ("licens", Rule::OutdatedStatus),
    ("licenc", Rule::OutdatedStatus),
    ("indicated", Rule::OutdatedStatus),
    ("review", Rule::OutdatedStatus),
    ("studied", Rule::OutdatedStatus),
    ("tested", Rule::OutdatedStatus),
    ("evaluat", Rule::OutdatedStatus),
    ("availab", Rule::OutdatedStatus),
    ("pending", Rule::OutdatedStatus),
    ("awaiting", Rule::OutdatedStatus),
];

static AUTOMATON: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(true)
        .build(STEMS.iter().map(|(s, _)| *s))
        .ok()
});

/// Which rules could apply to a sentence.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Candidates(u8);

impl Candidates {
    fn bit(rule: Rule) -> u8 {
        1 << (Rule::ALL.iter().position(|r| *r == rule).unwrap_or(0) as u8)
    }

    fn add(&mut self, rule: Rule) {
        self.0 |= Self::bit(rule);
    }

    /// Whether `rule` could apply.
    pub fn has(self, rule: Rule) -> bool {
        self.0 & Self::bit(rule) != 0
    }

    /// Whether no rule could apply.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Every rule (for callers that skip the prefilter).
    pub fn all() -> Candidates {
        let mut c = Candidates::default();
        for r in Rule::ALL {
            c.add(r);
        }
        c
    }
}

/// The rules that could apply to `sentence` (masked text), given the entries it mentions and those
/// of the earlier sentences of its block (or a table row's subject).
pub fn candidates(
    vocab: &Vocabulary,
    sentence: &str,
    mentioned: &[EntryId],
    earlier: &[EntryId],
) -> Candidates {
    let mut words = Candidates::default();
    if let Some(ac) = AUTOMATON.as_ref() {
        for m in ac.find_overlapping_iter(sentence) {
            words.add(STEMS[m.pattern().as_usize()].1);
        }
    }
    let kind_in = |list: &[EntryId], k: Kind| list.iter().any(|&e| vocab.entry(e).kind == k);
    // the drug may be named in an earlier sentence and stood for by a pronoun ("It binds IL-5")
    let drug_near = kind_in(mentioned, Kind::Drug) || kind_in(earlier, Kind::Drug);
    let molecule = mentioned.iter().any(|&e| {
        matches!(
            vocab.entry(e).kind,
            Kind::Cytokine | Kind::Receptor | Kind::Enzyme | Kind::Protein | Kind::Gene
        )
    });
    let class = kind_in(mentioned, Kind::DrugClass);
    let condition = kind_in(mentioned, Kind::Condition) || kind_in(earlier, Kind::Condition);

    let mut out = Candidates::default();
    if words.has(Rule::AutoimmuneMisnomer) {
        out.add(Rule::AutoimmuneMisnomer);
    }
    if words.has(Rule::ContagiousMyth) && condition {
        out.add(Rule::ContagiousMyth);
    }
    if molecule && drug_near {
        out.add(Rule::WrongTarget);
    }
    if class && drug_near {
        out.add(Rule::WrongClass);
    }
    if words.has(Rule::OutdatedStatus) && drug_near {
        out.add(Rule::OutdatedStatus);
    }
    out
}
