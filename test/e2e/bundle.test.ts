import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspClient } from '../server/lsp-client.js';
import { REPOSITORY } from './code-server.js';
import { nodeModulesAbove } from './prepare.js';
import { FLOATING_TS } from '../server/ts-documents.js';

/**
 * The VSIX's server is self-contained: the bundles client/esbuild.mjs writes (the ones `npm run package`
 * ships), copied to a temporary folder with no node_modules anywhere above it, lint Python, TypeScript
 * and JavaScript documents over stdio, with type information from a workspace tsconfig.json (which needs
 * the bundled lib .d.ts files). The TypeScript bundle is loaded on the first TS/JS document only.
 */

const BLOCKING_JS = [
  "const { readFileSync } = require('node:fs');",
  "const { trace } = require('@opentelemetry/api');",
  "trace.getTracer('files').startActiveSpan('load', (span) => {",
  "  try { return readFileSync('/etc/hosts', 'utf8'); } finally { span.end(); }",
  '});',
  '',
].join('\n');

// `fetchOrder` is only declared: the rule knows it returns a promise from its type, which needs the
// `Promise` of TypeScript's lib files.
const DECLARED_PROMISE = [
  "import { trace } from '@opentelemetry/api';",
  'declare function fetchOrder(id: string): Promise<string>;',
  "const tracer = trace.getTracer('shop');",
  'export function handle(id: string): void {',
  "  tracer.startActiveSpan('handle', (span) => {",
  '    try {',
  '      fetchOrder(id);',
  '    } finally {',
  '      span.end();',
  '    }',
  '  });',
  '}',
  '',
].join('\n');

const BLOCKING_PY = ['import time', '', '', 'async def handler():', '    time.sleep(1)', ''].join('\n');

function codesAndRanges(diagnostics: Diagnostic[]): [unknown, [number, number, number, number]][] {
  return diagnostics.map((diagnostic) => [
    diagnostic.code,
    [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.line, diagnostic.range.end.character],
  ]);
}

/** The environment without the variables that let Node find packages outside the bundle. */
function isolatedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_PATH;
  delete env.NODE_OPTIONS;
  return env;
}

/** A lib file's syntax: node kinds and names in tree order, its triple-slash directives (no comments, no positions). */
function syntaxOf(name: string, text: string): string[] {
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const syntax = [`no-default-lib=${String(file.hasNoDefaultLib)}`, ...file.libReferenceDirectives.map((directive) => `lib=${directive.fileName}`).sort()];
  const visit = (node: ts.Node): void => {
    syntax.push(ts.SyntaxKind[node.kind] + (ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isLiteralExpression(node) ? `:${node.text}` : ''));
    ts.forEachChild(node, visit);
  };
  visit(file);
  return syntax;
}

describe('the packaged server bundle, away from the repository', () => {
  let scratch: string;
  let dist: string;
  before(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'otel-async-bundle-'));
    assert.equal(nodeModulesAbove(scratch), undefined, 'the temporary folder must have no node_modules above it');
    dist = path.join(scratch, 'extension', 'dist');
    const bundled = spawnSync(process.execPath, [path.join(REPOSITORY, 'client', 'esbuild.mjs'), '--outdir', dist], { encoding: 'utf8' });
    assert.equal(bundled.status, 0, `client/esbuild.mjs failed:\n${bundled.stdout}\n${bundled.stderr}`);
  });
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  test('ships every lib .d.ts file of TypeScript, reprinted without comments but with the same syntax', () => {
    const original = path.dirname(createRequire(import.meta.url).resolve('typescript/lib/lib.d.ts'));
    const libs = readdirSync(original).filter((name) => /^lib\..*\.d\.ts$/.test(name));
    assert.ok(libs.length > 90, `TypeScript ${ts.version} has ${libs.length} lib files`);
    assert.deepEqual(readdirSync(path.join(dist, 'typescript')).filter((name) => name.endsWith('.d.ts')).sort(), [...libs].sort());
    for (const name of libs) {
      const shipped = readFileSync(path.join(dist, 'typescript', name), 'utf8');
      assert.deepEqual(syntaxOf(name, shipped), syntaxOf(name, readFileSync(path.join(original, name), 'utf8')), name);
      assert.doesNotMatch(shipped, /\/\*\*/, `${name} still has JSDoc`);
    }
  });

  test('ships the license of every bundled package in THIRD_PARTY_NOTICES.txt', () => {
    const notices = readFileSync(path.join(dist, 'THIRD_PARTY_NOTICES.txt'), 'utf8');
    const listed = new Set([...notices.matchAll(/^(\S+) \d[^\n]*\n-{72}$/gmu)].map((match) => match[1]));
    // The engine, the parsers, the LSP libraries and the grammar whose WASM is copied.
    for (const name of ['eslint', 'espree', 'esquery', 'typescript', '@typescript-eslint/parser', 'web-tree-sitter', 'tree-sitter-python', 'vscode-languageserver', 'vscode-languageclient', 'vscode-jsonrpc']) {
      assert.ok(listed.has(name), `${name} is listed`);
    }
    assert.ok(listed.size > 50, `${listed.size} packages listed`);
    assert.match(notices, /Permission is hereby granted, free of charge/u);
    assert.match(notices, /Apache License/u);
  });

  function start(settings: Record<string, unknown> = {}): Promise<LspClient> {
    return LspClient.start({ settings, server: { path: path.join(dist, 'server.mjs'), cwd: scratch, env: isolatedEnv() } });
  }

  test('lints TypeScript, JavaScript and Python documents with nothing but the bundle', async () => {
    const client = await start();
    try {
      await client.open('untitled:floating.ts', FLOATING_TS, 1, 'typescript');
      assert.deepEqual(codesAndRanges((await client.diagnosticsFor('untitled:floating.ts', 1)).diagnostics), [
        ['otel-async/no-untracked-task', [5, 4, 5, 16]],
        ['otel-async/no-leaked-context', [6, 4, 6, 14]],
      ]);
      await client.open('untitled:blocking.js', BLOCKING_JS, 1, 'javascript');
      assert.deepEqual(codesAndRanges((await client.diagnosticsFor('untitled:blocking.js', 1)).diagnostics), [['otel-async/no-blocking-in-span', [3, 15, 3, 49]]]);
      await client.open('untitled:service.py', BLOCKING_PY, 1, 'python');
      assert.deepEqual(codesAndRanges((await client.diagnosticsFor('untitled:service.py', 1)).diagnostics), [['otel-async/no-blocking-in-span', [4, 4, 4, 17]]]);
      assert.deepEqual(
        client.logs.filter((log) => /TypeScript parser|could not|without type information/.test(log.message)).map((log) => log.message),
        [],
      );
    } finally {
      assert.equal(await client.stop(), 0, client.stderr);
    }
  });

  test('type information in a trusted workspace with a tsconfig.json uses the bundled lib files', async () => {
    const workspace = path.join(scratch, 'workspace');
    mkdirSync(path.join(workspace, 'src'), { recursive: true });
    writeFileSync(path.join(workspace, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', module: 'nodenext', noEmit: true }, include: ['src'] }));
    const file = path.join(workspace, 'src', 'handler.ts');
    writeFileSync(file, DECLARED_PROMISE);
    const client = await start({ workspaceTrusted: true, workspaceFolder: workspace });
    try {
      const uri = pathToFileURL(file).href;
      await client.open(uri, DECLARED_PROMISE, 1, 'typescript');
      assert.deepEqual(codesAndRanges((await client.diagnosticsFor(uri, 1)).diagnostics), [['otel-async/no-untracked-task', [6, 6, 6, 20]]]);
      assert.deepEqual(
        client.logs.filter((log) => log.message.includes('without type information')).map((log) => log.message),
        [],
      );
    } finally {
      assert.equal(await client.stop(), 0, client.stderr);
    }
  });

  test('the TypeScript bundle is loaded on the first TS document, not at start: without it Python still works', async () => {
    const typescriptBundle = path.join(dist, 'typescript');
    const hidden = path.join(scratch, 'typescript-hidden');
    renameSync(typescriptBundle, hidden);
    try {
      const client = await start();
      try {
        await client.open('untitled:service.py', BLOCKING_PY, 1, 'python');
        assert.deepEqual(codesAndRanges((await client.diagnosticsFor('untitled:service.py', 1)).diagnostics), [['otel-async/no-blocking-in-span', [4, 4, 4, 17]]]);
        await client.open('untitled:floating.ts', FLOATING_TS, 1, 'typescript');
        assert.deepEqual((await client.diagnosticsFor('untitled:floating.ts', 1)).diagnostics, []);
        const warning = await client.until('the parser warning', () => client.logs.find((log) => log.message.includes('the TypeScript parser could not be loaded')));
        assert.match(warning.message, /typescript[\\/]parser\.cjs/);
      } finally {
        assert.equal(await client.stop(), 0, client.stderr);
      }
    } finally {
      renameSync(hidden, typescriptBundle);
    }
  });
});
