import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

import {
  bundledServerPath,
  expandPath,
  isExecutableFile,
  notFoundMessage,
  resolveServer,
  searchPath,
} from "../../serverPath";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "immuno-ls-unit-"));
}

function fakeBinary(dir: string, name = "immuno-ls", mode = 0o755): string {
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, name);
  fs.writeFileSync(p, "#!/bin/sh\n");
  fs.chmodSync(p, mode);
  return p;
}

test("the setting wins over the bundled binary and PATH", () => {
  const root = tempDir();
  const ext = path.join(root, "ext");
  const set = fakeBinary(path.join(root, "custom"));
  fakeBinary(path.join(ext, "server"));
  const bin = path.join(root, "bin");
  fakeBinary(bin);
  const r = resolveServer({ configured: set, extensionPath: ext, envPath: bin, platform: "linux" });
  assert.deepEqual(r, { kind: "setting", path: set });
});

test("a relative or ~ setting is expanded; a bare name is looked up on PATH", () => {
  const root = tempDir();
  const ws = path.join(root, "ws");
  const inWs = fakeBinary(path.join(ws, "tools"));
  assert.deepEqual(
    resolveServer({ configured: "tools/immuno-ls", workspaceFolder: ws, extensionPath: root, platform: "linux" }),
    { kind: "setting", path: inWs },
  );
  assert.deepEqual(
    resolveServer({ configured: "${workspaceFolder}/tools/immuno-ls", workspaceFolder: ws, extensionPath: root, platform: "linux" }),
    { kind: "setting", path: inWs },
  );
  const home = path.join(root, "home");
  const inHome = fakeBinary(path.join(home, ".cargo", "bin"));
  assert.deepEqual(
    resolveServer({ configured: "~/.cargo/bin/immuno-ls", home, extensionPath: root, platform: "linux" }),
    { kind: "setting", path: inHome },
  );
  const bin = path.join(root, "bin");
  const onPath = fakeBinary(bin);
  assert.deepEqual(
    resolveServer({ configured: "immuno-ls", envPath: `/nonexistent:${bin}`, extensionPath: root, platform: "linux" }),
    { kind: "setting", path: onPath },
  );
});

test("a setting that points nowhere is reported, not silently replaced", () => {
  const root = tempDir();
  fakeBinary(path.join(root, "server"));
  const r = resolveServer({ configured: "/no/such/immuno-ls", extensionPath: root, platform: "linux" });
  assert.equal(r.kind, "bad-setting");
  const msg = notFoundMessage(r) ?? "";
  assert.match(msg, /immunoLs\.server\.path/);
  assert.match(msg, /\/no\/such\/immuno-ls/);
  assert.match(msg, /Restart server/);
});

test("the bundled binary comes before PATH", () => {
  const root = tempDir();
  const bundled = fakeBinary(path.join(root, "ext", "server"));
  const bin = path.join(root, "bin");
  fakeBinary(bin);
  assert.equal(bundled, bundledServerPath(path.join(root, "ext"), "linux"));
  assert.deepEqual(
    resolveServer({ extensionPath: path.join(root, "ext"), envPath: bin, platform: "linux" }),
    { kind: "bundled", path: bundled },
  );
});

test("PATH is searched in order, skipping non-executable files", () => {
  const root = tempDir();
  fakeBinary(path.join(root, "a"), "immuno-ls", 0o644);
  const b = fakeBinary(path.join(root, "b"));
  fakeBinary(path.join(root, "c"));
  const envPath = ["", path.join(root, "a"), path.join(root, "b"), path.join(root, "c")].join(":");
  assert.deepEqual(resolveServer({ extensionPath: path.join(root, "none"), envPath, platform: "linux" }), {
    kind: "path",
    path: b,
  });
  assert.equal(isExecutableFile(path.join(root, "a", "immuno-ls"), "linux"), false);
  assert.equal(isExecutableFile(root, "linux"), false);
});

test("Windows: immuno-ls.exe, PATHEXT and ; separators", () => {
  const seen: string[] = [];
  const isExec = (p: string) => {
    seen.push(p);
    return p.toLowerCase() === "c:\\tools\\immuno-ls.exe";
  };
  assert.equal(
    searchPath("immuno-ls", "C:\\other;C:\\tools", "win32", ".COM;.EXE", isExec),
    "C:\\tools\\immuno-ls.EXE",
  );
  assert.ok(seen.includes("C:\\other\\immuno-ls.COM"));
  const r = resolveServer({
    extensionPath: "C:\\ext",
    envPath: "C:\\tools",
    platform: "win32",
    isExecutable: (p) => p === "C:\\ext\\server\\immuno-ls.exe",
  });
  assert.deepEqual(r, { kind: "bundled", path: "C:\\ext\\server\\immuno-ls.exe" });
});

test("nothing found: the message names the setting and how to install", () => {
  const r = resolveServer({ extensionPath: "/nowhere", envPath: "/also/nowhere", platform: "linux" });
  assert.equal(r.kind, "not-found");
  const msg = notFoundMessage(r) ?? "";
  assert.match(msg, /not found/);
  assert.match(msg, /cargo install/);
  assert.match(msg, /immunoLs\.server\.path/);
  assert.equal(notFoundMessage({ kind: "path", path: "/x" }), undefined);
});

test("expandPath", () => {
  assert.equal(expandPath("~", "/ws", "/home/u"), "/home/u");
  assert.equal(expandPath(" ~/v.toml ", "/ws", "/home/u"), path.join("/home/u", "v.toml"));
  assert.equal(expandPath("${workspaceFolder}/v.toml", "/ws", "/home/u"), "/ws/v.toml");
  assert.equal(expandPath("${userHome}/v.toml", undefined, "/home/u"), "/home/u/v.toml");
  assert.equal(expandPath("${workspaceFolder}/v.toml", undefined, "/home/u"), "${workspaceFolder}/v.toml");
});
