import { CodeActionKind, TextDocumentSyncKind, type InitializeParams, type InitializeResult } from 'vscode-languageserver';
import type { ServerContext } from '../context';
import { FIX_ALL_KIND, SERVER_COMMANDS, SETTINGS_SECTION } from '../protocol';

export function initialize(context: ServerContext, params: InitializeParams): InitializeResult {
  context.session.capabilities = params.capabilities;
  // Clients that cannot answer workspace/configuration may send the settings here instead.
  const options = params.initializationOptions as Record<string, unknown> | undefined | null;
  if (options && typeof options === 'object') context.session.pushedSettings = options[SETTINGS_SECTION] ?? options;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
      executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'otel-async-lint' },
  };
}
