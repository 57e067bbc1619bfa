//! What is prose. In Markdown: everything but fenced and indented code, inline code, HTML (comments
//! included), link and image targets, autolinks and front matter. In both formats: bare URLs and
//! e-mail addresses, and HTML comments. The result is a masked copy of the text of the same byte
//! length, where every non-prose character is replaced by spaces (line breaks are kept, so lines and
//! paragraphs stay where they were).

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

/// The format of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// CommonMark with the usual extensions.
    Markdown,
    /// Plain text.
    Plain,
}

impl Format {
    /// The format for a file extension or an LSP language id (`markdown`, `md`, `txt`...).
    pub fn from_hint(hint: &str) -> Format {
        match hint.to_ascii_lowercase().as_str() {
            "md" | "markdown" | "mdx" | "mkd" | "mdown" | "quarto" | "qmd" | "rmd"
            | "rmarkdown" => Format::Markdown,
            _ => Format::Plain,
        }
    }
}

/// The prose of a document.
#[derive(Clone, Debug)]
pub struct Prose {
    /// The text with non-prose characters replaced by spaces (same byte offsets as the original).
    pub masked: String,
    /// The excluded byte ranges, sorted and merged.
    pub excluded: Vec<Range<usize>>,
    /// The byte ranges of HTML comments (where in-file switches live).
    pub comments: Vec<Range<usize>>,
}

/// Finds the prose of `text`.
pub fn prose(text: &str, format: Format) -> Prose {
    let mut excluded = Vec::new();
    let comments = html_comments(text);
    excluded.extend(comments.iter().cloned());
    if format == Format::Markdown {
        markdown_exclusions(text, &mut excluded);
    }
    url_exclusions(text, &mut excluded);
    excluded.sort_by_key(|r| (r.start, r.end));
    let merged = merge(excluded);
    let masked = mask(text, &merged);
    Prose {
        masked,
        excluded: merged,
        comments,
    }
}

fn merge(ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        if r.start >= r.end {
            continue;
        }
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

fn mask(text: &str, excluded: &[Range<usize>]) -> String {
    if excluded.is_empty() {
        return text.to_string();
    }
    let mut bytes = text.as_bytes().to_vec();
    for r in excluded {
        let (start, end) = (r.start.min(bytes.len()), r.end.min(bytes.len()));
        for b in &mut bytes[start..end] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    // Every excluded range starts and ends on a character boundary (they come from a parser or
    // from ASCII delimiters), so replacing whole characters by spaces keeps the text valid UTF-8;
    // the lossy conversion is a guard, never expected to change anything.
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// `<!-- ... -->` comments (an unclosed one runs to the end).
pub fn html_comments(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&bytes[from..], b"<!--") {
        let start = from + i;
        let end = memchr::memmem::find(&bytes[start + 4..], b"-->")
            .map_or(text.len(), |j| start + 4 + j + 3);
        out.push(start..end);
        from = end;
    }
    out
}

fn markdown_exclusions(text: &str, out: &mut Vec<Range<usize>>) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    // (link range, ranges of its text children, whole-link exclusion)
    let mut links: Vec<(Range<usize>, Vec<Range<usize>>, bool)> = Vec::new();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_))
            | Event::Start(Tag::MetadataBlock(_))
            | Event::Start(Tag::HtmlBlock)
            | Event::Start(Tag::Image { .. }) => out.push(range),
            Event::Code(_)
            | Event::Html(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => out.push(range),
            Event::Start(Tag::Link { link_type, .. }) => {
                let whole = matches!(link_type, LinkType::Autolink | LinkType::Email);
                links.push((range, Vec::new(), whole));
            }
            Event::Text(_) | Event::SoftBreak | Event::HardBreak => {
                if let Some((_, children, _)) = links.last_mut() {
                    children.push(range);
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some((link, children, whole)) = links.pop() {
                    if whole || children.is_empty() {
                        out.push(link);
                    } else {
                        let first = children.iter().map(|r| r.start).min().unwrap_or(link.start);
                        let last = children.iter().map(|r| r.end).max().unwrap_or(link.end);
                        out.push(link.start..first);
                        out.push(last..link.end);
                    }
                    // the text of a nested link belongs to the outer one as well
                    if let Some((_, outer, _)) = links.last_mut() {
                        outer.extend(children);
                    }
                }
            }
            _ => {}
        }
    }
}

fn url_exclusions(text: &str, out: &mut Vec<Range<usize>>) {
    let mut finder = linkify::LinkFinder::new();
    finder.url_must_have_scheme(false);
    // A link kept below has "://", "www.", an "@" or a host ending in one of the TLDs, so it has a
    // ".", "@" or ":" followed by a letter, digit or "/"; and links do not cross lines. Only the
    // lines with one are scanned (a sentence's ". " or ".\n" does not count).
    let bytes = text.as_bytes();
    let mut line_start = 0;
    while line_start < bytes.len() {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i);
        let line = &bytes[line_start..line_end];
        let may_hold_link = memchr::memchr3_iter(b'.', b'@', b':', line).any(|i| {
            line.get(i + 1)
                .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'/')
        });
        if may_hold_link {
            let line_text = &text[line_start..line_end];
            for link in finder.links(line_text) {
                let s = link.as_str();
                // "e.g." or "S.aureus" are not links: require a scheme, "www." or an e-mail
                // address.
                let looks_like_link = s.contains("://")
                    || s.starts_with("www.")
                    || matches!(link.kind(), linkify::LinkKind::Email)
                    || looks_like_domain(s);
                if looks_like_link {
                    out.push(line_start + link.start()..line_start + link.end());
                }
            }
        }
        line_start = line_end + 1;
    }
}

/// "nationaleczema.org", "aad.org/public": a host with a common top-level domain.
fn looks_like_domain(s: &str) -> bool {
    const TLDS: &[&str] = &[
        "org", "com", "net", "gov", "edu", "int", "uk", "eu", "io", "info", "ca", "au", "de", "fr",
        "jp", "nz", "ie", "us",
    ];
    let host = s.split(['/', '?', '#']).next().unwrap_or("");
    let Some(tld) = host.rsplit('.').next() else {
        return false;
    };
    host.contains('.')
        && TLDS.contains(&tld.to_ascii_lowercase().as_str())
        && host.split('.').all(|p| !p.is_empty())
}

#[cfg(test)]
mod tests {
    /// The links of every line, found without the line filter of `url_exclusions`.
    fn all_links(text: &str) -> Vec<Range<usize>> {
        let mut finder = linkify::LinkFinder::new();
        finder.url_must_have_scheme(false);
        finder
            .links(text)
            .filter(|link| {
                let s = link.as_str();
                s.contains("://")
                    || s.starts_with("www.")
                    || matches!(link.kind(), linkify::LinkKind::Email)
                    || looks_like_domain(s)
            })
            .map(|link| link.start()..link.end())
            .collect()
    }

    #[test]
    fn the_line_filter_keeps_every_link() {
        let text = "See http://localhost/notes and https://aad.org/public.\nWrite to me@clinic.example.org.\nThe NEA (nationaleczema.org) helps. e.g. this, S.aureus and 0.5 mg are not links.\nwww.nhs.uk\nPlain sentence. Another one.\nftp://files.example.com/x\n";
        let mut filtered = Vec::new();
        url_exclusions(text, &mut filtered);
        assert_eq!(filtered, all_links(text));
        assert_eq!(filtered.len(), 6, "{filtered:?}");
    }

    use super::*;

    fn visible(text: &str, format: Format) -> String {
        prose(text, format)
            .masked
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn masks_code_and_link_targets() {
        let md = "Eczema `is autoimmune` text.\n\n```\nautoimmune\n```\n\nSee [the NEA](https://x.org/autoimmune) now.";
        let v = visible(md, Format::Markdown);
        assert_eq!(v, "Eczema text. See the NEA now.");
    }

    #[test]
    fn masks_front_matter_comments_and_bare_urls() {
        let md = "---\ntitle: autoimmune\n---\n\nText <!-- autoimmune --> at https://example.org/autoimmune and nationaleczema.org.";
        let v = visible(md, Format::Markdown);
        assert_eq!(v, "Text at and .");
    }

    #[test]
    fn keeps_offsets_and_lines() {
        let md = "a `b` c\nd";
        let p = prose(md, Format::Markdown);
        assert_eq!(p.masked.len(), md.len());
        assert_eq!(p.masked, "a     c\nd");
    }

    #[test]
    fn indented_code_is_masked() {
        let md = "Para.\n\n    eczema is autoimmune\n\nEnd.";
        assert_eq!(visible(md, Format::Markdown), "Para. End.");
    }

    #[test]
    fn plain_text_keeps_backticks_but_masks_urls() {
        let v = visible("See `x` at https://a.org/b.", Format::Plain);
        assert_eq!(v, "See `x` at .");
    }

    #[test]
    fn abbreviations_are_not_links() {
        let v = visible("S. aureus, e.g. on skin, i.e. here.", Format::Plain);
        assert_eq!(v, "S. aureus, e.g. on skin, i.e. here.");
    }
}
