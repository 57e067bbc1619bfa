//! The three outputs of `check`: rustc-style text (annotate-snippets), one JSON object, and SARIF
//! 2.1.0. Positions: byte offsets (`start`, `end`), and 1-based lines and columns counted in
//! Unicode code points.

use std::io::{IsTerminal, Write};

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde_json::{Value, json};

use crate::analysis::{Finding, Rule, Severity};

/// The findings of one file, with its text (to show lines).
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as given.
    pub path: String,
    /// The text checked.
    pub text: String,
    /// What was found.
    pub findings: Vec<Finding>,
}

/// Line starts of a text, for byte offset → line / column.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts (after `\n`, `\r\n` or a lone `\r`).
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { text, starts }
    }

    /// 1-based line and 1-based column (code points) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (line + 1, col + 1)
    }
}

fn level(sev: Severity) -> Level<'static> {
    match sev {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Information => Level::INFO,
        Severity::Hint => Level::HELP,
    }
}

/// rustc-style text on stdout.
pub fn human(reports: &[FileReport]) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = stdout.lock();
    let mut total = 0;
    for r in reports {
        for f in &r.findings {
            total += 1;
            let label = f
                .replacement
                .as_ref()
                .map_or_else(String::new, |rep| format!("write \"{rep}\""));
            let report = &[level(f.severity)
                .primary_title(f.message.as_str())
                .id(f.rule.id())
                .element(
                    Snippet::source(r.text.as_str())
                        .path(r.path.as_str())
                        .fold(true)
                        .annotation(AnnotationKind::Primary.span(f.range.clone()).label(label)),
                )];
            writeln!(out, "{}\n", renderer.render(report))?;
        }
    }
    let files = reports.len();
    writeln!(
        out,
        "{total} finding{} in {files} file{}",
        if total == 1 { "" } else { "s" },
        if files == 1 { "" } else { "s" }
    )?;
    out.flush()
}

fn finding_json(index: &LineIndex, f: &Finding) -> Value {
    let (line, column) = index.line_col(f.range.start);
    let (end_line, end_column) = index.line_col(f.range.end);
    json!({
        "rule": f.rule.id(),
        "severity": f.severity.as_str(),
        "message": f.message,
        "start": f.range.start,
        "end": f.range.end,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "replacement": f.replacement,
        "source": f.source.as_ref().map(|s| json!({"title": s.title, "url": s.url})),
    })
}

/// One JSON object on stdout.
pub fn json(reports: &[FileReport]) -> std::io::Result<()> {
    let files: Vec<Value> = reports
        .iter()
        .map(|r| {
            let index = LineIndex::new(&r.text);
            json!({
                "path": r.path,
                "findings": r.findings.iter().map(|f| finding_json(&index, f)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &json!({ "files": files }))?;
    writeln!(out)?;
    out.flush()
}

fn sarif_level(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information => "note",
        Severity::Hint => "none",
    }
}

/// SARIF 2.1.0 on stdout.
pub fn sarif(reports: &[FileReport]) -> std::io::Result<()> {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.id(),
                "shortDescription": {"text": r.summary()},
                "defaultConfiguration": {"level": sarif_level(r.default_severity())},
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        let index = LineIndex::new(&r.text);
        for f in &r.findings {
            let (line, column) = index.line_col(f.range.start);
            let (end_line, end_column) = index.line_col(f.range.end);
            let region = json!({
                "startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column,
                "byteOffset": f.range.start, "byteLength": f.range.end - f.range.start,
            });
            let mut result = json!({
                "ruleId": f.rule.id(),
                "ruleIndex": Rule::ALL.iter().position(|x| *x == f.rule),
                "level": sarif_level(f.severity),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": r.path}, "region": region}}],
            });
            if let Some(rep) = &f.replacement {
                result["fixes"] = json!([{
                    "description": {"text": format!("Write \"{rep}\"")},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": r.path},
                        "replacements": [{"deletedRegion": region, "insertedContent": {"text": rep}}],
                    }],
                }]);
            }
            results.push(result);
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "immuno-ls",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "newlineSequences": ["\r\n", "\n", "\r"],
            "results": results,
        }],
    });
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &doc)?;
    writeln!(out)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_code_points_and_all_line_endings() {
        let t = "ab\r\ncα d\re";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(4), (2, 1));
        let d = t.find('d').unwrap_or(0);
        assert_eq!(idx.line_col(d), (2, 4));
        let e = t.find('e').unwrap_or(0);
        assert_eq!(idx.line_col(e), (3, 1));
    }
}
