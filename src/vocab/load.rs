//! Reading vocabulary files: TOML parsing, validation of every field and reference, and error
//! reports that name the file, line and column.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use toml::Spanned;

use super::model::{
    Approval, Brand, ClassFacts, ConditionFacts, DrugFacts, Entry, EntryId, Kind, ReceptorFacts,
    Source, Vocabulary,
};
use super::raw::{RawEntry, RawFile, RawSource};

/// A vocabulary file's name (as shown in errors) and text.
#[derive(Clone, Debug)]
pub struct VocabFile {
    /// Path or name shown in error messages.
    pub name: String,
    /// The TOML text.
    pub text: String,
    /// Whether the file comes from the user (user entries may replace embedded ones by id).
    pub user: bool,
}

/// A problem in a vocabulary file, with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VocabError {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte range in the file.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for VocabError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl std::error::Error for VocabError {}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

struct ErrorSink<'a> {
    file: &'a VocabFile,
    errors: Vec<VocabError>,
}

impl ErrorSink<'_> {
    fn push(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, column) = line_col(&self.file.text, span.start);
        self.errors.push(VocabError {
            file: self.file.name.clone(),
            line,
            column,
            span,
            message: message.into(),
        });
    }
}

/// One entry after parsing, before ids are resolved.
struct Parsed<'a> {
    raw: RawEntry,
    span: Range<usize>,
    file: &'a VocabFile,
}

/// Loads and validates files into one vocabulary. Every problem of every file is reported; the
/// vocabulary is returned only when there is none.
pub fn load(files: &[VocabFile]) -> Result<Vocabulary, Vec<VocabError>> {
    let mut errors = Vec::new();
    let mut parsed: Vec<Parsed> = Vec::new();
    for file in files {
        match toml::from_str::<RawFile>(&file.text) {
            Ok(raw) => parsed.extend(raw.entry.into_iter().map(|e| {
                let span = e.span();
                Parsed {
                    raw: e.into_inner(),
                    span,
                    file,
                }
            })),
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let mut sink = ErrorSink {
                    file,
                    errors: Vec::new(),
                };
                sink.push(span, e.message().trim().to_string());
                errors.extend(sink.errors);
            }
        }
    }

    // Ids: unique within a layer; a user entry replaces an embedded one.
    let mut winners: HashMap<String, usize> = HashMap::new();
    for (i, p) in parsed.iter().enumerate() {
        let id = p.raw.id.get_ref().clone();
        if let Some(&prev) = winners.get(&id) {
            let earlier = &parsed[prev];
            if earlier.file.user == p.file.user {
                let (line, col) = line_col(&earlier.file.text, earlier.raw.id.span().start);
                let mut sink = ErrorSink {
                    file: p.file,
                    errors: Vec::new(),
                };
                sink.push(
                    p.raw.id.span(),
                    format!(
                        "duplicate id \"{id}\" (first defined at {}:{line}:{col})",
                        earlier.file.name
                    ),
                );
                errors.extend(sink.errors);
                continue;
            }
        }
        winners.insert(id, i);
    }
    let mut kept: Vec<usize> = winners.values().copied().collect();
    kept.sort_unstable();
    let ids: HashMap<String, EntryId> = kept
        .iter()
        .enumerate()
        .map(|(n, &i)| (parsed[i].raw.id.get_ref().clone(), EntryId(n as u32)))
        .collect();
    let kinds: HashMap<String, Option<Kind>> = kept
        .iter()
        .map(|&i| {
            let r = &parsed[i].raw;
            (r.id.get_ref().clone(), Kind::parse(r.kind.get_ref()))
        })
        .collect();

    let mut entries = Vec::with_capacity(kept.len());
    for &i in &kept {
        let p = &parsed[i];
        let mut sink = ErrorSink {
            file: p.file,
            errors: Vec::new(),
        };
        let entry = convert(p, &ids, &kinds, &mut sink);
        errors.extend(sink.errors);
        entries.push(entry);
    }
    check_form_conflicts(&parsed, &kept, &mut errors);

    if errors.is_empty() {
        Ok(Vocabulary::from_entries(entries))
    } else {
        errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        errors.dedup();
        Err(errors)
    }
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_valid_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let in_range =
        |s: &str, lo: u32, hi: u32| s.parse::<u32>().is_ok_and(|v| (lo..=hi).contains(&v));
    match parts.as_slice() {
        [y, m] => digits(y, 4) && digits(m, 2) && in_range(m, 1, 12),
        [y, m, d] => {
            digits(y, 4) && digits(m, 2) && digits(d, 2) && in_range(m, 1, 12) && in_range(d, 1, 31)
        }
        _ => false,
    }
}

/// Resolves a list of id references, reporting unknown ids and ids of the wrong kind.
fn resolve(
    refs: &[Spanned<String>],
    what: &str,
    allowed: &[Kind],
    ids: &HashMap<String, EntryId>,
    kinds: &HashMap<String, Option<Kind>>,
    sink: &mut ErrorSink,
) -> Vec<EntryId> {
    let mut out = Vec::new();
    for r in refs {
        match ids.get(r.get_ref()) {
            None => sink.push(
                r.span(),
                format!(
                    "{what} refers to \"{}\", which is not an entry id",
                    r.get_ref()
                ),
            ),
            Some(&id) => {
                let kind = kinds.get(r.get_ref()).copied().flatten();
                if let Some(kind) = kind
                    && !allowed.is_empty()
                    && !allowed.contains(&kind)
                {
                    let names: Vec<&str> = allowed.iter().map(|k| k.as_str()).collect();
                    sink.push(
                        r.span(),
                        format!(
                            "{what} refers to \"{}\", a {}; expected {}",
                            r.get_ref(),
                            kind.as_str(),
                            names.join(" or ")
                        ),
                    );
                } else if !out.contains(&id) {
                    out.push(id);
                }
            }
        }
    }
    out
}

fn source(raw: &RawSource, sink: &mut ErrorSink) -> Source {
    if raw.title.get_ref().trim().is_empty() {
        sink.push(raw.title.span(), "a source needs a title");
    }
    let url = raw.url.get_ref().trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        sink.push(
            raw.url.span(),
            "a source URL must start with https:// or http://",
        );
    }
    Source {
        title: raw.title.get_ref().trim().to_string(),
        url: url.to_string(),
    }
}

fn text_forms(list: &[Spanned<String>], what: &str, sink: &mut ErrorSink) -> Vec<String> {
    let mut out = Vec::new();
    for f in list {
        let t = f.get_ref().trim();
        if t.is_empty() {
            sink.push(f.span(), format!("empty {what}"));
        } else if !t.chars().any(char::is_alphanumeric) {
            sink.push(f.span(), format!("{what} \"{t}\" has no letter or digit"));
        } else {
            out.push(t.to_string());
        }
    }
    out
}

const TARGET_KINDS: &[Kind] = &[
    Kind::Cytokine,
    Kind::Receptor,
    Kind::Enzyme,
    Kind::Protein,
    Kind::Gene,
    Kind::Pathway,
];

fn convert(
    p: &Parsed,
    ids: &HashMap<String, EntryId>,
    kinds: &HashMap<String, Option<Kind>>,
    sink: &mut ErrorSink,
) -> Entry {
    let raw = &p.raw;
    let id = raw.id.get_ref().clone();
    if !is_valid_id(&id) {
        sink.push(
            raw.id.span(),
            format!("id \"{id}\" must be lowercase ASCII letters, digits and single hyphens"),
        );
    }
    let kind = match Kind::parse(raw.kind.get_ref()) {
        Some(k) => k,
        None => {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
            sink.push(
                raw.kind.span(),
                format!(
                    "unknown kind \"{}\"; expected one of {}",
                    raw.kind.get_ref(),
                    names.join(", ")
                ),
            );
            Kind::Concept
        }
    };
    let name = raw.name.get_ref().trim().to_string();
    if name.is_empty() {
        sink.push(raw.name.span(), "empty name");
    }
    let definition = raw
        .definition
        .get_ref()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if definition.is_empty() {
        sink.push(raw.definition.span(), "empty definition");
    }
    let raw_sources: &[RawSource] = raw.sources.as_ref().map_or(&[], |s| s.get_ref().as_slice());
    if raw_sources.is_empty() {
        let span = raw
            .sources
            .as_ref()
            .map_or_else(|| raw.id.span(), |s| s.span());
        sink.push(
            span,
            format!("entry \"{id}\" has no source: every entry needs at least one"),
        );
    }
    let sources = raw_sources.iter().map(|s| source(s, sink)).collect();
    let related = resolve(&raw.related, "related", &[], ids, kinds, sink);

    let receptor = raw.receptor.as_ref().map(|r| ReceptorFacts {
        ligands: resolve(&r.ligands, "ligands", &[], ids, kinds, sink),
        part_of: resolve(&r.part_of, "part_of", &[Kind::Receptor], ids, kinds, sink),
    });
    if receptor.is_some() && kind != Kind::Receptor {
        sink.push(
            raw.id.span(),
            "a [entry.receptor] table belongs only to kind \"receptor\"",
        );
    }
    let class = raw.class.as_ref().map(|c| ClassFacts {
        broader: resolve(&c.broader, "broader", &[Kind::DrugClass], ids, kinds, sink),
        checkable: c.checkable,
    });
    if class.is_some() && kind != Kind::DrugClass {
        sink.push(
            raw.id.span(),
            "a [entry.class] table belongs only to kind \"drug-class\"",
        );
    }
    let condition = raw.condition.as_ref().map(|c| ConditionFacts {
        autoimmune: c.autoimmune,
        contagious: c.contagious,
        autoimmune_source: c.autoimmune_source.as_ref().map(|s| source(s, sink)),
        contagious_source: c.contagious_source.as_ref().map(|s| source(s, sink)),
    });
    if condition.is_some() && kind != Kind::Condition {
        sink.push(
            raw.id.span(),
            "a [entry.condition] table belongs only to kind \"condition\"",
        );
    }
    let drug = raw.drug.as_ref().map(|d| {
        let d_span = d.span();
        let d = d.get_ref();
        if kind != Kind::Drug {
            sink.push(d_span.clone(), "a [entry.drug] table belongs only to kind \"drug\"");
        }
        let status = d.status.as_ref().map(|s| {
            let v = s.get_ref().trim().to_string();
            if !["approved", "investigational", "withdrawn", "discontinued"].contains(&v.as_str()) {
                sink.push(
                    s.span(),
                    format!(
                        "status \"{v}\" must be approved, investigational, withdrawn or discontinued"
                    ),
                );
            }
            v
        });
        let approvals = d
            .approvals
            .iter()
            .filter_map(|a| {
                if !is_valid_date(a.date.get_ref()) {
                    sink.push(
                        a.date.span(),
                        format!("approval date \"{}\" must be YYYY-MM-DD or YYYY-MM", a.date.get_ref()),
                    );
                }
                let indication = resolve(
                    std::slice::from_ref(&a.indication),
                    "indication",
                    &[Kind::Condition],
                    ids,
                    kinds,
                    sink,
                );
                let source = source(&a.source, sink);
                indication.first().map(|&indication| Approval {
                    agency: a.agency.trim().to_string(),
                    indication,
                    population: a.population.trim().to_string(),
                    date: a.date.get_ref().trim().to_string(),
                    note: a.note.clone(),
                    source,
                })
            })
            .collect();
        DrugFacts {
            modality: d.modality.trim().to_string(),
            classes: resolve(&d.classes, "classes", &[Kind::DrugClass], ids, kinds, sink),
            targets: resolve(&d.targets, "targets", TARGET_KINDS, ids, kinds, sink),
            blocks_signalling_of: resolve(
                &d.blocks_signalling_of,
                "blocks_signalling_of",
                TARGET_KINDS,
                ids,
                kinds,
                sink,
            ),
            route: d.route.clone(),
            status,
            brands: d
                .brands
                .iter()
                .map(|b| Brand {
                    name: b.name.get_ref().trim().to_string(),
                    regions: b.regions.clone(),
                })
                .collect(),
            approvals,
        }
    });
    if drug.is_none() && kind == Kind::Drug {
        sink.push(
            p.span.start..p.span.start,
            format!("drug \"{id}\" needs an [entry.drug] table"),
        );
    }
    if class.is_none() && kind == Kind::DrugClass {
        sink.push(
            p.span.start..p.span.start,
            format!("drug class \"{id}\" needs an [entry.class] table"),
        );
    }

    Entry {
        id,
        kind,
        name,
        synonyms: text_forms(&raw.synonyms, "synonym", sink),
        abbreviations: text_forms(&raw.abbreviations, "abbreviation", sink),
        ambiguous: text_forms(&raw.ambiguous, "ambiguous form", sink),
        ambiguous_with: raw.ambiguous_with.clone(),
        definition,
        related,
        sources,
        receptor,
        drug,
        class,
        condition,
        origin: p.file.name.clone(),
    }
}

/// Two entries may not write the same surface form (ignoring case, unless both are exact-case
/// abbreviations that differ in case, like "IgA" and "IGA").
fn check_form_conflicts(parsed: &[Parsed], kept: &[usize], errors: &mut Vec<VocabError>) {
    struct Seen<'a> {
        id: &'a str,
        exact: &'a str,
        case_sensitive: bool,
        file: &'a VocabFile,
        span: Range<usize>,
    }
    let mut seen: HashMap<String, Vec<Seen>> = HashMap::new();
    for &i in kept {
        let p = &parsed[i];
        let r = &p.raw;
        let mut forms: Vec<(&Spanned<String>, bool)> = vec![(&r.name, false)];
        forms.extend(r.synonyms.iter().map(|f| (f, false)));
        forms.extend(r.abbreviations.iter().map(|f| (f, true)));
        forms.extend(r.ambiguous.iter().map(|f| (f, true)));
        if let Some(d) = &r.drug {
            forms.extend(d.get_ref().brands.iter().map(|b| (&b.name, false)));
        }
        for (form, case_sensitive) in forms {
            let exact = form.get_ref().trim();
            let key = crate::text::normalize::fold_key(exact);
            let list = seen.entry(key).or_default();
            for other in list.iter() {
                if other.id == r.id.get_ref() {
                    continue;
                }
                let clash = !(case_sensitive && other.case_sensitive) || other.exact == exact;
                if clash {
                    let (line, col) = line_col(&other.file.text, other.span.start);
                    let mut sink = ErrorSink {
                        file: p.file,
                        errors: Vec::new(),
                    };
                    sink.push(
                        form.span(),
                        format!(
                            "surface form \"{exact}\" of \"{}\" is also a form of \"{}\" ({}:{line}:{col}); a form may name only one entry",
                            r.id.get_ref(),
                            other.id,
                            other.file.name
                        ),
                    );
                    errors.extend(sink.errors);
                    break;
                }
            }
            list.push(Seen {
                id: r.id.get_ref(),
                exact,
                case_sensitive,
                file: p.file,
                span: form.span(),
            });
        }
    }
}
