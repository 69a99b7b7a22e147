import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TextEdit } from 'eslint-plugin-otel-async/util/python-edits';
import { insertAtBodyStart, insertBeforeStatement, wrapStatementInTry } from 'eslint-plugin-otel-async/util/statement-edits';
import { findNode, parsePython } from '../helpers/python.js';
import { assertCompiles } from '../helpers/rule-tester.js';

/** Applies non-overlapping edits; inserts at one offset keep their array order, as ESLint's merge does. */
function apply(text: string, edits: readonly TextEdit[] | TextEdit | null): string {
  assert.ok(edits, 'expected edits');
  const list = (Array.isArray(edits) ? edits : [edits]) as TextEdit[];
  const ordered = list.map((edit, index) => ({ edit, index })).sort((a, b) => a.edit.range[0] - b.edit.range[0] || a.edit.range[1] - b.edit.range[1] || a.index - b.index);
  let out = '';
  let last = 0;
  for (const { edit } of ordered) {
    assert.ok(edit.range[0] >= last, 'edits overlap');
    out += text.slice(last, edit.range[0]) + edit.text;
    last = edit.range[1];
  }
  return out + text.slice(last);
}

const CLAUSES = { handlers: [{ header: 'except E:', body: ['pass'] }], finallyBody: ['done()'] };

describe('wrapStatementInTry', () => {
  it('indents a multi-line statement one level, keeps a multi-line string verbatim and a trailing comment on its line', () => {
    const code = 'def f():\n    print("""a\nb""",\n          run())  # go\n    after()\n';
    const { sourceCode } = parsePython(code);
    const statement = findNode(sourceCode, 'expression_statement', 'print("""a\nb""",\n          run())');
    const out = apply(code, wrapStatementInTry(sourceCode, statement, { ...CLAUSES, linesBefore: ['before()'] }));
    assert.equal(
      out,
      'def f():\n    before()\n    try:\n        print("""a\nb""",\n              run())  # go\n    except E:\n        pass\n    finally:\n        done()\n    after()\n',
    );
    assertCompiles(out);
  });

  it('gives a statement that shares its line with a block header a block of its own', () => {
    const code = 'if ready:   run()\n';
    const { sourceCode } = parsePython(code);
    const out = apply(code, wrapStatementInTry(sourceCode, findNode(sourceCode, 'expression_statement', 'run()'), CLAUSES));
    assert.equal(out, 'if ready:\n    try:\n        run()\n    except E:\n        pass\n    finally:\n        done()\n');
    assertCompiles(out);
  });

  it('returns null for a statement after another one on the same line', () => {
    const { sourceCode } = parsePython('a(); run()\n');
    assert.equal(wrapStatementInTry(sourceCode, findNode(sourceCode, 'expression_statement', 'run()'), CLAUSES), null);
  });

  it('keeps tabs and CRLF', () => {
    const code = 'def f():\r\n\trun(\r\n\t\t1)\r\n';
    const { sourceCode } = parsePython(code);
    const out = apply(code, wrapStatementInTry(sourceCode, findNode(sourceCode, 'expression_statement', 'run(\r\n\t\t1)'), { finallyBody: ['done()'] }));
    assert.equal(out, 'def f():\r\n\ttry:\r\n\t\trun(\r\n\t\t\t1)\r\n\tfinally:\r\n\t\tdone()\r\n');
    assertCompiles(out);
  });
});

describe('insertBeforeStatement and insertAtBodyStart', () => {
  it('insert on a line of their own, or joined with `;` after a block header', () => {
    const code = 'def f():\n    a()\n    if x: b()\n';
    const { sourceCode } = parsePython(code);
    assert.equal(apply(code, insertBeforeStatement(sourceCode, findNode(sourceCode, 'expression_statement', 'a()'), ['flush()'])), 'def f():\n    flush()\n    a()\n    if x: b()\n');
    assert.equal(apply(code, insertBeforeStatement(sourceCode, findNode(sourceCode, 'expression_statement', 'b()'), ['flush()'])), 'def f():\n    a()\n    if x: flush(); b()\n');
  });

  it('join with `;` after another statement on the same line', () => {
    const code = 'a(); b()\n';
    const { sourceCode } = parsePython(code);
    assert.equal(apply(code, insertBeforeStatement(sourceCode, findNode(sourceCode, 'expression_statement', 'b()'), ['flush()'])), 'a(); flush(); b()\n');
  });

  it('insert after a docstring, after a lone docstring, and not into a body on the header line', () => {
    const code = 'async def f():\n    """Doc."""\n    a()\n\n\nasync def g():\n    """Doc."""\n\n\nasync def h(): a()\n';
    const { sourceCode } = parsePython(code);
    const body = (name: string) => {
      const fn = findNode(sourceCode, 'function_definition', code.split('\n\n\n').find((part) => part.startsWith(`async def ${name}`))?.trimEnd() ?? '');
      assert.ok(fn.body);
      return fn.body;
    };
    assert.equal(apply(code, insertAtBodyStart(sourceCode, body('f'), ['x()'])), code.replace('    a()', '    x()\n    a()'));
    assert.equal(apply(code, insertAtBodyStart(sourceCode, body('g'), ['x()'])), code.replace('"""Doc."""\n\n\nasync def h', '"""Doc."""\n    x()\n\n\nasync def h'));
    assert.equal(insertAtBodyStart(sourceCode, body('h'), ['x()']), null);
  });
});
