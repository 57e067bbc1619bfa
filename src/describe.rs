//! The text shown for an entry: the hover card (Markdown), the one-line detail used by completion,
//! and the plain text of `immuno-ls explain`. One place, so every front end says the same thing.

use crate::vocab::{EntryId, Kind, Vocabulary};

fn names(vocab: &Vocabulary, ids: &[EntryId]) -> String {
    ids.iter()
        .map(|&i| vocab.entry(i).name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Brand names with their regions: "Dupixent (US, EU)".
fn brands(vocab: &Vocabulary, id: EntryId) -> String {
    vocab
        .entry(id)
        .drug
        .as_ref()
        .map(|d| {
            d.brands
                .iter()
                .map(|b| {
                    if b.regions.is_empty() {
                        b.name.clone()
                    } else {
                        format!("{} ({})", b.name, b.regions.join(", "))
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// The key fact of an entry on one line, for completion items: "monoclonal antibody · targets
/// IL-4Rα · Dupixent".
pub fn detail(vocab: &Vocabulary, id: EntryId) -> String {
    let e = vocab.entry(id);
    match &e.drug {
        Some(d) => {
            let mut parts = Vec::new();
            if !d.modality.is_empty() {
                parts.push(d.modality.clone());
            }
            if !d.targets.is_empty() {
                parts.push(format!("targets {}", names(vocab, &d.targets)));
            }
            let b: Vec<&str> = d.brands.iter().map(|b| b.name.as_str()).collect();
            if !b.is_empty() {
                parts.push(b.join(", "));
            }
            parts.join(" · ")
        }
        None => {
            let mut s = e.kind.label().to_string();
            if e.name != e.id && e.kind == Kind::DrugClass {
                let members = vocab.class_members(id);
                if !members.is_empty() {
                    s.push_str(&format!(
                        " · {}",
                        names(vocab, &members[..members.len().min(4)])
                    ));
                }
            }
            s
        }
    }
}

/// The hover card, in Markdown.
pub fn markdown(vocab: &Vocabulary, id: EntryId) -> String {
    let e = vocab.entry(id);
    let mut out = format!("**{}** · {}\n\n", e.name, e.kind.label());
    out.push_str(&e.definition);
    out.push_str("\n\n");
    let mut facts: Vec<String> = Vec::new();
    if let Some(d) = &e.drug {
        if !d.classes.is_empty() {
            facts.push(format!("**Class:** {}", names(vocab, &d.classes)));
        }
        if !d.targets.is_empty() {
            let mut t = format!("**Target:** {}", names(vocab, &d.targets));
            if !d.blocks_signalling_of.is_empty() {
                t.push_str(&format!(
                    " (blocks {} signalling)",
                    names(vocab, &d.blocks_signalling_of)
                ));
            }
            facts.push(t);
        }
        if !d.modality.is_empty() || !d.route.is_empty() {
            facts.push(format!(
                "**Modality:** {}{}",
                d.modality,
                if d.route.is_empty() {
                    String::new()
                } else {
                    format!(", {}", d.route.join(", "))
                }
            ));
        }
        let b = brands(vocab, id);
        if !b.is_empty() {
            facts.push(format!("**Brands:** {b}"));
        }
        if let Some(s) = &d.status {
            facts.push(format!("**Status:** {s}"));
        }
    }
    if let Some(r) = &e.receptor
        && !r.ligands.is_empty()
    {
        facts.push(format!("**Binds:** {}", names(vocab, &r.ligands)));
    }
    if let Some(c) = &e.condition {
        if c.autoimmune == Some(false) {
            facts.push("**Not autoimmune** (immune-mediated)".to_string());
        }
        if c.contagious == Some(false) {
            facts.push("**Not contagious**".to_string());
        }
    }
    let acting = vocab.drugs_acting_on(id);
    if !acting.is_empty() {
        facts.push(format!("**Drugs acting on it:** {}", names(vocab, acting)));
    }
    if e.kind == Kind::DrugClass {
        let members = vocab.class_members(id);
        if !members.is_empty() {
            facts.push(format!("**Members:** {}", names(vocab, members)));
        }
    }
    if !facts.is_empty() {
        out.push_str(
            &facts
                .iter()
                .map(|f| format!("- {f}"))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        out.push_str("\n\n");
    }
    if let Some(d) = &e.drug
        && !d.approvals.is_empty()
    {
        out.push_str("**Approvals**\n\n");
        let mut rows: Vec<_> = d.approvals.iter().collect();
        rows.sort_by(|a, b| a.date.cmp(&b.date));
        for a in rows {
            let pop = if a.population.is_empty() {
                String::new()
            } else {
                format!(", {}", a.population)
            };
            out.push_str(&format!(
                "- {} · {}{} · {} ([source]({}))\n",
                a.agency,
                vocab.entry(a.indication).name,
                pop,
                a.date,
                a.source.url
            ));
        }
        out.push('\n');
    }
    if !e.related.is_empty() {
        out.push_str(&format!("Related: {}\n\n", names(vocab, &e.related)));
    }
    let sources: Vec<String> = e
        .sources
        .iter()
        .map(|s| format!("[{}]({})", s.title, s.url))
        .collect();
    out.push_str(&format!("Sources: {}", sources.join(" · ")));
    out
}

/// The plain text of `immuno-ls explain`: the hover card with Markdown links spelt out.
pub fn plain(vocab: &Vocabulary, id: EntryId) -> String {
    let md = markdown(vocab, id);
    let mut out = String::with_capacity(md.len());
    let mut rest = md.as_str();
    // [title](url) -> title <url>
    while let Some(open) = rest.find('[') {
        let Some(mid) = rest[open..].find("](") else {
            break;
        };
        let Some(close) = rest[open + mid..].find(')') else {
            break;
        };
        out.push_str(&rest[..open]);
        let title = &rest[open + 1..open + mid];
        let url = &rest[open + mid + 2..open + mid + close];
        out.push_str(&format!("{title} <{url}>"));
        rest = &rest[open + mid + close + 1..];
    }
    out.push_str(rest);
    out.replace("**", "")
}

/// A decision date for a sentence: "2017-03-28" -> "28 March 2017", "2024-12" -> "December 2024".
pub fn human_date(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = date.split('-').collect();
    let month = parts
        .get(1)
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| m.checked_sub(1))
        .and_then(|m| MONTHS.get(m));
    match (parts.as_slice(), month) {
        ([y, _, d], Some(m)) => format!("{} {m} {y}", d.trim_start_matches('0')),
        ([y, _], Some(m)) => format!("{m} {y}"),
        _ => date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::human_date;

    #[test]
    fn dates_read_naturally() {
        assert_eq!(human_date("2017-03-28"), "28 March 2017");
        assert_eq!(human_date("2024-12"), "December 2024");
        assert_eq!(human_date("2024-05-01"), "1 May 2024");
        assert_eq!(human_date("soon"), "soon");
    }
}
