//! Spelling variants of a surface form that normalisation does not already cover. The text and
//! the forms are normalised alike (see [`crate::text::normalize`]): joining hyphens and
//! letter-digit spaces are squeezed out, so "IL-4" / "IL4" / "IL 4" and "T-cell" / "Tcell" need no
//! variant. What remains: a space between words may also be absent ("T cell" written "T-cell"
//! normalises to "Tcell"); Greek letters spelt out ("IL-4Rα" / "IL-4R alpha"); the plural of a final
//! lower-case word.

use crate::text::normalize::normalize_form;

/// How two parts of a normalised form are joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Joint {
    /// A space between words ("T cell"): also written with a hyphen, which normalises to nothing.
    Space,
    /// A space after a period ("S. aureus"): also written without it.
    SpaceAfterPeriod,
    /// Nothing, next to a Greek letter ("IL4Rα"): also written with a space.
    Greek,
}

impl Joint {
    fn options(self) -> &'static [&'static str] {
        match self {
            Joint::Space | Joint::SpaceAfterPeriod => &[" ", ""],
            Joint::Greek => &["", " "],
        }
    }
}

const GREEK: &[(char, &str)] = &[
    ('α', "alpha"),
    ('β', "beta"),
    ('γ', "gamma"),
    ('δ', "delta"),
    ('ε', "epsilon"),
    ('κ', "kappa"),
    ('λ', "lambda"),
    ('ω', "omega"),
];

fn greek_name(c: char) -> Option<&'static str> {
    GREEK.iter().find(|(g, _)| *g == c).map(|(_, n)| *n)
}

fn is_greek(c: char) -> bool {
    greek_name(c).is_some()
}

/// Splits a normalised form into parts and the joints between them.
fn parts(form: &str) -> (Vec<String>, Vec<Joint>) {
    let mut parts = vec![String::new()];
    let mut joints = Vec::new();
    let chars: Vec<char> = form.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = parts.last().and_then(|p| p.chars().last());
        if c == ' ' && prev.is_some() && i + 1 < chars.len() {
            joints.push(if prev == Some('.') {
                Joint::SpaceAfterPeriod
            } else {
                Joint::Space
            });
            parts.push(String::new());
            continue;
        }
        if let Some(p) = prev
            && is_greek(c) != is_greek(p)
            && p.is_alphanumeric()
            && c.is_alphanumeric()
        {
            joints.push(Joint::Greek);
            parts.push(String::new());
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    (parts, joints)
}

/// Options for one part: itself, and a Greek letter spelt out.
fn part_options(part: &str) -> Vec<String> {
    let mut out = vec![part.to_string()];
    if part.chars().any(is_greek) {
        let spelt: String = part
            .chars()
            .map(|c| greek_name(c).map_or_else(|| c.to_string(), str::to_string))
            .collect();
        out.push(spelt);
    }
    out
}

/// The most variants one form may produce (past this, spaces stay as written).
const MAX_VARIANTS: usize = 64;

/// Every spelling of `form` to match, normalised, each with whether it may also take a plural
/// "s" at match time. `plural` allows plurals: a regular "s" is accepted by the matcher; "es" and
/// "ies" plurals ("allergies") are spellings of their own.
pub fn variants(form: &str, plural: bool) -> Vec<(String, bool)> {
    // a hyphen between words may also be written as a space ("JAK-STAT" / "JAK STAT")
    let spaced = hyphens_as_spaces(form);
    let mut out = spelt(form, plural);
    if spaced != form {
        out.extend(spelt(&spaced, plural));
        out.sort();
        out.dedup();
    }
    out
}

/// "JAK-STAT" -> "JAK STAT": hyphens between two letters.
fn hyphens_as_spaces(form: &str) -> String {
    let chars: Vec<char> = form.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let between_letters = i > 0
                && i + 1 < chars.len()
                && chars[i - 1].is_alphabetic()
                && chars[i + 1].is_alphabetic();
            if c == '-' && between_letters { ' ' } else { c }
        })
        .collect()
}

/// The spellings of one written form.
fn spelt(form: &str, plural: bool) -> Vec<(String, bool)> {
    let form = normalize_form(form);
    let (parts, joints) = parts(&form);
    let count = |joints: &[Joint]| -> usize {
        let j: usize = joints.iter().map(|j| j.options().len()).product();
        let p: usize = parts.iter().map(|p| part_options(p).len()).product();
        j * p
    };
    // past the cap, the form is matched only as written
    let mut out: Vec<String> = if count(&joints) > MAX_VARIANTS {
        vec![form.clone()]
    } else {
        let mut acc: Vec<String> = part_options(&parts[0]);
        for (k, joint) in joints.iter().enumerate() {
            let sep_opts = joint.options();
            let next_opts = part_options(&parts[k + 1]);
            let mut grown = Vec::with_capacity(acc.len() * sep_opts.len() * next_opts.len());
            for a in &acc {
                for s in sep_opts {
                    for n in &next_opts {
                        grown.push(format!("{a}{s}{n}"));
                    }
                }
            }
            acc = grown;
        }
        acc
    };
    if !out.contains(&form) {
        out.insert(0, form.clone());
    }
    out.sort();
    out.dedup();
    let mut with_plurals: Vec<(String, bool)> = Vec::with_capacity(out.len() * 2);
    for v in out {
        match plural.then(|| plural_of(&v)).flatten() {
            Some(Plural::S) => with_plurals.push((v, true)),
            Some(Plural::Spelt(p)) => {
                with_plurals.push((v, false));
                with_plurals.push((p, false));
            }
            None => with_plurals.push((v, false)),
        }
    }
    with_plurals
}

/// How a form makes its plural.
#[derive(Debug, PartialEq, Eq)]
enum Plural {
    /// Adds "s" (accepted by the matcher).
    S,
    /// Another spelling ("allergies", "boxes").
    Spelt(String),
}

/// The plural of a form whose last word is lower-case letters ("cell" → "cells", "allergy" →
/// "allergies"), or a cell abbreviation ("Th2" → "Th2s"). Words ending in "s" are left alone
/// ("dermatitis", "aureus").
fn plural_of(form: &str) -> Option<Plural> {
    let last_word = form.rsplit([' ', '-']).next().unwrap_or(form);
    let last = last_word.chars().last()?;
    if last_word.chars().count() < 2 || last == 's' || last == 'S' {
        return None;
    }
    if last_word.ends_with(|c: char| c.is_ascii_lowercase()) {
        if let Some(stem) = form.strip_suffix('y')
            && !stem.ends_with(['a', 'e', 'o', 'u'])
        {
            return Some(Plural::Spelt(format!("{stem}ies")));
        }
        if form.ends_with('x') || form.ends_with("ch") || form.ends_with("sh") {
            return Some(Plural::Spelt(format!("{form}es")));
        }
        return Some(Plural::S);
    }
    last.is_alphanumeric().then_some(Plural::S)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(v: &[(String, bool)], s: &str) -> bool {
        v.iter().any(|(x, _)| x == s)
    }

    fn takes_s(v: &[(String, bool)], s: &str) -> bool {
        v.iter().any(|(x, p)| x == s && *p)
    }

    #[test]
    fn interleukin_spellings_normalise_to_one_pattern() {
        // "IL-4", "IL4", "IL 4" are one normalised text: no variant needed
        assert_eq!(variants("IL-4", false), vec![("IL4".to_string(), false)]);
        assert_eq!(
            variants("interleukin-13", false),
            vec![("interleukin13".to_string(), false)]
        );
    }

    #[test]
    fn greek_letters() {
        let v = variants("IL-4Rα", false);
        for s in ["IL4Rα", "IL4R α", "IL4Ralpha", "IL4R alpha"] {
            assert!(has(&v, s), "{s} missing from {v:?}");
        }
        let v = variants("TNF-α", false);
        assert!(
            has(&v, "TNFalpha") && has(&v, "TNFα") && has(&v, "TNF alpha"),
            "{v:?}"
        );
    }

    #[test]
    fn words_and_plurals() {
        let v = variants("T cell", true);
        for s in ["T cell", "Tcell"] {
            assert!(takes_s(&v, s), "{s} missing or without plural in {v:?}");
        }
        assert!(has(&variants("food allergy", true), "food allergies"));
        assert!(takes_s(&variants("Th2", true), "Th2"));
        assert!(!takes_s(
            &variants("atopic dermatitis", true),
            "atopic dermatitis"
        ));
        assert!(!takes_s(&variants("T cell", false), "T cell"));
        let v = variants("JAK-STAT", false);
        assert!(has(&v, "JAKSTAT") && has(&v, "JAK STAT"), "{v:?}");
    }

    #[test]
    fn abbreviations_with_periods() {
        let v = variants("S. aureus", false);
        assert!(has(&v, "S. aureus") && has(&v, "S.aureus"));
    }

    #[test]
    fn long_forms_stay_bounded() {
        let v = variants(
            "chronic rhinosinusitis with nasal polyps and more words here now",
            true,
        );
        assert!(v.len() <= 2 * MAX_VARIANTS);
    }
}
