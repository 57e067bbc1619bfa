// Finding the immuno-ls executable: the setting `immunoLs.server.path`, else the binary bundled in
// the extension, else `PATH`. Pure Node (no `vscode` import) so that `node --test` covers it.

import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The executable's base name on this platform. */
export function executableName(platform: NodeJS.Platform = process.platform): string {
  return platform === "win32" ? "immuno-ls.exe" : "immuno-ls";
}

/** Where a bundled server sits inside the extension folder. */
export function bundledServerPath(
  extensionPath: string,
  platform: NodeJS.Platform = process.platform,
): string {
  const pathApi = platform === "win32" ? path.win32 : path.posix;
  return pathApi.join(extensionPath, "server", executableName(platform));
}

/** Whether `p` is a regular file that this process may execute. */
export function isExecutableFile(p: string, platform: NodeJS.Platform = process.platform): boolean {
  try {
    if (!fs.statSync(p).isFile()) {
      return false;
    }
    if (platform === "win32") {
      return true;
    }
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Expands `~`, `${userHome}` and `${workspaceFolder}` in a path taken from the settings. */
export function expandPath(value: string, workspaceFolder: string | undefined, home: string): string {
  let out = value.trim();
  if (out === "~") {
    out = home;
  } else if (out.startsWith("~/") || out.startsWith("~\\")) {
    out = path.join(home, out.slice(2));
  }
  out = out.replace(/\$\{userHome\}/g, home);
  if (workspaceFolder !== undefined) {
    out = out.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  }
  return out;
}

export interface ResolveInput {
  /** The value of `immunoLs.server.path` (empty or undefined: not set). */
  configured?: string;
  /** The first workspace folder, for relative paths and `${workspaceFolder}`. */
  workspaceFolder?: string;
  /** The extension's own folder (for the bundled binary). */
  extensionPath: string;
  /** The `PATH` to search. */
  envPath?: string;
  /** `PATHEXT` on Windows. */
  pathExt?: string;
  platform?: NodeJS.Platform;
  home?: string;
  /** Replaceable for tests. */
  isExecutable?: (p: string) => boolean;
}

export type Resolution =
  | { kind: "setting" | "bundled" | "path"; path: string }
  | { kind: "bad-setting"; configured: string; path: string }
  | { kind: "not-found"; searched: string[] };

/** Finds the server, or says where it looked. */
export function resolveServer(input: ResolveInput): Resolution {
  const platform = input.platform ?? process.platform;
  const home = input.home ?? os.homedir();
  const isExec = input.isExecutable ?? ((p: string) => isExecutableFile(p, platform));
  const pathApi = platform === "win32" ? path.win32 : path.posix;

  const configured = (input.configured ?? "").trim();
  if (configured !== "") {
    let p = expandPath(configured, input.workspaceFolder, home);
    if (!pathApi.isAbsolute(p) && input.workspaceFolder !== undefined) {
      p = pathApi.join(input.workspaceFolder, p);
    }
    // A bare name ("immuno-ls") in the setting means: look it up on PATH.
    if (!p.includes("/") && !p.includes("\\")) {
      const found = searchPath(p, input.envPath ?? "", platform, input.pathExt, isExec);
      return found ? { kind: "setting", path: found } : { kind: "bad-setting", configured, path: p };
    }
    return isExec(p) ? { kind: "setting", path: p } : { kind: "bad-setting", configured, path: p };
  }

  const searched: string[] = [];
  const bundled = bundledServerPath(input.extensionPath, platform);
  searched.push(bundled);
  if (isExec(bundled)) {
    return { kind: "bundled", path: bundled };
  }
  const name = executableName(platform);
  const onPath = searchPath(name, input.envPath ?? "", platform, input.pathExt, isExec);
  if (onPath) {
    return { kind: "path", path: onPath };
  }
  searched.push(`${name} on PATH`);
  return { kind: "not-found", searched };
}

/** Looks a command up on a `PATH` string, as a shell would. */
export function searchPath(
  name: string,
  envPath: string,
  platform: NodeJS.Platform,
  pathExt: string | undefined,
  isExec: (p: string) => boolean,
): string | undefined {
  const pathApi = platform === "win32" ? path.win32 : path.posix;
  const sep = platform === "win32" ? ";" : ":";
  const exts =
    platform === "win32" && pathApi.extname(name) === ""
      ? (pathExt ?? ".EXE;.CMD;.BAT;.COM").split(";").filter((e) => e !== "")
      : [""];
  for (const dir of envPath.split(sep)) {
    if (dir === "") {
      continue;
    }
    for (const ext of exts) {
      const candidate = pathApi.join(dir, name + ext);
      if (isExec(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** The notification text for a server that could not be found, with the fix. */
export function notFoundMessage(res: Resolution): string | undefined {
  switch (res.kind) {
    case "bad-setting":
      return (
        `immuno-ls: the setting "immunoLs.server.path" is "${res.configured}", but ${res.path} ` +
        "is not an executable file. Fix the path (or clear the setting to use the bundled binary " +
        "or immuno-ls on PATH), then run \"immuno-ls: Restart server\"."
      );
    case "not-found":
      return (
        "immuno-ls: the language server was not found (no bundled binary, and no immuno-ls on " +
        "PATH). Install it with `cargo install --path .` in the immuno-ls repository (or put the " +
        "immuno-ls binary on your PATH), or set \"immunoLs.server.path\" to the binary, then run " +
        "\"immuno-ls: Restart server\"."
      );
    default:
      return undefined;
  }
}
