import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { insertModuleStatements, type TextEdit } from 'eslint-plugin-otel-async/util/python-edits';
import { findNode, parsePython } from '../helpers/python.js';
import { assertCompiles } from '../helpers/rule-tester.js';

function apply(text: string, edit: TextEdit | null): string {
  if (!edit) return text;
  return text.slice(0, edit.range[0]) + edit.text + text.slice(edit.range[1]);
}

describe('insertModuleStatements', () => {
  it('puts imports, then a blank line and the definitions, after the docstring and leading imports', () => {
    const code = '"""doc"""\nfrom __future__ import annotations\nimport asyncio\n\n\ndef f():\n    pass\n';
    const { sourceCode } = parsePython(code);
    const out = apply(code, insertModuleStatements(sourceCode, ['from opentelemetry import context'], ['_tasks: set[asyncio.Task] = set()']));
    assert.equal(
      out,
      '"""doc"""\nfrom __future__ import annotations\nimport asyncio\nfrom opentelemetry import context\n\n_tasks: set[asyncio.Task] = set()\n\n\ndef f():\n    pass\n',
    );
    assertCompiles(out);
  });
  it('goes after a later module-level statement that binds a name the new code needs', () => {
    const code = 'x = 1\ntry:\n    import asyncio\nexcept ImportError:\n    raise\ny = 2\n';
    const { sourceCode } = parsePython(code);
    const importNode = findNode(sourceCode, 'import_statement', 'import asyncio');
    const out = apply(code, insertModuleStatements(sourceCode, [], ['_tasks = set()'], importNode));
    assert.equal(out, 'x = 1\ntry:\n    import asyncio\nexcept ImportError:\n    raise\n\n_tasks = set()\ny = 2\n');
    assertCompiles(out);
  });
  it('without leading imports, writes at the top after a shebang, in the file line ending', () => {
    const code = '#!/usr/bin/env python3\r\nclass A:\r\n    pass\r\n';
    const { sourceCode } = parsePython(code);
    const out = apply(code, insertModuleStatements(sourceCode, ['import asyncio'], ['_tasks = set()']));
    assert.equal(out, '#!/usr/bin/env python3\r\nimport asyncio\r\n\r\n_tasks = set()\r\n\r\nclass A:\r\n    pass\r\n');
    assertCompiles(out);
  });
  it('returns null when there is nothing to add', () => {
    const { sourceCode } = parsePython('import asyncio\n');
    assert.equal(insertModuleStatements(sourceCode, [], []), null);
  });
});
