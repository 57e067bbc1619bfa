//! Term recognition through the whole pipeline: word boundaries, spelling variants, traps and
//! ambiguous abbreviations.

use immuno_ls::analysis::{Analyzer, RuleSettings};
use immuno_ls::text::prose::Format;

fn analyzer() -> Analyzer {
    match Analyzer::embedded() {
        Ok(a) => a,
        Err(e) => panic!("embedded vocabulary is broken: {e:?}"),
    }
}

/// (matched text, entry id) of every mention.
fn mentions(a: &Analyzer, text: &str) -> Vec<(String, String)> {
    a.analyze(text, Format::Plain, &RuleSettings::default())
        .mentions
        .into_iter()
        .map(|m| {
            (
                text[m.range].to_string(),
                a.vocab().entry(m.entry).id.clone(),
            )
        })
        .collect()
}

fn has(got: &[(String, String)], text: &str, id: &str) -> bool {
    got.iter().any(|(t, i)| t == text && i == id)
}

#[test]
fn interleukin_spellings_resolve_to_one_entry() {
    let a = analyzer();
    let text = "IL-4, IL4, IL 4, interleukin-4, Interleukin 4 and IL\u{2013}4 are one cytokine.";
    let got = mentions(&a, text);
    for form in [
        "IL-4",
        "IL4",
        "IL 4",
        "interleukin-4",
        "Interleukin 4",
        "IL\u{2013}4",
    ] {
        assert!(
            has(&got, form, "il-4"),
            "{form} not recognised as IL-4: {got:?}"
        );
    }
}

#[test]
fn greek_letters_and_their_names() {
    let a = analyzer();
    let got = mentions(
        &a,
        "Dupilumab binds IL-4Rα (IL-4R alpha); TNF-alpha and IFN-γ differ.",
    );
    assert!(has(&got, "IL-4Rα", "il-4ra"), "{got:?}");
    assert!(has(&got, "IL-4R alpha", "il-4ra"), "{got:?}");
    assert!(has(&got, "TNF-alpha", "tnf-alpha"), "{got:?}");
    assert!(has(&got, "IFN-γ", "ifn-gamma"), "{got:?}");
}

#[test]
fn no_match_inside_words() {
    let a = analyzer();
    for text in [
        "Please add a moisturiser.",
        "We set up an ad hoc review.",
        "The meeting was in Jakarta.",
        "Levels of IL-13 were raised.",
        "Th22 cells make IL-22.",
    ] {
        let got = mentions(&a, text);
        for (t, id) in &got {
            let before = text.find(t.as_str()).unwrap_or(0);
            let end = before + t.len();
            let ok_before = text[..before]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let ok_after = text[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            assert!(
                ok_before && ok_after,
                "{t} ({id}) matched inside a word in {text:?}"
            );
        }
        assert!(
            !got.iter().any(|(_, id)| id == "il-1-beta"
                || id == "th2"
                || id == "atopic-dermatitis"
                || id == "jak1"),
            "trap matched in {text:?}: {got:?}"
        );
    }
    assert!(has(
        &mentions(&a, "Levels of IL-13 were raised."),
        "IL-13",
        "il-13"
    ));
    assert!(has(
        &mentions(&a, "Th22 cells make IL-22."),
        "Th22 cells",
        "th22"
    ));
}

#[test]
fn a_shorter_term_survives_a_longer_rejected_one() {
    let a = analyzer();
    // "T cell" at the start of "T cell receptors" must still be found
    let got = mentions(&a, "T cells and their receptors.");
    assert!(has(&got, "T cells", "t-cell"), "{got:?}");
}

#[test]
fn plurals_and_multiword_terms() {
    let a = analyzer();
    let got = mentions(
        &a,
        "Eosinophils, mast cells and JAK inhibitors; food allergies and the atopic\n   march.",
    );
    assert!(has(&got, "Eosinophils", "eosinophil"), "{got:?}");
    assert!(has(&got, "mast cells", "mast-cell"), "{got:?}");
    assert!(has(&got, "JAK inhibitors", "jak-inhibitor"), "{got:?}");
    assert!(has(&got, "food allergies", "food-allergy"), "{got:?}");
    assert!(has(&got, "atopic\n   march", "atopic-march"), "{got:?}");
}

#[test]
fn brands_and_abbreviations() {
    let a = analyzer();
    let got = mentions(
        &a,
        "Switched from Dupixent to Rinvoq; swabs grew S. aureus; FLG variants.",
    );
    assert!(has(&got, "Dupixent", "dupilumab"), "{got:?}");
    assert!(has(&got, "Rinvoq", "upadacitinib"), "{got:?}");
    assert!(has(&got, "S. aureus", "staphylococcus-aureus"), "{got:?}");
    assert!(has(&got, "FLG", "filaggrin"), "{got:?}");
}

#[test]
fn abbreviations_keep_their_case() {
    let a = analyzer();
    let got = mentions(&a, "The flg results and ige levels.");
    assert!(
        !got.iter().any(|(_, id)| id == "filaggrin" || id == "ige"),
        "{got:?}"
    );
}

#[test]
fn ambiguous_ad_needs_support() {
    let a = analyzer();
    let defined = mentions(
        &a,
        "Atopic dermatitis (AD) affects one in ten adults. AD itches.",
    );
    assert_eq!(
        defined
            .iter()
            .filter(|(t, id)| t == "AD" && id == "atopic-dermatitis")
            .count(),
        2,
        "{defined:?}"
    );
    let alzheimer = mentions(&a, "AD causes memory loss and dementia.");
    assert!(!alzheimer.iter().any(|(t, _)| t == "AD"), "{alzheimer:?}");
    let alone = mentions(&a, "AD was noted.");
    assert!(!alone.iter().any(|(t, _)| t == "AD"), "{alone:?}");
    let field = mentions(&a, "In AD, Th2 cells release IL-13.");
    assert!(has(&field, "AD", "atopic-dermatitis"), "{field:?}");
}

#[test]
fn non_ascii_text_keeps_byte_ranges_right() {
    let a = analyzer();
    let text = "😀 Ré: 中文 IL-4Rα → dupilumab 300 µg";
    let got = mentions(&a, text);
    assert!(has(&got, "IL-4Rα", "il-4ra"), "{got:?}");
    assert!(has(&got, "dupilumab", "dupilumab"), "{got:?}");
}
