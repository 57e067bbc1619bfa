//! The `LanguageServer` implementation: lifecycle, configuration and one thin handler per feature.
//!
//! Document synchronisation is not here: the ordering layer ([`super::ordered`]) applies
//! `didOpen` / `didChange` / `didClose` in wire order before any handler runs. Requests read the
//! snapshot taken when they arrived ([`request_snapshot`]) and do their work off the async
//! threads. No handler awaits a request to the client: those are spawned with a timeout.

use std::sync::Arc;

use serde_json::Value;
use tower_lsp_server::LanguageServer;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CodeActionResponse, CompletionOptions, CompletionParams, CompletionResponse, DiagnosticOptions,
    DiagnosticServerCapabilities, DidChangeConfigurationParams, DidChangeWatchedFilesParams,
    DocumentDiagnosticParams, DocumentDiagnosticReportResult, DocumentHighlight,
    DocumentHighlightParams, Hover, HoverParams, HoverProviderCapability, InitializeParams,
    InitializeResult, InitializedParams, InlayHint, InlayHintParams, MessageType, OneOf,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, Uri, WorkDoneProgressOptions,
};
use tracing::{debug, info};

use super::documents::Snapshot;
use super::ordered::request_snapshot;
use super::settings::{ClientSettings, SECTION};
use super::state::{ClientCaps, State};
use super::{code_action, completion, diagnostics, highlight, hover, inlay_hints, workspace};

/// The server behind the protocol.
#[derive(Debug)]
pub struct Backend {
    /// Shared state.
    pub state: Arc<State>,
}

/// Runs `f` on a snapshot off the async threads; a panic becomes an internal error.
async fn off_thread<T, F>(snapshot: Snapshot, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Snapshot) -> T + Send + 'static,
{
    tokio::task::spawn_blocking(move || f(&snapshot))
        .await
        .map_err(|_| Error::internal_error())
}

fn root_of(params: &InitializeParams) -> Option<std::path::PathBuf> {
    let from_folders = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .and_then(|f| f.uri.to_file_path().map(|p| p.into_owned()));
    #[allow(deprecated)]
    let from_root = params
        .root_uri
        .as_ref()
        .and_then(|u| u.to_file_path().map(|p| p.into_owned()));
    from_folders.or(from_root)
}

/// Whether a settings value carries our section (or is the section itself).
fn carries_settings(value: &Value) -> bool {
    const KEYS: &[&str] = &[
        "vocabulary",
        "rules",
        "inlayHints",
        "languageIds",
        "pushDiagnostics",
    ];
    value.get(SECTION).is_some()
        || value
            .as_object()
            .is_some_and(|o| KEYS.iter().any(|k| o.contains_key(*k)))
}

impl Backend {
    fn capabilities(caps: &ClientCaps) -> ServerCapabilities {
        ServerCapabilities {
            position_encoding: Some(caps.encoding.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec![" ".to_string()]),
                resolve_provider: Some(false),
                ..CompletionOptions::default()
            }),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                resolve_provider: Some(false),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })),
            document_highlight_provider: Some(OneOf::Left(true)),
            inlay_hint_provider: Some(OneOf::Left(true)),
            diagnostic_provider: caps.pull_diagnostics.then(|| {
                DiagnosticServerCapabilities::Options(DiagnosticOptions {
                    identifier: Some(diagnostics::SOURCE.to_string()),
                    inter_file_dependencies: false,
                    workspace_diagnostics: false,
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })
            }),
            ..ServerCapabilities::default()
        }
    }

    fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let s = request_snapshot(&self.state, uri.as_str());
        if s.is_none() {
            debug!("request for a document that is not open");
        }
        s
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let caps = ClientCaps::from_capabilities(&params.capabilities);
        self.state.set_caps(caps);
        let root = root_of(&params);
        let (init_settings, problems) = ClientSettings::from_json(
            params
                .initialization_options
                .as_ref()
                .unwrap_or(&Value::Null),
        );
        let mut outcome = workspace::compute(
            root.as_deref(),
            &init_settings,
            None,
            None,
            true,
            caps.encoding,
        );
        if outcome.engine.is_none() {
            outcome.engine = Some(workspace::embedded_engine());
        }
        outcome.messages.extend(
            problems
                .into_iter()
                .map(|p| format!("immuno-ls settings: {p}")),
        );
        {
            let mut ws = self.state.workspace();
            ws.root = root;
            ws.init_settings = init_settings;
        }
        workspace::apply(&self.state, &mut outcome);
        self.state.workspace().pending = Some((
            std::mem::take(&mut outcome.messages),
            std::mem::take(&mut outcome.files),
        ));
        self.state.set_initialized();
        info!(encoding = ?caps.encoding, "initialized");
        Ok(InitializeResult {
            capabilities: Self::capabilities(&caps),
            server_info: Some(ServerInfo {
                name: "immuno-ls".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let caps = self.state.caps();
        let pending = self.state.workspace().pending.take();
        if let Some((messages, files)) = pending
            && (!messages.is_empty() || files.iter().any(|f| !f.diagnostics.is_empty()))
        {
            let state = Arc::clone(&self.state);
            tokio::spawn(async move { workspace::report(&state, messages, files).await });
        }
        if caps.configuration {
            workspace::fetch_configuration(Arc::clone(&self.state));
        }
        if caps.watched_files_registration {
            workspace::register_watchers(&self.state);
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.set_shutdown();
        Ok(())
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let Some(snapshot) = self.snapshot(&p.text_document.uri) else {
            return Ok(None);
        };
        let caps = self.state.caps();
        off_thread(snapshot, move |s| {
            hover::hover(s, p.position, caps.encoding, caps.hover_markdown)
        })
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let Some(snapshot) = self.snapshot(&p.text_document.uri) else {
            return Ok(None);
        };
        let caps = self.state.caps();
        let list = completion::completion(
            &snapshot,
            p.position,
            caps.encoding,
            caps.completion_markdown,
        );
        Ok(Some(CompletionResponse::List(list)))
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let p = params.text_document_position_params;
        let Some(snapshot) = self.snapshot(&p.text_document.uri) else {
            return Ok(None);
        };
        let enc = self.state.encoding();
        off_thread(snapshot, move |s| highlight::highlights(s, p.position, enc)).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some(snapshot) = self.snapshot(&uri) else {
            return Ok(None);
        };
        let enc = self.state.encoding();
        let only = params.context.only;
        let range = params.range;
        off_thread(snapshot, move |s| {
            Some(code_action::code_actions(
                s,
                &uri,
                range,
                only.as_deref(),
                enc,
            ))
        })
        .await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let Some(snapshot) = self.snapshot(&params.text_document.uri) else {
            return Ok(None);
        };
        let enc = self.state.encoding();
        let range = params.range;
        off_thread(snapshot, move |s| {
            Some(inlay_hints::inlay_hints(s, range, enc))
        })
        .await
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let snapshot = self.snapshot(&params.text_document.uri);
        let state = Arc::clone(&self.state);
        let previous = params.previous_result_id;
        tokio::task::spawn_blocking(move || diagnostics::pull(&state, snapshot, previous))
            .await
            .map_err(|_| Error::internal_error())
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        if carries_settings(&params.settings) {
            let (settings, problems) = ClientSettings::from_json(&params.settings);
            self.state.workspace().client_settings = settings;
            let state = Arc::clone(&self.state);
            tokio::spawn(async move {
                if !problems.is_empty() {
                    let text = problems
                        .iter()
                        .map(|p| format!("immuno-ls settings: {p}"))
                        .collect::<Vec<_>>()
                        .join("\n");
                    state.client.show_message(MessageType::WARNING, text).await;
                }
                workspace::reconfigure(state, false).await;
            });
        } else if self.state.caps().configuration {
            workspace::fetch_configuration(Arc::clone(&self.state));
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let relevant = params.changes.iter().any(|c| {
            c.uri
                .to_file_path()
                .is_some_and(|p| workspace::is_watched(&self.state, &p))
        });
        if relevant {
            tokio::spawn(workspace::reconfigure(Arc::clone(&self.state), true));
        }
    }
}
