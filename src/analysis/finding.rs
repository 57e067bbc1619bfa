//! What a rule reports: the rule, its severity, the byte range, a plain-language message and, when
//! one exists, the replacement text for a quick fix.

use std::fmt;
use std::ops::Range;

use crate::vocab::model::Source;

/// A claim rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// Eczema / atopic dermatitis called autoimmune.
    AutoimmuneMisnomer,
    /// A drug said to act on something it does not.
    WrongTarget,
    /// A drug put in a class it does not belong to.
    WrongClass,
    /// Eczema called contagious.
    ContagiousMyth,
    /// An approval status that is no longer true.
    OutdatedStatus,
}

impl Rule {
    /// Every rule.
    pub const ALL: [Rule; 5] = [
        Rule::AutoimmuneMisnomer,
        Rule::WrongTarget,
        Rule::WrongClass,
        Rule::ContagiousMyth,
        Rule::OutdatedStatus,
    ];

    /// The rule id used in output, configuration and in-file switches.
    pub fn id(self) -> &'static str {
        match self {
            Rule::AutoimmuneMisnomer => "autoimmune-misnomer",
            Rule::WrongTarget => "wrong-target",
            Rule::WrongClass => "wrong-class",
            Rule::ContagiousMyth => "contagious-myth",
            Rule::OutdatedStatus => "outdated-status",
        }
    }

    /// Parses a rule id.
    pub fn parse(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The severity used unless configured otherwise.
    pub fn default_severity(self) -> Severity {
        match self {
            Rule::OutdatedStatus => Severity::Information,
            _ => Severity::Warning,
        }
    }

    /// One line on what the rule checks.
    pub fn summary(self) -> &'static str {
        match self {
            Rule::AutoimmuneMisnomer => {
                "atopic dermatitis / eczema described as autoimmune (it is immune-mediated)"
            }
            Rule::WrongTarget => "a drug said to block, target or bind something it does not",
            Rule::WrongClass => "a drug put in a class it does not belong to",
            Rule::ContagiousMyth => "eczema described as contagious",
            Rule::OutdatedStatus => {
                "an approval status that is no longer true (\"still in development\")"
            }
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// How serious a finding is (the LSP severities).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Must be fixed.
    Error,
    /// Should be fixed.
    Warning,
    /// Worth knowing.
    Information,
    /// A suggestion.
    Hint,
}

impl Severity {
    /// The name used in configuration and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }

    /// Parses a severity name (`info` is accepted for `information`).
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "information" | "info" => Some(Severity::Information),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }

    /// Whether it is a warning or an error (what makes `check` exit 1).
    pub fn is_at_least_warning(self) -> bool {
        matches!(self, Severity::Error | Severity::Warning)
    }
}

/// One finding of a claim rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// Its severity.
    pub severity: Severity,
    /// UTF-8 byte range of the offending words.
    pub range: Range<usize>,
    /// What is wrong and what is right, in plain language, with the source.
    pub message: String,
    /// Text that replaces `range` to fix it, when there is one.
    pub replacement: Option<String>,
    /// The source of the fact the message states.
    pub source: Option<Source>,
}
