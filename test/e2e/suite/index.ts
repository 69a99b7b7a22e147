import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/**
 * The in-editor tests: they run inside a real VS Code (code-server's extension host here, or the
 * desktop build through @vscode/test-electron) with the packaged extension, on the workspace the
 * launcher prepared from test/e2e/fixtures/workspace. Bundled to CommonJS by the launcher; `run()` is
 * what VS Code calls. Results go to results.json beside the bundle, for the launcher to report.
 */

const EXTENSION_ID = 'otel-async-lint.otel-async-lint';
const RULE = 'otel-async/no-blocking-in-span';
const here = __dirname;

interface TestResult {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

function folder(): vscode.Uri {
  const workspace = vscode.workspace.workspaceFolders?.[0];
  assert.ok(workspace, 'the launcher opens a workspace folder');
  return workspace.uri;
}

function fileUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(), name);
}

function codeOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  return typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'otel-async');
}

/** Resolves when `check` returns a value for the document's diagnostics (checked on every change). */
async function diagnosticsWhere<T>(uri: vscode.Uri, describe: string, check: (diagnostics: vscode.Diagnostic[]) => T | undefined, timeoutMs = 30_000): Promise<T> {
  const now = check(ours(uri));
  if (now !== undefined) return now;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`Timed out waiting for ${describe}; diagnostics: ${JSON.stringify(ours(uri).map((d) => [codeOf(d), d.range]))}`));
    }, timeoutMs);
    const listener = vscode.languages.onDidChangeDiagnostics(() => {
      const value = check(ours(uri));
      if (value === undefined) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(value);
    });
  });
}

function rangeOf(diagnostic: vscode.Diagnostic): [number, number, number, number] {
  const { start, end } = diagnostic.range;
  return [start.line, start.character, end.line, end.character];
}

async function open(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fileUri(name));
  return vscode.window.showTextDocument(document);
}

async function codeActions(uri: vscode.Uri, range: vscode.Range, resolveCount = 0): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
    resolveCount,
  );
  return actions.filter((action): action is vscode.CodeAction => 'title' in action && !('command' in action && typeof action.command === 'string'));
}

/** The launcher wants a screenshot: show the quick-fix menu and wait until it has taken it. */
async function screenshotHandshake(editor: vscode.TextEditor, diagnostic: vscode.Diagnostic): Promise<void> {
  if (!existsSync(path.join(here, 'screenshot.request'))) return;
  // The Problems panel shows the full messages below the editor.
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  editor = await vscode.window.showTextDocument(editor.document);
  editor.selection = new vscode.Selection(diagnostic.range.start, diagnostic.range.start);
  editor.revealRange(diagnostic.range, vscode.TextEditorRevealType.InCenter);
  await vscode.commands.executeCommand('editor.action.quickFix');
  // Give the widget a moment to render before the launcher looks.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  writeFileSync(path.join(here, 'screenshot.ready'), '');
  const deadline = Date.now() + 30_000;
  while (!existsSync(path.join(here, 'screenshot.done')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  await vscode.commands.executeCommand('hideCodeActionWidget');
}

const SERVICE_SLEEP: [number, number, number, number] = [13, 8, 13, 23];
const TS_RULE = 'otel-async/no-untracked-task';
/** `recordAudit(id)` in orders.ts: reported only with type information (its declared return type). */
const ORDERS_AUDIT: [number, number, number, number] = [12, 6, 12, 21];
const AWAIT_AUDIT = `Await \`recordAudit()\` inside the span. (${TS_RULE})`;

/** Waits for the one problem orders.ts has, and returns it. */
async function ordersAudit(uri: vscode.Uri): Promise<vscode.Diagnostic> {
  const diagnostic = await diagnosticsWhere(uri, 'the floating recordAudit() promise', (diagnostics) => diagnostics.find((candidate) => codeOf(candidate) === TS_RULE));
  assert.deepEqual(rangeOf(diagnostic), ORDERS_AUDIT);
  return diagnostic;
}

const tests: [string, () => Promise<void>][] = [
  [
    'the packaged extension activates on a Python file',
    async () => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension, `${EXTENSION_ID} is installed`);
      await open('service.py');
      await extension.activate();
      assert.equal(extension.isActive, true);
      assert.match(extension.extensionPath, /otel-async-lint/);
    },
  ],
  [
    'diagnostics: rule, exact range, severity, source and documentation link',
    async () => {
      const uri = fileUri('service.py');
      const diagnostic = await diagnosticsWhere(uri, 'the blocking call', (diagnostics) => diagnostics.find((candidate) => codeOf(candidate) === RULE));
      assert.deepEqual(rangeOf(diagnostic), SERVICE_SLEEP);
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.match(diagnostic.message, /^`time\.sleep\(\)` blocks the event loop/);
      assert.ok(typeof diagnostic.code === 'object');
      assert.match(diagnostic.code.target.toString(), /rules\/docs\/no-blocking-in-span\.md$/);
      assert.equal(ours(uri).length, 1);
    },
  ],
  [
    'code actions: the fix first and preferred, then disable line, disable file, documentation',
    async () => {
      const editor = await open('service.py');
      const uri = editor.document.uri;
      const [diagnostic] = ours(uri);
      assert.ok(diagnostic);
      await screenshotHandshake(editor, diagnostic);
      const actions = await codeActions(uri, diagnostic.range);
      const titles = actions.map((action) => action.title);
      assert.deepEqual(titles, [
        `Fix this ${RULE} problem`,
        'Fix all auto-fixable problems',
        `Disable ${RULE} for this line`,
        `Disable ${RULE} for the entire file`,
        `Show documentation for ${RULE}`,
      ]);
      assert.equal(actions[0]?.isPreferred, true);
    },
  ],
  [
    'disable for this line resolves to an indented next-line directive',
    async () => {
      const editor = await open('service.py');
      const uri = editor.document.uri;
      const [diagnostic] = ours(uri);
      assert.ok(diagnostic);
      const actions = await codeActions(uri, diagnostic.range, 10);
      const disable = actions.find((action) => action.title === `Disable ${RULE} for this line`);
      assert.ok(disable?.edit, 'resolved with an edit');
      const edits = disable.edit.get(uri);
      assert.deepEqual(
        edits.map((edit) => [edit.range.start.line, edit.range.start.character, edit.newText]),
        [[13, 0, `        # eslint-disable-next-line ${RULE}\n`]],
      );
    },
  ],
  [
    'the quick fix rewrites the call and the problem goes away',
    async () => {
      const editor = await open('service.py');
      const uri = editor.document.uri;
      const [diagnostic] = ours(uri);
      assert.ok(diagnostic);
      const [fix] = await codeActions(uri, diagnostic.range);
      assert.ok(fix?.edit);
      assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
      assert.equal(editor.document.lineAt(13).text, '        await asyncio.sleep(0.5)');
      await diagnosticsWhere(uri, 'no diagnostics', (diagnostics) => (diagnostics.length === 0 ? true : undefined));
      await vscode.commands.executeCommand('workbench.action.files.revert');
    },
  ],
  [
    'fix on save (source.fixAll.otel-async) fixes every autofixable problem in the saved file',
    async () => {
      const editor = await open('on_save.py');
      const uri = editor.document.uri;
      await diagnosticsWhere(uri, 'two problems', (diagnostics) => (diagnostics.length === 2 ? true : undefined));
      // Saving needs a change; a blank line at the end is one.
      await editor.edit((builder) => { builder.insert(editor.document.lineAt(editor.document.lineCount - 1).range.end, '\n'); });
      assert.equal(await editor.document.save(), true);
      const text = editor.document.getText();
      assert.match(text, /^ {8}await asyncio\.sleep\(1\)$/m);
      assert.match(text, /^ {8}await asyncio\.sleep\(2\)$/m);
      assert.equal(readFileSync(uri.fsPath, 'utf8'), text);
      await diagnosticsWhere(uri, 'no diagnostics', (diagnostics) => (diagnostics.length === 0 ? true : undefined));
    },
  ],
  [
    'the "Fix All Auto-fixable Problems" command fixes the active editor',
    async () => {
      const editor = await open('fix_all.py');
      const uri = editor.document.uri;
      await diagnosticsWhere(uri, 'two problems', (diagnostics) => (diagnostics.length === 2 ? true : undefined));
      const applied = await vscode.commands.executeCommand<boolean>('otelAsync.fixAll');
      assert.equal(applied, true);
      assert.equal((editor.document.getText().match(/await asyncio\.sleep/g) ?? []).length, 3);
      await diagnosticsWhere(uri, 'no diagnostics', (diagnostics) => (diagnostics.length === 0 ? true : undefined));
    },
  ],
  [
    'Show Output and Restart Server work, and diagnostics come back after a restart',
    async () => {
      await vscode.commands.executeCommand('otelAsync.showOutput');
      const editor = await open('service.py');
      await vscode.commands.executeCommand('otelAsync.restartServer');
      const diagnostic = await diagnosticsWhere(editor.document.uri, 'diagnostics after restart', (diagnostics) =>
        diagnostics.find((candidate) => codeOf(candidate) === RULE),
      );
      assert.deepEqual(rangeOf(diagnostic), SERVICE_SLEEP);
    },
  ],
  [
    'a TypeScript file: the bundled parser and type information (tsconfig.json) find the floating promise',
    async () => {
      const editor = await open('orders.ts');
      assert.equal(editor.document.languageId, 'typescript');
      const diagnostic = await ordersAudit(editor.document.uri);
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.match(diagnostic.message, /^`recordAudit\(\)` returns a promise that nothing waits for inside span "GET \/orders\/:id"/);
      assert.ok(typeof diagnostic.code === 'object');
      assert.match(diagnostic.code.target.toString(), /rules\/docs\/no-untracked-task\.md$/);
      assert.deepEqual(ours(editor.document.uri).map(codeOf), [TS_RULE]);
    },
  ],
  [
    'TypeScript code actions: the await suggestion, disable line, disable file, documentation',
    async () => {
      const editor = await open('orders.ts');
      const uri = editor.document.uri;
      const diagnostic = await ordersAudit(uri);
      const titles = (await codeActions(uri, diagnostic.range)).map((action) => action.title);
      assert.deepEqual(titles, [
        AWAIT_AUDIT,
        `Disable ${TS_RULE} for this line`,
        `Disable ${TS_RULE} for the entire file`,
        `Show documentation for ${TS_RULE}`,
      ]);
    },
  ],
  [
    'the TypeScript await suggestion applies and the problem goes away',
    async () => {
      const editor = await open('orders.ts');
      const uri = editor.document.uri;
      const diagnostic = await ordersAudit(uri);
      const suggestion = (await codeActions(uri, diagnostic.range, 10)).find((action) => action.title === AWAIT_AUDIT);
      assert.ok(suggestion?.edit, 'the suggestion has an edit');
      assert.equal(await vscode.workspace.applyEdit(suggestion.edit), true);
      assert.equal(editor.document.lineAt(12).text, '      await recordAudit(id);');
      await diagnosticsWhere(uri, 'no diagnostics', (diagnostics) => (diagnostics.length === 0 ? true : undefined));
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await ordersAudit(uri);
    },
  ],
  [
    'disable for this line in a TypeScript file inserts an indented // directive that silences the rule',
    async () => {
      const editor = await open('orders.ts');
      const uri = editor.document.uri;
      const diagnostic = await ordersAudit(uri);
      const disable = (await codeActions(uri, diagnostic.range, 10)).find((action) => action.title === `Disable ${TS_RULE} for this line`);
      assert.ok(disable?.edit, 'resolved with an edit');
      assert.deepEqual(
        disable.edit.get(uri).map((edit) => [edit.range.start.line, edit.range.start.character, edit.newText]),
        [[12, 0, `      // eslint-disable-next-line ${TS_RULE}\n`]],
      );
      assert.equal(await vscode.workspace.applyEdit(disable.edit), true);
      await diagnosticsWhere(uri, 'no diagnostics', (diagnostics) => (diagnostics.length === 0 ? true : undefined));
      await vscode.commands.executeCommand('workbench.action.files.revert');
    },
  ],
];

export async function run(): Promise<void> {
  const results: TestResult[] = [];
  for (const [name, body] of tests) {
    const started = Date.now();
    try {
      await body();
      results.push({ name, ok: true, ms: Date.now() - started });
    } catch (error) {
      results.push({ name, ok: false, ms: Date.now() - started, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  writeFileSync(path.join(here, 'results.json'), JSON.stringify({ vscodeVersion: vscode.version, results }, null, 2));
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0) throw new Error(`${failed.length} in-editor test(s) failed: ${failed.map((result) => result.name).join('; ')}`);
}
