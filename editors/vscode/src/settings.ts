// The mapping from VS Code's `immunoLs.*` settings to what the server reads (its `immunoLs`
// section: vocabulary, rules, inlayHints, languageIds, pushDiagnostics; see
// src/server/settings.rs). Pure (no `vscode` import) so that `node --test` covers it.

import { expandPath } from "./serverPath";

/** The configuration section, in VS Code and on the wire. */
export const SECTION = "immunoLs";

/** The server's rules, in the order of its README. */
export const RULES = [
  "autoimmune-misnomer",
  "wrong-target",
  "wrong-class",
  "contagious-myth",
  "outdated-status",
] as const;

/** Severities the server accepts for a rule. */
export const SEVERITIES = ["error", "warning", "information", "hint", "off"] as const;

/** The extension-only value meaning "leave it to .immuno-ls.toml and the built-in default". */
export const DEFAULT_SEVERITY = "default";

export const DEFAULT_LANGUAGE_IDS = ["markdown", "plaintext"];

export const LOG_LEVELS = ["error", "warn", "info", "debug", "trace"] as const;

/** The server's section as it is sent. */
export interface ServerSettings {
  vocabulary: string[];
  rules: Record<string, string>;
  inlayHints: boolean;
  languageIds: string[];
  pushDiagnostics: boolean;
}

export interface MapContext {
  workspaceFolder?: string;
  home: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringList(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) {
    return undefined;
  }
  return v.filter((s): s is string => typeof s === "string" && s.trim() !== "").map((s) => s.trim());
}

/**
 * Maps the `immunoLs` configuration object (as `workspace.getConfiguration("immunoLs")` gives it,
 * or a plain object of the same shape) to the server's section. Values the extension cannot
 * understand are reported in `problems` and left out, so the server keeps its own default.
 */
export function toServerSettings(
  raw: unknown,
  ctx: MapContext,
): { settings: ServerSettings; problems: string[] } {
  const problems: string[] = [];
  const cfg = isObject(raw) ? raw : {};

  const vocabulary = (stringList(cfg.vocabulary) ?? []).map((p) =>
    expandPath(p, ctx.workspaceFolder, ctx.home),
  );
  if (cfg.vocabulary !== undefined && !Array.isArray(cfg.vocabulary)) {
    problems.push('"immunoLs.vocabulary" must be a list of file paths');
  }

  const rules: Record<string, string> = {};
  if (isObject(cfg.rules)) {
    for (const [id, value] of Object.entries(cfg.rules)) {
      if (typeof value !== "string") {
        problems.push(`"immunoLs.rules.${id}" must be one of ${SEVERITIES.join(", ")} or default`);
        continue;
      }
      const sev = value.trim().toLowerCase();
      if (sev === DEFAULT_SEVERITY || sev === "") {
        continue;
      }
      // Unknown rule ids and severities are passed on: the server names the valid ones.
      rules[id] = sev;
    }
  } else if (cfg.rules !== undefined) {
    problems.push('"immunoLs.rules" must be an object of rule id to severity');
  }

  let inlayHints = false;
  if (typeof cfg.inlayHints === "boolean") {
    inlayHints = cfg.inlayHints;
  } else if (isObject(cfg.inlayHints) && typeof cfg.inlayHints.enabled === "boolean") {
    inlayHints = cfg.inlayHints.enabled;
  } else if (cfg.inlayHints !== undefined) {
    problems.push('"immunoLs.inlayHints" must be true or false');
  }

  let languageIds = stringList(cfg.languageIds);
  if (languageIds === undefined || languageIds.length === 0) {
    if (cfg.languageIds !== undefined) {
      problems.push('"immunoLs.languageIds" must be a non-empty list of language ids');
    }
    languageIds = [...DEFAULT_LANGUAGE_IDS];
  }

  let pushDiagnostics = true;
  if (typeof cfg.pushDiagnostics === "boolean") {
    pushDiagnostics = cfg.pushDiagnostics;
  } else if (cfg.pushDiagnostics !== undefined) {
    problems.push('"immunoLs.pushDiagnostics" must be true or false');
  }

  return { settings: { vocabulary, rules, inlayHints, languageIds, pushDiagnostics }, problems };
}

/** The server's log filter (`IMMUNO_LS_LOG`) from `immunoLs.server.logLevel`. */
export function logLevel(raw: unknown): string {
  const cfg = isObject(raw) ? raw : {};
  const server = isObject(cfg.server) ? cfg.server : {};
  const level = typeof server.logLevel === "string" ? server.logLevel : "warn";
  return (LOG_LEVELS as readonly string[]).includes(level) ? level : "warn";
}

/** The document selector for the language ids analysed: files and unsaved documents. */
export function documentSelector(languageIds: string[]): { scheme: string; language: string }[] {
  const out: { scheme: string; language: string }[] = [];
  for (const language of languageIds) {
    for (const scheme of ["file", "untitled"]) {
      out.push({ scheme, language });
    }
  }
  return out;
}

/** Settings whose change needs a new server process rather than a notification. */
export const RESTART_SETTINGS = [
  `${SECTION}.server.path`,
  `${SECTION}.server.logLevel`,
  `${SECTION}.languageIds`,
];
