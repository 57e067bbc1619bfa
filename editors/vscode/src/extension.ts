// The VS Code client of immuno-ls: starts the server over stdio for Markdown and plain text, passes
// the `immunoLs.*` settings through (initializationOptions, workspace/configuration and
// workspace/didChangeConfiguration), and offers "immuno-ls: Restart server".

import * as os from "os";
import * as vscode from "vscode";
import {
  ConfigurationParams,
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";

import { notFoundMessage, resolveServer } from "./serverPath";
import {
  RESTART_SETTINGS,
  SECTION,
  documentSelector,
  logLevel,
  toServerSettings,
} from "./settings";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
let extensionPath = "";
/** The last problem shown to the user (for tests and the output channel). */
let lastProblem: string | undefined;
/** The server in use and how it was found. */
let serverInUse: { path: string; kind: string } | undefined;
/** Serialises starts and stops. */
let queue: Promise<unknown> = Promise.resolve();

function firstFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

function folderOf(scope: vscode.Uri | undefined): string | undefined {
  if (scope) {
    const f = vscode.workspace.getWorkspaceFolder(scope);
    if (f) {
      return f.uri.fsPath;
    }
  }
  return firstFolder();
}

/** The server's section for a scope (a document or a folder), with problems logged. */
function serverSettings(scope?: vscode.Uri) {
  const raw = vscode.workspace.getConfiguration(SECTION, scope ?? null);
  const plain = JSON.parse(JSON.stringify(raw)) as unknown;
  const { settings, problems } = toServerSettings(plain, {
    workspaceFolder: folderOf(scope),
    home: os.homedir(),
  });
  for (const p of problems) {
    output?.appendLine(`[settings] ${p}`);
  }
  return settings;
}

async function start(): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const resolution = resolveServer({
    configured: config.get<string>("server.path", ""),
    workspaceFolder: firstFolder(),
    extensionPath,
    envPath: process.env.PATH,
    pathExt: process.env.PATHEXT,
  });
  if (resolution.kind === "bad-setting" || resolution.kind === "not-found") {
    const problem = notFoundMessage(resolution) ?? "immuno-ls: the server was not found";
    lastProblem = problem;
    output?.appendLine(problem);
    void vscode.window
      .showErrorMessage(problem, "Open Settings", "Show Output")
      .then((choice) => {
        if (choice === "Open Settings") {
          void vscode.commands.executeCommand("workbench.action.openSettings", "immunoLs.server.path");
        } else if (choice === "Show Output") {
          output?.show(true);
        }
      });
    return;
  }
  lastProblem = undefined;
  serverInUse = { path: resolution.path, kind: resolution.kind };
  output?.appendLine(`Starting ${resolution.path} (found by ${resolution.kind})`);

  const raw = JSON.parse(JSON.stringify(config)) as unknown;
  const settings = serverSettings();
  let c: LanguageClient | undefined;
  const serverOptions: ServerOptions = {
    command: resolution.path,
    args: ["--stdio"],
    options: {
      cwd: firstFolder(),
      env: { ...process.env, IMMUNO_LS_LOG: logLevel(raw) },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(settings.languageIds),
    outputChannel: output,
    initializationOptions: { [SECTION]: settings },
    middleware: {
      // VS Code pulls diagnostics (textDocument/diagnostic) when the server offers them; the pushed
      // copies would then show twice, so they are dropped. Servers without pull still push.
      handleDiagnostics: (uri, diagnostics, next) => {
        if (c?.initializeResult?.capabilities.diagnosticProvider === undefined) {
          next(uri, diagnostics);
        }
      },
      workspace: {
        configuration: async (params: ConfigurationParams, token, next) => {
          const answer = await next(params, token);
          const values = Array.isArray(answer) ? [...answer] : params.items.map(() => null);
          params.items.forEach((item, i) => {
            if (item.section === SECTION) {
              const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
              values[i] = serverSettings(scope);
            }
          });
          return values;
        },
      },
    },
  };
  c = new LanguageClient("immunoLs", "immuno-ls", serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
  } catch (e) {
    client = undefined;
    const msg = e instanceof Error ? e.message : String(e);
    output?.appendLine(`The server did not start: ${msg}`);
    void vscode.window
      .showErrorMessage(`immuno-ls: the server at ${resolution.path} did not start (${msg}).`, "Show Output")
      .then((choice) => choice && output?.show(true));
    return;
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop();
    } catch (e) {
      output?.appendLine(`Stopping the server failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

function enqueue(job: () => Promise<void>): Promise<void> {
  const next = queue.then(job, job);
  queue = next.catch(() => undefined);
  return next;
}

/** What the extension exports to other extensions and to its tests. */
export interface Api {
  isRunning(): boolean;
  lastProblem(): string | undefined;
  server(): { path: string; kind: string } | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<Api> {
  extensionPath = context.extensionPath;
  output = vscode.window.createOutputChannel("immuno-ls");
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand("immunoLs.restart", () =>
      enqueue(async () => {
        output?.appendLine("Restarting the server");
        await stop();
        await start();
      }),
    ),
    vscode.commands.registerCommand("immunoLs.showOutput", () => output?.show(true)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) {
        return;
      }
      if (RESTART_SETTINGS.some((s) => e.affectsConfiguration(s))) {
        void vscode.commands.executeCommand("immunoLs.restart");
        return;
      }
      const c = client;
      if (c?.isRunning()) {
        void c.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { [SECTION]: serverSettings() },
        });
      }
    }),
  );

  await enqueue(start);
  return { isRunning, lastProblem: () => lastProblem, server: () => serverInUse };
}

export function deactivate(): Promise<void> | undefined {
  return enqueue(stop);
}

/** For tests: whether a client is running. */
export function isRunning(): boolean {
  return client?.isRunning() ?? false;
}
