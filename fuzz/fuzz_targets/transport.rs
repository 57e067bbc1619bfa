//! The input guard that frames the client's byte stream. Two modes:
//!
//! - arbitrary bytes: whatever comes out must be a sequence of `Content-Length` frames whose bodies
//!   the framework can decode;
//! - well-formed messages with junk between them (junk without a double quote or the header name,
//!   delivered in arbitrary chunks): every message must come out, unchanged and in order.

#![no_main]

use arbitrary::Arbitrary;
use immuno_ls::server::transport::{decodable, guard};
use libfuzzer_sys::fuzz_target;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Arbitrary, Debug)]
struct Message {
    id: Option<u16>,
    method: String,
    text: String,
    junk_after: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
enum Input {
    Bytes(Vec<u8>, Vec<u16>),
    Messages(Vec<Message>, Vec<u16>),
}

fn run(input: &[u8], chunks: &[u16]) -> Vec<u8> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (mut w, r) = tokio::io::duplex(1 << 16);
        let (out_w, mut out_r) = tokio::io::duplex(1 << 16);
        let reader = tokio::spawn(async move {
            let mut out = Vec::new();
            let _ = out_r.read_to_end(&mut out).await;
            out
        });
        let guard = tokio::spawn(guard(r, out_w));
        let mut rest = input;
        let mut sizes = chunks.iter().cycle();
        while !rest.is_empty() {
            let n = sizes
                .next()
                .map_or(rest.len(), |&n| usize::from(n).max(1))
                .min(rest.len());
            let _ = w.write_all(&rest[..n]).await;
            rest = &rest[n..];
        }
        drop(w);
        let _ = guard.await;
        reader.await.unwrap_or_default()
    })
}

/// Splits the guard's output into bodies, asserting it is well framed.
fn frames(mut out: &[u8]) -> Vec<&[u8]> {
    let mut bodies = Vec::new();
    while !out.is_empty() {
        let end = out
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a header block");
        let header = std::str::from_utf8(&out[..end]).expect("an ASCII header");
        let len: usize = header
            .strip_prefix("Content-Length: ")
            .and_then(|n| n.parse().ok())
            .expect("a Content-Length header");
        let body = &out[end + 4..end + 4 + len];
        assert!(decodable(body), "an undecodable body passed");
        bodies.push(body);
        out = &out[end + 4 + len..];
    }
    bodies
}

fuzz_target!(|input: Input| {
    match input {
        Input::Bytes(bytes, chunks) => {
            let out = run(&bytes, &chunks);
            let _ = frames(&out);
        }
        Input::Messages(messages, chunks) => {
            let mut stream = Vec::new();
            let mut bodies = Vec::new();
            for m in &messages {
                let mut v = serde_json::json!({"jsonrpc": "2.0", "method": m.method,
                    "params": {"text": m.text}});
                if let Some(id) = m.id {
                    v["id"] = id.into();
                }
                let body = v.to_string();
                stream.extend_from_slice(
                    format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes(),
                );
                stream.extend_from_slice(body.as_bytes());
                let junk: Vec<u8> = m
                    .junk_after
                    .iter()
                    .copied()
                    .filter(|&b| b != b'"')
                    .collect();
                if !junk
                    .windows(14)
                    .any(|w| w.eq_ignore_ascii_case(b"content-length"))
                {
                    stream.extend_from_slice(&junk);
                }
                bodies.push(body);
            }
            let out = run(&stream, &chunks);
            let got: Vec<&[u8]> = frames(&out);
            let want: Vec<&[u8]> = bodies.iter().map(String::as_bytes).collect();
            assert_eq!(got, want, "messages lost or changed");
        }
    }
});
