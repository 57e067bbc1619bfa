//! `textDocument/hover`: the entry card of the term under the cursor, with the mention as range.

use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::documents::Snapshot;
use super::position::{Encoding, byte_range_to_range, position_to_byte};
use crate::describe;

/// The hover at a position, or `None` when no term is there (or the document is not analysed).
pub fn hover(
    snapshot: &Snapshot,
    position: Position,
    enc: Encoding,
    markdown: bool,
) -> Option<Hover> {
    let offset = position_to_byte(&snapshot.rope, position, enc);
    let analyzed = snapshot.analyzed();
    let analysis = analyzed.analysis.as_ref().ok()?;
    let mention = analysis.mention_at(offset)?;
    let vocab = snapshot.engine.vocab();
    let (kind, value) = if markdown {
        (
            MarkupKind::Markdown,
            describe::markdown(vocab, mention.entry),
        )
    } else {
        (MarkupKind::PlainText, describe::plain(vocab, mention.entry))
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind, value }),
        range: Some(byte_range_to_range(
            &snapshot.rope,
            mention.range.clone(),
            enc,
        )),
    })
}
