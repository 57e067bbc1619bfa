//! Every kind of mistake in a vocabulary file is reported with the file, line and column, and the
//! embedded vocabulary itself is valid.

use immuno_ls::vocab::{VocabError, VocabFile, embedded, load};

/// Loads the embedded vocabulary plus one user file.
fn errors_with(text: &str) -> Vec<VocabError> {
    let mut files = embedded::files();
    files.push(VocabFile {
        name: "team.toml".into(),
        text: text.into(),
        user: true,
    });
    match load(&files) {
        Ok(_) => Vec::new(),
        Err(e) => e,
    }
}

fn only_error(text: &str) -> VocabError {
    let errors = errors_with(text);
    assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
    errors.into_iter().next().unwrap_or_else(|| unreachable!())
}

const GOOD: &str = r#"[[entry]]
id = "local-term"
kind = "concept"
name = "wet wrap protocol B"
definition = "Our clinic's wet wrap protocol."
sources = [{ title = "Clinic handbook", url = "https://example.org/handbook" }]
"#;

#[test]
fn the_embedded_vocabulary_is_valid_and_large() {
    let v = match embedded::vocabulary() {
        Ok(v) => v,
        Err(e) => panic!("embedded vocabulary errors: {e:#?}"),
    };
    assert!(v.len() >= 250, "only {} entries", v.len());
    for e in v.entries() {
        assert!(!e.sources.is_empty(), "{} has no source", e.id);
        let sentences = e.definition.matches(". ").count() + 1;
        assert!(
            sentences <= 4,
            "{} definition is long: {}",
            e.id,
            e.definition
        );
    }
}

#[test]
fn a_good_user_file_loads() {
    assert!(errors_with(GOOD).is_empty());
}

#[test]
fn syntax_error_has_position() {
    let e = only_error("[[entry]]\nid = \"x\nkind = \"concept\"\n");
    assert_eq!(e.file, "team.toml");
    assert_eq!(e.line, 2);
    assert!(e.column >= 6, "{e}");
}

#[test]
fn unknown_field_is_named() {
    let text = GOOD.replace("name = ", "nmae = ");
    let errors = errors_with(&text);
    let e = errors
        .iter()
        .find(|e| e.message.contains("nmae"))
        .unwrap_or_else(|| panic!("{errors:#?}"));
    assert_eq!((e.file.as_str(), e.line), ("team.toml", 4));
}

#[test]
fn dangling_reference_points_at_the_id() {
    let text = format!("{GOOD}related = [\"no-such-entry\"]\n");
    let e = only_error(&text);
    assert_eq!((e.line, e.column), (7, 12));
    assert!(e.message.contains("no-such-entry"), "{e}");
}

#[test]
fn conflicting_surface_form() {
    // "Dupixent" already names dupilumab
    let text = GOOD.replace("wet wrap protocol B", "Dupixent");
    let e = only_error(&text);
    assert_eq!((e.line, e.column), (4, 8));
    assert!(e.message.contains("dupilumab"), "{e}");
}

#[test]
fn empty_definition() {
    let text = GOOD.replace("Our clinic's wet wrap protocol.", "  ");
    let e = only_error(&text);
    assert_eq!(e.line, 5);
    assert!(e.message.contains("empty definition"), "{e}");
}

#[test]
fn missing_source() {
    let text = GOOD.replace(
        "sources = [{ title = \"Clinic handbook\", url = \"https://example.org/handbook\" }]\n",
        "",
    );
    let e = only_error(&text);
    assert_eq!(e.line, 2);
    assert!(e.message.contains("no source"), "{e}");
}

#[test]
fn bad_url_and_date_and_kind() {
    let text = GOOD.replace("https://example.org/handbook", "example.org");
    assert!(only_error(&text).message.contains("https://"));
    let text = GOOD.replace("kind = \"concept\"", "kind = \"gadget\"");
    let e = only_error(&text);
    assert_eq!((e.line, e.column), (3, 8));
    let drug = r#"[[entry]]
id = "newmab"
kind = "drug"
name = "newmab"
definition = "A new antibody."
sources = [{ title = "T", url = "https://example.org" }]
[entry.drug]
classes = ["il-13"]
targets = ["il-13"]
[[entry.drug.approvals]]
agency = "FDA"
indication = "atopic-dermatitis"
date = "2024-13-01"
source = { title = "T", url = "https://example.org" }
"#;
    let errors = errors_with(drug);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors
            .iter()
            .any(|e| e.line == 8 && e.message.contains("expected drug-class")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.line == 13 && e.message.contains("YYYY-MM-DD")),
        "{errors:#?}"
    );
}

#[test]
fn duplicate_ids_in_one_layer_but_override_across_layers() {
    let twice = format!("{GOOD}\n{GOOD}");
    let errors = errors_with(&twice);
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("duplicate id") && e.line == 9),
        "{errors:#?}"
    );
    // a user entry with an embedded id replaces it
    let replace = GOOD
        .replace("local-term", "dupilumab")
        .replace("wet wrap protocol B", "dupilumab");
    assert!(errors_with(&replace).is_empty());
}

#[test]
fn error_display_is_file_line_column() {
    let e = only_error("[[entry]]\nid = \"x\nkind = \"concept\"\n");
    assert!(e.to_string().starts_with("team.toml:2:"), "{e}");
}
