//! The project file `.immuno-ls.toml`, found by walking up from a checked file: extra vocabulary
//! files, per-rule severity or `off`, and ignore globs. The server reads the same file.
//!
//! ```toml
//! vocabulary = ["team/terms.toml"]      # relative to this file
//! ignore = ["drafts/archive/**"]        # globs relative to this file
//! extensions = ["md", "markdown", "txt"]
//!
//! [rules]
//! outdated-status = "warning"           # error | warning | information | hint | off
//! wrong-class = "off"
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::analysis::{Rule, RuleSettings, Severity};
use crate::vocab::line_col;

/// The file name looked for.
pub const FILE_NAME: &str = ".immuno-ls.toml";

/// The file extensions checked by default.
pub const DEFAULT_EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    vocabulary: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    extensions: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<String, toml::Spanned<String>>,
    #[serde(default)]
    server: Option<toml::Table>,
}

/// A problem in a project file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// A loaded project configuration.
#[derive(Clone, Debug)]
pub struct ProjectConfig {
    /// The file it came from (`None` for the defaults).
    pub path: Option<PathBuf>,
    /// The folder the file is in (paths and globs are relative to it).
    pub root: PathBuf,
    /// Extra vocabulary files, resolved.
    pub vocabulary: Vec<PathBuf>,
    /// Rule severities.
    pub rules: RuleSettings,
    /// Files to skip.
    pub ignore: GlobSet,
    /// Extensions checked when walking folders.
    pub extensions: Vec<String>,
}

impl ProjectConfig {
    /// The defaults (no file).
    pub fn default_for(root: &Path) -> ProjectConfig {
        ProjectConfig {
            path: None,
            root: root.to_path_buf(),
            vocabulary: Vec::new(),
            rules: RuleSettings::default(),
            ignore: GlobSet::empty(),
            extensions: DEFAULT_EXTENSIONS.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Whether a path is ignored by the globs.
    pub fn is_ignored(&self, path: &Path) -> bool {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        self.ignore.is_match(rel)
    }
}

/// The nearest `.immuno-ls.toml` in `start` or a folder above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    let mut dir = if start.is_dir() {
        Some(start)
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// Parses a project file's text.
pub fn parse(path: &Path, text: &str) -> Result<ProjectConfig, Vec<ConfigError>> {
    let error = |span: std::ops::Range<usize>, message: String| {
        let (line, column) = line_col(text, span.start);
        ConfigError {
            file: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        vec![error(
            e.span().unwrap_or(0..0),
            e.message().trim().to_string(),
        )]
    })?;
    let root = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let mut errors = Vec::new();
    let mut rules = RuleSettings::default();
    for (id, value) in &raw.rules {
        let Some(rule) = Rule::parse(id) else {
            let known: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
            errors.push(error(
                value.span(),
                format!("unknown rule \"{id}\"; rules are {}", known.join(", ")),
            ));
            continue;
        };
        let v = value.get_ref().as_str();
        if v == "off" {
            rules.set(rule, None);
        } else if let Some(sev) = Severity::parse(v) {
            rules.set(rule, Some(sev));
        } else {
            errors.push(error(
                value.span(),
                format!("\"{v}\" is not error, warning, information, hint or off"),
            ));
        }
    }
    let mut globs = GlobSetBuilder::new();
    for g in &raw.ignore {
        match Glob::new(g) {
            Ok(g) => {
                globs.add(g);
            }
            Err(e) => errors.push(error(0..0, format!("bad ignore glob \"{g}\": {e}"))),
        }
    }
    let ignore = globs.build().unwrap_or_else(|_| GlobSet::empty());
    if !errors.is_empty() {
        return Err(errors);
    }
    let extensions = if raw.extensions.is_empty() {
        DEFAULT_EXTENSIONS.iter().map(|s| s.to_string()).collect()
    } else {
        raw.extensions
            .iter()
            .map(|e| e.trim_start_matches('.').to_ascii_lowercase())
            .collect()
    };
    let _ = raw.server;
    Ok(ProjectConfig {
        path: Some(path.to_path_buf()),
        vocabulary: raw.vocabulary.iter().map(|v| root.join(v)).collect(),
        root,
        rules,
        ignore,
        extensions,
    })
}

/// Reads and parses a project file.
pub fn load(path: &Path) -> Result<ProjectConfig, Vec<ConfigError>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![ConfigError {
            file: path.to_path_buf(),
            line: 1,
            column: 1,
            message: format!("cannot read: {e}"),
        }]
    })?;
    parse(path, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_and_paths() {
        let c = parse(
            Path::new("/p/.immuno-ls.toml"),
            "vocabulary = [\"v.toml\"]\n[rules]\nwrong-class = \"off\"\noutdated-status = \"error\"\n",
        );
        let c = c.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(c.vocabulary, vec![PathBuf::from("/p/v.toml")]);
        assert_eq!(c.rules.severity(Rule::WrongClass), None);
        assert_eq!(
            c.rules.severity(Rule::OutdatedStatus),
            Some(Severity::Error)
        );
    }

    #[test]
    fn errors_have_positions() {
        let e = parse(Path::new("c.toml"), "[rules]\nwrong-klass = \"off\"\n")
            .err()
            .unwrap_or_default();
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].line, e[0].column), (2, 15));
        let e = parse(Path::new("c.toml"), "vocabluary = []\n")
            .err()
            .unwrap_or_default();
        assert_eq!(e[0].line, 1);
        assert!(e[0].message.contains("vocabluary"), "{}", e[0].message);
    }
}
