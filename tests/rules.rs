//! Claim rules on sentences of our own: each positive names the rule and the exact words it must
//! cover; each negative must stay silent. Written by hand from the sourced vocabulary facts.

use immuno_ls::analysis::{Analyzer, RuleSettings};
use immuno_ls::text::prose::Format;

fn analyzer() -> Analyzer {
    match Analyzer::embedded() {
        Ok(a) => a,
        Err(e) => panic!("embedded vocabulary is broken: {e:?}"),
    }
}

/// (rule id, flagged text) of every finding.
fn findings(a: &Analyzer, text: &str) -> Vec<(String, String)> {
    a.analyze(text, Format::Markdown, &RuleSettings::default())
        .findings
        .into_iter()
        .map(|f| (f.rule.id().to_string(), text[f.range].to_string()))
        .collect()
}

fn assert_fires(a: &Analyzer, rule: &str, span: &str, text: &str) {
    let got = findings(a, text);
    assert!(
        got.iter().any(|(r, s)| {
            let (s, span) = (s.to_lowercase(), span.to_lowercase());
            r == rule && (s.contains(&span) || span.contains(&s))
        }),
        "expected {rule} on {span:?} in {text:?}, got {got:?}"
    );
    assert!(
        got.iter().all(|(r, _)| r == rule),
        "unexpected other findings in {text:?}: {got:?}"
    );
}

fn assert_silent(a: &Analyzer, text: &str) {
    let got = findings(a, text);
    assert!(
        got.is_empty(),
        "expected no finding in {text:?}, got {got:?}"
    );
}

#[test]
fn autoimmune_misnomer_positives() {
    let a = analyzer();
    for text in [
        "Eczema is an autoimmune skin disease.",
        "Atopic eczema is autoimmune in nature.",
        "My son's eczema, which is an autoimmune condition, gets worse in winter.",
        "Autoimmune eczema often flares in winter.",
        "As an autoimmune condition, eczema is treated with immunosuppressants.",
        "Atopic dermatitis is caused by an autoimmune reaction against the skin.",
        "Eczema is not contagious, but it is autoimmune.",
        "Autoimmune diseases like eczema and psoriasis are common.",
        "Atopic dermatitis (AD) is a common condition. AD is an autoimmune disorder.",
    ] {
        assert_fires(&a, "autoimmune-misnomer", "autoimmune", text);
    }
}

#[test]
fn autoimmune_misnomer_negatives() {
    let a = analyzer();
    for text in [
        "Is eczema an autoimmune condition?",
        "Eczema is not considered an autoimmune disease.",
        "Eczema is immune-mediated rather than autoimmune.",
        "It is a myth that eczema is autoimmune.",
        "Many parents think eczema is autoimmune; it is not.",
        "If eczema were autoimmune, immunosuppressants would cure it.",
        "Eczema may have autoimmune features in some adults.",
        "People with eczema have a higher risk of alopecia areata and other autoimmune conditions.",
        "She has atopic dermatitis and autoimmune thyroiditis.",
        "Eczema is linked to autoimmune diseases such as vitiligo.",
        "Unlike lupus, which is autoimmune, eczema is driven by type 2 inflammation.",
        "Compared with autoimmune blistering diseases, eczema rarely scars.",
        "The AD patient had no history of autoimmune disease.",
        "Lupus is an autoimmune disease.",
        "Eczema is not autoimmune, and it is not contagious either.",
        "Eczema is a non-autoimmune inflammatory disease.",
    ] {
        assert_silent(&a, text);
    }
}

#[test]
fn wrong_target_positives() {
    let a = analyzer();
    for (text, span) in [
        (
            "Dupixent blocks IL-31, which is why the itch improves.",
            "IL-31",
        ),
        ("Adbry neutralizes IL-4 in the skin.", "IL-4"),
        ("Nemluvio is an anti-IL-13 antibody.", "IL-13"),
        ("Xolair blocks IL-5 and so lowers eosinophils.", "IL-5"),
        (
            "Tralokinumab works by blocking interleukin-31.",
            "interleukin-31",
        ),
        (
            "The anti-IL-4 antibody lebrikizumab is given monthly.",
            "IL-4",
        ),
        ("IL-13 is blocked by nemolizumab.", "IL-13"),
        ("Mepolizumab targets IgE.", "IgE"),
        ("Crisaborole inhibits JAK1.", "JAK1"),
        ("Tezepelumab blocks IL-33.", "IL-33"),
    ] {
        assert_fires(&a, "wrong-target", span, text);
    }
}

#[test]
fn wrong_target_negatives() {
    let a = analyzer();
    for text in [
        "Dupilumab blocks IL-4 and IL-13 signalling.",
        "Dupixent binds IL-4Rα.",
        "Tralokinumab (Adbry) neutralises interleukin-13.",
        "Nemolizumab targets the IL-31 receptor alpha on nerves.",
        "Omalizumab binds IgE.",
        "Benralizumab targets IL-5Rα on eosinophils.",
        "Tezepelumab blocks TSLP, an epithelial alarmin.",
        "Upadacitinib selectively inhibits JAK1.",
        "Ruxolitinib cream inhibits JAK1 and JAK2.",
        "JAK inhibitors block IL-4 signalling inside the cell.",
        "Does tralokinumab block IL-4? No, it blocks IL-13.",
        "Tralokinumab does not block IL-4.",
        "Nemolizumab, unlike dupilumab, blocks IL-31 signalling.",
        "Unlike dupilumab, which blocks IL-4 and IL-13, tralokinumab blocks IL-13 only.",
        "Th2 cells release IL-4, IL-13 and IL-31 in lesional skin.",
        "Upadacitinib dampens IL-4 and IL-13 signalling through JAK1.",
        "Lebrikizumab is an anti-IL-13 monoclonal antibody.",
    ] {
        assert_silent(&a, text);
    }
}

#[test]
fn wrong_class_positives() {
    let a = analyzer();
    for (text, span) in [
        ("Tacrolimus ointment is a corticosteroid.", "corticosteroid"),
        ("Crisaborole is a mild steroid cream.", "steroid"),
        ("Rinvoq is a biologic injection.", "biologic"),
        (
            "The JAK inhibitor dupilumab is injected every two weeks.",
            "JAK inhibitor",
        ),
        (
            "Calcineurin inhibitors such as tacrolimus and crisaborole avoid skin thinning.",
            "Calcineurin inhibitors",
        ),
        (
            "Abrocitinib is a monoclonal antibody.",
            "monoclonal antibody",
        ),
        (
            "Pimecrolimus (Elidel) is a topical steroid.",
            "topical steroid",
        ),
    ] {
        assert_fires(&a, "wrong-class", span, text);
    }
}

#[test]
fn wrong_class_negatives() {
    let a = analyzer();
    for text in [
        "Tacrolimus is a topical calcineurin inhibitor, not a steroid.",
        "Crisaborole is a non-steroidal PDE4 inhibitor ointment.",
        "Dupilumab is a biologic.",
        "Upadacitinib is an oral JAK inhibitor.",
        "Clobetasol propionate is a very potent topical corticosteroid.",
        "Is tacrolimus a steroid?",
        "Tacrolimus is steroid-free.",
        "JAK inhibitors such as upadacitinib and abrocitinib are taken by mouth.",
        "Topical calcineurin inhibitors (tacrolimus, pimecrolimus) are steroid-sparing.",
        "After topical steroids failed, dupilumab was started.",
        "Unlike JAK inhibitors, dupilumab is an injection.",
        "Dupilumab is not a JAK inhibitor; it is a monoclonal antibody.",
    ] {
        assert_silent(&a, text);
    }
}

#[test]
fn contagious_myth() {
    let a = analyzer();
    for (text, span) in [
        ("Atopic dermatitis is highly contagious.", "contagious"),
        (
            "Eczema is infectious, so wash towels separately.",
            "infectious",
        ),
        (
            "Eczema spreads from person to person through touch.",
            "spreads",
        ),
        ("You can catch eczema from sharing a bath.", "catch"),
    ] {
        assert_fires(&a, "contagious-myth", span, text);
    }
    for text in [
        "Eczema is not contagious.",
        "Is eczema contagious?",
        "Eczema can spread to other parts of the body.",
        "Eczema herpeticum is contagious and needs urgent care.",
        "Infected eczema can be contagious.",
        "Impetigo is contagious; eczema is not.",
        "Many parents worry that eczema is contagious, but it is not.",
        "Children with eczema are prone to infections such as impetigo.",
    ] {
        assert_silent(&a, text);
    }
}

#[test]
fn outdated_status() {
    let a = analyzer();
    for (text, span) in [
        (
            "Nemolizumab is still an investigational drug for atopic dermatitis.",
            "investigational",
        ),
        (
            "Ebglyss is awaiting FDA approval for eczema.",
            "awaiting FDA approval",
        ),
        (
            "Tapinarof is still in clinical trials for atopic dermatitis.",
            "in clinical trials",
        ),
        (
            "In Europe, lebrikizumab is not yet approved for atopic dermatitis.",
            "not yet approved",
        ),
    ] {
        assert_fires(&a, "outdated-status", span, text);
    }
    for text in [
        "In 2019, lebrikizumab was still investigational.",
        "Baricitinib is not approved for atopic dermatitis in the United States.",
        "Amlitelimab is still in development for atopic dermatitis.",
        "Dupilumab is not approved for children under 6 months.",
        "Nemolizumab is no longer investigational for atopic dermatitis.",
        "Delgocitinib is not approved for atopic dermatitis in the US.",
    ] {
        assert_silent(&a, text);
    }
}

#[test]
fn status_subject_carries_over_within_a_list_item() {
    let a = analyzer();
    let text = "- Nemolizumab: blocks IL-31 signalling. Targets itch directly. FDA-approved for prurigo nodularis; in development for AD.\n";
    assert_fires(&a, "outdated-status", "in development", text);
}

#[test]
fn rules_can_be_switched_off() {
    let a = analyzer();
    let mut settings = RuleSettings::default();
    settings.set(immuno_ls::analysis::Rule::WrongClass, None);
    let got = a.analyze("Dupilumab is a JAK inhibitor.", Format::Plain, &settings);
    assert!(got.findings.is_empty());
}
