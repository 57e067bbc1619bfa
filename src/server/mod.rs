//! The language server over stdio: tokio and tower-lsp-server, with the protocol kept at this
//! boundary and the features in the LSP-free core.
//!
//! One module per job:
//!
//! - [`ordered`]: the layer that applies document changes in wire order, snapshots requests and
//!   catches panics;
//! - [`documents`]: the document store (ropey) and the per-version analysis cache;
//! - [`position`]: position encodings (UTF-8 when offered, else UTF-16) and conversions;
//! - [`backend`]: lifecycle, capabilities and the handlers;
//! - [`hover`], [`completion`], [`diagnostics`], [`code_action`], [`inlay_hints`], [`highlight`]:
//!   the features;
//! - [`settings`] and [`workspace`]: configuration, the project file and vocabulary reloads;
//! - [`transport`]: the input guard that drops malformed messages instead of ending the session;
//! - [`state`]: what they share; [`debug`]: test-only requests.
//!
//! Logs go to stderr only (stdout carries the protocol), at the level set by `IMMUNO_LS_LOG`
//! (default `warn`), and never contain document text: the framework's message tracing is
//! switched off, and a panic reports its location, not its message.

pub mod backend;
pub mod code_action;
pub mod completion;
pub mod debug;
pub mod diagnostics;
pub mod documents;
pub mod highlight;
pub mod hover;
pub mod inlay_hints;
pub mod ordered;
pub mod position;
pub mod settings;
pub mod state;
pub mod transport;
pub mod workspace;

use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

use crate::analysis::Analyzer;
use crate::vocab::Vocabulary;
use backend::Backend;
use documents::{Engine, Store};
use ordered::Ordered;
use settings::Settings;
use state::{Hooks, State};

/// The environment variable that sets the log filter (`tracing_subscriber` syntax).
pub const LOG_ENV: &str = "IMMUNO_LS_LOG";

/// Exit code after `shutdown` then `exit`.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code when the input ended or `exit` came without `shutdown`.
pub const EXIT_UNCLEAN: u8 = 1;
/// Exit code when the server could not start.
pub const EXIT_START_FAILED: u8 = 2;

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let mut filter = EnvFilter::try_from_env(LOG_ENV).unwrap_or_else(|_| EnvFilter::new("warn"));
    // The framework traces whole messages (document text) and may quote them in decode errors.
    for directive in [
        "tower_lsp_server=warn",
        "tower_lsp_server::codec=off",
        "tower_lsp_server::transport=off",
    ] {
        if let Ok(d) = directive.parse() {
            filter = filter.add_directive(d);
        }
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        // The payload may quote document text (a slicing message, say): report the place only.
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "immuno-ls: internal error (panic) at {at}; the request was answered with an error and the server goes on"
        );
    }));
}

/// Runs the server on stdin / stdout until `exit` or the end of input; returns the exit code
/// (0 after `shutdown` + `exit`, 1 otherwise).
pub fn run() -> u8 {
    init_tracing();
    install_panic_hook();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("immuno-ls: cannot start the async runtime: {e}");
            return EXIT_START_FAILED;
        }
    };
    let code = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // Do not wait for the blocked stdin reader or any analysis still running.
    runtime.shutdown_background();
    code
}

/// Serves the protocol on any byte streams; returns the exit code.
pub async fn serve<I, O>(input: I, output: O) -> u8
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite,
{
    // malformed input is dropped here instead of ending the framework's read loop
    let (guarded_input, guard_output) = tokio::io::duplex(1 << 16);
    tokio::spawn(transport::guard(input, guard_output));
    let hooks = Hooks::from_env();
    // Read the embedded vocabulary and start compiling it now, while the client is still
    // starting: `initialize` then has little or nothing left to wait for.
    let _ = std::thread::Builder::new()
        .name("immuno-ls-warm".to_string())
        .spawn(workspace::embedded_engine);
    // The real engine is built in `initialize`, once the settings are known.
    let empty = Arc::new(Engine::new(Analyzer::new(Arc::new(Vocabulary::default()))));
    let store = Store::new(empty, Arc::new(Settings::default()));
    let mut jobs = None;
    let (service, socket) = LspService::build(|client| {
        let (state, rx) = State::new(client, store, hooks);
        jobs = Some(rx);
        Backend {
            state: Arc::new(state),
        }
    })
    .custom_method("immunoLs/debugText", Backend::debug_text)
    .custom_method("immunoLs/debugPanic", Backend::debug_panic)
    .finish();
    let state = Arc::clone(&service.inner().state);
    if let Some(rx) = jobs {
        tokio::spawn(diagnostics::run(Arc::clone(&state), rx));
    }
    Server::new(guarded_input, output, socket)
        .serve(Ordered::new(service, Arc::clone(&state)))
        .await;
    if state.shutdown_requested() {
        EXIT_CLEAN
    } else {
        EXIT_UNCLEAN
    }
}
