import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DiagnosticSeverity, MessageType } from 'vscode-languageserver-protocol/node';
import { LspClient } from './lsp-client.js';

const SYNTAX_DOCS = 'https://github.com/otel-async-lint/otel-async-lint/blob/main/rules/docs/syntax-error.md';
const BROKEN = 'def handler(:\n    pass\n';
const BROKEN_RANGE = { start: { line: 0, character: 12 }, end: { line: 0, character: 12 } };

describe('diagnostics over LSP with the built-in config', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('a syntax error is published with its exact range, rule, severity and doc link', async () => {
    const uri = 'file:///project/broken.py';
    await client.open(uri, BROKEN);
    const published = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(published.diagnostics, [
      {
        range: BROKEN_RANGE,
        severity: DiagnosticSeverity.Error,
        source: 'otel-async',
        message: "Syntax error: missing ')'",
        code: 'otel-async/syntax-error',
        codeDescription: { href: SYNTAX_DOCS },
        data: { version: 1, ruleId: 'otel-async/syntax-error' },
      },
    ]);
  });

  test('positions count UTF-16 units and survive CRLF line endings', async () => {
    const crlf = 'file:///project/crlf.py';
    await client.open(crlf, 'x = "é😀"\r\ndef f(:\r\n    pass\r\n');
    const crlfRanges = (await client.diagnosticsFor(crlf, 1)).diagnostics.map((diagnostic) => diagnostic.range);
    assert.deepEqual(crlfRanges, [{ start: { line: 1, character: 6 }, end: { line: 1, character: 6 } }]);

    const emoji = 'file:///project/emoji.py';
    await client.open(emoji, 'label = "😀😀" + )\n');
    const emojiDiagnostics = (await client.diagnosticsFor(emoji, 1)).diagnostics;
    // 9 + 2 * 2 (two astral characters) + 5 = 18 UTF-16 units.
    assert.deepEqual(
      emojiDiagnostics.map((diagnostic) => diagnostic.range),
      [{ start: { line: 0, character: 0 }, end: { line: 0, character: 18 } }],
    );
  });

  test('an incremental edit re-lints: fixing the error clears it, breaking again brings it back', async () => {
    const uri = 'file:///project/edit.py';
    await client.open(uri, BROKEN);
    assert.equal((await client.diagnosticsFor(uri, 1)).diagnostics.length, 1);
    // Insert the missing parenthesis after `handler(`.
    await client.change(uri, 2, [{ range: { start: { line: 0, character: 12 }, end: { line: 0, character: 12 } }, text: ')' }]);
    assert.deepEqual((await client.diagnosticsFor(uri, 2)).diagnostics, []);
    await client.change(uri, 3, [{ range: { start: { line: 0, character: 12 }, end: { line: 0, character: 13 } }, text: '' }]);
    assert.deepEqual(
      (await client.diagnosticsFor(uri, 3)).diagnostics.map((diagnostic) => diagnostic.range),
      [BROKEN_RANGE],
    );
  });

  test('closing a document clears its diagnostics', async () => {
    const uri = 'file:///project/closed.py';
    await client.open(uri, BROKEN);
    await client.diagnosticsFor(uri, 1);
    const count = client.published.length;
    await client.close(uri);
    const cleared = await client.until('cleared diagnostics', () => client.published.slice(count).find((params) => params.uri === uri));
    assert.deepEqual(cleared.diagnostics, []);
  });

  test('documents of other languages are not linted', async () => {
    const uri = 'file:///project/notes.txt';
    await client.open(uri, BROKEN, 1, 'plaintext');
    const python = 'file:///project/after-plaintext.py';
    await client.open(python, BROKEN);
    await client.diagnosticsFor(python, 1);
    assert.deepEqual(client.publishedFor(uri), []);
  });
});

describe('settings change the results without a restart', () => {
  let client: LspClient;
  const uri = 'file:///project/settings.py';
  before(async () => {
    client = await LspClient.start({ settings: {} });
    await client.open(uri, BROKEN);
    await client.diagnosticsFor(uri, 1);
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  async function republished(settings: Record<string, unknown>): Promise<{ severity: number | undefined; range: unknown }[]> {
    const count = client.published.length;
    await client.changeSettings(settings);
    const params = await client.until('re-published diagnostics', () => client.published.slice(count).find((published) => published.uri === uri));
    return params.diagnostics.map((diagnostic) => ({ severity: diagnostic.severity, range: diagnostic.range }));
  }

  test('showSyntaxErrors: false hides syntax errors, true shows them again', async () => {
    assert.deepEqual(await republished({ showSyntaxErrors: false }), []);
    assert.deepEqual(await republished({ showSyntaxErrors: true }), [{ severity: DiagnosticSeverity.Error, range: BROKEN_RANGE }]);
  });

  test('per-rule severities: info, warn, off (with or without the plugin prefix)', async () => {
    assert.deepEqual(await republished({ rules: { 'syntax-error': 'info' } }), [{ severity: DiagnosticSeverity.Information, range: BROKEN_RANGE }]);
    assert.deepEqual(await republished({ rules: { 'otel-async/syntax-error': 'warn' } }), [{ severity: DiagnosticSeverity.Warning, range: BROKEN_RANGE }]);
    assert.deepEqual(await republished({ rules: { 'syntax-error': 'off' } }), []);
  });

  test('enable: false clears the diagnostics', async () => {
    await republished({});
    assert.deepEqual(await republished({ enable: false }), []);
  });

  test('invalid values are logged once and fall back to their defaults', async () => {
    const logCount = client.logs.length;
    assert.deepEqual(await republished({ enable: 'yes', rules: { 'syntax-error': 'loud', 'no-such-rule': 'error' }, run: 'sometimes' }), [
      { severity: DiagnosticSeverity.Error, range: BROKEN_RANGE },
    ]);
    const warnings = client.logs.slice(logCount).filter((log) => log.type === MessageType.Warning).map((log) => log.message);
    assert.deepEqual(warnings.sort(), [
      'Settings: otelAsync.enable must be true or false, got "yes"; using true.',
      'Settings: otelAsync.rules names an unknown rule "otel-async/no-such-rule"; ignored.',
      'Settings: otelAsync.rules["syntax-error"] must be one of off, info, warn, error, got "loud"; ignored.',
      'Settings: otelAsync.run must be one of onType, onSave, got "sometimes"; using onType.',
    ]);
  });
});

describe('run: onSave', () => {
  test('edits are not linted until the document is saved', async () => {
    const client = await LspClient.start({ settings: { run: 'onSave' } });
    try {
      const uri = 'file:///project/on-save.py';
      await client.open(uri, 'x = 1\n');
      assert.deepEqual((await client.diagnosticsFor(uri, 1)).diagnostics, []);
      await client.change(uri, 2, [{ text: BROKEN }]);
      // A later document's lint proves the server has handled the edit without publishing for it.
      await client.open('file:///project/witness.py', 'y = 2\n');
      await client.diagnosticsFor('file:///project/witness.py', 1);
      assert.equal(client.publishedFor(uri).length, 1);
      await client.save(uri);
      assert.deepEqual(
        (await client.diagnosticsFor(uri, 2)).diagnostics.map((diagnostic) => diagnostic.range),
        [BROKEN_RANGE],
      );
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});

describe('rule options from settings', () => {
  const text = 'import mylib\n\n\nasync def handler():\n    return mylib.fetch_sync()\n';
  const uri = 'file:///project/options.py';

  test('otelAsync.extraBlockingCalls reaches no-blocking-in-span; invalid ruleOptions are logged, not fatal', async () => {
    const client = await LspClient.start({ settings: {} });
    try {
      await client.open(uri, text);
      // Unknown to the rule's tables, the call is not reported by default.
      assert.deepEqual((await client.diagnosticsFor(uri, 1)).diagnostics, []);

      let count = client.published.length;
      await client.changeSettings({ extraBlockingCalls: ['mylib.fetch_sync'] });
      const reported = await client.until('re-lint', () => client.published.slice(count).find((params) => params.uri === uri));
      assert.deepEqual(
        reported.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range]),
        [['otel-async/no-blocking-in-span', { start: { line: 4, character: 11 }, end: { line: 4, character: 29 } }]],
      );

      count = client.published.length;
      await client.changeSettings({ extraBlockingCalls: ['mylib.fetch_sync'], ruleOptions: { 'no-blocking-in-span': { scope: 'nonsense' } } });
      const fallback = await client.until('re-lint', () => client.published.slice(count).find((params) => params.uri === uri));
      // The invalid options are dropped for the whole rule, so the extra call is not known either.
      assert.deepEqual(fallback.diagnostics, []);
      await client.until('the log line', () =>
        client.logs.find((log) =>
          log.message.startsWith('Settings: otelAsync.ruleOptions["otel-async/no-blocking-in-span"] is invalid, so the rule runs with its default options:'),
        ),
      );
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});
