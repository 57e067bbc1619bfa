//! The vocabulary loader on arbitrary files. Every error must name a file that was given, with a
//! span inside its text on character boundaries and the 1-based line and column of that span's
//! start. A file that loads must give a working analyzer: it is compiled, a short text is analysed
//! and completed with it.
//!
//! Input: one byte of options (bit 0: the file is a user file, which may replace embedded entries;
//! bits 1-3 all clear: the embedded vocabulary is loaded with it, so that references, overrides and
//! conflicting names meet real entries), then the file (invalid UTF-8 replaced).

#![no_main]

use std::sync::{Arc, LazyLock};

use immuno_ls::analysis::{Analyzer, RuleSettings};
use immuno_ls::complete::{CompletionIndex, complete};
use immuno_ls::text::prose::Format;
use immuno_ls::vocab::{VocabFile, embedded, line_col, load};
use libfuzzer_sys::fuzz_target;

static EMBEDDED: LazyLock<Vec<VocabFile>> = LazyLock::new(embedded::files);

const SAMPLE: &str = "Dupilumab blocks IL-4Rα; atopic dermatitis is not contagious.\n\
                      - Tralokinumab (IL-13)\n\nThe wet wrap protocol B helps. Th2 cells make IL4. ";

fuzz_target!(|data: &[u8]| {
    let Some((&options, rest)) = data.split_first() else {
        return;
    };
    let mut files = if options & 0b1110 == 0 {
        EMBEDDED.clone()
    } else {
        Vec::new()
    };
    files.push(VocabFile {
        name: "fuzz.toml".to_string(),
        text: String::from_utf8_lossy(rest).into_owned(),
        user: options & 1 == 1,
    });
    match load(&files) {
        Ok(vocab) => {
            let analyzer = Analyzer::new(Arc::new(vocab));
            let analysis = analyzer.analyze(SAMPLE, Format::Markdown, &RuleSettings::default());
            for m in &analysis.mentions {
                assert!(m.range.end <= SAMPLE.len() && m.range.start < m.range.end);
                let _ = analyzer.vocab().entry(m.entry);
            }
            let index = CompletionIndex::new(analyzer.vocab());
            let _ = complete(&analyzer, &index, SAMPLE, SAMPLE.len());
            let _ = complete(&analyzer, &index, "Th", 2);
            for e in analyzer.vocab().entries() {
                let _ = immuno_ls::describe::detail(
                    analyzer.vocab(),
                    analyzer.vocab().by_id(&e.id).expect("own id"),
                );
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "an error without a report");
            for e in &errors {
                let file = files
                    .iter()
                    .find(|f| f.name == e.file)
                    .unwrap_or_else(|| panic!("unknown file {}", e.file));
                let text = &file.text;
                assert!(
                    e.span.start <= e.span.end && e.span.end <= text.len(),
                    "span {:?} outside 0..{}: {e}",
                    e.span,
                    text.len()
                );
                assert_eq!(
                    line_col(text, e.span.start),
                    (e.line, e.column),
                    "line and column of {e}"
                );
                assert!(e.line >= 1 && e.column >= 1);
                assert!(!e.message.trim().is_empty());
            }
        }
    }
});
