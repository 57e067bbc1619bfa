//! Test-only requests, answered only when the `debug` hook is on (see [`super::state::Hooks`]):
//!
//! - `immunoLs/debugText` `{textDocument: {uri}}` gives `{version, length, hash}` of the text the
//!   server holds (FNV-1a 64 of the UTF-8 bytes, 16 hex digits), never the text itself. The
//!   ordering test uses it to check that every read sees exactly the edits sent before it.
//! - `immunoLs/debugPanic` panics inside a handler, to test that the server survives it.

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::TextDocumentIdentifier;

use super::backend::Backend;
use super::ordered::request_snapshot;

/// Params of `immunoLs/debugText`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DebugTextParams {
    /// The document.
    pub text_document: TextDocumentIdentifier,
}

/// Result of `immunoLs/debugText`.
#[derive(Debug, Serialize)]
pub struct DebugText {
    /// The version the server holds.
    pub version: i32,
    /// Length in bytes.
    pub length: usize,
    /// FNV-1a 64 of the bytes, as 16 lower-case hex digits.
    pub hash: String,
}

/// FNV-1a 64 of some bytes.
pub fn fnv1a64(chunks: impl IntoIterator<Item = impl AsRef<[u8]>>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for chunk in chunks {
        for &b in chunk.as_ref() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

impl Backend {
    /// `immunoLs/debugText`.
    pub async fn debug_text(&self, params: DebugTextParams) -> Result<Option<DebugText>> {
        if !self.state.hooks.debug {
            return Err(Error::method_not_found());
        }
        let Some(s) = request_snapshot(&self.state, params.text_document.uri.as_str()) else {
            return Ok(None);
        };
        Ok(Some(DebugText {
            version: s.version,
            length: s.rope.len_bytes(),
            hash: format!("{:016x}", fnv1a64(s.rope.chunks().map(str::as_bytes))),
        }))
    }

    /// `immunoLs/debugPanic`.
    pub async fn debug_panic(&self) -> Result<()> {
        if !self.state.hooks.debug {
            return Err(Error::method_not_found());
        }
        panic!("immunoLs/debugPanic: deliberate panic for tests");
    }
}

#[cfg(test)]
mod tests {
    use super::fnv1a64;

    #[test]
    fn fnv_known_values() {
        assert_eq!(fnv1a64([b""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64([b"a"]), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(["fo", "obar"]), fnv1a64(["foobar"]));
    }
}
