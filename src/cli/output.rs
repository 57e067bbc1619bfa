//! The three outputs of `check`: rustc-style text (annotate-snippets), one JSON object, and SARIF
//! 2.1.0, written file by file as the files are done (SARIF, one array of results, at the end). Positions: byte offsets (`start`, `end`), and 1-based lines and columns counted in
//! Unicode code points.

use std::io::{IsTerminal, Write};

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde_json::{Value, json};

use super::OutputFormat;
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

/// Writes the reports of `check` one file at a time, in the order they are given, so that a
/// long run shows its first results at once and holds only the files not yet written.
pub struct ReportWriter {
    out: std::io::StdoutLock<'static>,
    kind: WriterKind,
    /// Findings written (for the human summary line).
    total: usize,
    /// Files written.
    files: usize,
}

enum WriterKind {
    Human(Renderer),
    Json,
    /// SARIF lists every result of every file in one array: the results are kept (not the
    /// texts) and written at the end.
    Sarif(Vec<Value>),
}

impl ReportWriter {
    /// A writer to stdout.
    pub fn new(format: OutputFormat) -> ReportWriter {
        let stdout = std::io::stdout();
        let kind = match format {
            OutputFormat::Human => {
                let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none();
                WriterKind::Human(if color {
                    Renderer::styled()
                } else {
                    Renderer::plain()
                })
            }
            OutputFormat::Json => WriterKind::Json,
            OutputFormat::Sarif => WriterKind::Sarif(Vec::new()),
        };
        ReportWriter {
            out: stdout.lock(),
            kind,
            total: 0,
            files: 0,
        }
    }

    /// Writes one file's report.
    pub fn file(&mut self, r: &FileReport) -> std::io::Result<()> {
        self.files += 1;
        self.total += r.findings.len();
        match &mut self.kind {
            WriterKind::Human(renderer) => {
                for f in &r.findings {
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
                                .annotation(
                                    AnnotationKind::Primary.span(f.range.clone()).label(label),
                                ),
                        )];
                    writeln!(self.out, "{}\n", renderer.render(report))?;
                }
                self.out.flush()
            }
            WriterKind::Json => {
                // the same text serde_json's pretty printer gives for the whole object
                self.out.write_all(if self.files == 1 {
                    b"{\n  \"files\": [\n"
                } else {
                    b",\n"
                })?;
                let value = file_json(r);
                let pretty = serde_json::to_string_pretty(&value).map_err(std::io::Error::other)?;
                for (i, line) in pretty.lines().enumerate() {
                    if i > 0 {
                        self.out.write_all(b"\n")?;
                    }
                    write!(self.out, "    {line}")?;
                }
                self.out.flush()
            }
            WriterKind::Sarif(results) => {
                results.extend(sarif_results(r));
                Ok(())
            }
        }
    }

    /// Ends the output (the summary line, the closing brackets, or the whole SARIF log).
    pub fn finish(mut self) -> std::io::Result<()> {
        match std::mem::replace(&mut self.kind, WriterKind::Json) {
            WriterKind::Human(_) => {
                let (total, files) = (self.total, self.files);
                writeln!(
                    self.out,
                    "{total} finding{} in {files} file{}",
                    if total == 1 { "" } else { "s" },
                    if files == 1 { "" } else { "s" }
                )?;
            }
            WriterKind::Json => {
                if self.files == 0 {
                    self.out.write_all(b"{\n  \"files\": []\n}\n")?;
                } else {
                    self.out.write_all(b"\n  ]\n}\n")?;
                }
            }
            WriterKind::Sarif(results) => {
                serde_json::to_writer_pretty(&mut self.out, &sarif_document(results))?;
                writeln!(self.out)?;
            }
        }
        self.out.flush()
    }
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

fn file_json(r: &FileReport) -> Value {
    let index = LineIndex::new(&r.text);
    json!({
        "path": r.path,
        "findings": r.findings.iter().map(|f| finding_json(&index, f)).collect::<Vec<_>>(),
    })
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
fn sarif_results(r: &FileReport) -> Vec<Value> {
    let mut results = Vec::new();
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
    results
}

fn sarif_document(results: Vec<Value>) -> Value {
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
    json!({
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
    })
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
