//! The server's settings: what the editor sends (section `immunoLs` of `initializationOptions`,
//! `workspace/didChangeConfiguration` and `workspace/configuration`) merged over the workspace's
//! `.immuno-ls.toml`.
//!
//! ```json
//! "immunoLs": {
//!   "vocabulary": ["team/terms.toml"],          // extra vocabulary files (relative to the workspace)
//!   "rules": { "wrong-class": "off", "outdated-status": "warning" },
//!   "inlayHints": true,                          // or { "enabled": true }; off by default
//!   "languageIds": ["markdown", "plaintext"],    // documents analysed
//!   "pushDiagnostics": true                      // publish diagnostics (pull is always answered)
//! }
//! ```
//!
//! Precedence: defaults, then `.immuno-ls.toml`, then the editor's settings. Vocabulary lists are
//! joined. Unknown keys are ignored; bad values are reported and left at their previous value.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::analysis::{Rule, RuleSettings, Severity};
use crate::config::ProjectConfig;

/// The configuration section name.
pub const SECTION: &str = "immunoLs";

/// Language ids analysed by default.
pub const DEFAULT_LANGUAGE_IDS: &[&str] = &["markdown", "plaintext"];

/// Settings as the editor sent them (every field optional).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClientSettings {
    /// Extra vocabulary files.
    pub vocabulary: Option<Vec<String>>,
    /// Rule id to severity name or "off".
    pub rules: Vec<(String, String)>,
    /// Inlay hints on or off.
    pub inlay_hints: Option<bool>,
    /// Language ids analysed.
    pub language_ids: Option<Vec<String>>,
    /// Whether diagnostics are pushed.
    pub push_diagnostics: Option<bool>,
}

impl ClientSettings {
    /// Reads settings from a JSON value: either the section itself or an object holding it under
    /// `immunoLs`. Problems are returned as plain sentences.
    pub fn from_json(value: &Value) -> (ClientSettings, Vec<String>) {
        let mut problems = Vec::new();
        let mut out = ClientSettings::default();
        let section = match value.get(SECTION) {
            Some(v) => v,
            None => value,
        };
        let Some(obj) = section.as_object() else {
            if !section.is_null() {
                problems.push(format!("the \"{SECTION}\" settings must be an object"));
            }
            return (out, problems);
        };
        let strings = |v: &Value, key: &str, problems: &mut Vec<String>| -> Option<Vec<String>> {
            match v.as_array() {
                Some(a) if a.iter().all(Value::is_string) => Some(
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect(),
                ),
                _ => {
                    problems.push(format!("\"{key}\" must be a list of strings"));
                    None
                }
            }
        };
        if let Some(v) = obj.get("vocabulary") {
            out.vocabulary = strings(v, "vocabulary", &mut problems);
        }
        if let Some(v) = obj.get("languageIds") {
            out.language_ids = strings(v, "languageIds", &mut problems);
        }
        if let Some(v) = obj.get("rules") {
            match v.as_object() {
                Some(rules) => {
                    for (id, sev) in rules {
                        match sev.as_str() {
                            Some(s) => out.rules.push((id.clone(), s.to_string())),
                            None => problems
                                .push(format!("rule \"{id}\": the severity must be a string")),
                        }
                    }
                }
                None => {
                    problems.push("\"rules\" must be an object of rule id to severity".to_string())
                }
            }
        }
        if let Some(v) = obj.get("inlayHints") {
            match v {
                Value::Bool(b) => out.inlay_hints = Some(*b),
                Value::Object(o) => match o.get("enabled").and_then(Value::as_bool) {
                    Some(b) => out.inlay_hints = Some(b),
                    None => {
                        problems.push("\"inlayHints.enabled\" must be true or false".to_string())
                    }
                },
                _ => problems.push("\"inlayHints\" must be true or false".to_string()),
            }
        }
        if let Some(v) = obj.get("pushDiagnostics") {
            match v.as_bool() {
                Some(b) => out.push_diagnostics = Some(b),
                None => problems.push("\"pushDiagnostics\" must be true or false".to_string()),
            }
        }
        (out, problems)
    }
}

/// The effective settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Rule severities.
    pub rules: RuleSettings,
    /// Extra vocabulary files, resolved.
    pub vocabulary: Vec<PathBuf>,
    /// Inlay hints on.
    pub inlay_hints: bool,
    /// Language ids analysed.
    pub language_ids: Vec<String>,
    /// Diagnostics are pushed.
    pub push_diagnostics: bool,
    /// The project file in use, if any.
    pub project_file: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rules: RuleSettings::default(),
            vocabulary: Vec::new(),
            inlay_hints: false,
            language_ids: DEFAULT_LANGUAGE_IDS.iter().map(|s| s.to_string()).collect(),
            push_diagnostics: true,
            project_file: None,
        }
    }
}

impl Settings {
    /// Whether documents of this language id are analysed.
    pub fn analyses_language(&self, language_id: &str) -> bool {
        self.language_ids
            .iter()
            .any(|l| l.eq_ignore_ascii_case(language_id))
    }

    /// Merges the project file and the editor's settings; problems as plain sentences.
    pub fn merge(
        project: Option<&ProjectConfig>,
        client: &ClientSettings,
        root: Option<&Path>,
    ) -> (Settings, Vec<String>) {
        let mut s = Settings::default();
        let mut problems = Vec::new();
        if let Some(p) = project {
            s.rules = p.rules.clone();
            s.vocabulary.extend(p.vocabulary.iter().cloned());
            s.project_file = p.path.clone();
        }
        if let Some(v) = &client.vocabulary {
            for f in v {
                let path = PathBuf::from(f);
                let path = match root {
                    Some(r) if path.is_relative() => r.join(path),
                    _ => path,
                };
                if !s.vocabulary.contains(&path) {
                    s.vocabulary.push(path);
                }
            }
        }
        for (id, sev) in &client.rules {
            let Some(rule) = Rule::parse(id) else {
                let known: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
                problems.push(format!(
                    "unknown rule \"{id}\" in the settings; rules are {}",
                    known.join(", ")
                ));
                continue;
            };
            if sev == "off" {
                s.rules.set(rule, None);
            } else if let Some(level) = Severity::parse(sev) {
                s.rules.set(rule, Some(level));
            } else {
                problems.push(format!(
                    "rule \"{id}\": \"{sev}\" is not error, warning, information, hint or off"
                ));
            }
        }
        if let Some(b) = client.inlay_hints {
            s.inlay_hints = b;
        }
        if let Some(ids) = &client.language_ids {
            s.language_ids = ids.clone();
        }
        if let Some(b) = client.push_diagnostics {
            s.push_diagnostics = b;
        }
        (s, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_section_or_its_parent() {
        let (a, p) = ClientSettings::from_json(&json!({"immunoLs": {"inlayHints": true}}));
        assert!(p.is_empty());
        assert_eq!(a.inlay_hints, Some(true));
        let (b, _) = ClientSettings::from_json(&json!({"inlayHints": {"enabled": true}}));
        assert_eq!(b.inlay_hints, Some(true));
        let (c, p) = ClientSettings::from_json(&Value::Null);
        assert_eq!(c, ClientSettings::default());
        assert!(p.is_empty());
    }

    #[test]
    fn rules_and_problems() {
        let (c, p) = ClientSettings::from_json(&json!({
            "rules": {"wrong-class": "off", "outdated-status": "error", "nope": "off", "wrong-target": "loud"},
            "languageIds": "markdown"
        }));
        assert_eq!(p.len(), 1, "{p:?}");
        let (s, p) = Settings::merge(None, &c, None);
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(s.rules.severity(Rule::WrongClass), None);
        assert_eq!(
            s.rules.severity(Rule::OutdatedStatus),
            Some(Severity::Error)
        );
        assert_eq!(
            s.rules.severity(Rule::WrongTarget),
            Some(Rule::WrongTarget.default_severity())
        );
        assert!(s.analyses_language("markdown") && s.analyses_language("plaintext"));
        assert!(!s.inlay_hints);
    }

    #[test]
    fn client_overrides_project_and_paths_resolve() {
        let project = crate::config::parse(
            Path::new("/w/.immuno-ls.toml"),
            "vocabulary = [\"a.toml\"]\n[rules]\nwrong-class = \"off\"\n",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let (c, _) = ClientSettings::from_json(
            &json!({"vocabulary": ["b.toml", "/abs/c.toml"], "rules": {"wrong-class": "hint"}}),
        );
        let (s, p) = Settings::merge(Some(&project), &c, Some(Path::new("/w")));
        assert!(p.is_empty());
        assert_eq!(
            s.vocabulary,
            vec![
                PathBuf::from("/w/a.toml"),
                PathBuf::from("/w/b.toml"),
                PathBuf::from("/abs/c.toml")
            ]
        );
        assert_eq!(s.rules.severity(Rule::WrongClass), Some(Severity::Hint));
    }
}
