//! The command line: `check`, `explain`, `vocab list`, `vocab check`.

pub mod check;
pub mod explain;
pub mod output;
pub mod vocab_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Command-line arguments.
#[derive(Debug, Parser)]
#[command(
    name = "immuno-ls",
    version,
    about = "Checks clinical notes and patient-education text about immunology (atopic dermatitis first): hover, completion and claim diagnostics in your editor, and a command-line checker.",
    after_help = "With no command (or with --stdio), runs the language server over stdio."
)]
pub struct Cli {
    /// Accepted for editors that append it; the server always speaks over stdio.
    #[arg(long, global = true)]
    pub stdio: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// rustc-style text with the source line and the span marked.
    Human,
    /// One JSON object: {"files": [{"path", "findings": [...]}]}.
    Json,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files or folders (.md, .markdown, .txt by default; `-` reads stdin).
    Check {
        /// Files or folders to check (default: the current folder).
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
        /// Extra vocabulary file (repeatable), on top of the embedded vocabulary and the project file's.
        #[arg(long = "vocab", value_name = "FILE")]
        vocab: Vec<PathBuf>,
        /// Use this project file instead of looking for .immuno-ls.toml.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Ignore any .immuno-ls.toml.
        #[arg(long, conflicts_with = "config")]
        no_config: bool,
        /// Format of text read from stdin.
        #[arg(long, value_name = "FORMAT", default_value = "markdown")]
        stdin_format: String,
        /// Never show a progress bar.
        #[arg(long)]
        no_progress: bool,
    },
    /// Print a vocabulary entry as the hover shows it.
    Explain {
        /// A term as written in text ("Dupixent", "IL-4Rα") or an entry id.
        term: String,
        /// Extra vocabulary file (repeatable).
        #[arg(long = "vocab", value_name = "FILE")]
        vocab: Vec<PathBuf>,
    },
    /// List the vocabulary terms recognised in a file (or `-` for stdin): line:column, the text,
    /// the entry id and its kind.
    Terms {
        /// The file.
        path: PathBuf,
        /// Extra vocabulary file (repeatable).
        #[arg(long = "vocab", value_name = "FILE")]
        vocab: Vec<PathBuf>,
    },
    /// List or validate vocabulary.
    Vocab {
        /// What to do with the vocabulary.
        #[command(subcommand)]
        action: VocabAction,
    },
    /// Run the language server over stdio (the default with no command).
    Serve,
}

/// `vocab` sub-commands.
#[derive(Debug, Subcommand)]
pub enum VocabAction {
    /// One entry a line: id, kind, canonical name.
    List {
        /// Only entries of this kind (cytokine, receptor, cell, pathway, gene, protein, enzyme,
        /// drug, drug-class, condition, organism, concept).
        #[arg(long)]
        kind: Option<String>,
        /// Extra vocabulary file (repeatable).
        #[arg(long = "vocab", value_name = "FILE")]
        vocab: Vec<PathBuf>,
    },
    /// Validate vocabulary files together with the embedded vocabulary (no file: the embedded one).
    Check {
        /// Files to validate.
        files: Vec<PathBuf>,
    },
}

/// Exit code: no finding at warning level or above.
pub const EXIT_OK: u8 = 0;
/// Exit code: at least one finding at warning level or above (or a lookup that found nothing).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage or I/O error.
pub const EXIT_ERROR: u8 = 2;

/// Runs a command (the server is started by `main` when no command is given).
pub fn run(command: Command) -> ExitCode {
    let code = match command {
        Command::Check {
            paths,
            format,
            vocab,
            config,
            no_config,
            stdin_format,
            no_progress,
        } => check::run(check::CheckArgs {
            paths,
            format,
            vocab,
            config,
            no_config,
            stdin_format,
            progress: !no_progress,
        }),
        Command::Explain { term, vocab } => explain::run(&term, &vocab),
        Command::Terms { path, vocab } => explain::terms(&path, &vocab),
        Command::Vocab {
            action: VocabAction::List { kind, vocab },
        } => vocab_cmd::list(kind.as_deref(), &vocab),
        Command::Vocab {
            action: VocabAction::Check { files },
        } => vocab_cmd::check(&files),
        Command::Serve => crate::server::run(),
    };
    ExitCode::from(code)
}

/// Loads the embedded vocabulary plus extra files; prints errors and returns `None` on failure.
pub fn load_analyzer(extra: &[PathBuf]) -> Option<crate::analysis::Analyzer> {
    let mut files = crate::vocab::embedded::files();
    for path in extra {
        match std::fs::read_to_string(path) {
            Ok(text) => files.push(crate::vocab::VocabFile {
                name: path.display().to_string(),
                text,
                user: true,
            }),
            Err(e) => {
                eprintln!("error: cannot read vocabulary file {}: {e}", path.display());
                return None;
            }
        }
    }
    match crate::vocab::load(&files) {
        Ok(v) => Some(crate::analysis::Analyzer::new(std::sync::Arc::new(v))),
        Err(errors) => {
            for e in errors {
                eprintln!("error: {e}");
            }
            None
        }
    }
}
