//! `textDocument/inlayHint` (off by default): a drug's target(s) after its name, as in
//! "dupilumab ‹IL-4Rα›".

use tower_lsp_server::ls_types::{InlayHint, InlayHintLabel, InlayHintTooltip, Range};

use super::documents::Snapshot;
use super::position::{Encoding, byte_to_position, range_to_byte_range};

/// The hints for drug mentions inside `range` (none when hints are off).
pub fn inlay_hints(snapshot: &Snapshot, range: Range, enc: Encoding) -> Vec<InlayHint> {
    if !snapshot.settings.inlay_hints {
        return Vec::new();
    }
    let analyzed = snapshot.analyzed();
    let Ok(analysis) = analyzed.analysis.as_ref() else {
        return Vec::new();
    };
    let wanted = range_to_byte_range(&snapshot.rope, range, enc);
    let vocab = snapshot.engine.vocab();
    analysis
        .mentions
        .iter()
        .filter(|m| m.range.start < wanted.end && m.range.end >= wanted.start)
        .filter_map(|m| {
            let drug = vocab.entry(m.entry).drug.as_ref()?;
            if drug.targets.is_empty() {
                return None;
            }
            let names: Vec<&str> = drug
                .targets
                .iter()
                .map(|&t| vocab.entry(t).name.as_str())
                .collect();
            Some(InlayHint {
                position: byte_to_position(&snapshot.rope, m.range.end, enc),
                label: InlayHintLabel::String(format!("‹{}›", names.join(", "))),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(format!(
                    "{} targets {}",
                    vocab.entry(m.entry).name,
                    names.join(", ")
                ))),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
        })
        .collect()
}
