import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindingUses, nextStatement, statementOf, type Binding } from 'eslint-plugin-otel-async/semantic';
import type { PyNode } from 'eslint-plugin-otel-async/language';
import { findNode, nodesOfType, parsePython } from '../helpers/python.js';

/** The uses of the binding made by the assignment whose text is `assignment`, as `line:column text`. */
function usesOf(code: string, assignment: string, occurrence = 0): { reads: string[]; nestedReads: string[] } {
  const { sourceCode, model } = parsePython(code);
  const node = findNode(sourceCode, 'assignment', assignment, occurrence);
  const target = node.left;
  assert.ok(target);
  const binding = model.scopeAt(target).bindings.get(target.text ?? '')?.find((candidate: Binding) => candidate.identifier === target);
  assert.ok(binding, 'the assignment binds a name');
  const show = (read: PyNode): string => `${read.loc.start.line}:${read.loc.start.column} ${read.parent?.type ?? ''}`;
  const uses = bindingUses(model, binding);
  return { reads: uses.reads.map(show), nestedReads: uses.nestedReads.map(show) };
}

describe('bindingUses: the reads a binding reaches', () => {
  it('reads after the binding in the same scope, not names that only label something', () => {
    const code = 'def f():\n    t = make()\n    use(t)\n    obj.t = 1\n    g(t=2)\n    if t is None:\n        pass\n';
    assert.deepEqual(usesOf(code, 't = make()'), { reads: ['3:8 argument_list', '6:7 comparison_operator'], nestedReads: [] });
  });

  it('a later binding in a block holding both hides the first from reads after it', () => {
    const code = 'def f():\n    t = a()\n    use(t)\n    t = b()\n    use(t)\n';
    assert.deepEqual(usesOf(code, 't = a()').reads, ['3:8 argument_list']);
    assert.deepEqual(usesOf(code, 't = b()').reads, ['5:8 argument_list']);
  });

  it('a binding in one branch does not hide the other branch: both reach the read after the if', () => {
    const code = 'def f(c):\n    if c:\n        t = a()\n    else:\n        t = b()\n    use(t)\n';
    assert.deepEqual(usesOf(code, 't = a()').reads, ['6:8 argument_list']);
    assert.deepEqual(usesOf(code, 't = b()').reads, ['6:8 argument_list']);
  });

  it('reads from nested functions and lambdas are reported apart; their own locals are not reads', () => {
    const code = 'def f():\n    t = a()\n    cb = lambda: use(t)\n    def g(t):\n        return t\n    def h():\n        return t\n';
    assert.deepEqual(usesOf(code, 't = a()'), { reads: [], nestedReads: ['3:21 argument_list', '7:15 return_statement'] });
  });

  it('reads before the binding are not counted (no loop back-edges)', () => {
    const code = 'def f(xs):\n    t = None\n    for x in xs:\n        use(t)\n        t = a(x)\n';
    assert.deepEqual(usesOf(code, 't = a(x)').reads, []);
  });

  it('module-level bindings', () => {
    assert.deepEqual(usesOf('t = a()\nuse(t)\n', 't = a()').reads, ['2:4 argument_list']);
  });
});

describe('statementOf / nextStatement', () => {
  it('finds the statement in its block and the one after it', () => {
    const { sourceCode } = parsePython('def f():\n    x = g(1)\n    if x:\n        y()\n');
    const statement = statementOf(findNode(sourceCode, 'call', 'g(1)'));
    assert.equal(statement?.type, 'expression_statement');
    assert.equal(statement && nextStatement(statement)?.type, 'if_statement');
    const inner = statementOf(findNode(sourceCode, 'call', 'y()'));
    assert.equal(inner && nextStatement(inner), null);
  });
});

describe('identifiersNamed', () => {
  it('lists every identifier with the text, in source order, across scopes, and nothing else', () => {
    const code = 'span = 1\ndef f(span):\n    spans = [span for span in span]\n    return span.end\nclass C:\n    span = span\n';
    const { model } = parsePython(code);
    const found = model.identifiersNamed('span');
    assert.deepEqual(
      found.map((identifier) => identifier.range[0]),
      [...code.matchAll(/\bspan\b/gu)].map((match) => match.index),
    );
    assert.ok(found.every((identifier) => identifier.text === 'span'));
    assert.deepEqual(model.identifiersNamed('nowhere'), []);
  });
});

describe('identifiersNamedWithin', () => {
  const code = 'span = 1\ndef f(span):\n    spans = [span for span in span]\n    return span.end\nclass C:\n    span = span\nspan.end()\n';

  it('gives exactly the identifiers with the text inside a node, in source order, for every node of the tree', () => {
    const { model, sourceCode } = parsePython(code);
    const all = model.identifiersNamed('span');
    const everyNode = [...sourceCode.traverse()].filter((step) => step.phase === 1).map((step) => step.target);
    assert.ok(everyNode.length > 30, `${everyNode.length} nodes`);
    for (const node of everyNode) {
      const expected = all.filter((identifier) => {
        for (let current: PyNode | null = identifier; current; current = current.parent) if (current === node) return true;
        return false;
      });
      assert.deepEqual(model.identifiersNamedWithin('span', node), expected, `${node.type} at ${node.range.join('-')}`);
    }
  });

  it('a function body holds its own uses only', () => {
    const { model, sourceCode } = parsePython(code);
    const body = nodesOfType(sourceCode, 'function_definition')[0]?.body;
    assert.ok(body);
    assert.deepEqual(
      model.identifiersNamedWithin('span', body).map((identifier) => identifier.loc.start.line),
      [3, 3, 3, 4],
    );
    assert.deepEqual(model.identifiersNamedWithin('nowhere', body), []);
  });
});
