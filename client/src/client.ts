import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { LanguageClient, RevealOutputChannelOn, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { configurationMiddleware } from './settings-middleware';

/** The languageIds the server lints (the manifest's activationEvents list the same ones). */
export const LINTED_LANGUAGES = ['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact'] as const;

/** The bundled server beside this bundle (the packaged extension), else the compiled one (development). */
export function serverModulePath(extensionPath: string): string {
  const bundled = path.join(extensionPath, 'dist', 'server.mjs');
  return existsSync(bundled) ? bundled : path.join(extensionPath, 'server', 'out', 'server.js');
}

export function createClient(extensionPath: string, outputChannel: vscode.LogOutputChannel): LanguageClient {
  const module = serverModulePath(extensionPath);
  // VS Code's own Node runs the server: users need no Node install.
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LINTED_LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    outputChannel,
    // Problems go to the output channel and the status item; the server never pops up on its own.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: { workspace: configurationMiddleware },
  };
  return new LanguageClient('otelAsync', 'OTel Async Lint', serverOptions, clientOptions);
}
