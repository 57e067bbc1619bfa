//! Protocol tests of configuration: `workspace/didChangeConfiguration`, `workspace/configuration`,
//! initialization options, the workspace's `.immuno-ls.toml`, and vocabulary reloads on
//! `workspace/didChangeWatchedFiles` (a broken file is reported and the last good vocabulary
//! stays in use).

mod common;

use std::path::Path;

use common::{Client, Enc, Options, hover_text, session, uri_for};
use serde_json::{Value, json};

const CLAIM: &str = "湿疹 😀: Eczema is an autoimmune disease.\nTralokinumab blocks IL-31.";

fn codes_and_severities(d: &[Value]) -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> = d
        .iter()
        .map(|x| {
            (
                x["code"].as_str().unwrap_or("").to_string(),
                x["severity"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn did_change_configuration_changes_severity_and_switches_rules_off() {
    let mut c = session(Enc::Utf16);
    let uri = "file:///w/cfg.md";
    c.open(uri, "markdown", 1, CLAIM);
    let d = c.diagnostics(uri, 1);
    assert_eq!(
        codes_and_severities(&d),
        [
            ("autoimmune-misnomer".into(), 2),
            ("wrong-target".into(), 2)
        ]
    );

    let from = c.notifications.len();
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"immunoLs": {"rules": {"autoimmune-misnomer": "error", "wrong-target": "hint"}}}}),
    );
    let (i, d) = c.diagnostics_where(uri, from, |d| !d.is_empty());
    assert_eq!(
        codes_and_severities(&d),
        [
            ("autoimmune-misnomer".into(), 1),
            ("wrong-target".into(), 4)
        ]
    );

    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"immunoLs": {"rules": {"autoimmune-misnomer": "off"}}}}),
    );
    let (_, d) = c.diagnostics_where(uri, i + 1, |_| true);
    assert_eq!(codes_and_severities(&d), [("wrong-target".into(), 2)]);

    // a bad value is reported and ignored
    let from = c.notifications.len();
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"immunoLs": {"rules": {"wrong-target": "loud"}}}}),
    );
    let (_, m) = c.wait_notification(from, |m| m["method"] == "window/showMessage");
    assert!(
        m["params"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("loud"),
        "{m}"
    );
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn workspace_configuration_is_requested_when_the_client_supports_it() {
    let mut c = Client::start(Options::default());
    c.set_settings(json!({"rules": {"autoimmune-misnomer": "off"}}));
    c.initialize(
        &["utf-16"],
        None,
        Value::Null,
        json!({"workspace": {"configuration": true}}),
    );
    let uri = "file:///w/pull.md";
    c.open(uri, "markdown", 1, CLAIM);
    // the answer to workspace/configuration switches the rule off (possibly after a first publish)
    let (i, d) = c.diagnostics_where(uri, 0, |d| d.len() == 1);
    assert_eq!(codes_and_severities(&d), [("wrong-target".into(), 2)]);
    assert!(
        c.server_requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(|m| m == "workspace/configuration")
    );
    // a change notification without settings makes the server ask again
    c.set_settings(json!({"rules": {"autoimmune-misnomer": "hint"}}));
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let (_, d) = c.diagnostics_where(uri, i + 1, |d| d.len() == 2);
    assert_eq!(
        codes_and_severities(&d),
        [
            ("autoimmune-misnomer".into(), 4),
            ("wrong-target".into(), 2)
        ]
    );
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn initialization_options_choose_the_language_ids() {
    let mut c = Client::start(Options::default());
    c.initialize(
        &["utf-16"],
        None,
        json!({"immunoLs": {"languageIds": ["markdown"]}}),
        json!({}),
    );
    let text = "😀 Dupilumab.";
    c.open("file:///w/a.txt", "plaintext", 1, text);
    c.open("file:///w/a.md", "markdown", 1, text);
    // 😀 is 4 bytes, then a space: byte 6 is inside Dupilumab
    assert!(c.hover_at("file:///w/a.txt", text, 6).is_null());
    assert!(hover_text(&c.hover_at("file:///w/a.md", text, 6)).contains("dupilumab"));
    // switching plaintext on checks the open plaintext document
    let from = c.notifications.len();
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"immunoLs": {"languageIds": ["markdown", "plaintext"]}}}),
    );
    let _ = c.diagnostics_where("file:///w/a.txt", from, |_| true);
    assert!(hover_text(&c.hover_at("file:///w/a.txt", text, 6)).contains("dupilumab"));
    assert_eq!(c.shutdown().code(), Some(0));
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

fn watched_change(c: &Client, path: &Path) {
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_for(path), "type": 2}]}),
    );
}

#[test]
fn the_workspace_project_file_is_honoured_and_a_broken_one_is_reported() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let config = dir.path().join(".immuno-ls.toml");
    write(
        &config,
        "[rules]\nautoimmune-misnomer = \"off\"\nwrong-target = \"error\"\n",
    );
    let mut c = Client::start(Options {
        cwd: Some(dir.path().to_path_buf()),
        ..Options::default()
    });
    c.initialize(&["utf-16"], Some(dir.path()), Value::Null, json!({}));
    let uri = uri_for(&dir.path().join("note.md"));
    c.open(&uri, "markdown", 1, CLAIM);
    let d = c.diagnostics(&uri, 1);
    assert_eq!(codes_and_severities(&d), [("wrong-target".into(), 1)]);

    // break it: the value of an unknown rule on line 2 (0-based 1), column 15 (0-based 14)
    write(&config, "[rules]\nwrong-klass = \"off\"\n");
    let from = c.notifications.len();
    watched_change(&c, &config);
    let (_, m) = c.wait_notification(from, |m| m["method"] == "window/showMessage");
    assert!(
        m["params"]["message"]
            .as_str()
            .unwrap_or("")
            .contains(".immuno-ls.toml"),
        "{m}"
    );
    let config_uri = uri_for(&config);
    let (_, d) = c.diagnostics_where(&config_uri, from, |d| !d.is_empty());
    assert_eq!(d[0]["range"]["start"], json!({"line": 1, "character": 14}));
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("wrong-klass")
    );
    // the last good settings stay: wrong-target is still an error, autoimmune still off
    let (_, d) = c.diagnostics_where(&uri, from, |_| true);
    assert_eq!(codes_and_severities(&d), [("wrong-target".into(), 1)]);

    // fixed: its diagnostics are cleared and the new settings apply
    write(&config, "[rules]\nwrong-target = \"hint\"\n");
    let from = c.notifications.len();
    watched_change(&c, &config);
    let _ = c.diagnostics_where(&config_uri, from, <[Value]>::is_empty);
    let (_, d) = c.diagnostics_where(&uri, from, |_| true);
    assert_eq!(
        codes_and_severities(&d),
        [
            ("autoimmune-misnomer".into(), 2),
            ("wrong-target".into(), 4)
        ]
    );
    assert_eq!(c.shutdown().code(), Some(0));
}

fn entry(definition: &str) -> String {
    format!(
        "[[entry]]\nid = \"zorblax\"\nkind = \"concept\"\nname = \"zorblax\"\ndefinition = \"{definition}\"\nsources = [{{ title = \"Test source\", url = \"https://example.org/zorblax\" }}]\n"
    )
}

#[test]
fn vocabulary_files_are_reloaded_and_a_broken_one_keeps_the_last_good_vocabulary() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let team = dir.path().join("team.toml");
    write(
        &team,
        &entry("A made-up word used by the tests, first version."),
    );
    let mut c = Client::start(Options {
        cwd: Some(dir.path().to_path_buf()),
        ..Options::default()
    });
    c.initialize(
        &["utf-8", "utf-16"],
        Some(dir.path()),
        json!({"immunoLs": {"vocabulary": ["team.toml"]}}),
        json!({}),
    );
    assert_eq!(c.enc, Enc::Utf8);
    let uri = uri_for(&dir.path().join("note.md"));
    let text = "µg 😀 The zorblax test; dupilumab.";
    c.open(&uri, "markdown", 1, text);
    let _ = c.diagnostics(&uri, 1);
    let at = text.find("zorblax").unwrap_or(0) + 2;
    let h = c.hover_at(&uri, text, at);
    assert!(hover_text(&h).contains("first version"), "{h}");
    // "µg 😀 The " is µ 2 + g 1 + space 1 + 😀 4 + space 1 + "The " 4 = 13 bytes
    assert_eq!(
        h["range"],
        json!({"start": {"line": 0, "character": 13}, "end": {"line": 0, "character": 20}})
    );

    // changed on disk: reloaded, documents re-checked
    write(
        &team,
        &entry("A made-up word used by the tests, second version."),
    );
    let from = c.notifications.len();
    watched_change(&c, &team);
    let _ = c.diagnostics_where(&uri, from, |_| true);
    assert!(hover_text(&c.hover_at(&uri, text, at)).contains("second version"));

    // broken (empty definition on line 5, 0-based 4, whose value starts at column 13)
    write(&team, &entry(""));
    let from = c.notifications.len();
    watched_change(&c, &team);
    let (_, m) = c.wait_notification(from, |m| m["method"] == "window/showMessage");
    assert_eq!(m["params"]["type"], 1);
    assert!(
        m["params"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("team.toml"),
        "{m}"
    );
    let team_uri = uri_for(&team);
    let (_, d) = c.diagnostics_where(&team_uri, from, |d| !d.is_empty());
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        d[0]["range"],
        json!({"start": {"line": 4, "character": 13}, "end": {"line": 4, "character": 15}})
    );
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("empty definition")
    );
    let _ = c.diagnostics_where(&uri, from, |_| true);
    // the last good vocabulary is still in use, and the embedded one with it
    assert!(hover_text(&c.hover_at(&uri, text, at)).contains("second version"));
    assert!(
        hover_text(&c.hover_at(&uri, text, text.find("dupilumab").unwrap_or(0)))
            .contains("dupilumab")
    );

    // fixed: loaded, and the file's diagnostics cleared
    write(
        &team,
        &entry("A made-up word used by the tests, third version."),
    );
    let from = c.notifications.len();
    watched_change(&c, &team);
    let _ = c.diagnostics_where(&team_uri, from, <[Value]>::is_empty);
    let _ = c.diagnostics_where(&uri, from, |_| true);
    assert!(hover_text(&c.hover_at(&uri, text, at)).contains("third version"));
    // the server asked the client to watch vocabulary files
    assert!(
        c.server_requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(|m| m == "client/registerCapability")
    );
    assert_eq!(c.shutdown().code(), Some(0));
}

#[test]
fn a_missing_vocabulary_file_at_start_up_is_reported_and_the_embedded_one_is_used() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut c = Client::start(Options {
        cwd: Some(dir.path().to_path_buf()),
        ..Options::default()
    });
    c.initialize(
        &["utf-16"],
        Some(dir.path()),
        json!({"immunoLs": {"vocabulary": ["nope.toml"]}}),
        json!({}),
    );
    let (_, m) = c.wait_notification(0, |m| m["method"] == "window/showMessage");
    assert!(
        m["params"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("nope.toml"),
        "{m}"
    );
    let text = "Dupixent 😀";
    c.open("file:///w/x.md", "markdown", 1, text);
    assert!(hover_text(&c.hover_at("file:///w/x.md", text, 2)).contains("dupilumab"));
    assert_eq!(c.shutdown().code(), Some(0));
}
