//! A normalised copy of text for matching: whitespace runs become one space, dash-like characters
//! become `-`, typographic apostrophes become `'`. A map gives the original byte offset of every
//! normalised byte, so matches can be reported in the user's text.

/// Text after normalisation, with its map back to the original.
#[derive(Clone, Debug, Default)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// `map[i]` is the original byte offset of normalised byte `i`; `map[text.len()]` is the
    /// original length.
    map: Vec<u32>,
}

impl Normalized {
    /// Original byte offset of a normalised offset (a match start or end).
    pub fn to_original(&self, i: usize) -> usize {
        self.map
            .get(i)
            .or_else(|| self.map.last())
            .map_or(0, |&v| v as usize)
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

/// Normalises `src`, recording where each byte came from.
pub fn normalize(src: &str) -> Normalized {
    let mut text = String::with_capacity(src.len());
    let mut map: Vec<u32> = Vec::with_capacity(src.len() + 1);
    let mut in_space = false;
    for (i, c) in src.char_indices() {
        if c.is_whitespace() {
            if !in_space {
                text.push(' ');
                map.push(i as u32);
                in_space = true;
            }
            continue;
        }
        in_space = false;
        let out = replacement(c).unwrap_or(c);
        let n = out.len_utf8();
        text.push(out);
        map.extend(std::iter::repeat_n(i as u32, n));
    }
    map.push(src.len() as u32);
    Normalized { text, map }
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
        let n = normalize("atopic\n   dermatitis");
        assert_eq!(n.text, "atopic dermatitis");
        // "dermatitis" starts at normalised 7, original 10
        assert_eq!(n.to_original(7), 10);
        assert_eq!(n.to_original(n.text.len()), 20);
    }

    #[test]
    fn dashes_become_hyphens_with_correct_offsets() {
        let src = "IL\u{2013}4 and IL\u{2011}13";
        let n = normalize(src);
        assert_eq!(n.text, "IL-4 and IL-13");
        let start = n.text.find("IL-13").unwrap_or(0);
        assert_eq!(
            &src[n.to_original(start)..n.to_original(start + 5)],
            "IL\u{2011}13"
        );
    }

    #[test]
    fn curly_apostrophes() {
        assert_eq!(normalize("Crohn\u{2019}s").text, "Crohn's");
    }
}
