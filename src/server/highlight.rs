//! `textDocument/documentHighlight`: every mention of the entry under the cursor.

use tower_lsp_server::ls_types::{DocumentHighlight, DocumentHighlightKind, Position};

use super::documents::Snapshot;
use super::position::{Encoding, byte_range_to_range, position_to_byte};

/// The mentions of the same entry as the one at `position` (itself included).
pub fn highlights(
    snapshot: &Snapshot,
    position: Position,
    enc: Encoding,
) -> Option<Vec<DocumentHighlight>> {
    let offset = position_to_byte(&snapshot.rope, position, enc);
    let analyzed = snapshot.analyzed();
    let analysis = analyzed.analysis.as_ref().ok()?;
    let entry = analysis.mention_at(offset)?.entry;
    Some(
        analysis
            .mentions
            .iter()
            .filter(|m| m.entry == entry)
            .map(|m| DocumentHighlight {
                range: byte_range_to_range(&snapshot.rope, m.range.clone(), enc),
                kind: Some(DocumentHighlightKind::TEXT),
            })
            .collect(),
    )
}
