//! In-file switches, written as HTML comments in Markdown and plain text alike:
//!
//! - `<!-- immuno-ls-disable-next-line [rule ...] -->`: the next non-blank line;
//! - `<!-- immuno-ls-disable-line [rule ...] -->`: the line the comment is on;
//! - `<!-- immuno-ls-disable [rule ...] -->` ... `<!-- immuno-ls-enable [rule ...] -->`: a region
//!   (to the end of the document when not enabled again).
//!
//! With no rule named, every rule is switched.

use std::ops::Range;

use super::finding::{Finding, Rule};

/// One switched-off region: byte range and the rules (empty = all).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// Bytes where the rules are off.
    pub range: Range<usize>,
    /// Rules switched off; empty means all.
    pub rules: Vec<Rule>,
}

impl Suppression {
    fn covers(&self, f: &Finding) -> bool {
        self.range.start <= f.range.start
            && f.range.start < self.range.end
            && (self.rules.is_empty() || self.rules.contains(&f.rule))
    }
}

fn line_bounds(text: &str, at: usize) -> Range<usize> {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    start..end
}

fn parse_rules(words: &str) -> Vec<Rule> {
    words
        .split([' ', ',', '\t', '\n'])
        .filter_map(|w| Rule::parse(w.trim()))
        .collect()
}

/// Reads the switches of a document from its HTML comments.
pub fn suppressions(text: &str, comments: &[Range<usize>]) -> Vec<Suppression> {
    let mut out = Vec::new();
    let mut open: Vec<(usize, Vec<Rule>)> = Vec::new();
    for c in comments {
        let body = text[c.clone()]
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .trim();
        let Some(rest) = body.strip_prefix("immuno-ls-") else {
            continue;
        };
        let (directive, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let rules = parse_rules(args);
        match directive {
            "disable-next-line" => {
                let line = line_bounds(text, c.end.min(text.len()));
                let mut next = line.end + 1;
                // the next line that has something on it
                while next < text.len() {
                    let l = line_bounds(text, next);
                    if !text[l.clone()].trim().is_empty() {
                        out.push(Suppression {
                            range: l.start..l.end + 1,
                            rules: rules.clone(),
                        });
                        break;
                    }
                    next = l.end + 1;
                }
            }
            "disable-line" => {
                let l = line_bounds(text, c.start);
                out.push(Suppression {
                    range: l.start..l.end + 1,
                    rules,
                });
            }
            "disable" => open.push((c.end, rules)),
            "enable" => {
                if rules.is_empty() {
                    for (start, r) in open.drain(..) {
                        out.push(Suppression {
                            range: start..c.start,
                            rules: r,
                        });
                    }
                } else {
                    let mut still = Vec::new();
                    for (start, r) in open.drain(..) {
                        if r.is_empty() {
                            // all rules were off: the named ones come back, the rest stay off
                            out.push(Suppression {
                                range: start..c.start,
                                rules: rules.clone(),
                            });
                            let rest: Vec<Rule> = Rule::ALL
                                .into_iter()
                                .filter(|x| !rules.contains(x))
                                .collect();
                            still.push((c.end, rest));
                        } else {
                            let (back, off): (Vec<Rule>, Vec<Rule>) =
                                r.into_iter().partition(|x| rules.contains(x));
                            if !back.is_empty() {
                                out.push(Suppression {
                                    range: start..c.start,
                                    rules: back,
                                });
                            }
                            if !off.is_empty() {
                                still.push((start, off));
                            }
                        }
                    }
                    open = still;
                }
            }
            _ => {}
        }
    }
    for (start, rules) in open {
        out.push(Suppression {
            range: start..text.len() + 1,
            rules,
        });
    }
    out
}

/// Drops the findings that a switch covers.
pub fn apply(findings: &mut Vec<Finding>, suppressions: &[Suppression]) {
    findings.retain(|f| !suppressions.iter().any(|s| s.covers(f)));
}

/// The comment that switches `rule` off for the line holding byte `at`, and where to insert it
/// (the start of that line), with the line's indentation.
pub fn disable_comment_for_line(text: &str, at: usize, rule: Rule) -> (usize, String) {
    let line = line_bounds(text, at.min(text.len()));
    let indent: String = text[line.clone()]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    (
        line.start,
        format!(
            "{indent}<!-- immuno-ls-disable-next-line {} -->{newline}",
            rule.id()
        ),
    )
}
