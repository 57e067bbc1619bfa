//! Spelling variants of a surface form, generated so the vocabulary need not list them: hyphen,
//! space or nothing between the parts of "IL-4"; hyphen or space in "T cell"; Greek letters spelt
//! out ("IL-4Rα" / "IL-4R alpha"); the plural of a final lower-case word.

use crate::text::normalize::normalize_form;

/// How two parts of a form are joined in the written form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Joint {
    /// An explicit hyphen between a letter and a digit ("IL-4").
    HyphenAlnum,
    /// An explicit hyphen between words ("JAK-STAT", "immune-mediated").
    HyphenWords,
    /// A space ("T cell").
    Space,
    /// A space after a period ("S. aureus").
    SpaceAfterPeriod,
    /// Nothing, between letters and digits ("IL4", "Th2").
    LetterDigit,
    /// Nothing, next to a Greek letter ("IL-4Rα").
    Greek,
    /// Anything else: kept as written.
    Fixed,
}

impl Joint {
    fn options(self) -> &'static [&'static str] {
        match self {
            Joint::HyphenAlnum => &["-", " ", ""],
            Joint::HyphenWords => &["-", " "],
            Joint::Space => &[" ", "-"],
            Joint::SpaceAfterPeriod => &[" ", ""],
            Joint::LetterDigit => &["", "-", " "],
            Joint::Greek => &["", " ", "-"],
            Joint::Fixed => &[""],
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
    let chars: Vec<char> = form.chars().collect();
    let mut parts = vec![String::new()];
    let mut joints = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = parts.last().and_then(|p| p.chars().last());
        let next = chars.get(i + 1).copied();
        if (c == '-' || c == ' ') && prev.is_some() && next.is_some() {
            let (p, n) = (prev.unwrap_or(' '), next.unwrap_or(' '));
            let joint = if c == ' ' {
                if p == '.' {
                    Joint::SpaceAfterPeriod
                } else {
                    Joint::Space
                }
            } else if (p.is_alphabetic() && n.is_ascii_digit())
                || (p.is_ascii_digit() && n.is_alphabetic())
                || is_greek(p)
                || is_greek(n)
            {
                Joint::HyphenAlnum
            } else if p.is_alphanumeric() && n.is_alphanumeric() {
                Joint::HyphenWords
            } else {
                Joint::Fixed
            };
            if joint == Joint::Fixed {
                if let Some(last) = parts.last_mut() {
                    last.push(c);
                }
            } else {
                joints.push(joint);
                parts.push(String::new());
            }
            i += 1;
            continue;
        }
        if let Some(p) = prev {
            let boundary =
                if is_greek(c) != is_greek(p) && (p.is_alphanumeric() && c.is_alphanumeric()) {
                    Some(Joint::Greek)
                } else if p.is_ascii_alphabetic()
                    && c.is_ascii_digit()
                    && !ends_with_digit_word(parts.last())
                {
                    Some(Joint::LetterDigit)
                } else {
                    None
                };
            if let Some(j) = boundary {
                joints.push(j);
                parts.push(String::new());
            }
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
        i += 1;
    }
    (parts, joints)
}

/// Only the first letter→digit boundary of a part splits ("IL4" yes; "H1N1" once).
fn ends_with_digit_word(part: Option<&String>) -> bool {
    part.is_some_and(|p| p.chars().any(|c| c.is_ascii_digit()))
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

/// Every spelling of `form` to match, normalised. `plural` adds the plural of a final lower-case
/// word.
pub fn variants(form: &str, plural: bool) -> Vec<String> {
    let form = normalize_form(form);
    let (parts, mut joints) = parts(&form);
    let count = |joints: &[Joint]| -> usize {
        let j: usize = joints.iter().map(|j| j.options().len()).product();
        let p: usize = parts.iter().map(|p| part_options(p).len()).product();
        j * p
    };
    if count(&joints) > MAX_VARIANTS {
        for j in &mut joints {
            if *j == Joint::Space {
                *j = Joint::Fixed;
            }
        }
    }
    let mut out: Vec<String> = if count(&joints) > MAX_VARIANTS {
        vec![form.clone()]
    } else {
        let mut acc: Vec<String> = part_options(&parts[0]);
        for (k, joint) in joints.iter().enumerate() {
            let sep_opts: &[&str] = if *joint == Joint::Fixed {
                &[" "]
            } else {
                joint.options()
            };
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
    if plural {
        let plurals: Vec<String> = out.iter().filter_map(|v| plural_of(v)).collect();
        out.extend(plurals);
    }
    out.sort();
    out.dedup();
    out
}

/// The plural of a form whose last word is lower-case letters ("cell" → "cells", "allergy" →
/// "allergies"), or a cell abbreviation ("Th2" → "Th2s"). Words ending in "s" are left alone
/// ("dermatitis", "aureus").
fn plural_of(form: &str) -> Option<String> {
    let last_word = form.rsplit([' ', '-']).next().unwrap_or(form);
    let last = last_word.chars().last()?;
    if last_word.chars().count() < 2 || last == 's' || last == 'S' {
        return None;
    }
    if last_word.ends_with(|c: char| c.is_ascii_lowercase()) {
        if let Some(stem) = form.strip_suffix('y')
            && !stem.ends_with(['a', 'e', 'o', 'u'])
        {
            return Some(format!("{stem}ies"));
        }
        if form.ends_with('x') || form.ends_with("ch") || form.ends_with("sh") {
            return Some(format!("{form}es"));
        }
        return Some(format!("{form}s"));
    }
    if last.is_alphanumeric() {
        return Some(format!("{form}s"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(v: &[String], s: &str) -> bool {
        v.iter().any(|x| x == s)
    }

    #[test]
    fn interleukin_spellings() {
        let v = variants("IL-4", false);
        for s in ["IL-4", "IL4", "IL 4"] {
            assert!(has(&v, s), "{s} missing from {v:?}");
        }
        let v = variants("IL4", false);
        assert!(has(&v, "IL-4"));
        let v = variants("interleukin-13", false);
        assert!(has(&v, "interleukin 13") && has(&v, "interleukin13"));
    }

    #[test]
    fn greek_letters() {
        let v = variants("IL-4Rα", false);
        for s in [
            "IL-4Rα",
            "IL4Rα",
            "IL-4Ralpha",
            "IL-4R alpha",
            "IL-4R-alpha",
            "IL 4R alpha",
        ] {
            assert!(has(&v, s), "{s} missing from {v:?}");
        }
        let v = variants("TNF-α", false);
        assert!(has(&v, "TNF-alpha") && has(&v, "TNFα") && has(&v, "TNF alpha"));
    }

    #[test]
    fn words_and_plurals() {
        let v = variants("T cell", true);
        for s in ["T cell", "T-cell", "T cells", "T-cells"] {
            assert!(has(&v, s), "{s} missing from {v:?}");
        }
        assert!(has(&variants("food allergy", true), "food allergies"));
        assert!(has(&variants("Th2", true), "Th2s"));
        assert!(!has(
            &variants("atopic dermatitis", true),
            "atopic dermatitiss"
        ));
        assert!(has(&variants("JAK-STAT", false), "JAK STAT"));
        assert!(!has(&variants("JAK-STAT", false), "JAKSTAT"));
    }

    #[test]
    fn abbreviations_with_periods() {
        let v = variants("S. aureus", false);
        assert!(has(&v, "S. aureus") && has(&v, "S.aureus"));
    }

    #[test]
    fn long_forms_stay_bounded() {
        let v = variants(
            "chronic rhinosinusitis with nasal polyps and more words here",
            true,
        );
        assert!(v.len() <= 2 * MAX_VARIANTS);
    }
}
