//! The command line, run as a user runs it: exit codes, the three output formats, folders and the
//! project file, explain, terms, and vocabulary validation.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_immuno-ls"))
}

fn run(args: &[&str]) -> Output {
    match bin().args(args).output() {
        Ok(o) => o,
        Err(e) => panic!("cannot run immuno-ls: {e}"),
    }
}

fn run_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = match bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!("cannot run immuno-ls: {e}"),
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    match child.wait_with_output() {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    match serde_json::from_slice(&o.stdout) {
        Ok(v) => v,
        Err(e) => panic!("not JSON ({e}): {}", stdout(o)),
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// (rule, flagged text) of every finding of the first file of a JSON report, read back from the
/// file's bytes with the reported offsets.
fn flagged(report: &Value, text: &str) -> Vec<(String, String)> {
    report["files"][0]["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    let (s, e) = (
                        f["start"].as_u64().unwrap_or(0) as usize,
                        f["end"].as_u64().unwrap_or(0) as usize,
                    );
                    (
                        f["rule"].as_str().unwrap_or("").to_string(),
                        text.get(s..e).unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_sample_draft_has_only_its_stale_status() {
    let path = fixture("tests/fixtures/sample-draft.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let out = run(&["check", "--format", "json", path.to_str().unwrap_or("")]);
    // an information finding does not fail the run
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(
        flagged(&report, &text),
        vec![("outdated-status".to_string(), "in development".to_string())]
    );
    let f = &report["files"][0]["findings"][0];
    let line_text = text
        .lines()
        .nth(f["line"].as_u64().unwrap_or(0) as usize - 1)
        .unwrap_or("");
    assert!(
        line_text.contains("Nemolizumab: Blocks IL-31"),
        "{line_text}"
    );
    let col = f["column"].as_u64().unwrap_or(0) as usize;
    assert_eq!(
        line_text.chars().skip(col - 1).take(14).collect::<String>(),
        "in development"
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap_or("")
            .contains("December 2024"),
        "{f}"
    );
}

#[test]
fn the_example_leaflet_fires_each_rule_where_intended() {
    let path = fixture("examples/eczema-leaflet.md");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let out = run(&["check", "--format", "json", path.to_str().unwrap_or("")]);
    assert_eq!(out.status.code(), Some(1));
    let got = flagged(&json(&out), &text);
    let want: Vec<(String, String)> = [
        ("autoimmune-misnomer", "autoimmune"),
        ("contagious-myth", "contagious"),
        ("wrong-target", "IL-4"),
        ("outdated-status", "still in\n  development"),
        ("wrong-class", "mild topical steroid"),
        ("wrong-class", "JAK inhibitor"),
    ]
    .iter()
    .map(|(r, s)| (r.to_string(), s.to_string()))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn human_output_marks_the_span() {
    let out = run_stdin(
        &["check", "-"],
        "Intro.\n\nDupilumab blocks IL-31 in the skin.\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("warning[wrong-target]"), "{text}");
    assert!(text.contains("<stdin>:3:18"), "{text}");
    assert!(
        text.contains("Dupilumab blocks IL-31 in the skin."),
        "{text}"
    );
    assert!(text.contains("^^^^^"), "{text}");
    assert!(text.contains("1 finding in 1 file"), "{text}");
}

#[test]
fn a_clean_text_exits_zero() {
    let out = run_stdin(
        &["check", "-"],
        "Eczema is immune-mediated and not contagious.\n",
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("0 findings"));
}

#[test]
fn usage_and_io_errors_exit_two() {
    let out = run(&["check", "/no/such/file.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/no/such/file.md"),
        "{}",
        stderr(&out)
    );
    let out = run(&["check", "--format", "yaml", "x.md"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn sarif_is_2_1_0_with_regions_and_fixes() {
    let out = run_stdin(
        &["check", "--format", "sarif", "-"],
        "Tralokinumab blocks IL-4.\n",
    );
    let doc = json(&out);
    assert_eq!(doc["version"], "2.1.0");
    let run0 = &doc["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "immuno-ls");
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let r = &run0["results"][0];
    assert_eq!(r["ruleId"], "wrong-target");
    assert_eq!(r["level"], "warning");
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (
            region["startLine"].as_u64(),
            region["startColumn"].as_u64(),
            region["endColumn"].as_u64()
        ),
        (Some(1), Some(21), Some(25))
    );
    assert_eq!(
        r["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "IL-13"
    );
}

#[test]
fn json_columns_count_characters_not_bytes() {
    let text = "😀 Ré: dupilumab blocks IL-31.\n";
    let out = run_stdin(&["check", "--format", "json", "-"], text);
    let f = &json(&out)["files"][0]["findings"][0];
    let start = text.find("IL-31").unwrap_or(0);
    assert_eq!(f["start"].as_u64(), Some(start as u64));
    assert_eq!(
        f["column"].as_u64(),
        Some(text[..start].chars().count() as u64 + 1)
    );
}

#[test]
fn folders_extensions_and_the_project_file() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        if let Some(parent) = p.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(p, text);
    };
    write("a.md", "Eczema is autoimmune.\n");
    write("b.txt", "Dupilumab is a JAK inhibitor.\n");
    write("c.rs", "// Eczema is autoimmune.\n");
    write("sub/d.markdown", "Eczema is contagious.\n");
    write("archive/old.md", "Eczema is contagious.\n");
    let out = run(&["check", "--format", "json", root.to_str().unwrap_or("")]);
    let report = json(&out);
    let paths: Vec<String> = report["files"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["path"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(paths.len(), 4, "{paths:?}");
    assert!(
        paths.windows(2).all(|w| w[0] <= w[1]),
        "not in a stable order: {paths:?}"
    );
    assert!(!paths.iter().any(|p| p.ends_with("c.rs")));

    write(
        ".immuno-ls.toml",
        "ignore = [\"archive/**\"]\n[rules]\nwrong-class = \"off\"\ncontagious-myth = \"information\"\n",
    );
    let out = run(&["check", "--format", "json", root.to_str().unwrap_or("")]);
    let report = json(&out);
    let files = report["files"].as_array().cloned().unwrap_or_default();
    assert_eq!(files.len(), 3, "{report}");
    let rules: Vec<(String, String)> = files
        .iter()
        .flat_map(|f| f["findings"].as_array().cloned().unwrap_or_default())
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        vec![
            ("autoimmune-misnomer".to_string(), "warning".to_string()),
            ("contagious-myth".to_string(), "information".to_string()),
        ]
    );

    write(".immuno-ls.toml", "[rules]\nwrong-clas = \"off\"\n");
    let out = run(&["check", root.to_str().unwrap_or("")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(".immuno-ls.toml:2:1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn extra_vocabulary_from_the_command_line() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let vocab = dir.path().join("team.toml");
    let _ = std::fs::write(
        &vocab,
        "[[entry]]\nid = \"wrap-b\"\nkind = \"concept\"\nname = \"protocol B wet wrap\"\ndefinition = \"Our clinic's wet wrap protocol.\"\nsources = [{ title = \"Handbook\", url = \"https://example.org\" }]\n",
    );
    let out = run(&[
        "explain",
        "--vocab",
        vocab.to_str().unwrap_or(""),
        "protocol B wet wrap",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("Our clinic's wet wrap protocol."));
    let _ = std::fs::write(
        &vocab,
        "[[entry]]\nid = \"wrap-b\"\nkind = \"concept\"\nname = \"x\"\n",
    );
    let out = run_stdin(
        &["check", "--vocab", vocab.to_str().unwrap_or(""), "-"],
        "text",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("team.toml:1:1"), "{}", stderr(&out));
    let out = run(&["vocab", "check", vocab.to_str().unwrap_or("")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("team.toml:"), "{}", stderr(&out));
}

#[test]
fn explain_shows_the_hover_card() {
    let out = run(&["explain", "Dupixent"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for needle in [
        "dupilumab",
        "drug",
        "IL-4Rα",
        "IL-13",
        "Dupixent",
        "FDA",
        "2017-03-28",
        "Sources:",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    let out = run(&["explain", "IL-31"]);
    assert!(stdout(&out).contains("nemolizumab"), "{}", stdout(&out));
    let out = run(&["explain", "not-a-term-at-all"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn vocab_list_and_check() {
    let out = run(&["vocab", "list", "--kind", "drug"]);
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l == "dupilumab\tdrug\tdupilumab"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.split('\t').nth(1) == Some("drug")));
    let all = stdout(&run(&["vocab", "list"]));
    assert!(all.lines().count() >= 250);
    let out = run(&["vocab", "check"]);
    assert_eq!(out.status.code(), Some(0));
    let out = run(&["vocab", "list", "--kind", "gadget"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn terms_lists_recognised_terms() {
    let out = run_stdin(&["terms", "-"], "Th2 cells make IL4.\n");
    let text = stdout(&out);
    assert!(text.contains("1:1\tTh2 cells\tth2\tcell"), "{text}");
    assert!(text.contains("1:16\tIL4\til-4\tcytokine"), "{text}");
}

/// Many files, checked in parallel and streamed: every file once, in sorted order, with its own
/// findings; the streamed JSON is exactly what a pretty printer gives for the same value; and
/// the human output ends with the summary of all of them.
#[test]
fn many_files_stream_in_a_stable_order() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let root = dir.path();
    for i in 0..60 {
        // every third file has one finding; the others are clean
        let text = if i % 3 == 0 {
            format!("Note {i}. Eczema is contagious.\n")
        } else {
            format!("Note {i}. Eczema is not contagious.\n")
        };
        let _ = std::fs::write(root.join(format!("note-{i:02}.md")), text);
    }
    let out = run(&["check", "--format", "json", root.to_str().unwrap_or("")]);
    let report = json(&out);
    let files = report["files"].as_array().cloned().unwrap_or_default();
    let paths: Vec<String> = files
        .iter()
        .map(|f| f["path"].as_str().unwrap_or("").to_string())
        .collect();
    let expected: Vec<String> = (0..60)
        .map(|i| root.join(format!("note-{i:02}.md")).display().to_string())
        .collect();
    assert_eq!(paths, expected);
    for (i, f) in files.iter().enumerate() {
        let n = f["findings"].as_array().map_or(0, Vec::len);
        assert_eq!(n, usize::from(i % 3 == 0), "{}", paths[i]);
    }
    let pretty = serde_json::to_string_pretty(&report).unwrap_or_default() + "\n";
    assert_eq!(stdout(&out), pretty);

    let out = run(&["check", root.to_str().unwrap_or("")]);
    assert!(
        stdout(&out).ends_with("20 findings in 60 files\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn an_empty_folder_gives_an_empty_report() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let out = run(&[
        "check",
        "--format",
        "json",
        dir.path().to_str().unwrap_or(""),
    ]);
    assert_eq!(stdout(&out), "{\n  \"files\": []\n}\n");
}
