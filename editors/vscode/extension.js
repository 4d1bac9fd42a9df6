// The extension's code: starts the infra language server (`infrac lsp`)
// for .infra files through vscode-languageclient. Bundled with its
// dependencies into dist/extension.js by `npm run bundle` (esbuild), which
// `vsce package` runs first.
"use strict";

const vscode = require("vscode");

/** @type {import("vscode-languageclient/node").LanguageClient | undefined} */
let client;

/**
 * How to start the server: the `infra.server.path` setting (default
 * `infrac`, found on PATH) with the `lsp` subcommand, over stdio.
 * @param {{ get<T>(key: string, fallback: T): T }} config the `infra` settings
 */
function serverOptions(config) {
  const command = config.get("server.path", "") || "infrac";
  const args = ["lsp", ...config.get("server.extraArgs", [])];
  return { command, args, transport: 0 /* TransportKind.stdio */ };
}

/** @param {import("vscode").ExtensionContext} context */
async function activate(context) {
  // Required here, not at the top: tests load this file without VS Code.
  const { LanguageClient } = require("vscode-languageclient/node");
  const config = vscode.workspace.getConfiguration("infra");
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "infra" }],
    // Diagnostic codes link to their explanation; the server sends the link.
    markdown: { isTrusted: false },
  };
  client = new LanguageClient("infra", "Infra language server", serverOptions(config), clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("infra.server") && client) {
        await client.stop();
        client = new LanguageClient("infra", "Infra language server", serverOptions(vscode.workspace.getConfiguration("infra")), clientOptions);
        await client.start();
      }
    }),
  );
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(
      `Infra: could not start \`${serverOptions(config).command} lsp\` (${error.message}). ` +
        "Install infrac or set `infra.server.path`.",
    );
  }
}

async function deactivate() {
  if (client) {
    await client.stop();
  }
}

module.exports = { activate, deactivate, serverOptions };
