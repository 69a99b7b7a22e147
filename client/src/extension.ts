import * as vscode from 'vscode';
import { ExecuteCommandRequest, State, type LanguageClient } from 'vscode-languageclient/node';
import { SERVER_COMMANDS, STATUS_NOTIFICATION, type FixAllCommandArguments, type StatusParams } from 'otel-async-lint-server/protocol';
import { createClient, LINTED_LANGUAGES } from './client';
import { StatusItem } from './status-item';

/**
 * The extension: starts the bundled language server for Python files and adds three commands. All
 * linting happens in the server; this side only wires VS Code to it.
 */

const COMMANDS = {
  restartServer: 'otelAsync.restartServer',
  showOutput: 'otelAsync.showOutput',
  fixAll: 'otelAsync.fixAll',
} as const;

let client: LanguageClient | undefined;

/** What the extension exposes, for its own in-editor tests. */
export interface OtelAsyncApi {
  readonly client: () => LanguageClient | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<OtelAsyncApi> {
  const output = vscode.window.createOutputChannel('OTel Async Lint', { log: true });
  const status = new StatusItem(COMMANDS.showOutput);
  context.subscriptions.push(output, status);

  const start = async (): Promise<void> => {
    status.starting();
    const next = createClient(context.extensionPath, output);
    next.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => {
      status.update(params);
    });
    next.onDidChangeState((event) => {
      if (event.newState === State.Stopped) status.stopped('The language server stopped; see the output.');
    });
    client = next;
    try {
      await next.start();
      status.update({ state: 'ready', message: 'Ready' });
    } catch (error) {
      const message = `The OTel Async Lint server could not start: ${error instanceof Error ? error.message : String(error)}`;
      output.error(message);
      status.stopped(message);
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showOutput, () => {
      output.show(true);
    }),
    vscode.commands.registerCommand(COMMANDS.restartServer, async () => {
      const previous = client;
      client = undefined;
      if (previous?.isRunning() === true) await previous.stop();
      await previous?.dispose();
      await start();
    }),
    vscode.commands.registerCommand(COMMANDS.fixAll, async () => {
      const editor = vscode.window.activeTextEditor;
      if (!client || editor === undefined || !(LINTED_LANGUAGES as readonly string[]).includes(editor.document.languageId)) return false;
      const args: FixAllCommandArguments = {
        uri: client.code2ProtocolConverter.asUri(editor.document.uri),
        version: editor.document.version,
      };
      const applied: unknown = await client.sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMANDS.fixAll, arguments: [args] });
      return applied === true;
    }),
    // Trust granted: the server may now load the workspace's eslint.config.*.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void client?.sendNotification('workspace/didChangeConfiguration', { settings: null });
    }),
  );

  await start();
  return { client: () => client };
}

export async function deactivate(): Promise<void> {
  const current = client;
  client = undefined;
  if (current?.isRunning() === true) await current.stop();
}
