//! Diagnostics: the findings of a document version as LSP diagnostics, pushed by a background task
//! (`textDocument/publishDiagnostics` with the version they describe) and answered on request
//! (`textDocument/diagnostic`).
//!
//! The task takes jobs from a channel, drains whatever else is queued (a burst of edits becomes one
//! check of the latest version), analyses off the async threads, and skips a result whose version
//! was superseded meanwhile (the newer version is already queued). A closed document gets an empty
//! list. A document above the size cap gets an empty list and, once, a message saying why.

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::FutureExt;
use tokio::sync::mpsc;
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticSeverity, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, MessageType, NumberOrString, RelatedFullDocumentDiagnosticReport,
    RelatedUnchangedDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport, Uri,
};
use tracing::{debug, warn};

use super::documents::{MAX_DOCUMENT_BYTES, Skipped, Snapshot};
use super::position::{Encoding, byte_range_to_range};
use super::state::{DiagnosticsJob, State};
use crate::analysis::{Finding, Severity};

/// The `source` of every diagnostic.
pub const SOURCE: &str = "immuno-ls";

/// The LSP severity of a finding's severity.
pub fn lsp_severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// One finding as a diagnostic.
pub fn to_diagnostic(snapshot: &Snapshot, f: &Finding, enc: Encoding) -> Diagnostic {
    Diagnostic {
        range: byte_range_to_range(&snapshot.rope, f.range.clone(), enc),
        severity: Some(lsp_severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.id().to_string())),
        source: Some(SOURCE.to_string()),
        message: f.message.clone(),
        ..Diagnostic::default()
    }
}

/// The diagnostics of a snapshot (empty when it is not analysed).
pub fn diagnostics_of(snapshot: &Snapshot, enc: Encoding) -> Vec<Diagnostic> {
    let analyzed = snapshot.analyzed();
    match &analyzed.analysis {
        Ok(a) => a
            .findings
            .iter()
            .map(|f| to_diagnostic(snapshot, f, enc))
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn parse_uri(uri: &str) -> Option<Uri> {
    uri.parse().ok()
}

/// The result id of a version under a configuration.
fn result_id(snapshot: &Snapshot) -> String {
    format!("{}:{}", snapshot.version, snapshot.generation)
}

/// Answers `textDocument/diagnostic`.
pub fn pull(
    state: &State,
    snapshot: Option<Snapshot>,
    previous_result_id: Option<String>,
) -> DocumentDiagnosticReportResult {
    let Some(snapshot) = snapshot else {
        return full_report(Vec::new(), None);
    };
    let id = result_id(&snapshot);
    if previous_result_id.as_deref() == Some(id.as_str()) {
        return DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Unchanged(
            RelatedUnchangedDocumentDiagnosticReport {
                related_documents: None,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id: id,
                },
            },
        ));
    }
    let items = diagnostics_of(&snapshot, state.encoding());
    full_report(items, Some(id))
}

fn full_report(
    items: Vec<Diagnostic>,
    result_id: Option<String>,
) -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
        },
    ))
}

/// The background task that publishes diagnostics.
pub async fn run(state: Arc<State>, mut jobs: mpsc::UnboundedReceiver<DiagnosticsJob>) {
    // documents that have something published (so closing them publishes an empty list)
    let mut published: HashSet<String> = HashSet::new();
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while let Ok(more) = jobs.try_recv() {
            if !batch.contains(&more) {
                batch.push(more);
            }
        }
        for DiagnosticsJob::Document(uri) in batch {
            let step = AssertUnwindSafe(check(&state, &uri, &mut published))
                .catch_unwind()
                .await;
            if step.is_err() {
                warn!("checking a document panicked; its diagnostics were not updated");
            }
        }
    }
}

async fn check(state: &Arc<State>, uri: &str, published: &mut HashSet<String>) {
    let Some(target) = parse_uri(uri) else {
        return;
    };
    let Some(snapshot) = state.store.snapshot(uri) else {
        if published.remove(uri) {
            state
                .client
                .publish_diagnostics(target, Vec::new(), None)
                .await;
        }
        return;
    };
    if snapshot.desynced {
        if published.remove(uri) {
            state
                .client
                .publish_diagnostics(target, Vec::new(), None)
                .await;
        }
        return;
    }
    if !snapshot.settings.push_diagnostics {
        return;
    }
    let enc = state.encoding();
    let job = snapshot.clone();
    let computed = tokio::task::spawn_blocking(move || {
        let analyzed = job.analyzed();
        let skipped = analyzed.analysis.as_ref().err().copied();
        (diagnostics_of(&job, enc), skipped)
    })
    .await;
    let Ok((diagnostics, skipped)) = computed else {
        warn!("analysing a document failed; its diagnostics were not updated");
        return;
    };
    // a newer version is queued: publish that one instead
    if state.store.version(uri) != Some(snapshot.version) {
        debug!("diagnostics superseded by a newer version");
        return;
    }
    if skipped == Some(Skipped::TooLarge) && state.store.first_too_large_notice(uri) {
        // a notification, not a request: sent in order, before the (empty) diagnostics
        let mb = MAX_DOCUMENT_BYTES / (1024 * 1024);
        state
            .client
            .show_message(
                MessageType::WARNING,
                format!("immuno-ls: this document is larger than {mb} MB, so it is not checked (no diagnostics, hover, highlights or quick fixes). Split it to check it."),
            )
            .await;
    }
    if skipped == Some(Skipped::Language) && !published.contains(uri) {
        return;
    }
    published.insert(uri.to_string());
    state
        .client
        .publish_diagnostics(target, diagnostics, Some(snapshot.version))
        .await;
}
