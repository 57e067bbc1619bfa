//! Incremental analysis: after any sequence of edits, analysing with the document's block cache
//! gives exactly what a from-scratch analysis of the same text gives (mentions, findings,
//! sentences), and an edit inside one paragraph re-reads only the blocks it touched.
//!
//! The pieces edits are made of cover what couples blocks to each other: an ambiguous
//! abbreviation ("AD") and a word of its other meaning ("Alzheimer"), a refutation opening a
//! paragraph ("That is a myth."), Markdown tables (header, separator, data rows), a code fence
//! that can swallow what follows, in-file switches, and blank lines that merge or split blocks.

use std::sync::LazyLock;

use immuno_ls::analysis::{Analysis, Analyzer, BlockCache, RuleSettings};
use immuno_ls::text::prose::Format;
use proptest::prelude::*;

static ANALYZER: LazyLock<Analyzer> =
    LazyLock::new(|| Analyzer::embedded().unwrap_or_else(|e| panic!("embedded vocabulary: {e:?}")));

const PIECES: &[&str] = &[
    "Eczema is an autoimmune disease. ",
    "That is a myth. ",
    "Dupilumab blocks IL-31. ",
    "Tralokinumab targets IL-13. ",
    "AD is common in children. ",
    "Alzheimer ",
    "Is eczema contagious? ",
    "Eczema is contagious. ",
    "Many believe it is autoimmune, but it is not. ",
    "Nemolizumab is still in development. ",
    "Abrocitinib is a JAK inhibitor. ",
    "Crisaborole is a biologic. ",
    "\n\n",
    "\n",
    "\n| Drug | Target |\n|---|---|\n| dupilumab | IL-5 |\n",
    "| tralokinumab | IL-4 |\n",
    "\n```\n",
    "<!-- immuno-ls-disable-next-line -->\n",
    "- ",
    "# Heading\n",
    "filaggrin ",
    "atopic dermatitis ",
    "x",
    " ",
    ".",
];

const BASE: &str = "# Notes on AD\n\nAtopic dermatitis (AD) is immune-mediated. Eczema is autoimmune.\n\nThat is a myth. Dupilumab blocks IL-4Rα.\n\n| Drug | Target |\n|---|---|\n| tralokinumab | IL-13 |\n| dupilumab | IL-31 |\n\nTralokinumab blocks IL-4. Crisaborole is a biologic.\n\n- Eczema is contagious.\n- Lebrikizumab is still in development.\n";

#[derive(Clone, Debug)]
enum Edit {
    Insert(usize, usize),
    Delete(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0..PIECES.len()).prop_map(|(at, p)| Edit::Insert(at, p)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
    ]
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &mut String, e: &Edit) {
    match *e {
        Edit::Insert(at, p) => {
            let at = floor_boundary(text, at % (text.len() + 1));
            text.insert_str(at, PIECES[p]);
        }
        Edit::Delete(at, n) => {
            let start = floor_boundary(text, at % (text.len() + 1));
            let end = floor_boundary(text, start + n);
            text.replace_range(start..end, "");
        }
    }
}

fn assert_same(incremental: &Analysis, scratch: &Analysis, text: &str) {
    assert_eq!(
        incremental.sentences, scratch.sentences,
        "sentences of {text:?}"
    );
    assert_eq!(
        incremental.mentions, scratch.mentions,
        "mentions of {text:?}"
    );
    assert_eq!(
        incremental.findings, scratch.findings,
        "findings of {text:?}"
    );
}

proptest! {
    #[test]
    fn incremental_analysis_equals_analysis_from_scratch(
        edits in proptest::collection::vec(edit(), 1..12),
        markdown in any::<bool>(),
    ) {
        let format = if markdown { Format::Markdown } else { Format::Plain };
        let settings = RuleSettings::default();
        let mut cache = BlockCache::new();
        let mut text = BASE.to_string();
        ANALYZER.analyze_incremental(&text, format, &settings, &mut cache);
        for e in &edits {
            apply(&mut text, e);
            let incremental = ANALYZER.analyze_incremental(&text, format, &settings, &mut cache);
            let scratch = ANALYZER.analyze(&text, format, &settings);
            assert_same(&incremental, &scratch, &text);
        }
    }
}

/// The from-scratch findings of the base text, checked by hand: this is what the equivalence
/// above is anchored to.
#[test]
fn base_text_findings_are_the_expected_ones() {
    let a = ANALYZER.analyze(BASE, Format::Markdown, &RuleSettings::default());
    let found: Vec<(&str, &str)> = a
        .findings
        .iter()
        .map(|f| (f.rule.id(), &BASE[f.range.clone()]))
        .collect();
    // "Eczema is autoimmune." is taken back by "That is a myth." opening the next paragraph;
    // the table row gives dupilumab IL-31 (it blocks IL-4Rα); the last paragraphs have a wrong
    // target (IL-4 for tralokinumab), a wrong class, the contagion myth and an outdated status.
    let rules: Vec<&str> = found.iter().map(|(r, _)| *r).collect();
    assert!(!rules.contains(&"autoimmune-misnomer"), "{found:?}");
    assert_eq!(
        rules.iter().filter(|r| **r == "wrong-target").count(),
        2,
        "{found:?}"
    );
    assert!(rules.contains(&"wrong-class"), "{found:?}");
    assert!(rules.contains(&"contagious-myth"), "{found:?}");
    assert!(rules.contains(&"outdated-status"), "{found:?}");
}

#[test]
fn an_edit_in_one_paragraph_rereads_only_that_block() {
    let paragraph = "Dupilumab blocks IL-4Rα and is approved for atopic dermatitis. Eczema is not contagious.\n\n";
    let mut text = paragraph.repeat(200);
    let settings = RuleSettings::default();
    let mut cache = BlockCache::new();
    ANALYZER.analyze_incremental(&text, Format::Markdown, &settings, &mut cache);
    assert_eq!(cache.last_misses, 200, "a first analysis reads every block");
    // one character typed in the 101st paragraph
    let at = paragraph.len() * 100 + 10;
    text.insert(at, 'x');
    let a = ANALYZER.analyze_incremental(&text, Format::Markdown, &settings, &mut cache);
    assert_eq!(cache.last_misses, 1, "only the edited block is read again");
    assert_eq!(cache.last_hits, 199);
    assert_same(
        &a,
        &ANALYZER.analyze(&text, Format::Markdown, &settings),
        &text,
    );
}

/// "AD" counts while the document speaks of the field (dupilumab) and not of Alzheimer's disease,
/// and not at all once it does; naming atopic dermatitis in full would make it count again.
#[test]
fn a_word_of_the_other_meaning_anywhere_changes_every_ambiguous_block() {
    let mut text = String::from("AD is common in children.\n\nDupilumab is approved for AD.\n\n");
    let settings = RuleSettings::default();
    let mut cache = BlockCache::new();
    let before = ANALYZER.analyze_incremental(&text, Format::Plain, &settings, &mut cache);
    let ad = |a: &Analysis, text: &str| {
        a.mentions
            .iter()
            .filter(|m| &text[m.range.clone()] == "AD")
            .count()
    };
    assert_eq!(ad(&before, &text), 2);
    text.push_str("Alzheimer disease is not discussed here.\n");
    let after = ANALYZER.analyze_incremental(&text, Format::Plain, &settings, &mut cache);
    assert_eq!(
        ad(&after, &text),
        0,
        "AD now has another meaning in the document"
    );
    assert_same(
        &after,
        &ANALYZER.analyze(&text, Format::Plain, &settings),
        &text,
    );
}

/// A cache filled under one vocabulary is not reused under another, even for the same text.
#[test]
fn a_new_vocabulary_starts_a_new_cache() {
    let mut files = immuno_ls::vocab::embedded::files();
    files.push(immuno_ls::vocab::VocabFile {
        name: "extra.toml".into(),
        text: "[[entry]]\nid = \"zorbulin\"\nkind = \"concept\"\nname = \"zorbulin\"\ndefinition = \"A test term.\"\nsources = [{ title = \"test\", url = \"https://example.org/zorbulin\" }]\n".into(),
        user: true,
    });
    let extended = match immuno_ls::vocab::load(&files) {
        Ok(v) => Analyzer::new(std::sync::Arc::new(v)),
        Err(e) => panic!("{e:?}"),
    };
    let text = "Zorbulin is discussed here.\n\nEczema is immune-mediated.\n";
    let settings = RuleSettings::default();
    let mut cache = BlockCache::new();
    let before = ANALYZER.analyze_incremental(text, Format::Plain, &settings, &mut cache);
    assert!(
        before
            .mentions
            .iter()
            .all(|m| &text[m.range.clone()] != "Zorbulin")
    );
    let after = extended.analyze_incremental(text, Format::Plain, &settings, &mut cache);
    assert_eq!(cache.last_hits, 0, "nothing is reused across vocabularies");
    assert!(
        after
            .mentions
            .iter()
            .any(|m| &text[m.range.clone()] == "Zorbulin")
    );
}
