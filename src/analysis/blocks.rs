//! The document read block by block (paragraphs, list items, headings, table rows), so that a
//! block's results can be kept and reused while the block is unchanged.
//!
//! Everything the rules find in a block depends on three things only: the block's text (original
//! and masked), which ambiguous abbreviations the document as a whole supports, and, for a table
//! row, the header of its table. A block is therefore read in two steps:
//!
//! 1. [`BlockText`], from the text alone: sentences, the raw term matches, the ambiguous entries
//!    whose other meaning the block names, the table cells, whether its first sentence takes back
//!    the sentence before;
//! 2. [`BlockFindings`], given the document-level context ([`ContextKey`]): the mentions that
//!    count and the findings.
//!
//! [`BlockCache`] keeps both steps of every block of the last version of a document, keyed by the
//! block's text. After an edit only the blocks whose text (or context) changed are read again;
//! the rest are shifted to their new offsets. A from-scratch analysis and an incremental one run
//! the same code, so they cannot disagree.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::matcher::Mention;
use crate::text::sentences::Sentence;
use crate::vocab::EntryId;

use super::finding::Finding;

/// A table row: its cells and what they say.
#[derive(Clone, Debug)]
pub(crate) struct TableRow {
    /// Cell ranges, relative to the block start.
    pub cells: Vec<Range<usize>>,
    /// Whether the row is the separator under the header (`|---|---|`).
    pub separator: bool,
    /// The cells' text, trimmed and lower-cased (a header row's column names).
    pub texts: Vec<String>,
}

/// What a block yields from its text alone (offsets relative to the block start).
#[derive(Clone, Debug)]
pub(crate) struct BlockText {
    /// The sentences (`block` is 0; the document index is set when the block is placed).
    pub sentences: Vec<Sentence>,
    /// The term matches before ambiguous abbreviations are resolved.
    pub raw: Vec<Mention>,
    /// Ambiguous entries whose other meaning has a word in this block: looked for only when the
    /// document has an ambiguous abbreviation, then kept.
    pub other_meaning: OnceLock<Vec<EntryId>>,
    /// The row, when the block is a table row.
    pub table: Option<TableRow>,
    /// Whether the first sentence takes back the sentence before it ("That is a myth.").
    pub first_refutes: bool,
}

impl BlockText {
    /// The ambiguous entries this block mentions, sorted and without repeats.
    pub fn ambiguous_entries(&self) -> Vec<EntryId> {
        let mut e: Vec<EntryId> = self
            .raw
            .iter()
            .filter(|m| m.is_ambiguous())
            .map(|m| m.entry)
            .collect();
        e.sort_unstable();
        e.dedup();
        e
    }
}

/// The document-level context a block's findings depend on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ContextKey {
    /// The ambiguous entries of the block that the document does not support.
    pub rejected: Vec<EntryId>,
    /// For a table data row: the header row's column names.
    pub headers: Option<Vec<String>>,
}

/// What the rules found in a block (offsets relative to the block start).
#[derive(Clone, Debug)]
pub(crate) struct BlockFindings {
    /// The context it was computed in.
    pub key: ContextKey,
    /// The mentions that count: supported, and each inside one sentence.
    pub mentions: Vec<Mention>,
    /// The findings, before in-file switches, severities and the next block's refutation.
    pub findings: Vec<Finding>,
    /// `findings[last_sentence_from..]` come from the block's last sentence (the one the next
    /// block's first sentence can take back).
    pub last_sentence_from: usize,
}

/// One block as kept in the cache.
#[derive(Clone, Debug)]
pub(crate) struct CachedBlock {
    text: Arc<str>,
    masked: Arc<str>,
    /// Step 1.
    pub read: Arc<BlockText>,
    /// Step 2, in the context it was computed in.
    pub found: Arc<BlockFindings>,
}

/// The blocks of the last analysed version of one document, for reuse after an edit.
///
/// The cache belongs to one analyzer and one set of enabled rules: analysing with another clears
/// it. It holds only the blocks of the last version (each analysis replaces it), so it never
/// grows past one copy of the document's text and results.
#[derive(Debug, Default)]
pub struct BlockCache {
    owner: Option<Owner>,
    blocks: HashMap<u64, Vec<CachedBlock>>,
    /// Blocks read again (not found in the cache) by the last analysis.
    pub last_misses: usize,
    /// Blocks reused by the last analysis.
    pub last_hits: usize,
}

/// What a cache's contents were computed with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Owner {
    /// The analyzer's id (a new vocabulary is a new analyzer).
    pub analyzer: u64,
    /// The enabled rules.
    pub enabled: Vec<bool>,
}

/// The cache key of a block: a hash of its original text only (a fast, non-cryptographic one:
/// a hit is confirmed by comparing both texts, so a collision costs a comparison, never a wrong
/// result). The masked text follows from the original and the document's Markdown structure.
pub(crate) fn text_hash(text: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    text.hash(&mut h);
    h.finish()
}

impl BlockCache {
    /// An empty cache.
    pub fn new() -> BlockCache {
        BlockCache::default()
    }

    /// Number of blocks held.
    pub fn len(&self) -> usize {
        self.blocks.values().map(Vec::len).sum()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// Makes the cache belong to `owner`, dropping what another owner left.
    pub(crate) fn claim(&mut self, owner: Owner) {
        if self.owner.as_ref() != Some(&owner) {
            self.blocks.clear();
            self.owner = Some(owner);
        }
    }

    /// The kept block with this text, if any.
    pub(crate) fn get(&self, hash: u64, text: &str, masked: &str) -> Option<&CachedBlock> {
        self.blocks
            .get(&hash)?
            .iter()
            .find(|b| &*b.text == text && &*b.masked == masked)
    }

    /// Replaces the contents with the blocks of a new version.
    pub(crate) fn replace(&mut self, blocks: HashMap<u64, Vec<CachedBlock>>) {
        self.blocks = blocks;
    }
}

/// Collects the blocks of the version being analysed (the next contents of the cache).
#[derive(Default)]
pub(crate) struct NextBlocks {
    pub blocks: HashMap<u64, Vec<CachedBlock>>,
}

impl NextBlocks {
    /// Keeps a block for the next version (once per distinct text and context). `reused` is the
    /// cached block it was found as, whose copies of the text are shared rather than made again.
    pub fn keep(
        &mut self,
        hash: u64,
        (text, masked): (&str, &str),
        reused: Option<&CachedBlock>,
        read: &Arc<BlockText>,
        found: &Arc<BlockFindings>,
    ) {
        let list = self.blocks.entry(hash).or_default();
        if list
            .iter()
            .any(|b| &*b.text == text && &*b.masked == masked && b.found.key == found.key)
        {
            return;
        }
        let (text, masked) = match reused {
            Some(b) => (Arc::clone(&b.text), Arc::clone(&b.masked)),
            None => (Arc::from(text), Arc::from(masked)),
        };
        list.push(CachedBlock {
            text,
            masked,
            read: Arc::clone(read),
            found: Arc::clone(found),
        });
    }
}

/// Moves a range by `by` bytes.
pub(crate) fn shifted(r: &Range<usize>, by: usize) -> Range<usize> {
    r.start + by..r.end + by
}

/// Moves a range back by `by` bytes (from document to block offsets).
pub(crate) fn unshifted(r: &Range<usize>, by: usize) -> Range<usize> {
    r.start.saturating_sub(by)..r.end.saturating_sub(by)
}
