//! `immuno-ls vocab list` and `immuno-ls vocab check`.

use std::path::PathBuf;

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, load_analyzer};
use crate::vocab::{Kind, VocabFile, embedded, load};

/// Prints one entry a line: id, kind, canonical name (tab-separated).
pub fn list(kind: Option<&str>, extra: &[PathBuf]) -> u8 {
    let wanted = match kind {
        Some(k) => match Kind::parse(k) {
            Some(k) => Some(k),
            None => {
                let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                eprintln!(
                    "error: unknown kind \"{k}\"; kinds are {}",
                    names.join(", ")
                );
                return EXIT_ERROR;
            }
        },
        None => None,
    };
    let Some(analyzer) = load_analyzer(extra) else {
        return EXIT_ERROR;
    };
    for e in analyzer.vocab().entries() {
        if wanted.is_none_or(|k| k == e.kind) {
            println!("{}\t{}\t{}", e.id, e.kind.as_str(), e.name);
        }
    }
    EXIT_OK
}

/// Validates files together with the embedded vocabulary.
pub fn check(files: &[PathBuf]) -> u8 {
    let mut all = embedded::files();
    for path in files {
        match std::fs::read_to_string(path) {
            Ok(text) => all.push(VocabFile {
                name: path.display().to_string(),
                text,
                user: true,
            }),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                return EXIT_ERROR;
            }
        }
    }
    match load(&all) {
        Ok(v) => {
            let what = if files.is_empty() {
                "embedded vocabulary".to_string()
            } else {
                format!("{} file(s)", files.len())
            };
            println!("ok: {what}, {} entries in all", v.len());
            EXIT_OK
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            eprintln!("{} problem(s)", errors.len());
            EXIT_FINDINGS
        }
    }
}
