import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Readable, Writable } from 'node:stream';
import {
  ApplyWorkspaceEditRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowDocumentRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ApplyWorkspaceEditParams,
  type ClientCapabilities,
  type InitializeResult,
  type LogMessageParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowDocumentParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

/**
 * A real LSP client for tests and benchmarks: spawns the built server (`node server/out/server.js
 * --stdio`, or the bundle named by OTEL_ASYNC_SERVER) and talks JSON-RPC to it over stdio, answering
 * the requests a VS Code client answers (configuration, applyEdit, showDocument, registrations).
 */

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SERVER_PATH = process.env.OTEL_ASYNC_SERVER ?? fileURLToPath(new URL('../../../server/out/server.js', import.meta.url));
export const FIXTURE_WORKSPACE = fileURLToPath(new URL('../../server/fixtures/workspace', import.meta.url));

/** What VS Code 1.100 announces, reduced to what this server looks at. */
export const VSCODE_LIKE_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    applyEdit: true,
    workspaceEdit: { documentChanges: true },
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, didSave: true },
    publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: {
      dataSupport: true,
      isPreferredSupport: true,
      resolveSupport: { properties: ['edit'] },
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'source', 'source.fixAll'] } },
    },
  },
  window: { showDocument: { support: true } },
};

export interface ClientOptions {
  /** The `otelAsync` section served for every `workspace/configuration` request (mutable later). */
  settings?: Record<string, unknown>;
  capabilities?: ClientCapabilities;
  /** Answer to `workspace/applyEdit`; default: applied. */
  applyEditResult?: boolean;
  /** The server to spawn instead of SERVER_PATH, with its working directory and environment. */
  server?: { path: string; cwd?: string; env?: NodeJS.ProcessEnv };
}

export class LspClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcessByStdio<Writable, Readable, Readable>;
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: LogMessageParams[] = [];
  readonly shownMessages: string[] = [];
  readonly shownDocuments: ShowDocumentParams[] = [];
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  readonly configurationRequests: unknown[] = [];
  readonly registrations: string[] = [];
  readonly statusUpdates: { state: string; message: string }[] = [];
  settings: Record<string, unknown>;
  stderr = '';
  initializeResult: InitializeResult | undefined;
  readonly #waiters = new Set<() => void>();
  readonly #exit: Promise<number | null>;

  private constructor(options: ClientOptions) {
    this.settings = options.settings ?? {};
    const server = options.server;
    this.process = spawn(process.execPath, [server?.path ?? SERVER_PATH, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: server?.cwd, env: server?.env });
    this.process.stderr.setEncoding('utf8');
    this.process.stderr.on('data', (chunk: string) => (this.stderr += chunk));
    this.#exit = once(this.process, 'exit').then(([code]) => code as number | null);
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      this.#notify();
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params);
      this.#notify();
    });
    this.connection.onNotification(ShowMessageNotification.type, (params) => {
      this.shownMessages.push(params.message);
      this.#notify();
    });
    this.connection.onNotification('otelAsync/status', (params: { state: string; message: string }) => {
      this.statusUpdates.push(params);
      this.#notify();
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => {
      this.configurationRequests.push(params);
      return params.items.map((item) => (item.section === 'otelAsync' ? this.settings : null));
    });
    this.connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations.map((registration) => registration.method));
      this.#notify();
    });
    this.connection.onRequest(ApplyWorkspaceEditRequest.type, (params) => {
      this.appliedEdits.push(params);
      this.#notify();
      return { applied: options.applyEditResult ?? true };
    });
    this.connection.onRequest(ShowDocumentRequest.type, (params) => {
      this.shownDocuments.push(params);
      this.#notify();
      return { success: true };
    });
    this.connection.listen();
  }

  static async start(options: ClientOptions = {}): Promise<LspClient> {
    const client = new LspClient(options);
    client.initializeResult = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      // Still a required property of InitializeParams, though deprecated in favour of workspaceFolders.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      rootUri: null,
      capabilities: options.capabilities ?? VSCODE_LIKE_CAPABILITIES,
      workspaceFolders: null,
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  async open(uri: string, text: string, version = 1, languageId = 'python'): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  async change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  async save(uri: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Serves new settings and tells the server, as VS Code does when settings.json changes. */
  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /** Resolves when `predicate` holds (checked now and after every message), or fails after `timeoutMs`. */
  async until<T>(describe: string, predicate: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    const immediate = predicate();
    if (immediate !== undefined) return immediate;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${describe}. Server stderr: ${this.stderr}`));
      }, timeoutMs);
      const check = (): void => {
        const value = predicate();
        if (value === undefined) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(value);
      };
      this.#waiters.add(check);
    });
  }

  /** The first publish for `uri` at `version` (or any version when omitted) after `after` publishes. */
  diagnosticsFor(uri: string, version?: number, after = 0): Promise<PublishDiagnosticsParams> {
    return this.until(`diagnostics for ${uri}${version === undefined ? '' : ` v${version}`}`, () =>
      this.published.slice(after).find((params) => params.uri === uri && (version === undefined || params.version === version)),
    );
  }

  publishedFor(uri: string): PublishDiagnosticsParams[] {
    return this.published.filter((params) => params.uri === uri);
  }

  /**
   * Shutdown then exit, as an editor closes a server; resolves with the process exit code. A server
   * that does not answer within 10 s is killed (the exit code is then null), so a failing test never
   * leaves a process behind.
   */
  async stop(): Promise<number | null> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const timer = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
      try {
        await this.connection.sendRequest(ShutdownRequest.type);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        this.process.kill('SIGKILL');
      }
      const code = await this.#exit;
      clearTimeout(timer);
      this.connection.dispose();
      return code;
    }
    this.connection.dispose();
    return this.#exit;
  }

  exited(): Promise<number | null> {
    return this.#exit;
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

/** A file URI inside the fixture workspace (the file need not exist). */
export function fixtureUri(name: string): string {
  return pathToFileURL(`${FIXTURE_WORKSPACE}/${name}`).href;
}

/** Applies LSP text edits to a text, the way an editor does (all ranges refer to the original text). */
export function applyTextEdits(text: string, edits: readonly { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const lineStarts = [0];
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '\r' && text[index + 1] === '\n') continue;
    if (char === '\n' || char === '\r') lineStarts.push(index + 1);
  }
  const offset = (position: { line: number; character: number }): number => {
    const start = lineStarts[position.line] ?? text.length;
    return Math.min(start + position.character, text.length);
  };
  const sorted = [...edits].sort((left, right) => offset(right.range.start) - offset(left.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}
