import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { childrenInSourceOrder, type Module, type PyNode } from 'eslint-plugin-otel-async/language';
import { ScopeBuilder, buildScopes, isComprehension, type Scope } from 'eslint-plugin-otel-async/semantic';
import { mutations, pythonFiles, repoRoot } from '../helpers/corpus.js';
import { parsePython } from '../helpers/python.js';


/**
 * The scope tree as a whole-tree walk builds it: every node visited, each in the scope its place in the
 * tree gives it (the body of a `def`, lambda or class inside, the rest of it outside; all of a
 * comprehension inside). `buildScopes` visits only the binding sites from the node index; it must give
 * the same tree, the bindings of each name in the same order.
 */
function buildScopesByWalk(module: Module): Scope {
  const builder = new ScopeBuilder(module);
  const pending: [PyNode, Scope][] = [];
  const pushChildren = (node: PyNode, scope: Scope): void => {
    const children = childrenInSourceOrder(node);
    for (let i = children.length - 1; i >= 0; i--) pending.push([children[i] as PyNode, scope]);
  };
  pushChildren(module, builder.root);
  for (let entry = pending.pop(); entry; entry = pending.pop()) {
    const [node, scope] = entry;
    builder.declare(node, scope);
    const inner = builder.scopeOf.get(node);
    switch (node.type) {
      case 'function_definition':
      case 'lambda':
      case 'class_definition':
        // The body in the new scope; everything else (name, parameters, annotations, bases) outside.
        for (const child of [...childrenInSourceOrder(node)].reverse()) pending.push([child, child === node.body && inner ? inner : scope]);
        break;
      case 'import_statement':
      case 'import_from_statement':
      case 'global_statement':
      case 'nonlocal_statement':
        break;
      default:
        pushChildren(node, isComprehension(node) && inner ? inner : scope);
    }
  }
  return builder.root;
}

/**
 * Where a node is evaluated, by the rules the model documents: the nearest `def`, lambda or class whose
 * body holds it, or comprehension around it; a lambda's own parameter names are in the lambda.
 */
function expectedScopeNode(node: PyNode): PyNode {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if ((current.type === 'function_definition' || current.type === 'class_definition' || current.type === 'lambda') && child === current.body) return current;
    if (current.type === 'lambda' && child === current.parameters && node.parent?.type === 'lambda_parameters') return current;
    if (isComprehension(current)) return current;
  }
  return child;
}

const at = (node: PyNode | null | undefined): string => (node ? `${node.type}@${node.range[0]}-${node.range[1]}` : '-');

/**
 * A scope tree as plain text: each scope's node, globals, nonlocals, each name's bindings in order (names
 * sorted: the walk met a `def`'s return annotation before its defaults, so it met their names in another
 * order), then its children.
 */
function describeScope(scope: Scope, indent = ''): string {
  const lines = [`${indent}${at(scope.node)} globals=[${[...scope.globals].join(',')}] nonlocals=[${[...scope.nonlocals].join(',')}]`];
  for (const [name, bindings] of [...scope.bindings].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const binding of bindings) {
      lines.push(
        `${indent}  ${name}: ${binding.kind} ${at(binding.identifier)} value=${at(binding.value)} annotation=${at(binding.annotation)} def=${at(binding.definition)} import=${binding.importedName ?? '-'} in=${at(binding.scope.node)}`,
      );
    }
  }
  for (const child of scope.children) lines.push(describeScope(child, `${indent}    `));
  return lines.join('\n');
}

const EDGE_CASES = [
  'import os, a.b.c as abc',
  'from . import sibling',
  'from .pkg.mod import (x as y, z)',
  'total = count = 0',
  'first, *rest = items',
  '(p, [q, r]) = pairs',
  'counter += 1',
  'def deco(arg=(walrus_in_default := 1), *args: int, kw: "T" = None, **kwargs) -> (walrus_in_return := 2):',
  '    global total',
  '    local = [(inner := v) for v in args if (cond := v)]',
  '    gen = (lambda lam_param=(lam_default := 3): lam_param)',
  '    def nested():',
  '        nonlocal local',
  '        local = {k: v for k, v in kwargs.items() for w in (k,)}',
  '    return {s for s in args}',
  '@deco(decorator_walrus := 4)',
  'class Thing(Base, metaclass=(meta := type)):',
  '    attribute = 1',
  '    def method(self, value=attribute):',
  '        with open(value) as (fh, other), lock as held:',
  '            for i, (j, k) in enumerate(fh):',
  '                try:',
  '                    pass',
  '                except (ValueError, KeyError) as error:',
  '                    import json as local_json',
  '        return [[cell for cell in row] for row in self.grid]',
  'async def runner():',
  '    async with session() as s:',
  '        async for item in s:',
  '            print(item)',
  'match command:',
  '    case [first_word, *others]:',
  '        pass',
  'lambda_at_module = lambda: (yield)',
  '',
].join('\n');

describe('the scope tree built from the binding sites', () => {
  it('binds every kind of site in the right scope', () => {
    const { sourceCode } = parsePython(EDGE_CASES);
    const { root, scopeOf } = buildScopes(sourceCode.ast);
    const scopeNamed = (name: string): Scope => {
      const definition = [...scopeOf.keys()].find((node) => (node as { name?: PyNode | null }).name?.text === name);
      const scope = definition ? scopeOf.get(definition) : undefined;
      assert.ok(scope, name);
      return scope;
    };
    const names = (scope: Scope): string[] => [...scope.bindings.keys()].sort();
    // Defaults, annotations, decorators and bases are evaluated outside; `:=` in a comprehension binds outside it.
    for (const name of ['walrus_in_default', 'walrus_in_return', 'decorator_walrus', 'meta', 'deco', 'Thing', 'total', 'count', 'first', 'rest', 'p', 'q', 'r', 'counter', 'os', 'abc', 'sibling', 'y', 'z']) {
      assert.ok(root.bindings.has(name), `module binds ${name}`);
    }
    assert.deepEqual(names(scopeNamed('deco')), ['arg', 'args', 'cond', 'gen', 'inner', 'kw', 'kwargs', 'lam_default', 'local', 'nested']);
    assert.deepEqual([...scopeNamed('deco').globals], ['total']);
    assert.deepEqual(names(scopeNamed('nested')), ['local']);
    assert.deepEqual([...scopeNamed('nested').nonlocals], ['local']);
    assert.deepEqual(names(scopeNamed('Thing')), ['attribute', 'method']);
    assert.deepEqual(names(scopeNamed('method')), ['error', 'fh', 'held', 'i', 'j', 'k', 'local_json', 'other', 'self', 'value']);
    assert.deepEqual(names(scopeNamed('runner')), ['item', 's']);
    const lambdas = [...scopeOf.keys()].filter((node) => node.type === 'lambda');
    assert.equal(lambdas.length, 2);
    assert.deepEqual(names(scopeOf.get(lambdas[0] as PyNode) as Scope), ['lam_param']);
    assert.ok(!root.bindings.has('lam_default') && scopeNamed('deco').bindings.has('gen'));
    assert.ok(scopeNamed('deco').bindings.has('cond'), 'a walrus in a comprehension condition binds in the function');
    assert.equal(describeScope(root), describeScope(buildScopesByWalk(sourceCode.ast)));
  });

  it('is the same tree a whole-tree walk builds, on the examples, the fixtures, a generated service and broken variants', async () => {
    const corpus = (await import(pathToFileURL(join(repoRoot, 'bench', 'python-corpus.mjs')).href)) as {
      generatePythonModule(options: { lineCount: number; seed: number }): string;
    };
    const texts = [
      EDGE_CASES,
      corpus.generatePythonModule({ lineCount: 2000, seed: 11 }),
      ...pythonFiles().map((path) => readFileSync(path, 'utf8')),
      ...mutations(EDGE_CASES, 150, 7, ['(', ')', ':', '\n', '    ', 'lambda ', ':=', '[', 'def ', ' as ']),
    ];
    let compared = 0;
    for (const text of texts) {
      const { sourceCode } = parsePython(text);
      assert.equal(describeScope(buildScopes(sourceCode.ast).root), describeScope(buildScopesByWalk(sourceCode.ast)));
      compared++;
    }
    assert.ok(compared > 160, `${compared} texts`);
  });

  it("the model's scopeAt puts every node in the scope of its nearest enclosing body or comprehension", async () => {
    const corpus = (await import(pathToFileURL(join(repoRoot, 'bench', 'python-corpus.mjs')).href)) as {
      generatePythonModule(options: { lineCount: number; seed: number }): string;
    };
    const texts = [EDGE_CASES, corpus.generatePythonModule({ lineCount: 600, seed: 5 }), ...mutations(EDGE_CASES, 40, 3)];
    let inComprehensions = 0;
    for (const text of texts) {
      const { sourceCode, model } = parsePython(text);
      const { scopeOf } = buildScopes(sourceCode.ast);
      const everyNode = [...sourceCode.traverse()].filter((step) => step.phase === 1).map((step) => step.target);
      for (const node of everyNode) {
        const expected = expectedScopeNode(node);
        const scopeNode = scopeOf.has(expected) ? expected : sourceCode.ast;
        assert.equal(at(model.scopeAt(node).node), at(scopeNode), `${at(node)} in ${JSON.stringify(text.slice(node.range[0], node.range[1]).slice(0, 40))}`);
        if (isComprehension(scopeNode)) inComprehensions++;
      }
    }
    assert.ok(inComprehensions > 50, `${inComprehensions} nodes in comprehensions`);
  });
});
