//! `textDocument/completion`: the core's candidates ([`crate::complete`]) as completion items.
//!
//! Only a window of text before the cursor is read, so the cost does not depend on the size of
//! the document (it works above the size cap too). Context items sort before prefix items
//! (`sortText`); each item replaces the typed word, shows the kind and key fact in `detail` and
//! the hover card as documentation.

use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionItemLabelDetails, CompletionList,
    CompletionTextEdit, Documentation, MarkupContent, MarkupKind, Position, TextEdit,
};

use super::documents::Snapshot;
use super::position::{Encoding, byte_range_to_range, position_to_byte};
use crate::complete::{CONTEXT_WINDOW, Origin, complete};
use crate::describe;
use crate::vocab::Kind;

/// Bytes read before the cursor: the context window plus room for the word being typed.
const READ_BEFORE: usize = CONTEXT_WINDOW + 200;

fn item_kind(kind: Kind) -> CompletionItemKind {
    match kind {
        Kind::Drug => CompletionItemKind::VALUE,
        Kind::DrugClass => CompletionItemKind::CLASS,
        Kind::Cytokine | Kind::Protein | Kind::Gene | Kind::Enzyme => CompletionItemKind::CONSTANT,
        Kind::Receptor => CompletionItemKind::INTERFACE,
        Kind::Cell | Kind::Organism => CompletionItemKind::STRUCT,
        Kind::Pathway => CompletionItemKind::MODULE,
        Kind::Condition => CompletionItemKind::EVENT,
        Kind::Concept => CompletionItemKind::TEXT,
    }
}

/// The completion list at a position.
pub fn completion(
    snapshot: &Snapshot,
    position: Position,
    enc: Encoding,
    markdown: bool,
) -> CompletionList {
    let rope = &snapshot.rope;
    let cursor = position_to_byte(rope, position, enc);
    let from_char = rope.byte_to_char(cursor.saturating_sub(READ_BEFORE));
    let from = rope.char_to_byte(from_char);
    let window = rope.byte_slice(from..cursor).to_string();
    let engine = &snapshot.engine;
    let found = complete(engine.analyzer(), engine.index(), &window, window.len());
    let replace = byte_range_to_range(
        rope,
        from + found.replace.start..from + found.replace.end,
        enc,
    );
    let vocab = engine.vocab();
    let items = found
        .items
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let entry = vocab.entry(c.entry);
            let documentation = if markdown {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: describe::markdown(vocab, c.entry),
                })
            } else {
                Documentation::String(describe::plain(vocab, c.entry))
            };
            let description = match c.origin {
                Origin::Context => Some("suggested by the sentence".to_string()),
                Origin::Prefix => None,
            };
            CompletionItem {
                label: c.label.clone(),
                label_details: Some(CompletionItemLabelDetails {
                    detail: (c.label != entry.name).then(|| format!(" ({})", entry.name)),
                    description,
                }),
                kind: Some(item_kind(entry.kind)),
                detail: Some(match entry.kind {
                    Kind::Drug => format!("drug · {}", describe::detail(vocab, c.entry)),
                    _ => describe::detail(vocab, c.entry),
                }),
                documentation: Some(documentation),
                sort_text: Some(format!("{i:04}")),
                filter_text: Some(c.label.clone()),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range: replace,
                    new_text: c.label.clone(),
                })),
                preselect: (i == 0 && c.origin == Origin::Context).then_some(true),
                ..CompletionItem::default()
            }
        })
        .collect();
    CompletionList {
        is_incomplete: found.truncated || found.context.is_some() || found.replace.is_empty(),
        items,
    }
}
