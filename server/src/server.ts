import {
  createConnection,
  DiagnosticSeverity,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Linter } from 'eslint';

/**
 * A first language server: lints open Python documents with ESLint's Linter and the plugin's
 * recommended config, in-process, the same engine `npx eslint` runs in CI. Code actions, settings and
 * workspace configs come with the editor issue.
 */
import type * as PluginModule from 'eslint-plugin-otel-async' with { 'resolution-mode': 'import' };
type Plugin = typeof PluginModule;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const linter = new Linter({ configType: 'flat' });
// The plugin is ESM with a top-level await (it loads the WASM grammar); this server is CommonJS.
const pluginLoaded: Promise<Plugin> = import('eslint-plugin-otel-async');

async function validate(document: TextDocument): Promise<void> {
  if (document.languageId !== 'python') return;
  const plugin = await pluginLoaded;
  const version = document.version;
  const messages = linter.verify(document.getText(), [...plugin.configs.recommended], { filename: 'document.py' });
  // A newer edit arrived while linting: its own validation publishes.
  if (documents.get(document.uri)?.version !== version) return;
  const diagnostics: Diagnostic[] = messages.map((message) => ({
    range: {
      start: { line: message.line - 1, character: message.column - 1 },
      end: { line: (message.endLine ?? message.line) - 1, character: (message.endColumn ?? message.column) - 1 },
    },
    severity: message.severity === 2 ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: 'otel-async',
    message: message.message,
    ...(message.ruleId ? { code: message.ruleId } : {}),
  }));
  await connection.sendDiagnostics({ uri: document.uri, version, diagnostics });
}

function validateAndLog(document: TextDocument): void {
  validate(document).catch((error: unknown) => {
    connection.console.error(`otel-async: linting ${document.uri} failed: ${String(error)}`);
  });
}

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
}));
documents.onDidChangeContent((change) => {
  validateAndLog(change.document);
});
documents.onDidClose((event) => {
  void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
});
documents.listen(connection);
connection.listen();
