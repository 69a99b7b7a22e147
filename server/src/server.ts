import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  LSPErrorCodes,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  type Connection,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';
import { BuiltInEngine } from './engine';
import { errorMessage, type ServerContext } from './context';
import { codeAction } from './handlers/code-action';
import { codeActionResolve } from './handlers/code-action-resolve';
import { didChange } from './handlers/did-change';
import { didChangeConfiguration } from './handlers/did-change-configuration';
import { didChangeWatchedFiles } from './handlers/did-change-watched-files';
import { didClose } from './handlers/did-close';
import { didOpen } from './handlers/did-open';
import { didSave } from './handlers/did-save';
import { executeCommand } from './handlers/execute-command';
import { initialize } from './handlers/initialize';
import { initialized } from './handlers/initialized';
import { VersionNotingReader } from './incoming';
import { Linting } from './lint';
import { loadPlugin } from './plugin';
import { SETTINGS_SECTION } from './protocol';
import { Session } from './session';
import { Status } from './status';
import { Validator } from './validator';
import { WorkspaceConfigs } from './workspace-config';

/**
 * The otel-async language server. This file is the routing table: one handler per LSP method, each in
 * `handlers/`. Run it with `--stdio` (editors, tests) or `--node-ipc` (VS Code's client).
 */

function transport(): [MessageReader, MessageWriter] {
  if (process.argv.includes('--stdio')) return [new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout)];
  if (process.argv.includes('--node-ipc')) return [new IPCMessageReader(process), new IPCMessageWriter(process)];
  process.stderr.write('otel-async language server: start it with --stdio or --node-ipc.\n');
  process.exit(2);
}

function routeConsole(connection: Connection): void {
  // With --stdio, stdout is the protocol: anything a dependency prints goes to the log instead.
  console.log = (...args: unknown[]) => { connection.console.log(args.map(String).join(' ')); };
  console.info = (...args: unknown[]) => { connection.console.info(args.map(String).join(' ')); };
  console.warn = (...args: unknown[]) => { connection.console.warn(args.map(String).join(' ')); };
  console.error = (...args: unknown[]) => { connection.console.error(args.map(String).join(' ')); };
}

let shutdownRequested = false;

function main(): void {
  const session = new Session();
  const [reader, writer] = transport();
  const connection = createConnection(ProposedFeatures.all, new VersionNotingReader(reader, (uri, version) => { session.noteIncomingVersion(uri, version); }), writer, {
    // A request cancelled while still queued (behind a long lint) is answered at once.
    cancelUndispatched: () => ({ jsonrpc: '2.0', id: null, error: { code: LSPErrorCodes.RequestCancelled, message: 'The request was cancelled.' } }),
  });
  routeConsole(connection);
  // The client is gone (stdin closed, IPC channel lost): nothing will ever ask for results again.
  reader.onClose(() => process.exit(shutdownRequested ? 0 : 1));
  process.on('uncaughtException', (error) => { connection.console.error(`Unexpected error (the server keeps running): ${errorMessage(error)}\n${error.stack ?? ''}`); });
  process.on('unhandledRejection', (reason) => { connection.console.error(`Unexpected error (the server keeps running): ${errorMessage(reason)}`); });

  const workspaceConfigs = new WorkspaceConfigs();
  const linting = loadPlugin().then((plugin) => new Linting(new BuiltInEngine(plugin, (problem) => { connection.console.warn(`Settings: ${problem}`); }, (warning) => { connection.console.warn(warning); }), workspaceConfigs));
  linting.catch((error: unknown) => { connection.console.error(`The linter is unavailable: ${errorMessage(error)}`); });
  const status = new Status(connection);
  const validator = new Validator(connection, session, status, linting);
  const context: ServerContext = { connection, session, status, validator, linting, workspaceConfigs };

  session.setSettingsSource(
    async (uri) => {
      if (session.capabilities.workspace?.configuration !== true) return session.pushedSettings;
      const [settings] = (await connection.workspace.getConfiguration([{ scopeUri: uri, section: SETTINGS_SECTION }])) as unknown[];
      return settings;
    },
    (problem) => { connection.console.warn(`Settings: ${problem}`); },
  );

  connection.onInitialize((params) => initialize(context, params));
  connection.onInitialized(() => { initialized(context); });
  connection.onDidOpenTextDocument((params) => { didOpen(context, params); });
  connection.onDidChangeTextDocument((params) => { didChange(context, params); });
  connection.onDidSaveTextDocument((params) => { didSave(context, params); });
  connection.onDidCloseTextDocument((params) => { didClose(context, params); });
  connection.onDidChangeConfiguration((params) => { didChangeConfiguration(context, params); });
  connection.onDidChangeWatchedFiles((params) => { didChangeWatchedFiles(context, params); });
  connection.onCodeAction((params, token) => codeAction(context, params, token));
  connection.onCodeActionResolve((action, token) => codeActionResolve(context, action, token));
  connection.onExecuteCommand((params) => executeCommand(context, params));
  connection.onShutdown(() => {
    shutdownRequested = true;
    connection.console.info('Shutting down.');
  });
  connection.listen();
}

main();
