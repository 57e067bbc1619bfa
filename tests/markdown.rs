//! What is not prose is not checked, and in-file switches turn rules off, in Markdown and plain text.

use immuno_ls::analysis::{Analyzer, RuleSettings};
use immuno_ls::text::prose::Format;

fn analyzer() -> Analyzer {
    match Analyzer::embedded() {
        Ok(a) => a,
        Err(e) => panic!("embedded vocabulary is broken: {e:?}"),
    }
}

fn rules(a: &Analyzer, text: &str, format: Format) -> Vec<String> {
    a.analyze(text, format, &RuleSettings::default())
        .findings
        .into_iter()
        .map(|f| format!("{}@{}", f.rule.id(), &text[f.range]))
        .collect()
}

#[test]
fn code_links_comments_urls_and_front_matter_are_skipped() {
    let a = analyzer();
    let md = "---\nnote: Eczema is autoimmune.\n---\n\n\
              Inline `Eczema is autoimmune.` code.\n\n\
              ```\nEczema is autoimmune.\n```\n\n\
              \x20   Eczema is autoimmune.\n\n\
              See [the page](https://example.org/eczema-is-autoimmune) and https://example.org/eczema/is/autoimmune.\n\n\
              <!-- Eczema is autoimmune. -->\n";
    assert_eq!(rules(&a, md, Format::Markdown), Vec::<String>::new());
}

#[test]
fn link_text_is_prose() {
    let a = analyzer();
    let md = "Read [why eczema is autoimmune](https://example.org) today.";
    assert_eq!(
        rules(&a, md, Format::Markdown),
        vec!["autoimmune-misnomer@autoimmune"]
    );
}

#[test]
fn headings_and_lists_are_sentences() {
    let a = analyzer();
    let md = "# Eczema\n\n- Dupilumab: blocks IL-31\n- Tralokinumab: blocks IL-13\n";
    assert_eq!(rules(&a, md, Format::Markdown), vec!["wrong-target@IL-31"]);
}

#[test]
fn disable_next_line_in_both_formats() {
    let a = analyzer();
    for format in [Format::Markdown, Format::Plain] {
        let text = "<!-- immuno-ls-disable-next-line wrong-target -->\nDupilumab blocks IL-31.\nDupilumab blocks IL-5.\n";
        assert_eq!(
            rules(&a, text, format),
            vec!["wrong-target@IL-5"],
            "{format:?}"
        );
        let other = "<!-- immuno-ls-disable-next-line wrong-class -->\nDupilumab blocks IL-31.\n";
        assert_eq!(
            rules(&a, other, format),
            vec!["wrong-target@IL-31"],
            "{format:?}"
        );
    }
}

#[test]
fn disable_and_enable_regions() {
    let a = analyzer();
    let text = "Eczema is autoimmune.\n\n<!-- immuno-ls-disable autoimmune-misnomer -->\n\nEczema is autoimmune. Dupilumab blocks IL-31.\n\n<!-- immuno-ls-enable autoimmune-misnomer -->\n\nEczema is autoimmune.\n";
    let got = rules(&a, text, Format::Markdown);
    assert_eq!(
        got,
        vec![
            "autoimmune-misnomer@autoimmune",
            "wrong-target@IL-31",
            "autoimmune-misnomer@autoimmune"
        ]
    );
    let all = "<!-- immuno-ls-disable -->\nEczema is autoimmune. Dupilumab blocks IL-31.\n";
    assert!(rules(&a, all, Format::Plain).is_empty());
}

#[test]
fn crlf_text_gives_the_same_findings() {
    let a = analyzer();
    let text = "Intro line.\r\n\r\nEczema is\r\nautoimmune.\r\n";
    assert_eq!(
        rules(&a, text, Format::Markdown),
        vec!["autoimmune-misnomer@autoimmune"]
    );
}

#[test]
fn tables_are_read_row_by_row_under_their_headers() {
    let a = analyzer();
    let md = "| Drug | Target | Class | Status |\n\
              |---|---|---|---|\n\
              | Dupilumab | IL-4Rα | monoclonal antibody | approved |\n\
              | Lebrikizumab | IL-31RA | JAK inhibitor | investigational |\n";
    assert_eq!(
        rules(&a, md, Format::Markdown),
        vec![
            "wrong-target@IL-31RA",
            "wrong-class@JAK inhibitor",
            "outdated-status@investigational",
        ]
    );
    let conditions = "| Condition | Mechanism |\n|---|---|\n| Atopic dermatitis | Autoimmune |\n| Alopecia areata | Autoimmune |\n";
    assert_eq!(
        rules(&a, conditions, Format::Markdown),
        vec!["autoimmune-misnomer@Autoimmune"]
    );
    // a correct table, and a table without a header separator, stay silent
    let correct =
        "| Drug | Target |\n|:--|:--|\n| Tralokinumab | IL-13 |\n| Nemolizumab | IL-31RA |\n";
    assert!(rules(&a, correct, Format::Markdown).is_empty());
    let no_header = "| Lebrikizumab | IL-31RA |\n| Dupilumab | IL-31 |\n";
    assert!(rules(&a, no_header, Format::Markdown).is_empty());
}
