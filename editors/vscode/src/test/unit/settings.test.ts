import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

import {
  DEFAULT_LANGUAGE_IDS,
  RESTART_SETTINGS,
  RULES,
  SEVERITIES,
  documentSelector,
  logLevel,
  toServerSettings,
} from "../../settings";

const ctx = { workspaceFolder: "/ws", home: "/home/u" };
// out/test/unit -> the extension folder, and the repository two levels above it.
const extensionDir = path.resolve(__dirname, "..", "..", "..");
const repoDir = path.resolve(extensionDir, "..", "..");

interface Property {
  type: string;
  default: unknown;
  enum?: string[];
  description?: string;
  markdownDescription?: string;
}

function manifest(): { contributes: { configuration: { properties: Record<string, Property> }; commands: { command: string; title: string; category?: string }[] }; activationEvents: string[] } {
  return JSON.parse(fs.readFileSync(path.join(extensionDir, "package.json"), "utf8"));
}

/** The contributed defaults as VS Code would hand them over: dotted keys made into objects. */
function contributedDefaults(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(manifest().contributes.configuration.properties)) {
    const parts = key.split(".").slice(1);
    let node = out;
    for (const p of parts.slice(0, -1)) {
      node[p] = (node[p] as Record<string, unknown>) ?? {};
      node = node[p] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = prop.default;
  }
  return out;
}

test("the contributed defaults map to the server's own defaults", () => {
  const { settings, problems } = toServerSettings(contributedDefaults(), ctx);
  assert.deepEqual(problems, []);
  assert.deepEqual(settings, {
    vocabulary: [],
    rules: {},
    inlayHints: false,
    languageIds: ["markdown", "plaintext"],
    pushDiagnostics: true,
  });
});

test("rules: default is left out, severities and off pass through", () => {
  const { settings, problems } = toServerSettings(
    { rules: { "autoimmune-misnomer": "default", "wrong-class": "off", "outdated-status": "Error", "wrong-target": 3 } },
    ctx,
  );
  assert.deepEqual(settings.rules, { "wrong-class": "off", "outdated-status": "error" });
  assert.equal(problems.length, 1);
  assert.match(problems[0], /wrong-target/);
});

test("vocabulary paths are expanded, relative ones left for the server", () => {
  const { settings } = toServerSettings(
    { vocabulary: ["team/terms.toml", "~/v.toml", "${workspaceFolder}/w.toml", "", 7] },
    ctx,
  );
  assert.deepEqual(settings.vocabulary, ["team/terms.toml", path.join("/home/u", "v.toml"), "/ws/w.toml"]);
});

test("inlayHints takes a boolean or { enabled }", () => {
  assert.equal(toServerSettings({ inlayHints: true }, ctx).settings.inlayHints, true);
  assert.equal(toServerSettings({ inlayHints: { enabled: true } }, ctx).settings.inlayHints, true);
  const bad = toServerSettings({ inlayHints: "yes" }, ctx);
  assert.equal(bad.settings.inlayHints, false);
  assert.equal(bad.problems.length, 1);
});

test("languageIds and pushDiagnostics", () => {
  assert.deepEqual(toServerSettings({ languageIds: ["markdown", "latex"] }, ctx).settings.languageIds, [
    "markdown",
    "latex",
  ]);
  const empty = toServerSettings({ languageIds: [] }, ctx);
  assert.deepEqual(empty.settings.languageIds, DEFAULT_LANGUAGE_IDS);
  assert.equal(empty.problems.length, 1);
  assert.equal(toServerSettings({ pushDiagnostics: false }, ctx).settings.pushDiagnostics, false);
  assert.deepEqual(toServerSettings(undefined, ctx).problems, []);
});

test("logLevel and documentSelector", () => {
  assert.equal(logLevel({ server: { logLevel: "debug" } }), "debug");
  assert.equal(logLevel({ server: { logLevel: "loud" } }), "warn");
  assert.equal(logLevel(undefined), "warn");
  assert.deepEqual(documentSelector(["markdown"]), [
    { scheme: "file", language: "markdown" },
    { scheme: "untitled", language: "markdown" },
  ]);
});

test("every contributed setting has a description, a default and a type", () => {
  const props = manifest().contributes.configuration.properties;
  for (const [key, prop] of Object.entries(props)) {
    assert.ok(key.startsWith("immunoLs."), key);
    assert.ok((prop.markdownDescription ?? prop.description ?? "").length > 20, `${key} has a description`);
    assert.ok("default" in prop, `${key} has a default`);
    assert.ok(prop.type, `${key} has a type`);
    if (prop.enum) {
      assert.ok(prop.enum.includes(prop.default as string), `${key}'s default is one of its values`);
    }
  }
  for (const rule of RULES) {
    const p = props[`immunoLs.rules.${rule}`];
    assert.ok(p, `rule ${rule} is contributed`);
    assert.deepEqual(p.enum, ["default", ...SEVERITIES]);
  }
  for (const s of RESTART_SETTINGS) {
    assert.ok(props[s], `${s} is contributed`);
  }
});

test("commands and activation", () => {
  const m = manifest();
  const restart = m.contributes.commands.find((c) => c.command === "immunoLs.restart");
  assert.ok(restart);
  assert.equal(`${restart.category}: ${restart.title}`, "immuno-ls: Restart server");
  assert.ok(m.activationEvents.includes("onLanguage:markdown"));
  assert.ok(m.activationEvents.includes("onLanguage:plaintext"));
});

// The server is the authority on its settings and rules: when its source is beside the extension
// (this repository), every key it reads and every rule it knows must be contributed.
test("every setting the server reads and every rule it knows is contributed", (t) => {
  const settingsRs = path.join(repoDir, "src", "server", "settings.rs");
  const findingRs = path.join(repoDir, "src", "analysis", "finding.rs");
  if (!fs.existsSync(settingsRs) || !fs.existsSync(findingRs)) {
    t.skip("the server's source is not beside the extension");
    return;
  }
  const props = manifest().contributes.configuration.properties;
  const keys = [...fs.readFileSync(settingsRs, "utf8").matchAll(/obj\.get\("([A-Za-z]+)"\)/g)].map((m) => m[1]);
  assert.ok(keys.length >= 5, `found the server's keys: ${keys.join(", ")}`);
  for (const k of keys) {
    const contributed = Object.keys(props).some((p) => p === `immunoLs.${k}` || p.startsWith(`immunoLs.${k}.`));
    assert.ok(contributed, `server setting ${k} is contributed`);
  }
  const finding = fs.readFileSync(findingRs, "utf8");
  const idFn = finding.slice(finding.indexOf("pub fn id("));
  const ids = [...idFn.slice(0, idFn.indexOf("\n    }")).matchAll(/=> "([a-z-]+)"/g)].map((m) => m[1]);
  assert.deepEqual([...ids].sort(), [...RULES].sort());
});
