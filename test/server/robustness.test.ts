import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CodeActionRequest, LSPErrorCodes, MessageType, ResponseError } from 'vscode-languageserver-protocol/node';
import { LspClient } from './lsp-client.js';

/** About 5 MB of valid Python with one syntax error on the last line. */
function fiveMegabytes(): { text: string; lastLine: number } {
  const line = 'value = compute(1, 2)  # ' + 'x'.repeat(60) + '\n';
  const count = Math.ceil(5_000_000 / line.length);
  return { text: `${line.repeat(count)}def tail(:\n    pass\n`, lastLine: count };
}

describe('bad input gets diagnostics or a clear message, never a crash', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('binary junk is not linted, and the log says why', async () => {
    const uri = 'file:///project/blob.py';
    const junk = Array.from({ length: 4096 }, (_, index) => String.fromCharCode((index * 7919) % 256)).join('');
    await client.open(uri, junk);
    assert.deepEqual((await client.diagnosticsFor(uri, 1)).diagnostics, []);
    const warning = client.logs.find((log) => log.message.startsWith(`Not linting ${uri}`));
    assert.deepEqual(warning, {
      type: MessageType.Warning,
      message: `Not linting ${uri}: the document contains a NUL character (offset 0), so it looks like binary data, not Python.`,
    });
  });

  test('text that is not Python gets syntax errors and the server keeps serving', async () => {
    const uri = 'file:///project/noise.py';
    const noise = Array.from({ length: 2000 }, (_, index) => String.fromCharCode(33 + ((index * 7919) % 90))).join('');
    await client.open(uri, noise);
    const diagnostics = (await client.diagnosticsFor(uri, 1)).diagnostics;
    assert.ok(diagnostics.length > 0);
    assert.ok(diagnostics.every((diagnostic) => diagnostic.code === 'otel-async/syntax-error'));
    const healthy = 'file:///project/healthy.py';
    await client.open(healthy, 'def f(:\n    pass\n');
    assert.equal((await client.diagnosticsFor(healthy, 1)).diagnostics.length, 1);
  });

  test('a 5 MB document is linted, with the error on its last lines at the exact place', async () => {
    const uri = 'file:///project/huge.py';
    const { text, lastLine } = fiveMegabytes();
    await client.open(uri, text);
    const diagnostics = (await client.until('diagnostics for the 5 MB document', () => client.published.find((params) => params.uri === uri), 60_000)).diagnostics;
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range]),
      [['otel-async/syntax-error', { start: { line: lastLine, character: 9 }, end: { line: lastLine, character: 9 } }]],
    );
  });

  test('odd encodings: a BOM, lone surrogates and CR-only line breaks', async () => {
    const uri = 'file:///project/odd.py';
    await client.open(uri, '\uFEFFname = "\uD800"\rdef f(:\r    pass\r');
    assert.deepEqual(
      (await client.diagnosticsFor(uri, 1)).diagnostics.map((diagnostic) => diagnostic.range),
      [{ start: { line: 1, character: 6 }, end: { line: 1, character: 6 } }],
    );
  });

  test('a change to a document that is not open is logged and ignored', async () => {
    const uri = 'file:///project/never-opened.py';
    await client.change(uri, 2, [{ text: 'x = 1\n' }]);
    await client.until('the warning', () => client.logs.find((log) => log.message === `Ignored a change to ${uri}, which is not open.`));
  });

  test('an unknown request is answered with MethodNotFound', async () => {
    await assert.rejects(client.connection.sendRequest('otelAsync/noSuchMethod', {}), (error: unknown) => {
      assert.ok(error instanceof ResponseError);
      assert.equal(error.code, -32601);
      return true;
    });
  });
});

describe('never stale, and cancellation is honoured', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  /** Keeps the server busy in one synchronous lint of about a second. */
  async function occupy(name: string): Promise<void> {
    await client.open(`file:///project/${name}.py`, fiveMegabytes().text);
    // Give the server time to take the document and start linting it.
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  test('edits that arrive while the server is busy are linted once, at their newest version', async () => {
    await occupy('busy-1');
    const uri = 'file:///project/typing.py';
    await client.open(uri, 'def f(:\n');
    await client.change(uri, 2, [{ text: 'x = 1\n' }]);
    await client.change(uri, 3, [{ text: 'def g(:\n    pass\n' }]);
    const published = await client.diagnosticsFor(uri, 3);
    assert.deepEqual(published.diagnostics.map((diagnostic) => diagnostic.range), [{ start: { line: 0, character: 6 }, end: { line: 0, character: 6 } }]);
    // Nothing was published for versions 1 and 2: their text was already gone when the lint ran.
    assert.deepEqual(client.publishedFor(uri).map((params) => params.version), [3]);
  });

  test('a code action request cancelled while queued is answered with RequestCancelled', async () => {
    const uri = 'file:///project/cancel.py';
    await client.open(uri, 'def f(:\n');
    const diagnostics = (await client.diagnosticsFor(uri, 1)).diagnostics;
    await occupy('busy-2');
    const controller = new AbortController();
    const { CancellationTokenSource } = await import('vscode-languageserver-protocol/node');
    const source = new CancellationTokenSource();
    controller.signal.addEventListener('abort', () => { source.cancel(); });
    const request = client.connection.sendRequest(
      CodeActionRequest.type,
      { textDocument: { uri }, range: diagnostics[0]?.range ?? assert.fail(), context: { diagnostics } },
      source.token,
    );
    controller.abort();
    await assert.rejects(request, (error: unknown) => {
      assert.ok(error instanceof ResponseError);
      assert.equal(error.code, LSPErrorCodes.RequestCancelled);
      return true;
    });
  });
});

describe('lifecycle', () => {
  test('initialize announces incremental sync, code actions with fix-all and resolve, and the commands', async (t) => {
    const client = await LspClient.start();
    t.after(() => client.stop());
    assert.deepEqual(client.initializeResult, {
      capabilities: {
        textDocumentSync: { openClose: true, change: 2, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: ['quickfix', 'source.fixAll.otel-async'], resolveProvider: true },
        executeCommandProvider: { commands: ['otel-async.server.fixAll', 'otel-async.server.showDocumentation'] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'otel-async-lint' },
    });
    await client.until('registrations', () => (client.registrations.length === 2 ? client.registrations : undefined));
    assert.deepEqual(client.registrations.sort(), ['workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles']);
    assert.equal(await client.stop(), 0);
  });

  test('the server exits when its client goes away without a word', async () => {
    const client = await LspClient.start();
    client.process.stdin.end();
    assert.equal(await client.exited(), 1);
    client.connection.dispose();
  });

  test('exit without shutdown ends the process with code 1', async () => {
    const client = await LspClient.start();
    await client.connection.sendNotification('exit');
    assert.equal(await client.exited(), 1);
    client.connection.dispose();
  });
});
