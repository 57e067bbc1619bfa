//! The workspace: where settings come from (initialization options, the editor's settings, the
//! workspace's `.immuno-ls.toml`), building the engine from the embedded vocabulary plus extra
//! files, and reloading when a file changes on disk.
//!
//! A broken vocabulary or project file never replaces a working one: its problems are shown
//! (`window/showMessage`, and diagnostics on the file itself, with the line and column) and the
//! server goes on with the last good vocabulary and settings. Reconfigurations run in a spawned
//! task, one at a time; the file reading and the matcher build run off the async threads. When
//! one is done, every open document is re-checked.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use ropey::Rope;
use tower_lsp_server::ls_types::{
    ConfigurationItem, Diagnostic, DiagnosticSeverity, DidChangeWatchedFilesRegistrationOptions,
    FileSystemWatcher, GlobPattern, MessageType, Registration, Uri,
};
use tracing::{debug, warn};

use super::diagnostics::SOURCE;
use super::documents::Engine;
use super::position::{Encoding, byte_range_to_range, char_to_position};
use super::settings::{ClientSettings, SECTION, Settings};
use super::state::State;
use crate::analysis::Analyzer;
use crate::config::{self, ProjectConfig};
use crate::vocab::{self, VocabFile, Vocabulary};

/// How long a request to the client (configuration, registration, refresh) may take.
pub const CLIENT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Diagnostics for one file (a vocabulary or project file).
#[derive(Clone, Debug)]
pub struct FileDiagnostics {
    /// The file.
    pub path: PathBuf,
    /// Its problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// The result of reading the configuration.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The project file, when it parsed (`None` also when there is none).
    pub project: Option<ProjectConfig>,
    /// Whether the project file had errors (the previous one is then kept).
    pub project_failed: bool,
    /// The effective settings.
    pub settings: Settings,
    /// A new engine, or `None` to keep the current one.
    pub engine: Option<Engine>,
    /// Whether building the engine failed (the current one is kept).
    pub engine_failed: bool,
    /// Messages for the user.
    pub messages: Vec<String>,
    /// File problems.
    pub files: Vec<FileDiagnostics>,
}

/// What the workspace remembers between reconfigurations.
#[derive(Debug, Default)]
pub struct Workspace {
    /// The workspace folder.
    pub root: Option<PathBuf>,
    /// Settings from `initializationOptions`.
    pub init_settings: ClientSettings,
    /// Settings from the editor after start-up (override the initialization options).
    pub client_settings: ClientSettings,
    /// The last project file that parsed.
    pub project: Option<ProjectConfig>,
    /// The vocabulary files the current engine was built from.
    pub engine_files: Vec<PathBuf>,
    /// The vocabulary files the settings ask for (watched even when they fail to load).
    pub requested_files: Vec<PathBuf>,
    /// The last engine build failed (so the next reconfiguration rebuilds it).
    pub engine_failed: bool,
    /// Files with problems published.
    pub problem_uris: HashSet<String>,
    /// Reports from `initialize`, sent once the client can receive them.
    pub pending: Option<(Vec<String>, Vec<FileDiagnostics>)>,
}

impl Workspace {
    /// The editor's settings: initialization options overlaid with later settings.
    pub fn effective_client_settings(&self) -> ClientSettings {
        let mut s = self.init_settings.clone();
        let c = &self.client_settings;
        if c.vocabulary.is_some() {
            s.vocabulary = c.vocabulary.clone();
        }
        s.rules.extend(c.rules.iter().cloned());
        if c.inlay_hints.is_some() {
            s.inlay_hints = c.inlay_hints;
        }
        if c.language_ids.is_some() {
            s.language_ids = c.language_ids.clone();
        }
        if c.push_diagnostics.is_some() {
            s.push_diagnostics = c.push_diagnostics;
        }
        s
    }
}

fn line_col_range(
    text: &str,
    line: usize,
    column: usize,
    enc: Encoding,
) -> tower_lsp_server::ls_types::Range {
    let rope = Rope::from_str(text);
    let l = line
        .saturating_sub(1)
        .min(rope.len_lines().saturating_sub(1));
    let start = rope.line_to_char(l);
    let line_len = rope.line(l).len_chars();
    let c = start + column.saturating_sub(1).min(line_len);
    let p = char_to_position(&rope, c, enc);
    tower_lsp_server::ls_types::Range::new(p, p)
}

fn file_diagnostic(range: tower_lsp_server::ls_types::Range, message: String) -> Diagnostic {
    Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some(SOURCE.to_string()),
        message,
        ..Diagnostic::default()
    }
}

/// Builds the engine from the embedded vocabulary and `extra` files. On failure, the messages and
/// file problems.
pub fn build_engine(
    extra: &[PathBuf],
    enc: Encoding,
) -> Result<Engine, (Vec<String>, Vec<FileDiagnostics>)> {
    let mut files = vocab::embedded::files();
    let mut messages = Vec::new();
    let mut paths: HashMap<String, (PathBuf, usize)> = HashMap::new();
    for path in extra {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let name = path.display().to_string();
                paths.insert(name.clone(), (path.clone(), files.len()));
                files.push(VocabFile { name, text, user: true });
            }
            Err(e) => messages.push(format!(
                "immuno-ls: cannot read the vocabulary file {}: {e}. The last good vocabulary stays in use.",
                path.display()
            )),
        }
    }
    if !messages.is_empty() {
        return Err((messages, Vec::new()));
    }
    match vocab::load(&files) {
        Ok(v) => Ok(Engine::build_in_background(Arc::new(v))),
        Err(errors) => {
            let mut by_file: Vec<FileDiagnostics> = Vec::new();
            let mut names: Vec<String> = Vec::new();
            for e in &errors {
                let Some((path, i)) = paths.get(&e.file) else {
                    messages.push(format!(
                        "immuno-ls: the embedded vocabulary has an error: {e}"
                    ));
                    continue;
                };
                let text = &files[*i].text;
                let rope = Rope::from_str(text);
                let range = byte_range_to_range(&rope, e.span.clone(), enc);
                let d = file_diagnostic(range, e.message.clone());
                match by_file.iter_mut().find(|f| f.path == *path) {
                    Some(f) => f.diagnostics.push(d),
                    None => {
                        names.push(path.display().to_string());
                        by_file.push(FileDiagnostics {
                            path: path.clone(),
                            diagnostics: vec![d],
                        });
                    }
                }
            }
            let first = errors.first().map(|e| e.to_string()).unwrap_or_default();
            messages.insert(
                0,
                format!(
                    "immuno-ls: {} problem(s) in the vocabulary ({}); the last good vocabulary stays in use. First: {first}",
                    errors.len(),
                    names.join(", ")
                ),
            );
            Err((messages, by_file))
        }
    }
}

/// The engine of the embedded vocabulary alone (an empty one if even that fails to load). It is
/// made once per process and shared; the first call starts its build on a thread of its own.
pub fn embedded_engine() -> Engine {
    static EMBEDDED: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    EMBEDDED
        .get_or_init(|| match crate::vocab::embedded::vocabulary() {
            Ok(v) => Engine::build_in_background(Arc::new(v.clone())),
            Err(errors) => {
                warn!(
                    count = errors.len(),
                    "the embedded vocabulary failed to load; running with an empty vocabulary"
                );
                Engine::new(Analyzer::new(Arc::new(Vocabulary::default())))
            }
        })
        .clone()
}

fn project_file(root: Option<&Path>) -> Option<PathBuf> {
    root.and_then(config::find)
}

/// Reads the configuration and, when the vocabulary files changed (or `reload`), builds a new
/// engine. Blocking: run it off the async threads.
pub fn compute(
    root: Option<&Path>,
    client: &ClientSettings,
    last_project: Option<&ProjectConfig>,
    current_files: Option<&[PathBuf]>,
    reload: bool,
    enc: Encoding,
) -> Outcome {
    let mut out = Outcome::default();
    let mut project = last_project.cloned();
    if let Some(path) = project_file(root) {
        match std::fs::read_to_string(&path) {
            Ok(text) => match config::parse(&path, &text) {
                Ok(p) => {
                    project = Some(p);
                    out.files.push(FileDiagnostics {
                        path: path.clone(),
                        diagnostics: Vec::new(),
                    });
                }
                Err(errors) => {
                    out.project_failed = true;
                    let diagnostics = errors
                        .iter()
                        .map(|e| {
                            file_diagnostic(
                                line_col_range(&text, e.line, e.column, enc),
                                e.message.clone(),
                            )
                        })
                        .collect();
                    out.files.push(FileDiagnostics {
                        path: path.clone(),
                        diagnostics,
                    });
                    out.messages.push(format!(
                        "immuno-ls: {} has {} problem(s); the last good settings stay in use. First: {}",
                        path.display(),
                        errors.len(),
                        errors.first().map(|e| e.to_string()).unwrap_or_default()
                    ));
                }
            },
            Err(e) => out
                .messages
                .push(format!("immuno-ls: cannot read {}: {e}", path.display())),
        }
    } else {
        project = None;
    }
    let (settings, problems) = Settings::merge(project.as_ref(), client, root);
    out.messages
        .extend(problems.into_iter().map(|p| format!("immuno-ls: {p}")));
    out.project = project;
    let changed = current_files != Some(settings.vocabulary.as_slice());
    if reload || changed {
        match build_engine(&settings.vocabulary, enc) {
            Ok(engine) => {
                out.engine = Some(engine);
                for p in &settings.vocabulary {
                    out.files.push(FileDiagnostics {
                        path: p.clone(),
                        diagnostics: Vec::new(),
                    });
                }
            }
            Err((messages, files)) => {
                out.engine_failed = true;
                out.messages.extend(messages);
                out.files.extend(files);
            }
        }
    }
    out.settings = settings;
    out
}

/// Publishes file problems (and clears those of files that are fixed) and shows the messages.
pub async fn report(state: &State, messages: Vec<String>, files: Vec<FileDiagnostics>) {
    if !messages.is_empty() {
        state
            .client
            .show_message(MessageType::ERROR, messages.join("\n"))
            .await;
    }
    let mut bad: Vec<(Uri, Vec<Diagnostic>)> = Vec::new();
    for f in files.into_iter().filter(|f| !f.diagnostics.is_empty()) {
        if let Some(uri) = Uri::from_file_path(&f.path) {
            bad.push((uri, f.diagnostics));
        }
    }
    let now_bad: HashSet<String> = bad.iter().map(|(u, _)| u.as_str().to_string()).collect();
    let fixed: Vec<String> = {
        let mut ws = state.workspace();
        let old = std::mem::replace(&mut ws.problem_uris, now_bad.clone());
        old.into_iter().filter(|u| !now_bad.contains(u)).collect()
    };
    for (uri, diagnostics) in bad {
        state
            .client
            .publish_diagnostics(uri, diagnostics, None)
            .await;
    }
    for uri in fixed {
        if let Ok(uri) = uri.parse::<Uri>() {
            state
                .client
                .publish_diagnostics(uri, Vec::new(), None)
                .await;
        }
    }
}

/// Applies an outcome to the store and the workspace. Returns whether inlay-hint settings changed.
pub fn apply(state: &State, outcome: &mut Outcome) -> bool {
    let (_, old_settings) = state.store.current();
    let engine = outcome.engine.take().map(Arc::new);
    let mut settings = outcome.settings.clone();
    {
        let mut ws = state.workspace();
        if outcome.project_failed {
            // keep the last good project settings: recompute from it
            settings = Settings::merge(
                ws.project.as_ref(),
                &ws.effective_client_settings(),
                ws.root.as_deref(),
            )
            .0;
        } else {
            ws.project = outcome.project.clone();
        }
        ws.engine_failed = outcome.engine_failed;
        ws.requested_files = outcome.settings.vocabulary.clone();
        if engine.is_some() {
            ws.engine_files = settings.vocabulary.clone();
        } else if outcome.engine_failed {
            // the files in use stay those of the last good engine
            settings.vocabulary = ws.engine_files.clone();
        }
    }
    let inlay_changed = old_settings.inlay_hints != settings.inlay_hints;
    state.store.reconfigure(engine, Some(Arc::new(settings)));
    inlay_changed
}

/// Re-reads the configuration (and the vocabulary when `reload`), applies it, reports problems,
/// and re-checks every open document. Runs in its own task.
pub async fn reconfigure(state: Arc<State>, reload: bool) {
    let _guard = state.reconfigure_lock.lock().await;
    let (root, client, last_project, files, reload) = {
        let ws = state.workspace();
        (
            ws.root.clone(),
            ws.effective_client_settings(),
            ws.project.clone(),
            ws.engine_files.clone(),
            reload || ws.engine_failed,
        )
    };
    let enc = state.encoding();
    let computed = tokio::task::spawn_blocking(move || {
        compute(
            root.as_deref(),
            &client,
            last_project.as_ref(),
            Some(&files),
            reload,
            enc,
        )
    })
    .await;
    let Ok(mut outcome) = computed else {
        warn!("reading the configuration failed unexpectedly");
        return;
    };
    let inlay_changed = apply(&state, &mut outcome);
    report(
        &state,
        std::mem::take(&mut outcome.messages),
        std::mem::take(&mut outcome.files),
    )
    .await;
    state.schedule_all();
    let caps = state.caps();
    if inlay_changed && caps.inlay_hint_refresh {
        spawn_client_request(&state, "inlayHint refresh", |c| async move {
            c.inlay_hint_refresh().await.map(|_| ())
        });
    }
    if caps.pull_diagnostics && caps.diagnostic_refresh {
        spawn_client_request(&state, "diagnostic refresh", |c| async move {
            c.workspace_diagnostic_refresh().await.map(|_| ())
        });
    }
}

/// Sends a request to the client in its own task, with a timeout; the answer is only logged.
pub fn spawn_client_request<F, Fut>(state: &State, what: &'static str, f: F)
where
    F: FnOnce(tower_lsp_server::Client) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = tower_lsp_server::jsonrpc::Result<()>> + Send + 'static,
{
    let client = state.client.clone();
    tokio::spawn(async move {
        match tokio::time::timeout(CLIENT_REQUEST_TIMEOUT, f(client)).await {
            Ok(Ok(())) => debug!(what, "client request answered"),
            Ok(Err(e)) => debug!(what, code = ?e.code, "client request failed"),
            Err(_) => warn!(what, "client request timed out"),
        }
    });
}

/// Asks the client for the `immunoLs` section (in its own task, with a timeout), then
/// reconfigures.
pub fn fetch_configuration(state: Arc<State>) {
    tokio::spawn(async move {
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some(SECTION.to_string()),
        }];
        match tokio::time::timeout(CLIENT_REQUEST_TIMEOUT, state.client.configuration(items)).await
        {
            Ok(Ok(values)) => {
                let value = values.into_iter().next().unwrap_or_default();
                let (settings, problems) = ClientSettings::from_json(&value);
                state.workspace().client_settings = settings;
                if !problems.is_empty() {
                    let text = problems
                        .iter()
                        .map(|p| format!("immuno-ls settings: {p}"))
                        .collect::<Vec<_>>()
                        .join("\n");
                    state.client.show_message(MessageType::WARNING, text).await;
                }
                reconfigure(state, false).await;
            }
            Ok(Err(e)) => debug!(code = ?e.code, "workspace/configuration failed"),
            Err(_) => warn!("workspace/configuration timed out"),
        }
    });
}

/// Asks the client to watch vocabulary and project files (in its own task).
pub fn register_watchers(state: &State) {
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: vec![
            FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{}", config::FILE_NAME)),
                kind: None,
            },
            FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/*.toml".to_string()),
                kind: None,
            },
        ],
    };
    let Ok(register_options) = serde_json::to_value(options) else {
        return;
    };
    let registration = Registration {
        id: "immuno-ls-watch-vocabulary".to_string(),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: Some(register_options),
    };
    spawn_client_request(state, "register file watchers", move |c| async move {
        c.register_capability(vec![registration]).await
    });
}

/// Whether a changed file is one the configuration depends on: a project file, or a vocabulary
/// file in use (or named by the settings).
pub fn is_watched(state: &State, path: &Path) -> bool {
    if path.file_name().is_some_and(|n| n == config::FILE_NAME) {
        return true;
    }
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let target = canon(path);
    let (_, settings) = state.store.current();
    let ws = state.workspace();
    settings
        .vocabulary
        .iter()
        .chain(ws.engine_files.iter())
        .chain(ws.requested_files.iter())
        .any(|p| p == path || canon(p) == target)
}
