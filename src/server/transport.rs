//! The input guard: reads the client's byte stream, and passes on to the framework only the
//! messages it can decode, re-framed.
//!
//! tower-lsp-server reads its input through a `FramedRead`, which ends the stream after the first
//! decoding error: one malformed message (bad JSON, a missing or wrong `Content-Length`, binary
//! junk, an object that is not JSON-RPC) would end the session. Here each problem is skipped with
//! a log line that never quotes the message: garbage up to the next `Content-Length` header, a
//! header block without a usable length, and a body that is not valid UTF-8 JSON-RPC. A declared
//! length that runs past the next message's header (outside any JSON string, where no valid body
//! can have one) is taken to end there, so that a wrong `Content-Length` costs at most its own
//! message and never swallows the next one or waits for bytes that will not come.

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

/// The header name that starts every message.
const NAME: &[u8] = b"content-length";

/// The search, in the body of the message being read, for a header that shows the declared
/// length overran the message: a `Content-Length` outside any JSON string cannot be part of a
/// valid body. Kept between reads so that a large message is searched once, not once per chunk.
#[derive(Default)]
struct Overrun {
    /// Body bytes searched for the header name.
    searched: usize,
    /// Body bytes whose JSON string state is known.
    tracked: usize,
    in_string: bool,
    escaped: bool,
}

impl Overrun {
    /// Where, in `body` (the bytes of the declared body received so far), the next message's
    /// header starts, if it does.
    fn find(&mut self, body: &[u8]) -> Option<usize> {
        while self.searched < body.len() {
            let Some(i) = find(&body[self.searched..], NAME) else {
                // keep a tail that may be the start of the name
                self.searched = self.searched.max(body.len().saturating_sub(NAME.len() - 1));
                return None;
            };
            let at = self.searched + i;
            for &b in &body[self.tracked..at] {
                if self.escaped {
                    self.escaped = false;
                } else if self.in_string && b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = !self.in_string;
                }
            }
            self.tracked = at;
            if !self.in_string {
                return Some(at);
            }
            self.searched = at + 1;
        }
        None
    }
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
    // the search for a header inside the body of the message being read
    let mut overrun = Overrun::default();
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
                    let complete = buf.len() >= from + len;
                    let whole = complete && len > 0 && decodable(&buf[from..from + len]);
                    // a wrong (too long) length: the message ends where the next header starts,
                    // instead of swallowing it (or waiting for bytes that never come)
                    // (a header that starts inside the declared body may end past it)
                    let reach = from + len + NAME.len() - 1;
                    let cut = if whole {
                        None
                    } else {
                        overrun.find(&buf[from..buf.len().min(reach)])
                    };
                    let end = match cut {
                        Some(k) => {
                            warn!(
                                declared = len,
                                found = k,
                                "a Content-Length longer than its message: the message ends at the next header"
                            );
                            from + k
                        }
                        None if whole || (complete && (buf.len() >= reach || eof)) => from + len,
                        None => break,
                    };
                    overrun = Overrun::default();
                    let body = &buf[from..end];
                    if whole || (end > from && decodable(body)) {
                        let header = format!("Content-Length: {}\r\n\r\n", body.len());
                        if output.write_all(header.as_bytes()).await.is_err()
                            || output.write_all(body).await.is_err()
                        {
                            return;
                        }
                    } else {
                        warn!(
                            bytes = body.len(),
                            "skipped a message that is not valid JSON-RPC"
                        );
                    }
                    consumed = end;
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

    fn run_blocking(input: &[u8]) -> String {
        let rt = tokio::runtime::Builder::new_current_thread().build();
        let out = rt.map(|rt| rt.block_on(run(input))).unwrap_or_default();
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn a_content_length_too_long_ends_at_the_next_header() {
        let a = r#"{"jsonrpc":"2.0","id":1,"method":"a"}"#;
        let b = r#"{"jsonrpc":"2.0","id":2,"method":"b"}"#;
        // too long: both messages are kept
        let input = format!("Content-Length: {}\r\n\r\n{a}{}", a.len() + 100, frame(b));
        assert_eq!(
            run_blocking(input.as_bytes()),
            [frame(a), frame(b)].concat()
        );
        // far too long, the next message complete: the same, without waiting for the rest
        let input = format!("Content-Length: 100000000\r\n\r\n{a}\r\n{}", frame(b));
        assert_eq!(
            run_blocking(input.as_bytes()),
            [frame(&format!("{a}\r\n")), frame(b)].concat()
        );
        // a header with no body before the next message
        let input = format!("Content-Length: 100000000\r\n\r\n{}", frame(b));
        assert_eq!(run_blocking(input.as_bytes()), frame(b));
        // too long, and what comes before the next header is not JSON: dropped, the next kept
        let input = format!("Content-Length: 500\r\n\r\n{{not json}}{}", frame(b));
        assert_eq!(run_blocking(input.as_bytes()), frame(b));
        // too short: that message is lost, the next one is kept
        let input = format!("Content-Length: 10\r\n\r\n{a}{}", frame(b));
        assert_eq!(run_blocking(input.as_bytes()), frame(b));
    }

    #[test]
    fn a_header_inside_a_json_string_is_text() {
        // a document that quotes a header, with escaped quotes around it, spread over reads
        let body = serde_json::json!({"jsonrpc": "2.0", "method": "n",
            "params": {"t": "a \"Content-Length: 5\r\n\r\n{}\" \\\" b"}})
        .to_string();
        assert!(body.contains(r#"\"Content-Length: 5\r\n\r\n{}\" \\\" b"#));
        let input = [frame(&body), frame(&body)].concat();
        assert_eq!(run_blocking(input.as_bytes()), input);
        // the same body with a length too long is still served whole, with the next one
        let b = r#"{"jsonrpc":"2.0","id":2,"method":"b"}"#;
        let input = format!(
            "Content-Length: {}\r\n\r\n{body}{}",
            body.len() + 9,
            frame(b)
        );
        assert_eq!(
            run_blocking(input.as_bytes()),
            [frame(&body), frame(b)].concat()
        );
    }

    #[test]
    fn the_overrun_search_resumes_across_reads() {
        let mut o = Overrun::default();
        let body = br#"{"t":"x\"Content-Length"} Content-Length"#;
        // the first header is inside the string (after an escaped quote), the second is not
        let second = body.len() - NAME.len();
        for end in [5, 12, 20, 30, body.len() - 3] {
            assert_eq!(o.find(&body[..end]), None, "{end}");
        }
        assert_eq!(o.find(body), Some(second));
    }
}
