#!/usr/bin/env python3
"""Checks the editor configurations that CI cannot run in their editor (Helix, Sublime Text, Zed,
Kakoune): each parses, starts `immuno-ls --stdio`, covers Markdown and plain text, and passes only
settings the server knows (src/server/settings.rs) and rules it has. Prints one line per check and
"N passed, M failed"."""

import json
import pathlib
import re
import sys
import tomllib

EDITORS = pathlib.Path(__file__).resolve().parent.parent
REPO = EDITORS.parent
KNOWN_KEYS = {"vocabulary", "rules", "inlayHints", "languageIds", "pushDiagnostics"}
RULES = {"autoimmune-misnomer", "wrong-target", "wrong-class", "contagious-myth", "outdated-status"}
SEVERITIES = {"error", "warning", "information", "hint", "off"}

results = []


def check(name):
    def wrap(fn):
        try:
            detail = fn()
            results.append(True)
            print(f"ok   {name}" + (f" — {detail}" if detail else ""))
        except Exception as e:  # noqa: BLE001 - every failure is reported the same way
            results.append(False)
            print(f"FAIL {name} — {e}")
        return fn

    return wrap


def server_keys():
    """The keys the server reads, from its source when it is beside the editors folder."""
    src = REPO / "src" / "server" / "settings.rs"
    if src.exists():
        return set(re.findall(r'obj\.get\("([A-Za-z]+)"\)', src.read_text()))
    return KNOWN_KEYS


def check_section(section, where):
    assert isinstance(section, dict), f"{where}: the immunoLs section is not an object"
    unknown = set(section) - server_keys()
    assert not unknown, f"{where}: keys the server does not read: {sorted(unknown)}"
    for rule, sev in section.get("rules", {}).items():
        assert rule in RULES, f"{where}: unknown rule {rule}"
        assert sev in SEVERITIES, f"{where}: rule {rule}: bad severity {sev}"


def check_command(command, args, where):
    assert command.endswith("immuno-ls"), f"{where}: command is {command}"
    assert args == ["--stdio"], f"{where}: args are {args}"


@check("helix/languages.toml")
def helix():
    cfg = tomllib.loads((EDITORS / "helix" / "languages.toml").read_text())
    server = cfg["language-server"]["immuno-ls"]
    check_command(server["command"], server["args"], "helix")
    check_section(server["config"]["immunoLs"], "helix")
    langs = {lang["name"]: lang for lang in cfg["language"]}
    assert "immuno-ls" in langs["markdown"]["language-servers"], "markdown has no immuno-ls"
    text = [lang for lang in cfg["language"] if "txt" in lang.get("file-types", [])]
    assert text and text[0].get("language-id") == "plaintext", "no plain-text language for .txt"
    assert "immuno-ls" in text[0]["language-servers"]
    return f"languages: {', '.join(langs)}"


@check("sublime/LSP.sublime-settings")
def sublime():
    raw = (EDITORS / "sublime" / "LSP.sublime-settings").read_text()
    # Sublime's JSON allows // comments on their own lines.
    cfg = json.loads("\n".join(line for line in raw.splitlines() if not line.strip().startswith("//")))
    client = cfg["clients"]["immuno-ls"]
    check_command(client["command"][0], client["command"][1:], "sublime")
    assert "text.html.markdown" in client["selector"] and "text.plain" in client["selector"]
    check_section(client["settings"]["immunoLs"], "sublime")
    return client["selector"]


@check("zed/extension.toml")
def zed():
    cfg = tomllib.loads((EDITORS / "zed" / "extension.toml").read_text())
    server = cfg["language_servers"]["immuno-ls"]
    assert set(server["languages"]) == {"Markdown", "Plain Text"}, server["languages"]
    assert server["language_ids"] == {"Markdown": "markdown", "Plain Text": "plaintext"}
    lib = (EDITORS / "zed" / "src" / "lib.rs").read_text()
    assert '"--stdio"' in lib and 'which(BINARY)' in lib and 'const BINARY: &str = "immuno-ls"' in lib
    return f"id {cfg['id']}, schema {cfg['schema_version']}"


@check("kakoune/immuno-ls.kak")
def kakoune():
    text = (EDITORS / "kakoune" / "immuno-ls.kak").read_text()
    block = re.search(r"set-option buffer lsp_servers %\{\n(.*?)\n    \}", text, re.S)
    assert block, "no lsp_servers block"
    cfg = tomllib.loads(block.group(1))
    server = cfg["immuno-ls"]
    check_command(server["command"], server["args"], "kakoune")
    assert server["settings_section"] == "immunoLs"
    check_section(server["settings"]["immunoLs"], "kakoune")
    assert "filetype=(?:markdown|plain)" in text and "lsp_language_id plaintext" in text
    return "lsp_servers TOML parses"


@check("nvim/lsp/immuno_ls.lua and emacs/immuno-ls.el name the same command")
def others():
    lua = (EDITORS / "nvim" / "lsp" / "immuno_ls.lua").read_text()
    el = (EDITORS / "emacs" / "immuno-ls.el").read_text()
    assert 'cmd = { "immuno-ls", "--stdio" }' in lua
    assert "'(\"immuno-ls\" \"--stdio\")" in el
    return None


failed = results.count(False)
print(f"{len(results) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
