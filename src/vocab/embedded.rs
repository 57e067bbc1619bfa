//! The vocabulary compiled into the binary (every `vocab/*.toml`, listed by `build.rs`).

use std::sync::LazyLock;

use super::{VocabError, VocabFile, Vocabulary, load};

include!(concat!(env!("OUT_DIR"), "/embedded_vocab.rs"));

/// The embedded files, as `(name, text)` pairs in name order.
pub fn files() -> Vec<VocabFile> {
    EMBEDDED_FILES
        .iter()
        .map(|(name, text)| VocabFile {
            name: (*name).to_string(),
            text: (*text).to_string(),
            user: false,
        })
        .collect()
}

static EMBEDDED: LazyLock<Result<Vocabulary, Vec<VocabError>>> = LazyLock::new(|| load(&files()));

/// The embedded vocabulary, loaded once. Its validity is checked by the test suite, so an error
/// here means a broken build; callers still get the errors rather than a panic.
pub fn vocabulary() -> Result<&'static Vocabulary, &'static [VocabError]> {
    match &*EMBEDDED {
        Ok(v) => Ok(v),
        Err(e) => Err(e),
    }
}
