import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CodeActionResolveRequest,
  ExecuteCommandRequest,
  type CodeAction,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { applyTextEdits, FIXTURE_WORKSPACE, fixtureUri, LspClient } from './lsp-client.js';
import { assertPythonCompiles } from './python.js';

const SERVICE = ['import asyncio', 'from legacy import legacy_sleep', '', '', 'async def handler():', '    legacy_sleep(1)', '    return 1', ''].join('\n');
const SLEEP_RANGE = { start: { line: 5, character: 4 }, end: { line: 5, character: 19 } };

/** The edits of a code action's workspace edit for one document, checking the version they target. */
function editsOf(action: CodeAction, uri: string, version: number): TextEdit[] {
  const changes = action.edit?.documentChanges as TextDocumentEdit[] | undefined;
  assert.ok(changes, `"${action.title}" has no documentChanges`);
  assert.equal(changes.length, 1);
  const [change] = changes;
  assert.ok(change);
  assert.deepEqual(change.textDocument, { uri, version });
  return change.edits as TextEdit[];
}

describe('code actions in a trusted workspace with an eslint.config.mjs', () => {
  let client: LspClient;
  let counter = 0;
  before(async () => {
    client = await LspClient.start({ settings: { workspaceTrusted: true, workspaceFolder: FIXTURE_WORKSPACE } });
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  async function openFixture(text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
    const uri = fixtureUri(`doc-${++counter}.py`);
    await client.open(uri, text);
    return { uri, diagnostics: (await client.diagnosticsFor(uri, 1)).diagnostics };
  }

  async function actionsFor(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const result = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
    return (result ?? []) as CodeAction[];
  }

  async function resolve(action: CodeAction): Promise<CodeAction> {
    return client.connection.sendRequest(CodeActionResolveRequest.type, action);
  }

  /** Applies an edit as the editor would and returns the diagnostics of the new version. */
  async function applyAndRelint(uri: string, text: string, edits: TextEdit[], version: number): Promise<{ text: string; diagnostics: Diagnostic[] }> {
    const next = applyTextEdits(text, edits);
    await client.change(uri, version, [{ text: next }]);
    return { text: next, diagnostics: (await client.diagnosticsFor(uri, version)).diagnostics };
  }

  test('the workspace rule is reported with its range, code and doc link', async () => {
    const { diagnostics } = await openFixture(SERVICE);
    assert.equal(diagnostics.length, 1);
    const [diagnostic] = diagnostics;
    assert.ok(diagnostic);
    assert.deepEqual(diagnostic.range, SLEEP_RANGE);
    assert.equal(diagnostic.code, 'lsp-test/legacy-sleep');
    assert.equal(diagnostic.severity, 2);
    assert.deepEqual(diagnostic.codeDescription, { href: 'https://example.test/rules/legacy-sleep' });
  });

  test('the menu: fix (preferred), suggestion, fix all, disable line, disable file, documentation', async () => {
    const { uri, diagnostics } = await openFixture(SERVICE);
    const actions = await actionsFor(uri, diagnostics);
    assert.deepEqual(
      actions.map((action) => [action.title, action.kind, action.isPreferred ?? false]),
      [
        ['Fix this lsp-test/legacy-sleep problem', 'quickfix', true],
        ['Run it in a thread with asyncio.to_thread (lsp-test/legacy-sleep)', 'quickfix', false],
        ['Fix all auto-fixable problems', 'quickfix', false],
        ['Disable lsp-test/legacy-sleep for this line', 'quickfix', false],
        ['Disable lsp-test/legacy-sleep for the entire file', 'quickfix', false],
        ['Show documentation for lsp-test/legacy-sleep', 'quickfix', false],
      ],
    );
  });

  test('the fix is a minimal edit; applied, the file compiles and the problem is gone', async () => {
    const { uri, diagnostics } = await openFixture(SERVICE);
    const [fix] = await actionsFor(uri, diagnostics);
    assert.ok(fix);
    const edits = editsOf(fix, uri, 1);
    // `legacy_sleep(1)` -> `await asyncio.sleep(1)`: only `time` changes.
    assert.deepEqual(edits, [{ range: { start: { line: 5, character: 4 }, end: { line: 5, character: 11 } }, newText: 'await asyncio.' }]);
    const after = await applyAndRelint(uri, SERVICE, edits, 2);
    assert.equal(after.text, SERVICE.replace('    legacy_sleep(1)', '    await asyncio.sleep(1)'));
    assert.deepEqual(after.diagnostics, []);
    assertPythonCompiles(after.text);
  });

  test('a suggestion applies its own edit', async () => {
    const { uri, diagnostics } = await openFixture(SERVICE);
    const suggestion = (await actionsFor(uri, diagnostics))[1];
    assert.ok(suggestion);
    const after = await applyAndRelint(uri, SERVICE, editsOf(suggestion, uri, 1), 2);
    assert.equal(after.text, SERVICE.replace('    legacy_sleep(1)', '    await asyncio.to_thread(legacy_sleep, 1)'));
    assertPythonCompiles(after.text);
  });

  test('disable for this line: an indented next-line comment, resolved lazily, that silences the rule', async () => {
    const { uri, diagnostics } = await openFixture(SERVICE);
    const disable = (await actionsFor(uri, diagnostics)).find((action) => action.title.startsWith('Disable') && action.title.endsWith('this line'));
    assert.ok(disable);
    assert.equal(disable.edit, undefined);
    const resolved = await resolve(disable);
    const edits = editsOf(resolved, uri, 1);
    assert.deepEqual(edits, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, newText: '    # eslint-disable-next-line lsp-test/legacy-sleep\n' }]);
    const after = await applyAndRelint(uri, SERVICE, edits, 2);
    assert.deepEqual(after.diagnostics, []);
    assertPythonCompiles(after.text);
  });

  test('disable for this line joins an existing directive, before its justification', async () => {
    const text = SERVICE.replace('    legacy_sleep(1)', '    # eslint-disable-next-line otel-async/syntax-error -- legacy code\n    legacy_sleep(1)');
    const { uri, diagnostics } = await openFixture(text);
    // ESLint reports the directive itself as unused (nothing to silence for syntax-error there).
    const unused = diagnostics.find((diagnostic) => diagnostic.code === undefined);
    const sleep = diagnostics.find((diagnostic) => diagnostic.code === 'lsp-test/legacy-sleep');
    assert.equal(diagnostics.length, 2);
    assert.match(typeof unused?.message === 'string' ? unused.message : '', /^Unused eslint-disable directive \(no problems were reported from 'otel-async\/syntax-error'\)/);
    assert.deepEqual(sleep?.range.start, { line: 6, character: 4 });
    const disable = (await actionsFor(uri, [sleep ?? assert.fail()])).find((action) => action.title.endsWith('this line'));
    assert.ok(disable);
    const edits = editsOf(await resolve(disable), uri, 1);
    assert.deepEqual(edits, [{ range: { start: { line: 5, character: 54 }, end: { line: 5, character: 54 } }, newText: ', lsp-test/legacy-sleep' }]);
    const after = await applyAndRelint(uri, text, edits, 2);
    assert.match(after.text, /# eslint-disable-next-line otel-async\/syntax-error, lsp-test\/legacy-sleep -- legacy code\n/);
    assert.deepEqual(after.diagnostics.map((diagnostic) => diagnostic.code), [undefined]);
  });

  test('after a backslash continuation the directive goes at the end of the line instead', async () => {
    const text = ['from legacy import legacy_sleep', '', '', 'async def handler():', '    total = 1 + \\', '        legacy_sleep(1)', '    return total', ''].join('\n');
    const { uri, diagnostics } = await openFixture(text);
    const disable = (await actionsFor(uri, diagnostics)).find((action) => action.title.endsWith('this line'));
    assert.ok(disable);
    const edits = editsOf(await resolve(disable), uri, 1);
    assert.deepEqual(edits, [{ range: { start: { line: 5, character: 23 }, end: { line: 5, character: 23 } }, newText: '  # eslint-disable-line lsp-test/legacy-sleep' }]);
    const after = await applyAndRelint(uri, text, edits, 2);
    assert.deepEqual(after.diagnostics, []);
    assertPythonCompiles(after.text);
  });

  test('a comment line inside a multi-line string would not be a comment: the end of the line is used', async () => {
    const text = ['from legacy import legacy_sleep', '', '', 'async def handler():', '    note = """waiting', '""" + str(legacy_sleep(1))', '    return note', ''].join('\n');
    const { uri, diagnostics } = await openFixture(text);
    assert.deepEqual(diagnostics[0]?.range.start, { line: 5, character: 10 });
    const disable = (await actionsFor(uri, diagnostics)).find((action) => action.title.endsWith('this line'));
    assert.ok(disable);
    const edits = editsOf(await resolve(disable), uri, 1);
    assert.deepEqual(edits, [{ range: { start: { line: 5, character: 26 }, end: { line: 5, character: 26 } }, newText: '  # eslint-disable-line lsp-test/legacy-sleep' }]);
    const after = await applyAndRelint(uri, text, edits, 2);
    assert.deepEqual(after.diagnostics, []);
    assert.ok(after.text.includes('"""waiting\n"""'), 'the string is unchanged');
    assertPythonCompiles(after.text);
  });

  test('disable for the file goes below a shebang and an encoding declaration', async () => {
    const text = `#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n${SERVICE}`;
    const { uri, diagnostics } = await openFixture(text);
    const disable = (await actionsFor(uri, diagnostics)).find((action) => action.title.endsWith('entire file'));
    assert.ok(disable);
    const edits = editsOf(await resolve(disable), uri, 1);
    assert.deepEqual(edits, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: '# eslint-disable lsp-test/legacy-sleep\n' }]);
    const after = await applyAndRelint(uri, text, edits, 2);
    assert.deepEqual(after.diagnostics, []);
    assertPythonCompiles(after.text);
  });

  test('show documentation asks the editor to open the rule page externally', async () => {
    const { uri, diagnostics } = await openFixture(SERVICE);
    const docs = (await actionsFor(uri, diagnostics)).find((action) => action.title.startsWith('Show documentation'));
    assert.ok(docs?.command);
    const result: unknown = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: docs.command.command, arguments: docs.command.arguments ?? [] });
    assert.equal(result, true);
    assert.deepEqual(client.shownDocuments.at(-1), { uri: 'https://example.test/rules/legacy-sleep', external: true });
  });

  test('show documentation refuses anything but a web page', async () => {
    const result: unknown = await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: 'otel-async.server.showDocumentation',
      arguments: ['file:///etc/passwd'],
    });
    assert.equal(result, false);
  });

  const TWO_SLEEPS = ['import asyncio', 'from legacy import legacy_sleep', '', '', 'async def first():', '    legacy_sleep(1)', '', '', 'def untouched():', '    return 2', '', '', 'async def second():', '    legacy_sleep(2)', ''].join('\n');

  test('fix all (command) sends one minimal edit per fix through workspace/applyEdit', async () => {
    const { uri, diagnostics } = await openFixture(TWO_SLEEPS);
    assert.equal(diagnostics.length, 2);
    const fixAll = (await actionsFor(uri, diagnostics)).find((action) => action.title === 'Fix all auto-fixable problems');
    assert.ok(fixAll?.command);
    const applied = client.appliedEdits.length;
    const result: unknown = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: fixAll.command.command, arguments: fixAll.command.arguments ?? [] });
    assert.equal(result, true);
    const edit = client.appliedEdits[applied];
    assert.ok(edit);
    const [change] = edit.edit.documentChanges as TextDocumentEdit[];
    assert.ok(change);
    assert.deepEqual(change.textDocument, { uri, version: 1 });
    assert.deepEqual(change.edits, [
      { range: { start: { line: 5, character: 4 }, end: { line: 5, character: 11 } }, newText: 'await asyncio.' },
      { range: { start: { line: 13, character: 4 }, end: { line: 13, character: 11 } }, newText: 'await asyncio.' },
    ]);
    const after = await applyAndRelint(uri, TWO_SLEEPS, change.edits, 2);
    assert.deepEqual(after.diagnostics, []);
    assertPythonCompiles(after.text);
  });

  test('source.fixAll.otel-async (fix on save) applies fixes, never suggestions', async () => {
    const { uri } = await openFixture(TWO_SLEEPS);
    const actions = await actionsFor(uri, [], ['source.fixAll']);
    assert.deepEqual(actions.map((action) => [action.title, action.kind]), [['Fix all auto-fixable otel-async problems', 'source.fixAll.otel-async']]);
    const [action] = actions;
    assert.ok(action);
    const text = applyTextEdits(TWO_SLEEPS, editsOf(action, uri, 1));
    assert.equal(text, TWO_SLEEPS.replaceAll('legacy_sleep(', 'await asyncio.sleep('));
    assert.ok(!text.includes('to_thread'));
  });

  test('quick-fix requests do not compute fix-all; a clean file gets no source action', async () => {
    const { uri } = await openFixture('import asyncio\n');
    assert.deepEqual(await actionsFor(uri, [], ['source.fixAll.otel-async']), []);
    assert.deepEqual(await actionsFor(uri, []), []);
  });

  test('fixes carried by diagnostics of an older version are not offered', async () => {
    const { uri, diagnostics } = await openFixture(SERVICE);
    await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
    await client.diagnosticsFor(uri, 2);
    const titles = (await actionsFor(uri, diagnostics)).map((action) => action.title);
    assert.ok(!titles.includes('Fix this lsp-test/legacy-sleep problem'));
    assert.ok(titles.includes('Show documentation for lsp-test/legacy-sleep'));
  });
});

describe('files the workspace config ignores', () => {
  test('get no diagnostics, not even from the built-in config', async () => {
    const client = await LspClient.start({ settings: { workspaceTrusted: true, workspaceFolder: FIXTURE_WORKSPACE } });
    try {
      const ignored = fixtureUri('generated/broken.py');
      await client.open(ignored, `${SERVICE}def broken(:\n    pass\n`);
      assert.deepEqual((await client.diagnosticsFor(ignored, 1)).diagnostics, []);
      const linted = fixtureUri('broken.py');
      await client.open(linted, 'def broken(:\n    pass\n');
      assert.deepEqual((await client.diagnosticsFor(linted, 1)).diagnostics.map((diagnostic) => diagnostic.code), ['otel-async/syntax-error']);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});

describe('an untrusted workspace never loads its eslint.config.*', () => {
  test('only the built-in rules run', async () => {
    const client = await LspClient.start({ settings: { workspaceTrusted: false, workspaceFolder: FIXTURE_WORKSPACE } });
    try {
      const uri = fixtureUri('untrusted.py');
      await client.open(uri, `${SERVICE}def broken(:\n    pass\n`);
      const diagnostics = (await client.diagnosticsFor(uri, 1)).diagnostics;
      assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['otel-async/syntax-error']);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});

describe('workspace config changes are picked up without a restart', () => {
  test('editing eslint.config.mjs and notifying the server re-lints with the new config', async () => {
    // Inside the repository (test/out is ignored by git) so the config resolves the plugin package.
    const folder = mkdtempSync(join(FIXTURE_WORKSPACE, '..', '..', '..', 'out', 'server', 'workspace-'));
    const writeConfig = (level: string): void => {
      writeFileSync(
        join(folder, 'eslint.config.mjs'),
        [
          "import otelAsync from 'eslint-plugin-otel-async';",
          `import { testPlugin } from ${JSON.stringify(pathToFileURL(join(FIXTURE_WORKSPACE, 'test-plugin.mjs')).href)};`,
          `export default [...otelAsync.configs.recommended, { files: ['**/*.py'], plugins: { 'lsp-test': testPlugin }, rules: { 'lsp-test/legacy-sleep': '${level}' } }];`,
          '',
        ].join('\n'),
      );
    };
    writeConfig('warn');
    const client = await LspClient.start({ settings: { workspaceTrusted: true, workspaceFolder: folder } });
    try {
      const uri = pathToFileURL(join(folder, 'service.py')).href;
      await client.open(uri, SERVICE);
      assert.deepEqual((await client.diagnosticsFor(uri, 1)).diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['lsp-test/legacy-sleep', 2]]);
      writeConfig('error');
      const count = client.published.length;
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(folder, 'eslint.config.mjs')).href, type: 2 }] });
      const relinted = await client.until('re-lint', () => client.published.slice(count).find((params) => params.uri === uri));
      assert.deepEqual(relinted.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [['lsp-test/legacy-sleep', 1]]);
    } finally {
      assert.equal(await client.stop(), 0);
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
