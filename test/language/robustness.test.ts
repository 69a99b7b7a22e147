import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { File, RuleDefinition } from '@eslint/core';
import { Linter } from 'eslint';
import plugin from 'eslint-plugin-otel-async';
import { pythonLanguage, type PyNode } from 'eslint-plugin-otel-async/language';
import { CALLS, SYNTAX, at, lint, reported, sourceCodeOf } from './helpers.js';

const BOTH = { ...CALLS, ...SYNTAX };

function file(body: string | Uint8Array): File {
  return { path: 'a.py', physicalPath: 'a.py', bom: false, body };
}

/** A deterministic stream of pseudo-random UTF-16 code units (a linear congruential generator). */
function junk(length: number, seed: number): string {
  let state = seed;
  let text = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    text += String.fromCharCode(state % 65536);
  }
  return text;
}

/** Every message is a syntax error or a call, on a line and column that exist in the text. */
function assertPlausible(code: string, messages: ReturnType<typeof lint>): void {
  const lines = code.split(/\r\n|\r|\n/u);
  for (const message of messages) {
    assert.ok(message.ruleId === 'otel-async/syntax-error' || message.ruleId === 'test/report-call', JSON.stringify(message));
    assert.ok(message.line >= 1 && message.line <= lines.length, JSON.stringify(message));
    assert.ok(message.column >= 1 && message.column <= (lines[message.line - 1]?.length ?? 0) + 1, JSON.stringify(message));
    assert.ok(message.endLine !== undefined && message.endLine >= message.line && message.endLine <= lines.length);
  }
}

describe('never a crash or a hang', () => {
  test('an empty file', () => {
    assert.deepEqual(lint('', BOTH), []);
    const sourceCode = sourceCodeOf('');
    assert.deepEqual(sourceCode.ast.range, [0, 0]);
    assert.deepEqual(sourceCode.ast.loc, { start: { line: 1, column: 0 }, end: { line: 1, column: 0 } });
    assert.deepEqual(sourceCode.ast.children, []);
    assert.deepEqual(sourceCode.lines, ['']);
  });

  test('a file of only comments and blank lines', () => {
    const code = '# one\n\n   # two\r\n#\n';
    assert.deepEqual(lint(code, BOTH), []);
    const sourceCode = sourceCodeOf(code);
    assert.deepEqual(sourceCode.ast.children, []);
    assert.deepEqual(
      sourceCode.comments.map((comment) => [comment.value, comment.loc.start.line, comment.loc.start.column, comment.loc.end.column]),
      [
        [' one', 1, 0, 5],
        [' two', 3, 3, 8],
        ['', 4, 0, 1],
      ],
    );
  });

  test('NUL bytes and other control characters are syntax errors, and linting goes on', () => {
    const code = 'f(1)\n\0\0\0\nx = 1\u0007\ng(2)\n';
    assert.deepEqual(reported(lint(code, BOTH)), [
      at('test/report-call', 'call of f', 1, 1, 1, 5),
      at('otel-async/syntax-error', "Syntax error: unexpected '\\u0000\\u0000\\u0000'", 2, 1, 2, 4),
      at('otel-async/syntax-error', "Syntax error: unexpected '1\\u0007'", 3, 5, 3, 7),
      at('test/report-call', 'call of g', 4, 1, 4, 5),
    ]);
  });

  test('binary junk (random code units, unpaired surrogates included)', () => {
    for (const seed of [1, 2, 3]) {
      const code = junk(3000, seed);
      const messages = lint(code, BOTH);
      assert.ok(messages.length > 0, 'junk is reported as syntax errors');
      assertPlausible(code, messages);
      for (const message of messages) {
        // Invisible characters are escaped, so the message can be read and copied.
        assert.doesNotMatch(message.message, /[\0-\u001f\ud800-\udfff]/u);
      }
    }
  });

  test('a 5 MB file', () => {
    const chunk = [
      'async def handler(request):',
      `    payload = "${'x'.repeat(4000)}"  # ${'c'.repeat(2000)}`,
      '    with tracer.start_as_current_span("work"):',
      '        await process(payload)',
      '',
    ].join('\n');
    const code = chunk.repeat(Math.ceil((5 * 1024 * 1024) / chunk.length));
    assert.ok(code.length >= 5 * 1024 * 1024);
    const messages = lint(code, BOTH);
    const copies = code.length / chunk.length;
    assert.equal(messages.length, copies * 2, 'two calls per chunk, no syntax error');
    const last = messages[messages.length - 1];
    assert.deepEqual(last && [last.message, last.line, last.column], ['call of process', copies * 4, 15]);
  });

  test('50,000 nested parentheses: no stack overflow', () => {
    const depth = 50_000;
    const code = `x = ${'('.repeat(depth)}f(1)${')'.repeat(depth)}\n`;
    assert.deepEqual(reported(lint(code, BOTH)), [at('test/report-call', 'call of f', 1, depth + 5, 1, depth + 9)]);
    // The tree really is that deep, and the walk reaches the bottom.
    const sourceCode = sourceCodeOf(code);
    let deepest = 0;
    let depthNow = 0;
    for (const step of sourceCode.traverse()) {
      depthNow += step.phase === 1 ? 1 : -1;
      deepest = Math.max(deepest, depthNow);
    }
    assert.ok(deepest > depth, `depth ${deepest}`);
  });

  test('50,000 unclosed parentheses: one clear error at the innermost bracket, no stack overflow', () => {
    const code = `x = ${'('.repeat(50_000)}\n`;
    assert.deepEqual(reported(lint(code, BOTH)), [at('otel-async/syntax-error', "Syntax error: '(' is never closed", 1, 50_004, 1, 50_005)]);
  });

  test('a 20,000-term a+a+... expression: no stack overflow, every operator node reachable', () => {
    const terms = 20_000;
    const code = `x = ${Array.from({ length: terms }, () => 'a').join('+')} + f()\n`;
    assert.deepEqual(reported(lint(code, BOTH)), [at('test/report-call', 'call of f', 1, terms * 2 + 7, 1, terms * 2 + 10)]);
    let operators = 0;
    for (const step of sourceCodeOf(code).traverse()) {
      if (step.phase === 1 && (step.target).type === 'binary_operator') operators++;
    }
    assert.equal(operators, terms);
  });

  test('esquery descendant, child and :has selectors on a 20,000-deep tree', () => {
    const depth = 20_000;
    const code = `x = ${'['.repeat(depth)}f()${']'.repeat(depth)}\n`;
    const selectors = ['expression_statement:has(call)', 'module call', 'list > call'];
    const deep: RuleDefinition = {
      meta: { schema: [], messages: { hit: '{{selector}}' } },
      create(context) {
        return Object.fromEntries(
          selectors.map((selector) => [selector, (node: PyNode) => { context.report({ node, messageId: 'hit', data: { selector } }); }]),
        );
      },
    };
    const messages = new Linter({ configType: 'flat' }).verify(
      code,
      [{ files: ['**/*.py'], plugins: { 'otel-async': plugin, deep: { rules: { deep } } }, language: 'otel-async/python', rules: { 'deep/deep': 'error' } }],
      { filename: 'a.py' },
    );
    assert.deepEqual(
      messages.map((message) => [message.message, message.line, message.column, message.endColumn]).sort(),
      [
        ['expression_statement:has(call)', 1, 1, code.length],
        ['list > call', 1, depth + 5, depth + 8],
        ['module call', 1, depth + 5, depth + 8],
      ],
    );
  });
});

describe('bodies given as bytes (Uint8Array)', () => {
  test('valid UTF-8 bytes are decoded, a BOM is dropped', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('é = f()\n')]);
    const result = pythonLanguage.parse(file(bytes), { languageOptions: { tolerant: true } });
    assert.ok(result.ok);
    const sourceCode = pythonLanguage.createSourceCode(file(bytes), result, { languageOptions: {} });
    assert.equal(sourceCode.text, 'é = f()\n');
    const call = sourceCode.ast.children[0];
    assert.deepEqual(call?.loc, { start: { line: 1, column: 0 }, end: { line: 1, column: 7 } });
  });

  test('invalid UTF-8 is a clear parse error, not a crash', () => {
    const bytes = new Uint8Array([0x66, 0x28, 0xff, 0xfe, 0x29, 0x0a]);
    assert.deepEqual(pythonLanguage.parse(file(bytes), { languageOptions: { tolerant: true } }), {
      ok: false,
      errors: [{ message: 'File is not valid UTF-8 text.', line: 1, column: 1 }],
    });
  });
});
