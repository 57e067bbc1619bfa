//! A normalised copy of text for matching. Whitespace runs become one space; dash-like characters
//! become `-`; typographic apostrophes become `'`. Separators that only join the parts of a name are
//! squeezed out: a hyphen between two letters or digits ("IL-4", "T-cell", "JAK-STAT") and a space
//! between a letter and a digit ("IL 4", "Th 2"). So "IL-4", "IL4", "IL 4" and "IL–4" are the same
//! normalised text, and the vocabulary needs one pattern where it would need many spellings.
//! A map gives the original byte range of every normalised byte, so matches are reported in the
//! user's text.

/// Text after normalisation, with its map back to the original.
#[derive(Clone, Debug, Default)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// Original start offset of the character each normalised byte comes from.
    starts: Vec<u32>,
    /// Original end offset of the character (or whitespace run) each normalised byte comes from.
    ends: Vec<u32>,
    /// Length of the original text.
    len: u32,
}

impl Normalized {
    /// Original byte offset where the normalised character at `i` starts (a match start).
    pub fn to_original(&self, i: usize) -> usize {
        self.starts
            .get(i)
            .map_or(self.len as usize, |&v| v as usize)
    }

    /// Original byte offset where the normalised character ending at `i` ends (a match end).
    pub fn to_original_end(&self, i: usize) -> usize {
        match i.checked_sub(1).and_then(|k| self.ends.get(k)) {
            Some(&v) => v as usize,
            None => 0,
        }
    }
}

/// What a character becomes in normalised text: `None` keeps it.
fn replacement(c: char) -> Option<char> {
    match c {
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' | '\u{FE63}'
        | '\u{FF0D}' => Some('-'),
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{FF07}' => Some('\''),
        _ => None,
    }
}

fn is_letter_digit_pair(a: char, b: char) -> bool {
    (a.is_ascii_digit() && b.is_alphabetic()) || (a.is_alphabetic() && b.is_ascii_digit())
}

/// Normalises `src`, recording where each byte came from.
pub fn normalize(src: &str) -> Normalized {
    let mut text = String::with_capacity(src.len());
    let mut starts: Vec<u32> = Vec::with_capacity(src.len());
    let mut ends: Vec<u32> = Vec::with_capacity(src.len());
    let mut push = |text: &mut String, c: char, start: usize, end: usize| {
        text.push(c);
        for _ in 0..c.len_utf8() {
            starts.push(start as u32);
            ends.push(end as u32);
        }
    };
    let mut chars = src.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let prev = text.chars().next_back();
        if c.is_whitespace() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !d.is_whitespace() {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            let next = chars.peek().map(|&(_, d)| d);
            let squeeze = matches!((prev, next), (Some(p), Some(n)) if is_letter_digit_pair(p, n));
            if !squeeze && prev != Some(' ') {
                push(&mut text, ' ', i, end);
            }
            continue;
        }
        let out = replacement(c).unwrap_or(c);
        if out == '-' {
            let next = chars.peek().map(|&(_, d)| d);
            if prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric) {
                continue; // a joining hyphen: "IL-4" -> "IL4"
            }
        }
        push(&mut text, out, i, i + c.len_utf8());
    }
    Normalized {
        text,
        starts,
        ends,
        len: src.len() as u32,
    }
}

/// Normalises a vocabulary form the same way as text (no map needed).
pub fn normalize_form(form: &str) -> String {
    normalize(form.trim()).text
}

/// The key under which two forms are "the same": normalised and lower-cased.
pub fn fold_key(form: &str) -> String {
    normalize_form(form).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_whitespace_and_maps_back() {
        let src = "atopic\n   dermatitis";
        let n = normalize(src);
        assert_eq!(n.text, "atopic dermatitis");
        assert_eq!(n.to_original(7), 10);
        assert_eq!(&src[n.to_original(0)..n.to_original_end(n.text.len())], src);
    }

    #[test]
    fn joining_separators_are_squeezed() {
        for s in ["IL-4", "IL4", "IL 4", "IL\u{2013}4", "IL\u{2011}4"] {
            assert_eq!(normalize(s).text, "IL4", "{s}");
        }
        assert_eq!(normalize("T-cell receptor").text, "Tcell receptor");
        // a space between a digit and a letter goes too, in text and forms alike
        assert_eq!(normalize("Th 2 cells").text, "Th2cells");
        // a dash between words, a leading dash and a minus sign before a number stay
        assert_eq!(normalize("eczema - itch").text, "eczema - itch");
        assert_eq!(normalize("-5").text, "-5");
    }

    #[test]
    fn match_ends_map_to_the_original_word_end() {
        let src = "IL\u{2013}13 and more";
        let n = normalize(src);
        assert_eq!(n.text, "IL13and more");
        let (s, e) = (0, 4);
        assert_eq!(&src[n.to_original(s)..n.to_original_end(e)], "IL\u{2013}13");
    }

    #[test]
    fn curly_apostrophes() {
        assert_eq!(normalize("Crohn\u{2019}s").text, "Crohn's");
    }
}
