//! The input guard: reads the client's byte stream, and passes on to the framework only the
//! messages it can decode, re-framed.
//!
//! tower-lsp-server reads its input through a `FramedRead`, which ends the stream after the first
//! decoding error: one malformed message (bad JSON, a missing or wrong `Content-Length`, binary
//! junk, an object that is not JSON-RPC) would end the session. Here each problem is skipped with
//! a log line that never quotes the message: garbage up to the next `Content-Length` header, a
//! header block without a usable length, and a body that is not valid UTF-8 JSON-RPC.

use serde::Deserialize;
use serde::de::IgnoredAny;
use std::borrow::Cow;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc::{Id, Response};
use tracing::warn;

/// Messages longer than this are dropped (and the stream resynchronised).
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// Longest header block accepted.
const MAX_HEADER_BYTES: usize = 8 * 1024;

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    IgnoredAny::deserialize(d).map(|_| true)
}

/// What the framework needs of a request or notification.
#[derive(Deserialize)]
struct RequestShape<'a> {
    #[serde(borrow)]
    jsonrpc: Cow<'a, str>,
    #[serde(borrow, default)]
    method: Option<Cow<'a, str>>,
    #[serde(default)]
    #[allow(dead_code)]
    id: Option<Id>,
    #[serde(default, deserialize_with = "present")]
    result: bool,
    #[serde(default, deserialize_with = "present")]
    error: bool,
}

/// Whether the framework can decode this body as a JSON-RPC message.
pub fn decodable(body: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(body) else {
        return false;
    };
    match serde_json::from_str::<RequestShape>(text) {
        Ok(shape) if shape.jsonrpc == "2.0" => {
            if shape.method.is_some() || !(shape.result || shape.error) {
                true
            } else {
                serde_json::from_str::<Response>(text).is_ok()
            }
        }
        _ => false,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// What one scan of the buffer found.
enum Frame {
    /// Need more bytes.
    Incomplete,
    /// Drop this many bytes (garbage or a bad header), with a reason for the log.
    Skip(usize, &'static str),
    /// A body at `start..start + len`; the frame ends there.
    Body { start: usize, len: usize },
}

fn scan(buf: &[u8]) -> Frame {
    const NAME: &[u8] = b"content-length";
    let Some(at) = find(buf, NAME) else {
        // keep a tail that may be the start of a header name
        let keep = NAME.len() - 1;
        return if buf.len() > keep {
            Frame::Skip(buf.len() - keep, "bytes outside any message")
        } else {
            Frame::Incomplete
        };
    };
    if at > 0 {
        return Frame::Skip(at, "bytes outside any message");
    }
    let Some(end) = find(buf, b"\r\n\r\n") else {
        return if buf.len() > MAX_HEADER_BYTES {
            Frame::Skip(NAME.len(), "a header block without an end")
        } else {
            Frame::Incomplete
        };
    };
    let Ok(headers) = std::str::from_utf8(&buf[..end]) else {
        return Frame::Skip(end + 4, "a header block that is not text");
    };
    let mut length = None;
    for line in headers.split("\r\n") {
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            } else if name.trim().eq_ignore_ascii_case("content-type") {
                let v = value.to_ascii_lowercase();
                if v.contains("charset=")
                    && !(v.contains("charset=utf-8") || v.contains("charset=utf8"))
                {
                    return Frame::Skip(end + 4, "a message in a charset other than UTF-8");
                }
            }
        }
    }
    match length {
        Some(len) if len <= MAX_MESSAGE_BYTES => Frame::Body {
            start: end + 4,
            len,
        },
        _ => Frame::Skip(end + 4, "a header block without a usable Content-Length"),
    }
}

/// Copies well-formed messages from `input` to `output` until `input` ends.
pub async fn guard<R, W>(mut input: R, mut output: W)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut buf: Vec<u8> = Vec::with_capacity(64 * 1024);
    let mut chunk = vec![0u8; 64 * 1024];
    let mut eof = false;
    loop {
        // take every complete frame in the buffer
        let mut consumed = 0;
        loop {
            match scan(&buf[consumed..]) {
                Frame::Incomplete => break,
                Frame::Skip(n, why) => {
                    warn!(bytes = n, "skipped {why}");
                    consumed += n;
                }
                Frame::Body { start, len } => {
                    let from = consumed + start;
                    if buf.len() < from + len {
                        break;
                    }
                    let body = &buf[from..from + len];
                    if len > 0 && decodable(body) {
                        let header = format!("Content-Length: {len}\r\n\r\n");
                        if output.write_all(header.as_bytes()).await.is_err()
                            || output.write_all(body).await.is_err()
                        {
                            return;
                        }
                    } else {
                        warn!(bytes = len, "skipped a message that is not valid JSON-RPC");
                    }
                    consumed = from + len;
                }
            }
        }
        buf.drain(..consumed);
        if eof {
            if !buf.is_empty() {
                warn!(bytes = buf.len(), "the input ended inside a message");
            }
            let _ = output.shutdown().await;
            return;
        }
        match input.read(&mut chunk).await {
            Ok(0) | Err(_) => eof = true,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn run(input: &[u8]) -> Vec<u8> {
        let (mut w, r) = tokio::io::duplex(1 << 20);
        let (out_w, mut out_r) = tokio::io::duplex(1 << 20);
        w.write_all(input).await.unwrap_or_default();
        drop(w);
        guard(r, out_w).await;
        let mut out = Vec::new();
        out_r.read_to_end(&mut out).await.unwrap_or_default();
        out
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn keeps_good_messages_and_drops_bad_ones() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"x"}"#;
        let note = r#"{"jsonrpc":"2.0","method":"n","params":{"t":"µ😀"}}"#;
        let reply = r#"{"jsonrpc":"2.0","id":3,"result":null}"#;
        let input = [
            "\u{0}\u{1}junk".to_string(),
            frame(good),
            frame("{not json}"),
            "Content-Type: x\r\n\r\n{}".to_string(),
            frame(r#"{"jsonrpc":"1.0","method":"x"}"#),
            frame("[1,2]"),
            frame(r#"{"jsonrpc":"2.0","id":2,"error":{"nope":1}}"#),
            "content-length: 7\r\n\r\n".to_string() + r#"{"jsonrpc":"2.0"}"#,
            frame(note),
            frame(reply),
            "Content-Length: 99\r\n\r\n{".to_string(),
        ]
        .concat();
        let rt = tokio::runtime::Builder::new_current_thread().build();
        let out = rt
            .map(|rt| rt.block_on(run(input.as_bytes())))
            .unwrap_or_default();
        let out = String::from_utf8(out).unwrap_or_default();
        assert_eq!(out, [frame(good), frame(note), frame(reply)].concat());
    }
}
