//! Markdown tables. A row states facts about the thing named in its first cell, one column at a
//! time: `| dupilumab | IL-4Rα |` under the header `| Drug | Target |` says "dupilumab targets
//! IL-4Rα". Each data cell is read as its own sentence with the row's subject and the column header
//! as context ([`TableCell`]); header and separator rows are not read.

use std::ops::Range;

/// Where a table cell sits: the row's subject and its column header (lower-case).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableCell {
    /// The header of the cell's column, lower-case ("target", "drug class", "status").
    pub header: String,
}

impl TableCell {
    /// Whether the column header contains one of these words.
    pub fn header_has(&self, words: &[&str]) -> bool {
        self.header
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| words.contains(&w))
    }
}

/// The byte ranges of a row's cells (trimmed, without the pipes). `None` when the text is not a
/// table row.
pub fn cells(text: &str, row: Range<usize>) -> Option<Vec<Range<usize>>> {
    let line = &text[row.clone()];
    let trimmed = line.trim_start();
    if !trimmed.starts_with('|') {
        return None;
    }
    let base = row.start + (line.len() - trimmed.len());
    let bytes = trimmed.as_bytes();
    let mut out = Vec::new();
    let mut start = 1;
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'|' => {
                out.push(base + start..base + i);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() && !trimmed[start..].trim().is_empty() {
        out.push(base + start..base + bytes.len());
    }
    Some(
        out.into_iter()
            .map(|r| {
                let s = &text[r.clone()];
                let lead = s.len() - s.trim_start().len();
                let trail = s.len() - s.trim_end().len();
                r.start + lead..(r.end - trail).max(r.start + lead)
            })
            .collect(),
    )
}

/// Whether a row is the separator under the header (`|---|:--:|`).
pub fn is_separator(text: &str, cells: &[Range<usize>]) -> bool {
    !cells.is_empty()
        && cells.iter().all(|c| {
            let s = text[c.clone()].trim();
            !s.is_empty() && s.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_cells_and_finds_the_separator() {
        let t = "| Drug | Target |\n|---|:--:|\n| dupilumab | IL-4Rα |";
        let rows: Vec<Range<usize>> = {
            let mut pos = 0;
            t.split('\n')
                .map(|l| {
                    let r = pos..pos + l.len();
                    pos += l.len() + 1;
                    r
                })
                .collect()
        };
        let head = cells(t, rows[0].clone()).unwrap_or_default();
        assert_eq!(
            head.iter().map(|r| &t[r.clone()]).collect::<Vec<_>>(),
            vec!["Drug", "Target"]
        );
        let sep = cells(t, rows[1].clone()).unwrap_or_default();
        assert!(is_separator(t, &sep));
        let data = cells(t, rows[2].clone()).unwrap_or_default();
        assert_eq!(
            data.iter().map(|r| &t[r.clone()]).collect::<Vec<_>>(),
            vec!["dupilumab", "IL-4Rα"]
        );
        assert!(!is_separator(t, &data));
        assert!(cells(t, 0..0).is_none());
    }
}
