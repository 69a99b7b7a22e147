import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ensureImport, indentationAt, indentUnitOf, reindent, wrapInTryFinally, type TextEdit } from 'eslint-plugin-otel-async/util/python-edits';
import { findNode, parsePython } from '../helpers/python.js';
import { assertCompiles } from '../helpers/rule-tester.js';

function apply(text: string, edit: TextEdit | null): string {
  if (!edit) return text;
  return text.slice(0, edit.range[0]) + edit.text + text.slice(edit.range[1]);
}

describe('ensureImport', () => {
  it('adds the import after the existing import block', () => {
    const code = '"""doc"""\nimport time\nfrom os import path\n\nx = 1\n';
    const { sourceCode, model } = parsePython(code);
    const out = apply(code, ensureImport(sourceCode, model, 'asyncio'));
    assert.equal(out, '"""doc"""\nimport time\nfrom os import path\nimport asyncio\n\nx = 1\n');
    assertCompiles(out);
  });
  it('does nothing when the module is already imported under its name', () => {
    const { sourceCode, model } = parsePython('import asyncio\n');
    assert.equal(ensureImport(sourceCode, model, 'asyncio'), null);
  });
  it('adds a new import when only an alias exists, and keeps a shebang first', () => {
    const code = '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nx = 1\n';
    const { sourceCode, model } = parsePython(code);
    assert.equal(apply(code, ensureImport(sourceCode, model, 'asyncio')), '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nimport asyncio\nx = 1\n');
  });
  it('uses the file line ending', () => {
    const code = 'import os\r\nx = 1\r\n';
    const { sourceCode, model } = parsePython(code);
    assert.equal(apply(code, ensureImport(sourceCode, model, 'asyncio')), 'import os\r\nimport asyncio\r\nx = 1\r\n');
  });
});

describe('wrapInTryFinally', () => {
  it('re-indents the statements one level and keeps multi-line strings verbatim', () => {
    const code = 'def f():\n    token = attach(ctx)\n    a = """x\nline two"""\n    if a:\n        g()\n    detach(token)\n';
    const { sourceCode } = parsePython(code);
    const first = findNode(sourceCode, 'expression_statement', 'a = """x\nline two"""');
    const last = findNode(sourceCode, 'if_statement', 'if a:\n        g()');
    const out = apply(code, wrapInTryFinally(sourceCode, first, last, ['detach(token)']));
    assert.equal(
      out,
      'def f():\n    token = attach(ctx)\n    try:\n        a = """x\nline two"""\n        if a:\n            g()\n    finally:\n        detach(token)\n    detach(token)\n',
    );
    assertCompiles(out);
  });
  it('uses tabs when the file does', () => {
    assert.equal(indentUnitOf('def f():\n\tpass\n'), '\t');
    assert.equal(indentUnitOf('def f():\n  pass\n'), '  ');
  });
  it('reindent moves lines from one indentation to another', () => {
    assert.equal(reindent('    a\n      b\n', '    ', ''), 'a\n  b\n');
  });
});

// Import declarations are hoisted; this one sits next to the tests that use it.
import { indentLinesDeeper } from 'eslint-plugin-otel-async/util/python-edits';

describe('wrapInTryFinally with a trailing comment, and indentLinesDeeper', () => {
  it('keeps a comment after the last wrapped statement on its line, inside the try', () => {
    const code = 'def f():\n    token = attach(ctx)\n    work()  # the work\n    more()\n';
    const { sourceCode } = parsePython(code);
    const work = findNode(sourceCode, 'expression_statement', 'work()');
    const out = apply(code, wrapInTryFinally(sourceCode, work, work, ['detach(token)']));
    assert.equal(out, 'def f():\n    token = attach(ctx)\n    try:\n        work()  # the work\n    finally:\n        detach(token)\n    more()\n');
    assertCompiles(out);
  });
  it('indents whole lines one level deeper, leaving blank lines and multi-line string content alone', () => {
    const code = 'def f():\n\tx = """a\nb"""\n\n\t# note\n\ty()\n';
    const { sourceCode } = parsePython(code);
    const start = code.indexOf('x =');
    assert.equal(indentLinesDeeper(sourceCode, start, code.length), '\t\tx = """a\nb"""\n\n\t\t# note\n\t\ty()\n');
  });
});

import { commentsWithin, endOfTrailingComment } from 'eslint-plugin-otel-async/util/python-edits';

describe('multi-line strings and comments found by position', () => {
  // Strings and comments before, inside and after the region, so a search that starts or stops one
  // element off shows up in the output.
  const code = [
    '"""module',
    'doc"""',
    '# top',
    'def f(token):',
    '    a = """before',
    '    region"""  # after a',
    "    b = f'''x{\"\"\"nested",
    "inner\"\"\"}y'''",
    '    # own line',
    "    c = 'one line'",
    '    d = """last',
    'string"""  # trailing',
    '    detach(token)  # not taken',
    'e = """after',
    'all"""',
    '',
  ].join('\n');

  it('keeps every line of each multi-line string in the region verbatim, nested ones included', () => {
    const { sourceCode } = parsePython(code);
    const first = findNode(sourceCode, 'expression_statement', "b = f'''x{\"\"\"nested\ninner\"\"\"}y'''");
    const last = findNode(sourceCode, 'expression_statement', 'd = """last\nstring"""');
    const out = apply(code, wrapInTryFinally(sourceCode, first, last, ['detach(token)']));
    assert.equal(
      out,
      [
        '"""module',
        'doc"""',
        '# top',
        'def f(token):',
        '    a = """before',
        '    region"""  # after a',
        '    try:',
        "        b = f'''x{\"\"\"nested",
        "inner\"\"\"}y'''",
        '        # own line',
        "        c = 'one line'",
        '        d = """last',
        'string"""  # trailing',
        '    finally:',
        '        detach(token)',
        '    detach(token)  # not taken',
        'e = """after',
        'all"""',
        '',
      ].join('\n'),
    );
    assertCompiles(out);
  });

  it('takes only a comment on the same line as the end', () => {
    const { sourceCode } = parsePython(code);
    const endOfD = code.indexOf('string"""') + 'string"""'.length;
    assert.equal(endOfTrailingComment(sourceCode, endOfD), code.indexOf('# trailing') + '# trailing'.length);
    const endOfC = code.indexOf("'one line'") + "'one line'".length;
    assert.equal(endOfTrailingComment(sourceCode, endOfC), endOfC, 'the next comment is on a later line');
    assert.equal(endOfTrailingComment(sourceCode, code.length), code.length, 'no comment after the end');
  });

  it('lists the comments wholly inside a span of text, in order', () => {
    const { sourceCode } = parsePython(code);
    const texts = (from: number, to: number): string[] => commentsWithin(sourceCode, from, to).map((comment) => comment.value);
    assert.deepEqual(texts(0, code.length), [' top', ' after a', ' own line', ' trailing', ' not taken']);
    assert.deepEqual(texts(code.indexOf('# after a'), code.indexOf('# trailing')), [' after a', ' own line']);
    assert.deepEqual(texts(code.indexOf('# after a') + 1, code.indexOf('# trailing') + 3), [' own line'], 'cut comments are left out');
    assert.deepEqual(texts(code.indexOf('e = '), code.length), []);
  });
});

describe('indentationAt', () => {
  it("gives the leading spaces and tabs of the offset's line, for every offset, with LF, CRLF and lone CR line ends", () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const lines = ['def f():', '    x = 1', '\t\ty = 2', '  \t z', '', '    last'];
      const code = lines.join(eol);
      const { sourceCode } = parsePython(code);
      let offset = 0;
      lines.forEach((line, index) => {
        const expected = /^[ \t]*/u.exec(line)?.[0] ?? '';
        // Every offset on the line, its end (before the line ending) included.
        for (let column = 0; column <= line.length; column++) {
          assert.equal(indentationAt(sourceCode, offset + column), expected, `line ${index + 1}, column ${column}, ${JSON.stringify(eol)}`);
        }
        offset += line.length + eol.length;
      });
    }
  });
});
