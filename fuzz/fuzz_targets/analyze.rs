//! Analysis of arbitrary text, in Markdown and plain text, with the embedded vocabulary; and
//! completion at an arbitrary offset of it. Besides not panicking, every range the analysis gives
//! must lie inside the text on character boundaries, in document order, and every finding must
//! have a place for its "disable for this line" comment. And the incremental analysis agrees with
//! the analysis from scratch: the text is analysed with a block cache, cut at the completion
//! offset (an edit that deletes the rest), and analysed again with the same cache.
//!
//! Input: one byte of options (bit 0: plain text; the next bits pick the completion offset as a
//! fraction of the text), then the text (invalid UTF-8 replaced).

#![no_main]

use std::ops::Range;
use std::sync::LazyLock;

use immuno_ls::analysis::switches::disable_comment_for_line;
use immuno_ls::analysis::{Analyzer, BlockCache, RuleSettings};
use immuno_ls::complete::{CompletionIndex, complete};
use immuno_ls::text::prose::Format;
use libfuzzer_sys::fuzz_target;

static ENGINE: LazyLock<(Analyzer, CompletionIndex)> = LazyLock::new(|| {
    let analyzer = Analyzer::embedded().unwrap_or_else(|e| panic!("embedded vocabulary: {e:?}"));
    let index = CompletionIndex::new(analyzer.vocab());
    (analyzer, index)
});

fn check_range(text: &str, r: &Range<usize>, what: &str) {
    assert!(
        r.start <= r.end && r.end <= text.len(),
        "{what} {r:?} outside 0..{}",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what} {r:?} not on character boundaries"
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&options, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let format = if options & 1 == 0 {
        Format::Markdown
    } else {
        Format::Plain
    };
    let (analyzer, index) = &*ENGINE;
    let analysis = analyzer.analyze(&text, format, &RuleSettings::default());

    let mut last = 0;
    for m in &analysis.mentions {
        check_range(&text, &m.range, "mention");
        assert!(
            m.range.start >= last,
            "mentions out of order or overlapping"
        );
        assert!(m.range.start < m.range.end, "empty mention");
        last = m.range.end;
    }
    for s in &analysis.sentences {
        check_range(&text, &s.range, "sentence");
    }
    for f in &analysis.findings {
        check_range(&text, &f.range, "finding");
        let (at, comment) = disable_comment_for_line(&text, f.range.start, f.rule);
        assert!(at <= f.range.start && text.is_char_boundary(at));
        assert!(comment.contains(f.rule.id()));
    }

    let offset = text.len() * usize::from(options >> 1) / 127;
    let completions = complete(analyzer, index, &text, offset);
    check_range(&text, &completions.replace, "completion replace range");

    let mut cache = BlockCache::new();
    let settings = RuleSettings::default();
    let again = analyzer.analyze_incremental(&text, format, &settings, &mut cache);
    assert_eq!(again.findings, analysis.findings, "incremental, first version");
    let mut cut = offset.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let edited = &text[..cut];
    let incremental = analyzer.analyze_incremental(edited, format, &settings, &mut cache);
    let scratch = analyzer.analyze(edited, format, &settings);
    assert_eq!(incremental.mentions, scratch.mentions, "incremental mentions");
    assert_eq!(incremental.findings, scratch.findings, "incremental findings");
    assert_eq!(incremental.sentences, scratch.sentences, "incremental sentences");
});
