#!/usr/bin/env node
// Drives the extension-host test (suite.js) in a real VS Code: the VS Code server bundled in the
// code-server npm package, opened in Debian's Chromium through playwright-core, with this folder
// as the extension under development. See ../../../../shared/recipes/vscode-real-test.md.
//
//   node test/e2e/run.js --code-server DIR --node24 NODE [--server BIN] [--artifacts DIR]
//                        [--negative | --no-server | --vsix FILE]
//
// DIR is the npm prefix where code-server@4.139.1 was installed (node_modules/code-server inside),
// NODE the Node 24 binary it was built with. --negative loads an empty extension instead of this
// one: the same checks must then fail (the negative control). --no-server runs the extension with
// no immuno-ls anywhere (no setting, none bundled, none on PATH): it must show a notification with
// the fix. --vsix installs the packaged extension (built with a bundled server) in the VS Code
// server's extensions folder instead, sets no server path and hides immuno-ls from PATH: the
// same checks must pass with the bundled binary.
//
// Exit codes: 0 every check passed; 1 some check failed (result written); 2 the harness failed
// (no result: VS Code or Chromium did not come up).

"use strict";

const { spawn } = require("child_process");
const fs = require("fs");
const http = require("http");
const net = require("net");
const os = require("os");
const path = require("path");

const EXT_DIR = path.resolve(__dirname, "..", "..");
const REPO = path.resolve(EXT_DIR, "..", "..");

function parseArgs(argv) {
  const a = {
    codeServer: process.env.IMMUNO_LS_CODE_SERVER,
    node24: process.env.IMMUNO_LS_NODE24,
    server: process.env.IMMUNO_LS_BIN || path.join(REPO, "target", "release", "immuno-ls"),
    artifacts: process.env.IMMUNO_LS_ARTIFACTS || path.join(os.tmpdir(), "immuno-ls-artifacts"),
    chromium: process.env.CHROMIUM || "/usr/bin/chromium",
    negative: false,
    noServer: false,
    vsix: undefined,
    timeout: 180,
    keep: false,
  };
  for (let i = 2; i < argv.length; i++) {
    const k = argv[i];
    const v = () => argv[++i];
    if (k === "--code-server") a.codeServer = v();
    else if (k === "--node24") a.node24 = v();
    else if (k === "--server") a.server = v();
    else if (k === "--artifacts") a.artifacts = v();
    else if (k === "--chromium") a.chromium = v();
    else if (k === "--timeout") a.timeout = Number(v());
    else if (k === "--negative") a.negative = true;
    else if (k === "--no-server") a.noServer = true;
    else if (k === "--vsix") a.vsix = path.resolve(v());
    else if (k === "--keep") a.keep = true;
    else {
      console.error(`unknown argument ${k}`);
      process.exit(2);
    }
  }
  for (const [name, value] of [["--code-server", a.codeServer], ["--node24", a.node24]]) {
    if (!value) {
      console.error(`${name} is required (or its IMMUNO_LS_* variable)`);
      process.exit(2);
    }
  }
  return a;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode < 500);
    });
    req.on("error", () => resolve(false));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

// The test note: synthetic text only, so logs and results never hold real notes.
const NOTE = [
  "# Test note",
  "",
  "Eczema is an autoimmune disease.",
  "",
  "Dupilumab is given every two weeks.",
  "",
  "Nemolizumab is still in development for AD.",
  "",
  "tralokinumab blocks ",
  "",
].join("\n");

const QUIET_SETTINGS = {
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "security.workspace.trust.enabled": false,
  "chat.disableAIFeatures": true,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "git.enabled": false,
  "files.autoSave": "off",
  "editor.minimap.enabled": false,
  "editor.hover.sticky": true,
  "editor.fontFamily": "DejaVu Sans Mono",
};

// Settings a workspace may hold (application-scoped ones there raise an error notification).
const WORKSPACE_SETTINGS = {
  "workbench.startupEditor": "none",
  "git.enabled": false,
  "files.autoSave": "off",
  "editor.minimap.enabled": false,
  "editor.hover.sticky": true,
  "editor.fontFamily": "DejaVu Sans Mono",
};

function write(p, text) {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function main() {
  const args = parseArgs(process.argv);
  const serverMain = path.join(args.codeServer, "node_modules", "code-server", "lib", "vscode", "out", "server-main.js");
  for (const [what, p] of [["server-main.js", serverMain], ["Node 24", args.node24], ["Chromium", args.chromium], ["immuno-ls", args.server]]) {
    if (!fs.existsSync(p)) {
      console.error(`harness: ${what} not found at ${p}`);
      return 2;
    }
  }
  const mode = args.negative ? "negative" : args.noServer ? "no-server" : args.vsix ? "vsix" : "full";
  const label = {
    negative: "negative control",
    "no-server": "no server installed",
    vsix: "packaged .vsix with its bundled server",
    full: "extension test",
  }[mode];
  const suffix = mode === "full" ? "" : `-${mode}`;
  fs.mkdirSync(args.artifacts, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "immuno-ls-vscode-"));
  const home = path.join(tmp, "home");
  const ws = path.join(tmp, "ws");
  const ud = path.join(tmp, "user-data");
  const sd = path.join(tmp, "server-data");
  const emptyExts = path.join(tmp, "extensions");
  for (const d of [home, ws, ud, sd, emptyExts]) fs.mkdirSync(d, { recursive: true });

  write(path.join(ws, "note.md"), NOTE);
  const wsSettings = { ...WORKSPACE_SETTINGS, "immunoLs.rules.outdated-status": "error" };
  if (mode === "full" || mode === "negative") {
    wsSettings["immunoLs.server.path"] = args.server;
  }
  write(path.join(ws, ".vscode", "settings.json"), JSON.stringify(wsSettings, null, 2));
  // The negative control needs no long waits: nothing will come.
  write(path.join(ws, ".e2e", "config.json"), JSON.stringify({
      mode: mode === "no-server" ? "no-server" : "full",
      pollMs: mode === "negative" ? 8000 : 30000,
      foundBy: { full: "setting", vsix: "bundled" }[mode],
    }));
  write(path.join(ud, "User", "settings.json"), JSON.stringify(QUIET_SETTINGS, null, 2));
  write(path.join(ud, "Machine", "settings.json"), JSON.stringify(QUIET_SETTINGS, null, 2));
  write(path.join(sd, "data", "Machine", "settings.json"), JSON.stringify(QUIET_SETTINGS, null, 2));

  let extPath = EXT_DIR;
  if (args.negative || args.vsix) {
    // The extension is absent: an empty extension stands in its place.
    extPath = path.join(tmp, "no-extension");
    write(path.join(extPath, "package.json"), JSON.stringify({ name: "placeholder", publisher: "test", version: "0.0.0", engines: { vscode: "*" } }));
  } else if (!fs.existsSync(path.join(EXT_DIR, "out", "extension.js"))) {
    console.error("harness: the extension is not compiled (npm run compile)");
    return 2;
  }

  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    XDG_RUNTIME_DIR: path.join(tmp, "run"),
    VSCODE_AGENT_FOLDER: path.join(tmp, "agent"),
    // No extension gallery: VS Code would otherwise query open-vsx.org (unreachable here anyway).
    EXTENSIONS_GALLERY: "{}",
  };
  fs.mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  delete env.IMMUNO_LS_LOG;
  if (mode === "no-server" || mode === "vsix") {
    // No immuno-ls on PATH either.
    env.PATH = (env.PATH || "")
      .split(":")
      .filter((d) => d !== "" && !fs.existsSync(path.join(d, "immuno-ls")))
      .join(":");
  }

  if (args.vsix) {
    const install = require("child_process").spawnSync(
      args.node24,
      [serverMain, "--install-extension", args.vsix, "--extensions-dir", emptyExts, "--user-data-dir", ud,
        "--server-data-dir", sd, "--accept-server-license-terms"],
      { env, encoding: "utf8", timeout: 120000 },
    );
    if (install.status !== 0 || !/successfully installed/.test(install.stdout)) {
      console.error(`harness: installing ${args.vsix} failed:\n${install.stdout}${install.stderr}`);
      return 2;
    }
  }

  const port = await freePort();
  const serverLog = path.join(args.artifacts, `vscode-server${suffix}.log`);
  const logFd = fs.openSync(serverLog, "w");
  const started = Date.now();
  // detached: a new process group (setsid), stopped as a whole afterwards.
  const server = spawn(
    args.node24,
    [
      serverMain,
      "--host", "127.0.0.1",
      "--port", String(port),
      "--without-connection-token",
      "--accept-server-license-terms",
      "--enable-smoke-test-driver",
      "--disable-telemetry",
      "--disable-workspace-trust",
      "--user-data-dir", ud,
      "--server-data-dir", sd,
      "--extensions-dir", emptyExts,
    ],
    { env, detached: true, stdio: ["ignore", logFd, logFd] },
  );
  let browser;
  let code = 2;
  try {
    const base = `http://127.0.0.1:${port}`;
    const upBy = Date.now() + 60000;
    while (!(await httpOk(`${base}/`))) {
      if (server.exitCode !== null || Date.now() > upBy) {
        console.error(`harness: the VS Code server did not come up (log: ${serverLog})`);
        return 2;
      }
      await sleep(250);
    }
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ["extensionDevelopmentPath", remote(extPath)],
      ["extensionTestsPath", remote(path.join(__dirname, "suite.js"))],
      ["skipWelcome", "true"],
    ];
    const url = `${base}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

    const { chromium } = require("playwright-core");
    browser = await chromium.launch({
      executablePath: args.chromium,
      headless: true,
      env,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url, { waitUntil: "domcontentloaded" });

    const e2e = path.join(ws, ".e2e");
    const resultFile = path.join(e2e, "result.json");
    const ready = path.join(e2e, "screenshot-ready");
    const done = path.join(e2e, "screenshot-done.json");
    const shot = path.join(args.artifacts, mode === "no-server" ? "vscode-server-not-found.png" : `vscode-diagnostic-hover${suffix}.png`);
    const deadline = Date.now() + args.timeout * 1000;
    let shotTaken = false;
    while (!fs.existsSync(resultFile)) {
      if (Date.now() > deadline) {
        await page.screenshot({ path: path.join(args.artifacts, "vscode-timeout.png") }).catch(() => {});
        console.error(`harness: no result after ${args.timeout} s (log: ${serverLog})`);
        return 2;
      }
      if (server.exitCode !== null) {
        console.error(`harness: the VS Code server exited (log: ${serverLog})`);
        return 2;
      }
      if (!shotTaken && fs.existsSync(ready) && mode === "no-server") {
        shotTaken = true;
        // The notification centre (the smoke-test driver mode shows no toasts).
        const item = page
          .locator(".notifications-center .notification-list-item")
          .filter({ hasText: "immunoLs.server.path" });
        await item.first().waitFor({ timeout: 15000 }).catch(() => {});
        const n = await item.count();
        const text = n > 0 ? await item.first().innerText() : "";
        await page.screenshot({ path: shot });
        const ok = n > 0 && /not found/.test(text) && /cargo install/.test(text);
        write(done, JSON.stringify({ ok, detail: `${n} notification(s) naming immunoLs.server.path; screenshot ${shot}` }));
      } else if (!shotTaken && fs.existsSync(ready)) {
        shotTaken = true;
        // What a person sees: the squiggle in the editor and the hover with the definition.
        await page.waitForSelector(".monaco-hover:not(.hidden) .hover-contents", { timeout: 10000 }).catch(() => {});
        const squiggles = await page.locator(".monaco-editor .squiggly-warning").count();
        const errors = await page.locator(".monaco-editor .squiggly-error").count();
        const hover = await page
          .locator(".monaco-hover:not(.hidden)")
          .filter({ hasText: "monoclonal antibody" })
          .count();
        await page.screenshot({ path: shot });
        const ok = squiggles > 0 && hover > 0;
        const detail = `${squiggles} warning and ${errors} error squiggle(s), ${hover} hover(s) with the definition; screenshot ${shot}`;
        write(done, JSON.stringify({ ok, detail }));
      }
      await sleep(200);
    }
    await sleep(200);
    const result = JSON.parse(fs.readFileSync(resultFile, "utf8"));
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`VS Code ${result.vscodeVersion}, ${label}, extension present: ${result.extensionPresent}, ${secs} s`);
    for (const c of result.checks) {
      console.log(`  ${c.ok ? "ok  " : "FAIL"} ${c.name}${c.detail ? ` — ${c.detail}` : ""}`);
    }
    console.log(`${result.passed} passed, ${result.failed} failed`);
    code = result.failed === 0 ? 0 : 1;
  } catch (e) {
    console.error(`harness: ${e && e.stack ? e.stack : e}`);
    code = 2;
  } finally {
    if (browser) await browser.close().catch(() => {});
    killGroup(server, "SIGTERM");
    const end = Date.now() + 5000;
    while (server.exitCode === null && server.signalCode === null && Date.now() < end) await sleep(100);
    killGroup(server, "SIGKILL");
    fs.closeSync(logFd);
    if (!args.keep) fs.rmSync(tmp, { recursive: true, force: true });
    else console.log(`kept ${tmp}`);
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`harness: ${e && e.stack ? e.stack : e}`);
    process.exit(2);
  },
);
