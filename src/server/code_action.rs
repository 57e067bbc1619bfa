//! `textDocument/codeAction`: for each finding in the requested range, the quick fix (when the
//! rule gives a replacement; marked preferred) and "disable <rule> for this line" (inserts the
//! in-file switch above the line). Both are plain workspace edits, so they work in every editor.

use std::collections::HashMap;

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::diagnostics::to_diagnostic;
use super::documents::Snapshot;
use super::position::{Encoding, byte_range_to_range, byte_to_position, range_to_byte_range};
use crate::analysis::switches::disable_comment_for_line;

fn edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

fn wanted(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    only.is_none_or(|list| {
        list.iter().any(|k| {
            kind.as_str() == k.as_str() || kind.as_str().starts_with(&format!("{}.", k.as_str()))
        })
    })
}

/// The actions for the findings that touch `range`.
pub fn code_actions(
    snapshot: &Snapshot,
    uri: &Uri,
    range: Range,
    only: Option<&[CodeActionKind]>,
    enc: Encoding,
) -> Vec<CodeActionOrCommand> {
    let analyzed = snapshot.analyzed();
    let Ok(analysis) = analyzed.analysis.as_ref() else {
        return Vec::new();
    };
    let text = analyzed.text.as_str();
    let wanted_range = range_to_byte_range(&snapshot.rope, range, enc);
    let touches =
        |r: &std::ops::Range<usize>| r.start <= wanted_range.end && wanted_range.start <= r.end;
    let mut fixes = Vec::new();
    let mut disables = Vec::new();
    let mut disabled_lines: Vec<(usize, &str)> = Vec::new();
    for f in analysis.findings.iter().filter(|f| touches(&f.range)) {
        let diagnostic = to_diagnostic(snapshot, f, enc);
        if let Some(replacement) = &f.replacement
            && wanted(only, &CodeActionKind::QUICKFIX)
        {
            fixes.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Replace with “{replacement}”"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(edit(
                    uri,
                    vec![TextEdit {
                        range: byte_range_to_range(&snapshot.rope, f.range.clone(), enc),
                        new_text: replacement.clone(),
                    }],
                )),
                is_preferred: Some(true),
                ..CodeAction::default()
            }));
        }
        if wanted(only, &CodeActionKind::QUICKFIX) {
            let (at, comment) = disable_comment_for_line(text, f.range.start, f.rule);
            if disabled_lines.contains(&(at, f.rule.id())) {
                continue;
            }
            disabled_lines.push((at, f.rule.id()));
            let p = byte_to_position(&snapshot.rope, at, enc);
            disables.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Disable {} for this line", f.rule.id()),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic]),
                edit: Some(edit(
                    uri,
                    vec![TextEdit {
                        range: Range::new(p, p),
                        new_text: comment,
                    }],
                )),
                is_preferred: Some(false),
                ..CodeAction::default()
            }));
        }
    }
    fixes.extend(disables);
    fixes
}
