//! The vocabulary file format as written on disk (TOML), with the byte span of every value that can be
//! wrong, so that errors can name a line and column.

use serde::Deserialize;
use toml::Spanned;

/// One vocabulary file: a list of `[[entry]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    #[serde(default)]
    pub entry: Vec<Spanned<RawEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSource {
    pub title: Spanned<String>,
    pub url: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEntry {
    pub id: Spanned<String>,
    pub kind: Spanned<String>,
    pub name: Spanned<String>,
    #[serde(default)]
    pub synonyms: Vec<Spanned<String>>,
    #[serde(default)]
    pub abbreviations: Vec<Spanned<String>>,
    #[serde(default)]
    pub ambiguous: Vec<Spanned<String>>,
    #[serde(default)]
    pub ambiguous_with: Vec<String>,
    pub definition: Spanned<String>,
    #[serde(default)]
    pub related: Vec<Spanned<String>>,
    pub sources: Option<Spanned<Vec<RawSource>>>,
    pub receptor: Option<RawReceptor>,
    pub drug: Option<Spanned<RawDrug>>,
    pub class: Option<RawClass>,
    pub condition: Option<RawCondition>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReceptor {
    #[serde(default)]
    pub ligands: Vec<Spanned<String>>,
    #[serde(default)]
    pub part_of: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBrand {
    pub name: Spanned<String>,
    #[serde(default)]
    pub regions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawApproval {
    pub agency: String,
    pub indication: Spanned<String>,
    #[serde(default)]
    pub population: String,
    pub date: Spanned<String>,
    pub note: Option<String>,
    pub source: RawSource,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDrug {
    #[serde(default)]
    pub modality: String,
    #[serde(default)]
    pub classes: Vec<Spanned<String>>,
    #[serde(default)]
    pub targets: Vec<Spanned<String>>,
    #[serde(default)]
    pub blocks_signalling_of: Vec<Spanned<String>>,
    #[serde(default)]
    pub route: Vec<String>,
    pub status: Option<Spanned<String>>,
    #[serde(default)]
    pub brands: Vec<RawBrand>,
    #[serde(default)]
    pub approvals: Vec<RawApproval>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawClass {
    #[serde(default)]
    pub broader: Vec<Spanned<String>>,
    #[serde(default = "default_true")]
    pub checkable: bool,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCondition {
    pub autoimmune: Option<bool>,
    pub contagious: Option<bool>,
    pub autoimmune_source: Option<RawSource>,
    pub contagious_source: Option<RawSource>,
}
