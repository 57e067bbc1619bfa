//! `immuno-ls explain TERM`: the entry as the hover shows it; `immuno-ls terms FILE`: the terms
//! recognised in a file.

use std::path::PathBuf;

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, load_analyzer};
use crate::analysis::Analyzer;
use crate::describe;
use crate::text::normalize::fold_key;
use crate::vocab::EntryId;

/// Finds the entry a term names: an id, a written form (ignoring case), or a term matched in it.
pub fn lookup(analyzer: &Analyzer, term: &str) -> Option<EntryId> {
    let vocab = analyzer.vocab();
    if let Some(id) = vocab.by_id(term.trim()) {
        return Some(id);
    }
    let key = fold_key(term);
    for i in 0..vocab.len() {
        let id = EntryId(i as u32);
        if vocab.written_forms(id).iter().any(|f| fold_key(f) == key) {
            return Some(id);
        }
    }
    let trimmed = term.trim();
    analyzer
        .mentions_in(trimmed)
        .into_iter()
        .find(|m| m.range == (0..trimmed.len()))
        .map(|m| m.entry)
}

/// Runs the command.
pub fn run(term: &str, extra: &[PathBuf]) -> u8 {
    let Some(analyzer) = load_analyzer(extra) else {
        return EXIT_ERROR;
    };
    match lookup(&analyzer, term) {
        Some(id) => {
            println!("{}", describe::plain(analyzer.vocab(), id));
            EXIT_OK
        }
        None => {
            let key = fold_key(term);
            let vocab = analyzer.vocab();
            let mut near: Vec<&str> = (0..vocab.len())
                .map(|i| vocab.entry(EntryId(i as u32)).name.as_str())
                .filter(|n| fold_key(n).starts_with(&key.chars().take(3).collect::<String>()))
                .collect();
            near.truncate(8);
            eprintln!("immuno-ls: no vocabulary entry for \"{term}\"");
            if !near.is_empty() {
                eprintln!("  did you mean: {}", near.join(", "));
            }
            EXIT_FINDINGS
        }
    }
}

/// Prints the terms recognised in a file: `line:column<TAB>text<TAB>id<TAB>kind`.
pub fn terms(path: &std::path::Path, extra: &[PathBuf]) -> u8 {
    use std::io::Read;
    let Some(analyzer) = load_analyzer(extra) else {
        return EXIT_ERROR;
    };
    let (text, format) = if path.as_os_str() == "-" {
        let mut t = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut t) {
            eprintln!("error: cannot read standard input: {e}");
            return EXIT_ERROR;
        }
        (t, crate::text::prose::Format::Markdown)
    } else {
        match std::fs::read_to_string(path) {
            Ok(t) => (
                t,
                crate::text::prose::Format::from_hint(
                    path.extension().and_then(|e| e.to_str()).unwrap_or(""),
                ),
            ),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                return EXIT_ERROR;
            }
        }
    };
    let analysis = analyzer.analyze(&text, format, &crate::analysis::RuleSettings::default());
    let index = super::output::LineIndex::new(&text);
    for m in &analysis.mentions {
        let (line, col) = index.line_col(m.range.start);
        let e = analyzer.vocab().entry(m.entry);
        println!(
            "{line}:{col}\t{}\t{}\t{}",
            &text[m.range.clone()],
            e.id,
            e.kind.as_str()
        );
    }
    EXIT_OK
}
