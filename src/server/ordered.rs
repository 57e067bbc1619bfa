//! The ordering layer: a thin [`tower::Service`] around the `LspService` that the transport calls
//! once per incoming message, synchronously and in wire order.
//!
//! tower-lsp-server runs handler futures concurrently (four at a time), notifications included,
//! so a `didChange` handler that awaits anything before changing the text can be overtaken by a
//! later edit or request (tower-lsp #284). Here the text is changed in [`Service::call`] itself:
//!
//! - `didOpen` / `didChange` / `didClose` are applied to the store before `call` returns, and never
//!   reach the inner service (their handlers would have nothing left to do);
//! - every request that names a document gets a [`Snapshot`] taken in `call`, so it sees exactly
//!   the edits sent before it, whatever runs later; handlers read it with [`request_snapshot`];
//! - every handler future runs under `catch_unwind`: a panic becomes an `InternalError` answer
//!   (or nothing, for a notification) and the server keeps serving;
//! - a request whose method starts with `$/` and that the framework leaves unanswered gets
//!   `MethodNotFound`, as the protocol requires (a client waiting for it would otherwise hang);
//! - an `InvalidParams` answer does not quote the values sent ([`redact_invalid_params`]);
//! - `shutdown` with params (it takes none) is taken as a plain `shutdown`.
//!
//! The test hook `yield-before-mutation` moves the mutation behind a `yield_now().await` inside
//! the returned future (the hazard itself), so that the ordering test can prove it catches it.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use serde_json::Value;
use tower_lsp_server::ExitedError;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
};
use tracing::{debug, error, warn};

use super::documents::{ChangeResult, Snapshot};
use super::state::State;

tokio::task_local! {
    static SNAPSHOT: Option<Snapshot>;
}

/// The snapshot of `uri` taken when the current request arrived, or (outside a request, or for
/// another document) the current one.
pub fn request_snapshot(state: &State, uri: &str) -> Option<Snapshot> {
    SNAPSHOT
        .try_with(|s| s.as_ref().filter(|s| s.uri == uri).cloned())
        .ok()
        .flatten()
        .or_else(|| state.store.snapshot(uri))
}

/// The ordering layer around the `LspService`.
pub struct Ordered<S> {
    inner: S,
    state: Arc<State>,
}

impl<S> Ordered<S> {
    /// Wraps a service.
    pub fn new(inner: S, state: Arc<State>) -> Ordered<S> {
        Ordered { inner, state }
    }
}

/// Whether a method changes the document store.
fn is_sync_method(method: &str) -> bool {
    matches!(
        method,
        "textDocument/didOpen" | "textDocument/didChange" | "textDocument/didClose"
    )
}

/// Reads typed params, logging only the kind of problem (never the text).
fn parse<T: serde::de::DeserializeOwned>(method: &str, params: Option<Value>) -> Option<T> {
    match serde_json::from_value(params.unwrap_or(Value::Null)) {
        Ok(p) => Some(p),
        Err(e) => {
            warn!(method, category = ?e.classify(), "ignored a notification with invalid params");
            None
        }
    }
}

/// Applies a `didOpen` / `didChange` / `didClose` to the store and queues the document for
/// checking.
fn apply(state: &State, method: &str, params: Option<Value>) {
    match method {
        "textDocument/didOpen" => {
            let Some(p) = parse::<DidOpenTextDocumentParams>(method, params) else {
                return;
            };
            let uri = p.text_document.uri.as_str().to_string();
            state.store.open(
                uri.clone(),
                &p.text_document.text,
                p.text_document.version,
                p.text_document.language_id,
            );
            state.schedule(&uri);
        }
        "textDocument/didChange" => {
            let Some(p) = parse::<DidChangeTextDocumentParams>(method, params) else {
                return;
            };
            let uri = p.text_document.uri.as_str();
            match state.store.change(
                uri,
                p.text_document.version,
                &p.content_changes,
                state.encoding(),
            ) {
                ChangeResult::Applied => state.schedule(uri),
                ChangeResult::AppliedWithInvertedRange => {
                    warn!(
                        "didChange with a range whose end is before its start: applied to the range put in order"
                    );
                    state.schedule(uri);
                }
                ChangeResult::NotOpen => {
                    warn!("didChange for a document that is not open: ignored")
                }
                ChangeResult::VersionRegressed => {
                    error!(
                        version = p.text_document.version,
                        "didChange version did not increase: the document is out of sync; nothing is published for it until it is opened again"
                    );
                    state.schedule(uri);
                }
            }
        }
        "textDocument/didClose" => {
            let Some(p) = parse::<DidCloseTextDocumentParams>(method, params) else {
                return;
            };
            let uri = p.text_document.uri.as_str();
            if state.store.close(uri) {
                state.schedule(uri);
            } else {
                debug!("didClose for a document that is not open");
            }
        }
        _ => {}
    }
}

/// An `InvalidParams` message without the values the client sent: serde quotes them (`invalid
/// type: string "…"`, `unknown variant `…``), and the framework quotes whole params (`Unexpected
/// params: {…}`), which may be document text.
pub fn redact_invalid_params(message: &str) -> String {
    if message.starts_with("Unexpected params") {
        return "Unexpected params".to_string();
    }
    // the first backticked word of these is the client's, the rest are expected names
    let mut client_backtick =
        message.starts_with("unknown field") || message.starts_with("unknown variant");
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(['"', '`']) {
        let quote = &rest[i..=i];
        out.push_str(&rest[..=i]);
        let after = &rest[i + 1..];
        let Some(j) = after.find(quote) else {
            out.push('…');
            return out;
        };
        if quote == "\"" || client_backtick {
            out.push('…');
            client_backtick &= quote == "\"";
        } else {
            out.push_str(&after[..j]);
        }
        out.push_str(quote);
        rest = &after[j + 1..];
    }
    out.push_str(rest);
    out
}

/// What is sent back for a request: `$/` requests the framework leaves unanswered get
/// `MethodNotFound` (the protocol requires an answer), and `InvalidParams` messages are redacted.
fn finish(response: Option<Response>, id: Option<Id>, method: &str) -> Option<Response> {
    match (response, id) {
        (None, Some(id)) if method.starts_with("$/") => {
            debug!(method, "unknown $/ request: answered MethodNotFound");
            Some(Response::from_error(id, Error::method_not_found()))
        }
        (Some(r), _) => {
            let (rid, body) = r.into_parts();
            let body = body.map_err(|mut e| {
                if e.code == ErrorCode::InvalidParams {
                    e.message = redact_invalid_params(&e.message).into();
                    e.data = None;
                }
                e
            });
            Some(Response::from_parts(rid, body))
        }
        (None, _) => None,
    }
}

/// Runs a handler future so that a panic becomes an error answer instead of the end of the server.
fn guarded<F>(
    fut: F,
    id: Option<Id>,
    method: String,
) -> BoxFuture<'static, Result<Option<Response>, ExitedError>>
where
    F: Future<Output = Result<Option<Response>, ExitedError>> + Send + 'static,
{
    AssertUnwindSafe(fut)
        .catch_unwind()
        .map(move |r| match r {
            Ok(v) => v.map(|response| finish(response, id, &method)),
            Err(_) => {
                error!(method = %method, "a handler panicked; answered with an internal error");
                Ok(id.map(|id| Response::from_error(id, Error::internal_error())))
            }
        })
        .boxed()
}

impl<S> tower_service::Service<Request> for Ordered<S>
where
    S: tower_service::Service<Request, Response = Option<Response>, Error = ExitedError>,
    S::Future: Send + 'static,
{
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = BoxFuture<'static, Result<Option<Response>, ExitedError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        if req.method() == "shutdown" && req.params().is_some_and(|p| !p.is_null()) {
            // The framework moves to its shut-down state before it reads the params, so an
            // InvalidParams answer would leave it shut down and this server not: take it as sent.
            warn!("shutdown with params: the params are ignored");
            let (method, id, _) = req.into_parts();
            let mut b = Request::build(method);
            if let Some(id) = id {
                b = b.id(id);
            }
            req = b.finish();
        }
        if is_sync_method(req.method()) {
            let (method, _, params) = req.into_parts();
            if !self.state.is_initialized() || self.state.shutdown_requested() {
                debug!(method = %method, "document notification outside an initialized session: ignored");
                return futures_util::future::ready(Ok(None)).boxed();
            }
            if self.state.hooks.yield_before_mutation {
                let state = Arc::clone(&self.state);
                let fut = async move {
                    tokio::task::yield_now().await;
                    apply(&state, &method, params);
                    Ok(None)
                };
                return guarded(fut, None, "document sync".to_string());
            }
            let state = &self.state;
            if std::panic::catch_unwind(AssertUnwindSafe(|| apply(state, &method, params))).is_err()
            {
                error!(method = %method, "applying a document notification panicked; the document may be out of sync");
            }
            return futures_util::future::ready(Ok(None)).boxed();
        }
        let id = req.id().cloned();
        let method = req.method().to_string();
        let snapshot = if id.is_some() {
            req.params()
                .and_then(|p| p.get("textDocument"))
                .and_then(|t| t.get("uri"))
                .and_then(Value::as_str)
                .and_then(|uri| self.state.store.snapshot(uri))
        } else {
            None
        };
        let fut = self.inner.call(req);
        guarded(SNAPSHOT.scope(snapshot, fut), id, method)
    }
}

#[cfg(test)]
mod tests {
    use super::redact_invalid_params as redact;

    #[test]
    fn invalid_params_messages_do_not_quote_values() {
        assert_eq!(
            redact(r#"invalid type: string "Patient X has eczema", expected struct Position"#),
            r#"invalid type: string "…", expected struct Position"#
        );
        assert_eq!(
            redact(r#"Unexpected params: {"text":"Patient X"}"#),
            "Unexpected params"
        );
        assert_eq!(
            redact("unknown variant `Patient X`, expected `plaintext` or `markdown`"),
            "unknown variant `…`, expected `plaintext` or `markdown`"
        );
        assert_eq!(
            redact("unknown field `Patient`, expected `uri`"),
            "unknown field `…`, expected `uri`"
        );
        assert_eq!(
            redact("missing field `position`"),
            "missing field `position`"
        );
        assert_eq!(
            redact(r#"invalid value: string "a"b, "unterminated"#),
            r#"invalid value: string "…"b, "…"#
        );
        assert_eq!(redact("Missing params field"), "Missing params field");
    }
}
