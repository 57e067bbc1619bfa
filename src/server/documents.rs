//! The open documents: text in a rope, the version, the language, and the analysis of the current
//! version (computed once, on first use, and shared by every request and the diagnostics).
//!
//! The store is changed only by `didOpen` / `didChange` / `didClose`, which the ordering layer
//! ([`super::ordered`]) applies synchronously in wire order. Readers take a [`Snapshot`]: a rope
//! clone (O(1)), the version, and a handle on that version's analysis cell.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use ropey::Rope;
use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

use super::position::{ChangeOutcome, Encoding, apply_change};
use super::settings::Settings;
use crate::analysis::{Analysis, Analyzer, BlockCache};
use crate::complete::CompletionIndex;
use crate::text::prose::Format;
use crate::vocab::Vocabulary;

/// Documents larger than this many bytes are not analysed (no diagnostics, hover, highlights,
/// code actions or inlay hints; completion, which reads only the text before the cursor, still
/// works). The server says so once per document, with a `window/showMessage`.
///
/// Chosen from a measurement on the 2-core development machine: release build, the sample
/// patient-education draft repeated to size, time from `didOpen` to its `publishDiagnostics` (one
/// full analysis plus conversion), best of 3, and the server's peak RSS:
///
/// | size   | open → diagnostics | peak RSS |
/// |--------|--------------------|----------|
/// | 0.1 MB | 30 ms              | 16 MB    |
/// | 1 MB   | 300 ms             | 33 MB    |
/// | 2 MB   | 550 ms             | 75 MB    |
/// | 4 MB   | 1,150 ms           | 107 MB   |
///
/// (With the core as of this writing, whose `View::in_compound` lower-cases the whole text before
/// each mention, 1 MB took 6.5 s and 2 MB 27 s; the figures above are with that made linear.)
/// Past 2 MiB a re-check after each edit takes over half a second and memory passes 60 MB, so
/// the cap is 2 MiB: twice the largest note the budgets plan for (1 MB).
pub const MAX_DOCUMENT_BYTES: usize = 2 * 1024 * 1024;

/// The vocabulary, matcher and completion index in use: replaced as a whole on reload.
///
/// The matcher and the completion index can be built on a thread of their own
/// ([`Engine::build_in_background`]), so that `initialize` answers at once; whatever needs them
/// first waits for the build (the first analysis, usually), and nothing else does.
#[derive(Clone, Debug)]
pub struct Engine {
    vocab: Arc<Vocabulary>,
    parts: Arc<OnceLock<EngineParts>>,
}

#[derive(Debug)]
struct EngineParts {
    analyzer: Analyzer,
    index: CompletionIndex,
}

impl EngineParts {
    fn build(vocab: Arc<Vocabulary>) -> EngineParts {
        let analyzer = Analyzer::new(vocab);
        let index = CompletionIndex::new(analyzer.vocab());
        EngineParts { analyzer, index }
    }
}

impl Engine {
    /// An engine around an analyzer that is already built.
    pub fn new(analyzer: Analyzer) -> Engine {
        let index = CompletionIndex::new(analyzer.vocab());
        let vocab = analyzer.vocab_arc();
        let parts = OnceLock::new();
        let _ = parts.set(EngineParts { analyzer, index });
        Engine {
            vocab,
            parts: Arc::new(parts),
        }
    }

    /// An engine whose matcher and completion index are built on a new thread. If the thread
    /// cannot start or its build fails, the first caller that needs them builds them.
    pub fn build_in_background(vocab: Arc<Vocabulary>) -> Engine {
        let parts: Arc<OnceLock<EngineParts>> = Arc::new(OnceLock::new());
        let (for_thread, vocab_for_thread) = (Arc::clone(&parts), Arc::clone(&vocab));
        let started = std::thread::Builder::new()
            .name("immuno-ls-engine".to_string())
            .spawn(move || {
                for_thread.get_or_init(|| EngineParts::build(vocab_for_thread));
            });
        if let Err(e) = started {
            tracing::warn!(error = %e, "cannot start the engine thread; building on first use");
        }
        Engine { vocab, parts }
    }

    fn parts(&self) -> &EngineParts {
        self.parts
            .get_or_init(|| EngineParts::build(Arc::clone(&self.vocab)))
    }

    /// The vocabulary (available at once).
    pub fn vocab(&self) -> &Vocabulary {
        &self.vocab
    }

    /// The analyzer (waits for the build).
    pub fn analyzer(&self) -> &Analyzer {
        &self.parts().analyzer
    }

    /// The completion index (waits for the build).
    pub fn index(&self) -> &CompletionIndex {
        &self.parts().index
    }
}

/// Why a document has no analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skipped {
    /// Its language id is not one of the configured ones.
    Language,
    /// It is larger than [`MAX_DOCUMENT_BYTES`].
    TooLarge,
}

/// The analysis of one document version.
#[derive(Debug)]
pub struct Analyzed {
    /// The text of that version.
    pub text: String,
    /// The analysis, or why there is none.
    pub analysis: Result<Analysis, Skipped>,
}

/// A lazily computed [`Analyzed`] for one (version, configuration) pair.
#[derive(Debug, Default)]
pub struct AnalysisCell(OnceLock<Arc<Analyzed>>);

/// One open document.
#[derive(Debug)]
struct Document {
    rope: Rope,
    version: i32,
    language_id: String,
    cell: Arc<AnalysisCell>,
    /// A version went backwards: publish nothing until the next `didOpen`.
    desynced: bool,
    /// The "too large" message was shown.
    told_too_large: bool,
    /// The blocks of the last analysed version, reused by the next analysis.
    blocks: Arc<Mutex<BlockCache>>,
}

/// What readers see of a document at one moment.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The document's URI (as sent by the client).
    pub uri: String,
    /// The text.
    pub rope: Rope,
    /// Its version.
    pub version: i32,
    /// The language id.
    pub language_id: String,
    /// Whether the version went backwards (nothing is published then).
    pub desynced: bool,
    /// The configuration generation the snapshot was taken under.
    pub generation: u64,
    /// The engine of that generation.
    pub engine: Arc<Engine>,
    /// The settings of that generation.
    pub settings: Arc<Settings>,
    cell: Arc<AnalysisCell>,
    blocks: Arc<Mutex<BlockCache>>,
}

impl Snapshot {
    /// The analysis of this version (computed on first use, then shared).
    pub fn analyzed(&self) -> Arc<Analyzed> {
        Arc::clone(self.cell.0.get_or_init(|| Arc::new(self.compute())))
    }

    /// The analysis if it was already computed.
    pub fn analyzed_if_ready(&self) -> Option<Arc<Analyzed>> {
        self.cell.0.get().cloned()
    }

    fn compute(&self) -> Analyzed {
        let text = self.rope.to_string();
        let analysis = if !self.settings.analyses_language(&self.language_id) {
            Err(Skipped::Language)
        } else if text.len() > MAX_DOCUMENT_BYTES {
            Err(Skipped::TooLarge)
        } else {
            let format = Format::from_hint(&self.language_id);
            let analyzer = self.engine.analyzer();
            // one analysis of the document at a time uses its blocks; a panic in one leaves a
            // cache that may be half replaced, so it is emptied
            let mut blocks = self.blocks.lock().unwrap_or_else(|poisoned| {
                let mut c = poisoned.into_inner();
                *c = BlockCache::new();
                c
            });
            Ok(analyzer.analyze_incremental(&text, format, &self.settings.rules, &mut blocks))
        };
        Analyzed { text, analysis }
    }

    /// Whether the document is over the size cap (known without analysing it).
    pub fn too_large(&self) -> bool {
        self.rope.len_bytes() > MAX_DOCUMENT_BYTES
    }
}

/// What a `didChange` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeResult {
    /// Applied.
    Applied,
    /// Applied, but a range was inverted (put in order).
    AppliedWithInvertedRange,
    /// The document is not open.
    NotOpen,
    /// The version did not increase: applied, and the document is marked out of sync.
    VersionRegressed,
}

#[derive(Debug)]
struct Inner {
    docs: HashMap<String, Document>,
    generation: u64,
    engine: Arc<Engine>,
    settings: Arc<Settings>,
}

/// The document store together with the engine and settings, behind one lock so that a snapshot
/// is consistent.
#[derive(Debug)]
pub struct Store {
    inner: Mutex<Inner>,
}

impl Store {
    /// An empty store.
    pub fn new(engine: Arc<Engine>, settings: Arc<Settings>) -> Store {
        Store {
            inner: Mutex::new(Inner {
                docs: HashMap::new(),
                generation: 0,
                engine,
                settings,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data behind: keep serving.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Opens (or re-opens) a document.
    pub fn open(&self, uri: String, text: &str, version: i32, language_id: String) {
        let doc = Document {
            rope: Rope::from_str(text),
            version,
            language_id,
            cell: Arc::default(),
            desynced: false,
            told_too_large: false,
            blocks: Arc::default(),
        };
        self.lock().docs.insert(uri, doc);
    }

    /// Applies the changes of one `didChange`, in order.
    pub fn change(
        &self,
        uri: &str,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        enc: Encoding,
    ) -> ChangeResult {
        let mut inner = self.lock();
        let Some(doc) = inner.docs.get_mut(uri) else {
            return ChangeResult::NotOpen;
        };
        let mut inverted = false;
        for change in changes {
            if apply_change(&mut doc.rope, change, enc) == ChangeOutcome::Inverted {
                inverted = true;
            }
        }
        let regressed = version <= doc.version;
        doc.version = version;
        doc.cell = Arc::default();
        if regressed {
            doc.desynced = true;
            ChangeResult::VersionRegressed
        } else if inverted {
            ChangeResult::AppliedWithInvertedRange
        } else {
            ChangeResult::Applied
        }
    }

    /// Closes a document; whether it was open.
    pub fn close(&self, uri: &str) -> bool {
        self.lock().docs.remove(uri).is_some()
    }

    /// A snapshot of a document.
    pub fn snapshot(&self, uri: &str) -> Option<Snapshot> {
        let inner = self.lock();
        let doc = inner.docs.get(uri)?;
        Some(Snapshot {
            uri: uri.to_string(),
            rope: doc.rope.clone(),
            version: doc.version,
            language_id: doc.language_id.clone(),
            desynced: doc.desynced,
            generation: inner.generation,
            engine: Arc::clone(&inner.engine),
            settings: Arc::clone(&inner.settings),
            cell: Arc::clone(&doc.cell),
            blocks: Arc::clone(&doc.blocks),
        })
    }

    /// The current version of a document.
    pub fn version(&self, uri: &str) -> Option<i32> {
        self.lock().docs.get(uri).map(|d| d.version)
    }

    /// The URIs of the open documents.
    pub fn uris(&self) -> Vec<String> {
        let mut v: Vec<String> = self.lock().docs.keys().cloned().collect();
        v.sort();
        v
    }

    /// The engine and settings in use.
    pub fn current(&self) -> (Arc<Engine>, Arc<Settings>) {
        let inner = self.lock();
        (Arc::clone(&inner.engine), Arc::clone(&inner.settings))
    }

    /// Replaces the engine and/or settings; every document's analysis is recomputed on next use.
    pub fn reconfigure(&self, engine: Option<Arc<Engine>>, settings: Option<Arc<Settings>>) {
        let mut inner = self.lock();
        if let Some(e) = engine {
            inner.engine = e;
        }
        if let Some(s) = settings {
            inner.settings = s;
        }
        inner.generation += 1;
        for doc in inner.docs.values_mut() {
            doc.cell = Arc::default();
        }
    }

    /// Marks that the "too large" message was shown for a document; `true` the first time.
    pub fn first_too_large_notice(&self, uri: &str) -> bool {
        let mut inner = self.lock();
        match inner.docs.get_mut(uri) {
            Some(doc) if !doc.told_too_large => {
                doc.told_too_large = true;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn store() -> Store {
        let analyzer = Analyzer::embedded().unwrap_or_else(|e| panic!("{e:?}"));
        Store::new(
            Arc::new(Engine::new(analyzer)),
            Arc::new(Settings::default()),
        )
    }

    fn insert(line: u32, character: u32, text: &str) -> TextDocumentContentChangeEvent {
        let p = Position::new(line, character);
        TextDocumentContentChangeEvent {
            range: Some(Range::new(p, p)),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn snapshots_are_isolated_from_later_edits() {
        let s = store();
        s.open("file:///a.md".into(), "Dupilumab", 1, "markdown".into());
        let before = s.snapshot("file:///a.md").unwrap_or_else(|| panic!("open"));
        assert_eq!(
            s.change(
                "file:///a.md",
                2,
                &[insert(0, 9, " works")],
                Encoding::Utf16
            ),
            ChangeResult::Applied
        );
        assert_eq!(before.rope.to_string(), "Dupilumab");
        assert_eq!(before.version, 1);
        let after = s.snapshot("file:///a.md").unwrap_or_else(|| panic!("open"));
        assert_eq!(after.rope.to_string(), "Dupilumab works");
        assert_eq!(after.version, 2);
        assert!(
            after
                .analyzed()
                .analysis
                .as_ref()
                .is_ok_and(|a| a.mentions.len() == 1)
        );
    }

    #[test]
    fn version_regression_marks_desynced() {
        let s = store();
        s.open("u".into(), "x", 5, "markdown".into());
        assert_eq!(
            s.change("u", 5, &[insert(0, 1, "y")], Encoding::Utf16),
            ChangeResult::VersionRegressed
        );
        assert!(s.snapshot("u").is_some_and(|d| d.desynced));
        assert_eq!(
            s.change("nope", 1, &[], Encoding::Utf16),
            ChangeResult::NotOpen
        );
        s.open("u".into(), "x", 1, "markdown".into());
        assert!(s.snapshot("u").is_some_and(|d| !d.desynced));
    }

    #[test]
    fn other_languages_are_not_analysed() {
        let s = store();
        s.open("u".into(), "dupilumab", 1, "rust".into());
        let snap = s.snapshot("u").unwrap_or_else(|| panic!("open"));
        assert!(matches!(snap.analyzed().analysis, Err(Skipped::Language)));
    }
}
