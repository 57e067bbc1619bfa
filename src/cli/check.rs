//! `immuno-ls check`: files and folders in, findings out (human, JSON or SARIF). Files are analysed
//! in parallel on every core and their results streamed in a stable order (the order given,
//! folders sorted): each file is written as soon as it and the files before it are done.

use std::collections::HashMap;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::output::{self, FileReport};
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, OutputFormat, load_analyzer};
use crate::analysis::Analyzer;
use crate::config::{self, ProjectConfig};
use crate::text::prose::Format;

/// Runs `f` with the progress bar (if any) hidden, so that output does not tear through it.
fn bar_suspended<R>(bar: &Option<indicatif::ProgressBar>, f: impl FnOnce() -> R) -> R {
    match bar {
        Some(b) => b.suspend(f),
        None => f(),
    }
}

/// Arguments of `check`.
#[derive(Debug)]
pub struct CheckArgs {
    /// Files or folders.
    pub paths: Vec<PathBuf>,
    /// Output format.
    pub format: OutputFormat,
    /// Extra vocabulary files.
    pub vocab: Vec<PathBuf>,
    /// An explicit project file.
    pub config: Option<PathBuf>,
    /// Ignore project files.
    pub no_config: bool,
    /// Format of stdin text.
    pub stdin_format: String,
    /// Show a progress bar on a terminal.
    pub progress: bool,
}

/// One thing to check.
#[derive(Debug, Clone)]
struct Target {
    /// Shown in output.
    display: String,
    /// `None` for stdin.
    path: Option<PathBuf>,
    format: Format,
    /// Key of its configuration in the config cache.
    config: Option<PathBuf>,
}

fn format_of(path: &Path) -> Format {
    Format::from_hint(path.extension().and_then(|e| e.to_str()).unwrap_or(""))
}

/// Project configurations, loaded once each (key `None` = the defaults).
struct ConfigCache {
    explicit: Option<PathBuf>,
    no_config: bool,
    loaded: HashMap<Option<PathBuf>, ProjectConfig>,
}

impl ConfigCache {
    /// The key of the configuration that applies to `start`, loading it on first use.
    fn key_for(&mut self, start: &Path, failed: &mut bool) -> Option<PathBuf> {
        let key = if self.no_config {
            None
        } else if let Some(explicit) = &self.explicit {
            Some(explicit.clone())
        } else {
            config::find(start)
        };
        if !self.loaded.contains_key(&key) {
            let loaded = match &key {
                None => ProjectConfig::default_for(Path::new(".")),
                Some(path) => match config::load(path) {
                    Ok(c) => c,
                    Err(errors) => {
                        for e in errors {
                            eprintln!("error: {e}");
                        }
                        *failed = true;
                        ProjectConfig::default_for(path.parent().unwrap_or(Path::new(".")))
                    }
                },
            };
            self.loaded.insert(key.clone(), loaded);
        }
        key
    }
}

/// Runs the command and returns the exit code.
pub fn run(args: CheckArgs) -> u8 {
    let mut failed = false;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };

    let mut configs = ConfigCache {
        explicit: args.config.clone(),
        no_config: args.no_config,
        loaded: HashMap::new(),
    };

    let mut targets: Vec<Target> = Vec::new();
    let mut stdin_text: Option<String> = None;
    for p in &paths {
        if p.as_os_str() == "-" {
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                eprintln!("error: cannot read standard input: {e}");
                failed = true;
                continue;
            }
            stdin_text = Some(text);
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            let key = configs.key_for(&cwd, &mut failed);
            targets.push(Target {
                display: "<stdin>".into(),
                path: None,
                format: Format::from_hint(&args.stdin_format),
                config: key,
            });
        } else if p.is_dir() {
            let key = configs.key_for(p, &mut failed);
            let exts = configs
                .loaded
                .get(&key)
                .map(|c| c.extensions.clone())
                .unwrap_or_default();
            let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(p)
                .hidden(true)
                .build()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                .map(|e| e.into_path())
                .filter(|f| {
                    f.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| exts.iter().any(|x| x.eq_ignore_ascii_case(e)))
                })
                .collect();
            found.sort();
            for f in found {
                let key = configs.key_for(&f, &mut failed);
                if configs.loaded.get(&key).is_some_and(|c| c.is_ignored(&f)) {
                    continue;
                }
                targets.push(Target {
                    display: f.display().to_string(),
                    format: format_of(&f),
                    path: Some(f),
                    config: key,
                });
            }
        } else if p.exists() {
            let key = configs.key_for(p, &mut failed);
            targets.push(Target {
                display: p.display().to_string(),
                format: format_of(p),
                path: Some(p.clone()),
                config: key,
            });
        } else {
            eprintln!("error: {}: no such file or folder", p.display());
            failed = true;
        }
    }

    // analyzers, one per configuration
    let mut analyzers: HashMap<Option<PathBuf>, Analyzer> = HashMap::new();
    for (key, cfg) in &configs.loaded {
        let mut extra = cfg.vocabulary.clone();
        extra.extend(args.vocab.iter().cloned());
        match load_analyzer(&extra) {
            Some(a) => {
                analyzers.insert(key.clone(), a);
            }
            None => return EXIT_ERROR,
        }
    }

    let bar = (args.progress && targets.len() > 1 && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(targets.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    // Files are checked in parallel and written in the order of `targets` as soon as each one
    // and every one before it are done; only the files done out of turn wait in memory.
    let (done_tx, done_rx) = std::sync::mpsc::channel::<(usize, Result<FileReport, String>)>();
    let check_one = |t: &Target| -> Result<FileReport, String> {
        let text = match &t.path {
            None => Ok(stdin_text.clone().unwrap_or_default()),
            Some(p) => std::fs::read(p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        };
        text.map(|text| {
            let cfg = &configs.loaded[&t.config];
            let analysis = analyzers[&t.config].analyze(&text, t.format, &cfg.rules);
            FileReport {
                path: t.display.clone(),
                text,
                findings: analysis.findings,
            }
        })
    };
    let mut writer = output::ReportWriter::new(args.format);
    let mut any_warning = false;
    let mut write_error: Option<std::io::Error> = None;
    std::thread::scope(|scope| {
        scope.spawn(|| {
            targets
                .iter()
                .enumerate()
                .par_bridge()
                .for_each_with(done_tx, |tx, (i, t)| {
                    // the receiver only goes away once everything is written or writing failed
                    let _ = tx.send((i, check_one(t)));
                });
        });
        let mut waiting: std::collections::BTreeMap<usize, Result<FileReport, String>> =
            std::collections::BTreeMap::new();
        let mut next = 0;
        for (i, result) in done_rx {
            if let Some(b) = &bar {
                b.inc(1);
            }
            waiting.insert(i, result);
            while let Some(result) = waiting.remove(&next) {
                next += 1;
                match result {
                    Ok(report) => {
                        any_warning |= report
                            .findings
                            .iter()
                            .any(|f| f.severity.is_at_least_warning());
                        if write_error.is_none()
                            && let Err(e) = bar_suspended(&bar, || writer.file(&report))
                        {
                            write_error = Some(e);
                        }
                    }
                    Err(e) => {
                        bar_suspended(&bar, || eprintln!("error: {e}"));
                        failed = true;
                    }
                }
            }
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let written = match write_error {
        Some(e) => Err(e),
        None => writer.finish(),
    };
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write output: {e}");
        }
        return EXIT_ERROR;
    }
    if failed {
        EXIT_ERROR
    } else if any_warning {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
