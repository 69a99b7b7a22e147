import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CodeActionRequest, CodeActionResolveRequest, type CodeAction, type Diagnostic, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol/node';
import { applyTextEdits, LspClient } from './lsp-client.js';
import { AUDIT_RANGE, END_RANGE, FLOATING_TS } from './ts-documents.js';

/**
 * TypeScript and JavaScript documents through the real server over stdio: the plugin's TS/JS rules,
 * `//` disable comments, and type information from the workspace's tsconfig.json in trusted workspaces.
 */

const BLOCKING_JS = [
  "import { readFileSync } from 'node:fs';",
  "import { trace } from '@opentelemetry/api';",
  "const tracer = trace.getTracer('files');",
  "tracer.startActiveSpan('load', (span) => {",
  "  const text = readFileSync('/etc/hosts', 'utf8');",
  '  span.end();',
  '  return text;',
  '});',
  '',
].join('\n');

// `fetchOrder` is declared, not an async function of this module: only its type says it is a Promise.
const DECLARED_PROMISE = [
  "import { trace } from '@opentelemetry/api';",
  'declare function fetchOrder(id: string): Promise<string>;',
  "const tracer = trace.getTracer('shop');",
  'export function handle(id: string) {',
  "  tracer.startActiveSpan('handle', (span) => {",
  '    fetchOrder(id);',
  '    span.end();',
  '  });',
  '}',
  '',
].join('\n');

function editsOf(action: CodeAction, uri: string, version: number): TextEdit[] {
  const changes = action.edit?.documentChanges as TextDocumentEdit[] | undefined;
  assert.ok(changes, `"${action.title}" has no documentChanges`);
  assert.equal(changes.length, 1);
  const [change] = changes;
  assert.ok(change);
  assert.deepEqual(change.textDocument, { uri, version });
  return change.edits as TextEdit[];
}

function messageText(diagnostic: Diagnostic | undefined): string {
  assert.ok(diagnostic);
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

function ruleDiagnostics(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

describe('TypeScript and JavaScript documents (untrusted workspace: syntactic)', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('a floating promise inside tracer.startActiveSpan is reported with its rule, source and range', async () => {
    const uri = 'untitled:Untitled-ts-1';
    await client.open(uri, FLOATING_TS, 1, 'typescript');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.source, diagnostic.code, diagnostic.range]),
      [
        ['otel-async', 'otel-async/no-untracked-task', AUDIT_RANGE],
        ['otel-async', 'otel-async/no-leaked-context', END_RANGE],
      ],
    );
    assert.match(messageText(diagnostics[0]), /audit\(\)/);
  });

  test('"Disable ... for this line" inserts a // directive with the line\'s indentation, and it silences the rule', async () => {
    const uri = 'untitled:Untitled-ts-2';
    await client.open(uri, FLOATING_TS, 1, 'typescript');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    const result = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: AUDIT_RANGE, context: { diagnostics } });
    const actions = (result ?? []) as CodeAction[];
    const disable = actions.find((action) => action.title === 'Disable otel-async/no-untracked-task for this line');
    assert.ok(disable, `no disable action among ${JSON.stringify(actions.map((action) => action.title))}`);
    const resolved = await client.connection.sendRequest(CodeActionResolveRequest.type, disable);
    const edits = editsOf(resolved, uri, 1);
    assert.deepEqual(edits, [
      { range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, newText: '    // eslint-disable-next-line otel-async/no-untracked-task\n' },
    ]);
    const next = applyTextEdits(FLOATING_TS, edits);
    await client.change(uri, 2, [{ text: next }]);
    // Only the other rule's problem is left, one line lower.
    assert.deepEqual(
      (await client.diagnosticsFor(uri, 2)).diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line]),
      [['otel-async/no-leaked-context', 7]],
    );
  });

  test('a javascript document: readFileSync inside a span', async () => {
    const uri = 'untitled:Untitled-js-1';
    await client.open(uri, BLOCKING_JS, 1, 'javascript');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    const blocking = ruleDiagnostics(diagnostics, 'otel-async/no-blocking-in-span');
    assert.deepEqual(
      blocking.map((diagnostic) => [diagnostic.source, diagnostic.range]),
      [['otel-async', { start: { line: 4, character: 15 }, end: { line: 4, character: 49 } }]],
    );
  });

  test('a javascriptreact document is linted too', async () => {
    const uri = 'untitled:Untitled-jsx-1';
    const text = BLOCKING_JS.replace('  return text;', '  return <pre>{text}</pre>;');
    await client.open(uri, text, 1, 'javascriptreact');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(
      ruleDiagnostics(diagnostics, 'otel-async/no-blocking-in-span').map((diagnostic) => diagnostic.range),
      [{ start: { line: 4, character: 15 }, end: { line: 4, character: 49 } }],
    );
  });

  test('without type information a declared Promise-returning function is not known to be a promise', async () => {
    const uri = 'untitled:Untitled-ts-3';
    await client.open(uri, DECLARED_PROMISE, 1, 'typescript');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['otel-async/no-leaked-context']);
  });

  test('a Python document in the same server is still linted', async () => {
    const uri = 'untitled:Untitled-py-1';
    await client.open(uri, ['import time', '', '', 'async def handler():', '    time.sleep(1)', ''].join('\n'), 1, 'python');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range]),
      [['otel-async/no-blocking-in-span', { start: { line: 4, character: 4 }, end: { line: 4, character: 17 } }]],
    );
  });

  test('a TS document with a syntax error gets the parser\'s error, not a crash', async () => {
    const uri = 'untitled:Untitled-ts-4';
    await client.open(uri, 'const x = (;\n', 1, 'typescript');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    assert.equal(diagnostics.length, 1);
    assert.match(messageText(diagnostics[0]), /Parsing error/);
  });
});

describe('TypeScript documents in a trusted workspace with a tsconfig.json (type information)', () => {
  let workspace: string;
  let client: LspClient;
  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'otel-async-ts-workspace-'));
    writeFileSync(join(workspace, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', module: 'nodenext', noEmit: true }, include: ['src'] }));
    client = await LspClient.start({ settings: { workspaceTrusted: true, workspaceFolder: workspace } });
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    rmSync(workspace, { recursive: true, force: true });
  });

  test('a declared Promise-returning call that floats in a span is found by its type', async () => {
    mkdirSync(join(workspace, 'src'));
    const file = join(workspace, 'src', 'handler.ts');
    writeFileSync(file, DECLARED_PROMISE);
    const uri = pathToFileURL(file).href;
    await client.open(uri, DECLARED_PROMISE, 1, 'typescript');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(
      ruleDiagnostics(diagnostics, 'otel-async/no-untracked-task').map((diagnostic) => diagnostic.range),
      [{ start: { line: 5, character: 4 }, end: { line: 5, character: 18 } }],
    );
  });

  test('a file outside the tsconfig project falls back to syntactic linting, with one log line', async () => {
    const file = join(workspace, 'outside.ts');
    writeFileSync(file, FLOATING_TS);
    const uri = pathToFileURL(file).href;
    await client.open(uri, FLOATING_TS, 1, 'typescript');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range]),
      [
        ['otel-async/no-untracked-task', AUDIT_RANGE],
        ['otel-async/no-leaked-context', END_RANGE],
      ],
    );
    assert.ok(client.logs.some((log) => log.message.startsWith(`Linting ${file} without type information:`)), JSON.stringify(client.logs));
  });
});
