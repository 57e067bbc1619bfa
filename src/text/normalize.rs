//! A normalised copy of text for matching. Whitespace runs become one space; dash-like characters
//! become `-`; typographic apostrophes become `'`. Separators that only join the parts of a name are
//! squeezed out: a hyphen between two letters or digits ("IL-4", "T-cell", "JAK-STAT") and a space
//! between a letter and a digit ("IL 4", "Th 2"). So "IL-4", "IL4", "IL 4" and "IL–4" are the same
//! normalised text, and the vocabulary needs one pattern where it would need many spellings.
//! A map gives the original byte range of every normalised byte, so matches are reported in the
//! user's text.

/// Text after normalisation, with its map back to the original.
///
/// The map is sparse: normalised text mostly copies the original byte for byte, so it is stored
/// as the points where that copy is broken (a squeezed separator, a run of whitespace become one
/// space, a character replaced by one of another length), not as an offset per byte. A 1 MB note
/// needs a few thousand points instead of 8 MB of offsets, and the allocation is what cost most.
#[derive(Clone, Debug, Default)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// Where the byte-for-byte copy restarts, in order of `norm`.
    segments: Vec<Segment>,
    /// Length of the original text.
    len: u32,
}

/// A stretch of normalised text from `norm` up to the next segment. A copy stretch maps byte
/// `norm + k` to original byte `orig + k`; a single replaced character (a whitespace run become
/// one space, a long dash become `-`) maps to the original range `orig..end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    norm: u32,
    orig: u32,
    /// The original end of a replaced character; `None` for a copy stretch.
    end: Option<u32>,
}

impl Normalized {
    /// The segment holding normalised byte `k`.
    fn segment(&self, k: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.norm as usize <= k);
        i.checked_sub(1).and_then(|i| self.segments.get(i))
    }

    /// Original byte offset where the normalised character at `i` starts (a match start).
    pub fn to_original(&self, i: usize) -> usize {
        if i >= self.text.len() {
            return self.len as usize;
        }
        match self.segment(i) {
            Some(seg) if seg.end.is_some() => seg.orig as usize,
            Some(seg) => seg.orig as usize + (i - seg.norm as usize),
            None => self.len as usize,
        }
    }

    /// Original byte offset where the normalised character ending at `i` ends (a match end).
    pub fn to_original_end(&self, i: usize) -> usize {
        let Some(last) = i.checked_sub(1).filter(|&k| k < self.text.len()) else {
            return 0;
        };
        match self.segment(last) {
            Some(Segment { end: Some(end), .. }) => *end as usize,
            Some(seg) => seg.orig as usize + (last - seg.norm as usize) + 1,
            None => 0,
        }
    }
}

/// Builds the sparse map while the normalised text is written.
struct MapWriter {
    segments: Vec<Segment>,
    /// Whether the last segment is a copy stretch that the next byte can extend.
    copying: bool,
}

impl MapWriter {
    /// Records that normalised bytes from `norm` on copy the original from `orig` on.
    #[inline]
    fn copy(&mut self, norm: usize, orig: usize) {
        if self.copying
            && let Some(last) = self.segments.last()
            && (last.orig as usize) + (norm - last.norm as usize) == orig
        {
            return;
        }
        self.segments.push(Segment {
            norm: norm as u32,
            orig: orig as u32,
            end: None,
        });
        self.copying = true;
    }

    /// Records one normalised character at `norm` standing for the original `orig..end`.
    fn replaced(&mut self, norm: usize, orig: usize, end: usize) {
        self.segments.push(Segment {
            norm: norm as u32,
            orig: orig as u32,
            end: Some(end as u32),
        });
        self.copying = false;
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

/// Whether `c` is a letter (of any script).
#[inline]
fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        c.is_alphabetic()
    }
}

/// Whether `c` is a letter or digit (of any script), with ASCII decided by a byte test.
#[inline]
pub(crate) fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

fn is_letter_digit_pair(a: char, b: char) -> bool {
    (a.is_ascii_digit() && is_alpha(b)) || (is_alpha(a) && b.is_ascii_digit())
}

/// The character starting at byte `i` of `src` (which must be a character boundary), with its
/// length. ASCII is decoded without touching the UTF-8 machinery.
#[inline]
pub(crate) fn char_at(src: &str, i: usize) -> Option<(char, usize)> {
    let b = *src.as_bytes().get(i)?;
    if b.is_ascii() {
        return Some((b as char, 1));
    }
    let c = src[i..].chars().next()?;
    Some((c, c.len_utf8()))
}

/// Whether a byte is copied as it is: ASCII, not whitespace, not a hyphen.
#[inline]
fn is_plain(b: u8) -> bool {
    b.is_ascii() && b != b'-' && !is_ascii_space(b)
}

/// Whether an ASCII byte is whitespace (as `char::is_whitespace` decides).
#[inline]
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// Whether `c` is whitespace, with the ASCII cases decided by a byte test.
#[inline]
fn is_space(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0B' | '\x0C')
    } else {
        c.is_whitespace()
    }
}

/// Normalises `src`, recording where each byte came from.
///
/// The loop works on bytes and decodes a character only where a byte is not ASCII; ordinary
/// ASCII letters, digits and punctuation are copied with their offsets and nothing else.
pub fn normalize(src: &str) -> Normalized {
    let bytes = src.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(src.len());
    let mut map = MapWriter {
        segments: Vec::new(),
        copying: false,
    };
    // the last character written (for the joining-separator tests)
    let mut prev: Option<char> = None;
    // whether the next byte written must start a new copy stretch (after anything skipped)
    let mut anchor = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // the common cases, decided on the byte: a run of ASCII characters other than hyphens
        // and whitespace, with the single spaces between its words, is copied as it is
        if b.is_ascii() && b != b'-' {
            if !is_ascii_space(b) {
                let mut end = i + 1;
                while let Some(&c) = bytes.get(end) {
                    if is_plain(c) {
                        end += 1;
                        continue;
                    }
                    // one space between two plain characters that do not join
                    let (before, after) = (bytes[end - 1], bytes.get(end + 1).copied());
                    match after {
                        Some(a)
                            if c == b' '
                                && is_plain(a)
                                && !is_letter_digit_pair(before as char, a as char) =>
                        {
                            end += 2;
                        }
                        _ => break,
                    }
                }
                if anchor {
                    map.copy(out.len(), i);
                    anchor = false;
                }
                out.extend_from_slice(&bytes[i..end]);
                prev = Some(bytes[end - 1] as char);
                i = end;
                continue;
            }
            if let Some(&next) = bytes.get(i + 1)
                && next.is_ascii()
                && !is_ascii_space(next)
            {
                let squeeze = prev.is_some_and(|p| is_letter_digit_pair(p, next as char));
                if squeeze || prev == Some(' ') {
                    anchor = true;
                } else {
                    if anchor {
                        map.copy(out.len(), i);
                        anchor = false;
                    }
                    out.push(b' ');
                    prev = Some(' ');
                }
                i += 1;
                continue;
            }
        }
        anchor = true;
        let Some((c, len)) = char_at(src, i) else {
            break;
        };
        if is_space(c) {
            let run_start = i;
            let mut end = i + len;
            while let Some((d, dl)) = char_at(src, end) {
                if !is_space(d) {
                    break;
                }
                end += dl;
            }
            let next = char_at(src, end).map(|(d, _)| d);
            let squeeze = matches!((prev, next), (Some(p), Some(n)) if is_letter_digit_pair(p, n));
            if !squeeze && prev != Some(' ') {
                if end - run_start == 1 {
                    map.copy(out.len(), run_start);
                } else {
                    map.replaced(out.len(), run_start, end);
                }
                out.push(b' ');
                prev = Some(' ');
            }
            i = end;
            continue;
        }
        let replaced = replacement(c).unwrap_or(c);
        if replaced == '-' {
            let next = char_at(src, i + len).map(|(d, _)| d);
            if prev.is_some_and(is_alnum) && next.is_some_and(is_alnum) {
                i += len; // a joining hyphen: "IL-4" -> "IL4"
                continue;
            }
        }
        let mut buf = [0u8; 4];
        let encoded = replaced.encode_utf8(&mut buf).as_bytes();
        if encoded.len() == len {
            map.copy(out.len(), i);
        } else {
            // replacements are single ASCII characters
            map.replaced(out.len(), i, i + len);
        }
        out.extend_from_slice(encoded);
        prev = Some(replaced);
        i += len;
    }
    // only whole characters of `src` (or their replacements) were written
    let text = String::from_utf8(out).unwrap_or_default();
    Normalized {
        text,
        segments: map.segments,
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

    /// The first, character-at-a-time implementation, kept as the reference the byte loop must
    /// agree with.
    fn reference(src: &str) -> (String, Vec<u32>, Vec<u32>) {
        let mut text = String::new();
        let (mut starts, mut ends) = (Vec::new(), Vec::new());
        let mut push = |text: &mut String, c: char, start: usize, end: usize| {
            text.push(c);
            for _ in 0..c.len_utf8() {
                starts.push(start as u32);
                ends.push(end as u32);
            }
        };
        let pair = |a: char, b: char| {
            (a.is_ascii_digit() && b.is_alphabetic()) || (a.is_alphabetic() && b.is_ascii_digit())
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
                let squeeze = matches!((prev, next), (Some(p), Some(n)) if pair(p, n));
                if !squeeze && prev != Some(' ') {
                    push(&mut text, ' ', i, end);
                }
                continue;
            }
            let out = replacement(c).unwrap_or(c);
            if out == '-' {
                let next = chars.peek().map(|&(_, d)| d);
                if prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric)
                {
                    continue;
                }
            }
            push(&mut text, out, i, i + c.len_utf8());
        }
        (text, starts, ends)
    }

    proptest::proptest! {
        #[test]
        fn byte_loop_agrees_with_the_reference(
            src in "[a-zA-Z0-9 \t\r\n\x0B\x0C.,'-]{0,40}|[aI4L \u{2013}\u{2019}\u{00A0}\u{3000}γé𝛼\n-]{0,30}"
        ) {
            let n = normalize(&src);
            let (text, starts, ends) = reference(&src);
            proptest::prop_assert_eq!(&n.text, &text);
            // every character boundary (where a match can start or end) maps as before
            for k in 0..=text.len() {
                if !text.is_char_boundary(k) {
                    continue;
                }
                let start = starts.get(k).map_or(src.len(), |&v| v as usize);
                proptest::prop_assert_eq!(n.to_original(k), start, "start of {}", k);
                let end = k.checked_sub(1).map_or(0, |j| ends[j] as usize);
                proptest::prop_assert_eq!(n.to_original_end(k), end, "end at {}", k);
            }
        }
    }

    #[test]
    fn curly_apostrophes() {
        assert_eq!(normalize("Crohn\u{2019}s").text, "Crohn's");
    }
}
