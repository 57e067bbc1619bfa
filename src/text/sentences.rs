//! Sentence segmentation for clinical prose. Blocks first (blank lines, headings, list items, table
//! rows), then sentences inside a block at `.`, `?` and `!` followed by a space and a new sentence,
//! except after abbreviations ("e.g.", "Dr.", "S. aureus", "vs.") and inside decimals ("0.5 mg").

use std::ops::Range;

/// One sentence: its byte range in the text and the block (paragraph, heading, list item) it is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range, trimmed of surrounding whitespace.
    pub range: Range<usize>,
    /// Index of the block it belongs to (sentences of one paragraph or list item share it).
    pub block: usize,
    /// Whether it is asked as a question (ends with `?`).
    pub question: bool,
}

/// Words that end with a period without ending the sentence (compared lower-case, without the
/// period). Single letters ("S.", "e.") are handled separately.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "eg", "ie", "cf", "vs", "approx", "dr", "mr", "mrs", "ms", "prof", "st", "fig",
    "figs", "no", "nos", "al", "ca", "resp", "incl", "esp", "pt", "pts", "wk", "wks", "yr", "yrs",
    "mo", "mos", "min", "max", "hr", "hrs", "vol", "ed", "eds", "jr", "sr", "dept", "univ", "inc",
    "ltd", "co", "corp", "spp", "sp", "var", "subsp", "u.s", "u.k", "a.m", "p.m", "b.i.d", "t.i.d",
    "q.d", "p.o", "s.c", "i.v", "i.m", "ref", "refs", "vs.", "ibid", "op", "cit", "sec", "ch",
    "pp",
];

/// Splits `text` into sentences. `text` should be the masked prose (non-prose blanked out).
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (block, range) in blocks(text).into_iter().enumerate() {
        split_block(text, range, block, &mut out);
    }
    out
}

/// Whether a line starts a block of its own: a heading, a list item, a table row or a quote.
fn starts_block(line: &str) -> bool {
    let t = line.trim_start();
    let indent = line.len() - t.len();
    if t.starts_with('#') && indent <= 3 {
        return true;
    }
    if t.starts_with('|') || t.starts_with('>') {
        return true;
    }
    let mut chars = t.chars();
    match chars.next() {
        Some('-' | '*' | '+' | '•' | '‣' | '◦' | '▪' | '·' | '–' | '—') => {
            chars.next().is_some_and(char::is_whitespace)
        }
        Some(c) if c.is_ascii_digit() => {
            let digits = t.bytes().take_while(u8::is_ascii_digit).count();
            let rest = &t[digits..];
            digits <= 3
                && (rest.starts_with(". ") || rest.starts_with(") ") || rest.starts_with(".\t"))
        }
        _ => false,
    }
}

fn is_heading(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#') && line.len() - t.len() <= 3
}

/// Block ranges: runs of non-blank lines, broken before list items, headings and table rows, and
/// after headings.
pub fn blocks(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut current: Option<Range<usize>> = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            if let Some(r) = current.take() {
                out.push(r);
            }
            continue;
        }
        let end = start + content.len();
        if starts_block(content) {
            if let Some(r) = current.take() {
                out.push(r);
            }
            if is_heading(content) {
                out.push(start..end);
                continue;
            }
            current = Some(start..end);
        } else {
            match &mut current {
                Some(r) => r.end = end,
                None => current = Some(start..end),
            }
        }
    }
    if let Some(r) = current {
        out.push(r);
    }
    out
}

fn trim_range(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    let (a, b) = (r.start + lead, r.end - trail);
    (a < b).then_some(a..b)
}

fn push(text: &str, r: Range<usize>, block: usize, out: &mut Vec<Sentence>) {
    if let Some(r) = trim_range(text, r) {
        let s = &text[r.clone()];
        let last = s
            .trim_end_matches(|c: char| {
                matches!(c, '"' | '\'' | ')' | ']' | '*' | '_' | '”' | '’' | '»')
            })
            .chars()
            .next_back();
        out.push(Sentence {
            question: last == Some('?'),
            range: r,
            block,
        });
    }
}

/// The word just before byte `i` (letters, digits and inner periods), as written.
fn word_before(text: &str, i: usize) -> &str {
    let before = &text[..i];
    let start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '.'))
        .map_or(0, |(j, c)| j + c.len_utf8());
    before[start..].trim_start_matches('.')
}

/// Whether a word (as written) is one of [`ABBREVIATIONS`], in any case. They are ASCII, so an
/// ASCII case-insensitive comparison is exact and needs no lower-cased copy.
fn is_abbreviation(word: &str) -> bool {
    ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Splits one block (a range returned by [`blocks`]) into sentences, appending to `out`.
pub fn split_block(text: &str, block_range: Range<usize>, block: usize, out: &mut Vec<Sentence>) {
    let block_text = &text[block_range.clone()];
    let mut start = block_range.start;
    // only the terminal punctuation is visited (memchr), not every character
    let mut consumed = 0;
    for j in memchr::memchr3_iter(b'.', b'?', b'!', block_text.as_bytes()) {
        if j < consumed {
            continue;
        }
        let c = char::from(block_text.as_bytes()[j]);
        let abs = block_range.start + j;
        // consume the whole run of terminal punctuation and closing quotes/brackets
        let mut end = abs + 1;
        for d in text[end..block_range.end].chars() {
            if matches!(
                d,
                '.' | '?' | '!' | '"' | '\'' | ')' | ']' | '”' | '’' | '»' | '*' | '_'
            ) {
                end += d.len_utf8();
            } else {
                break;
            }
        }
        consumed = end - block_range.start;
        // a boundary needs whitespace after, then something that can start a sentence
        let rest = &text[end..block_range.end];
        let after_space = rest.trim_start();
        if rest.is_empty() {
            continue; // the block end closes the sentence
        }
        if after_space.len() == rest.len() {
            continue; // no whitespace: "0.5", "e.g.,", "S.aureus"
        }
        let next = after_space.chars().next();
        if c == '.' {
            let so_far = text[start..abs].trim();
            if !so_far.is_empty() && so_far.len() <= 3 && so_far.bytes().all(|b| b.is_ascii_digit())
            {
                continue; // a numbered list marker: "1. Barrier defect"
            }
            let word = word_before(text, abs);
            let single_letter = word.chars().count() == 1 && word.chars().all(char::is_alphabetic);
            if single_letter || is_abbreviation(word) {
                continue;
            }
            if next.is_some_and(|n| n.is_lowercase()) {
                continue; // "approx. two", "cf. the"
            }
        }
        if c == '?' || c == '!' || next.is_some_and(|n| !n.is_lowercase()) {
            push(text, start..end, block, out);
            start = end;
        }
    }
    push(text, start..block_range.end, block, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        sentences(text)
            .into_iter()
            .map(|s| &text[s.range])
            .collect()
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            texts("Eczema itches. It is common! Is it autoimmune? No."),
            vec![
                "Eczema itches.",
                "It is common!",
                "Is it autoimmune?",
                "No."
            ]
        );
    }

    #[test]
    fn survives_abbreviations_and_decimals() {
        let t = "Swabs grew S. aureus today. Dr. Smith saw her, e.g. on Monday. Dose 0.5 mg daily. Done.";
        assert_eq!(
            texts(t),
            vec![
                "Swabs grew S. aureus today.",
                "Dr. Smith saw her, e.g. on Monday.",
                "Dose 0.5 mg daily.",
                "Done."
            ]
        );
    }

    #[test]
    fn headings_and_list_items_are_their_own_blocks() {
        let t = "# Treatment\nBiologics help\n- Dupilumab: blocks IL-4Rα\n- Tralokinumab: blocks IL-13\n  in adults";
        let s = sentences(t);
        let got: Vec<&str> = s.iter().map(|s| &t[s.range.clone()]).collect();
        assert_eq!(
            got,
            vec![
                "# Treatment",
                "Biologics help",
                "- Dupilumab: blocks IL-4Rα",
                "- Tralokinumab: blocks IL-13\n  in adults"
            ]
        );
        assert_eq!(
            s.iter().map(|s| s.block).collect::<Vec<_>>(),
            vec![0, 1, 2, 3]
        );
    }

    #[test]
    fn questions_are_marked() {
        let s = sentences("Is eczema an autoimmune disease?\n\nEczema is immune-mediated.");
        assert!(s[0].question);
        assert!(!s[1].question);
    }

    #[test]
    fn bullets_and_numbered_lists() {
        let t = "  • Th2 cells: a subset.\n  1. Barrier defect: leaky.";
        assert_eq!(
            texts(t),
            vec!["• Th2 cells: a subset.", "1. Barrier defect: leaky."]
        );
    }
}
