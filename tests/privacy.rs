//! Privacy by construction: nothing in the program can open a network connection or run another
//! program, and no crate in the dependency graph does networking or telemetry. (That the logs
//! never carry document text is tested on the running server in `tests/lsp_lifecycle.rs` and
//! `tests/lsp_bad_input.rs`.)

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_source_opens_no_socket_and_runs_no_program() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    files.push(root().join("build.rs"));
    assert!(files.len() > 20, "{files:?}");
    for file in files {
        let text = read(&file);
        for needle in [
            "std::net",
            "tokio::net",
            "TcpStream",
            "TcpListener",
            "UdpSocket",
            "UnixStream",
            "process::Command",
            "Command::new",
        ] {
            assert!(!text.contains(needle), "{} uses {needle}", file.display());
        }
    }
}

#[test]
fn no_dependency_does_networking_or_telemetry() {
    let lock = read(&root().join("Cargo.lock"));
    let names: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert!(names.contains(&"tower-lsp-server"), "{names:?}");
    for banned in [
        "hyper",
        "reqwest",
        "ureq",
        "curl",
        "isahc",
        "attohttpc",
        "surf",
        "h2",
        "mio",
        "socket2",
        "rustls",
        "openssl",
        "native-tls",
        "tungstenite",
        "sentry",
        "opentelemetry",
        "tracing-opentelemetry",
        "metrics-exporter-prometheus",
    ] {
        assert!(
            !names.contains(&banned),
            "{banned} is in the dependency graph"
        );
    }
    // tokio without its network driver
    let manifest = read(&root().join("Cargo.toml"));
    let tokio = manifest
        .lines()
        .find(|l| l.starts_with("tokio ="))
        .unwrap_or_else(|| panic!("no tokio line in Cargo.toml"));
    assert!(
        !tokio.contains("\"net\"") && !tokio.contains("\"full\""),
        "{tokio}"
    );
}
