//! The state shared by the ordering layer, the handlers and the background tasks.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use tokio::sync::mpsc;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::ClientCapabilities;

use super::documents::Store;
use super::position::Encoding;
use super::workspace::Workspace;

/// Test-only behaviour, switched on by the environment variable [`Hooks::ENV`] (a comma-separated
/// list). Never set by editors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hooks {
    /// `debug`: answer `immunoLs/debugText` (version and hash of a document's text) and
    /// `immunoLs/debugPanic` (panics inside a handler).
    pub debug: bool,
    /// `yield-before-mutation`: apply `didOpen` / `didChange` / `didClose` inside the handler
    /// after a `yield_now().await` instead of in wire order, to prove that the ordering test
    /// catches the hazard.
    pub yield_before_mutation: bool,
}

impl Hooks {
    /// The environment variable read at start-up.
    pub const ENV: &'static str = "IMMUNO_LS_TEST_HOOKS";

    /// Reads the hooks from the environment.
    pub fn from_env() -> Hooks {
        let value = std::env::var(Self::ENV).unwrap_or_default();
        let mut h = Hooks::default();
        for word in value.split(',').map(str::trim) {
            match word {
                "debug" => h.debug = true,
                "yield-before-mutation" => h.yield_before_mutation = true,
                _ => {}
            }
        }
        h
    }
}

/// What the client said it supports (read once, in `initialize`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientCaps {
    /// Negotiated position encoding.
    pub encoding: Encoding,
    /// `textDocument/diagnostic` (pull).
    pub pull_diagnostics: bool,
    /// `workspace/configuration`.
    pub configuration: bool,
    /// Dynamic registration of `workspace/didChangeWatchedFiles`.
    pub watched_files_registration: bool,
    /// `workspace/inlayHint/refresh`.
    pub inlay_hint_refresh: bool,
    /// `workspace/diagnostic/refresh`.
    pub diagnostic_refresh: bool,
    /// Markdown in hovers.
    pub hover_markdown: bool,
    /// Markdown in completion documentation.
    pub completion_markdown: bool,
    /// Diagnostics carry the version.
    pub diagnostic_version: bool,
}

impl ClientCaps {
    /// Reads the capabilities that matter here.
    pub fn from_capabilities(caps: &ClientCapabilities) -> ClientCaps {
        let td = caps.text_document.as_ref();
        let ws = caps.workspace.as_ref();
        let encoding = Encoding::negotiate(
            caps.general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let markdown = |formats: Option<&Vec<tower_lsp_server::ls_types::MarkupKind>>| {
            formats.is_none_or(|f| f.contains(&tower_lsp_server::ls_types::MarkupKind::Markdown))
        };
        ClientCaps {
            encoding,
            pull_diagnostics: td.is_some_and(|t| t.diagnostic.is_some()),
            configuration: ws.and_then(|w| w.configuration).unwrap_or(false),
            watched_files_registration: ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            inlay_hint_refresh: ws
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|i| i.refresh_support)
                .unwrap_or(false),
            diagnostic_refresh: ws
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            hover_markdown: markdown(
                td.and_then(|t| t.hover.as_ref())
                    .and_then(|h| h.content_format.as_ref()),
            ),
            completion_markdown: markdown(
                td.and_then(|t| t.completion.as_ref())
                    .and_then(|c| c.completion_item.as_ref())
                    .and_then(|i| i.documentation_format.as_ref()),
            ),
            diagnostic_version: td
                .and_then(|t| t.publish_diagnostics.as_ref())
                .and_then(|p| p.version_support)
                .unwrap_or(false),
        }
    }
}

/// A job for the diagnostics task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiagnosticsJob {
    /// Re-check one document (or clear it when it was closed).
    Document(String),
}

/// Everything the server shares.
#[derive(Debug)]
pub struct State {
    /// The channel to the editor.
    pub client: Client,
    /// Documents, engine and settings.
    pub store: Store,
    /// Set in `initialize`.
    caps: OnceLock<ClientCaps>,
    /// `initialize` has been answered.
    initialized: AtomicBool,
    /// `shutdown` was received.
    shutdown: AtomicBool,
    /// Test hooks.
    pub hooks: Hooks,
    diagnostics: mpsc::UnboundedSender<DiagnosticsJob>,
    /// The workspace: root, settings sources, published vocabulary problems.
    workspace: Mutex<Workspace>,
    /// Serialises reconfigurations (vocabulary reloads, settings changes).
    pub reconfigure_lock: tokio::sync::Mutex<()>,
}

impl State {
    /// A new state; the receiver feeds the diagnostics task.
    pub fn new(
        client: Client,
        store: Store,
        hooks: Hooks,
    ) -> (State, mpsc::UnboundedReceiver<DiagnosticsJob>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let state = State {
            client,
            store,
            caps: OnceLock::new(),
            initialized: AtomicBool::new(false),
            shutdown: AtomicBool::new(false),
            hooks,
            diagnostics: tx,
            workspace: Mutex::new(Workspace::default()),
            reconfigure_lock: tokio::sync::Mutex::new(()),
        };
        (state, rx)
    }

    /// The client's capabilities (defaults before `initialize`).
    pub fn caps(&self) -> ClientCaps {
        self.caps.get().copied().unwrap_or_default()
    }

    /// Records the client's capabilities (first call wins).
    pub fn set_caps(&self, caps: ClientCaps) {
        let _ = self.caps.set(caps);
    }

    /// The negotiated position encoding.
    pub fn encoding(&self) -> Encoding {
        self.caps().encoding
    }

    /// Whether `initialize` was answered.
    pub fn is_initialized(&self) -> bool {
        self.initialized.load(Ordering::SeqCst)
    }

    /// Marks `initialize` as answered.
    pub fn set_initialized(&self) {
        self.initialized.store(true, Ordering::SeqCst);
    }

    /// Whether `shutdown` was received.
    pub fn shutdown_requested(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// Records a `shutdown`.
    pub fn set_shutdown(&self) {
        self.shutdown.store(true, Ordering::SeqCst);
    }

    /// Queues a document for (re-)checking.
    pub fn schedule(&self, uri: &str) {
        // The receiver lives as long as the server; a send error means it is shutting down.
        let _ = self
            .diagnostics
            .send(DiagnosticsJob::Document(uri.to_string()));
    }

    /// Queues every open document.
    pub fn schedule_all(&self) {
        for uri in self.store.uris() {
            self.schedule(&uri);
        }
    }

    /// The workspace, locked.
    pub fn workspace(&self) -> MutexGuard<'_, Workspace> {
        self.workspace
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
