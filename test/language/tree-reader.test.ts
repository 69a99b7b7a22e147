import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  LineIndex,
  convertTree,
  getPythonParser,
  nodeIndexOf,
  pythonGrammarReady,
  readAll,
  readTree,
  readTreeWithCursor,
  readsTreesDirectly,
  type PyNode,
} from 'eslint-plugin-otel-async/language';

import { mutations, pythonFiles } from '../helpers/corpus.js';

await pythonGrammarReady;

/** A converted tree as plain data: every own field of every node (parents left out: they form cycles). */
function snapshot(text: string, direct: boolean): string {
  const tree = getPythonParser().parse(text);
  assert.ok(tree);
  try {
    const converted = convertTree(tree, text, new LineIndex(text), direct ? readTree : readTreeWithCursor);
    return JSON.stringify(converted, (key, value: unknown) => (key === 'parent' ? undefined : value));
  } finally {
    tree.delete();
  }
}

const texts = pythonFiles().map((path) => readFileSync(path, 'utf8'));

describe('reading trees through the runtime exports', () => {
  test('is enabled with the web-tree-sitter version we ship (the self-check passed)', () => {
    assert.equal(readsTreesDirectly(), true);
  });

  test('reports exactly what the public TreeCursor reports, node by node', () => {
    assert.ok(texts.length >= 5, `found ${texts.length} Python files`);
    let nodes = 0;
    for (const text of [...texts, ...mutations(texts.join('\n'), 40, 7)]) {
      const tree = getPythonParser().parse(text);
      assert.ok(tree);
      const expected = readAll(readTreeWithCursor(tree));
      const actual = readAll(readTree(tree));
      tree.delete();
      assert.deepEqual(actual, expected);
      nodes += expected.length / 5;
    }
    assert.ok(nodes > 10_000, `compared ${nodes} nodes`);
  });

  test('gives the same converted tree, comments and syntax problems as the public TreeCursor', () => {
    let withProblems = 0;
    for (const source of texts) {
      for (const text of [source, source.replace(/\n/gu, '\r\n'), ...mutations(source, 12, source.length)]) {
        const direct = snapshot(text, true);
        assert.equal(direct, snapshot(text, false));
        if (!direct.endsWith('"syntaxProblems":[]}')) withProblems++;
      }
    }
    // The mutations must reach the error paths (ERROR, MISSING, unclosed brackets), or this proves little.
    assert.ok(withProblems > 40, `${withProblems} texts with syntax problems`);
  });
});

describe('the node index recorded by the conversion', () => {
  test('lists every node once by type, in source order, the same as a walk of the tree', () => {
    for (const text of texts) {
      const tree = getPythonParser().parse(text);
      assert.ok(tree);
      const { ast } = convertTree(tree, text, new LineIndex(text));
      tree.delete();
      const index = nodeIndexOf(ast);
      const walked: PyNode[] = [];
      const visit = (node: PyNode): void => {
        walked.push(node);
        const children: PyNode[] = [];
        for (const [key, value] of Object.entries(node)) {
          // namedChildren holds the same nodes as the fields and `children` again.
          if (key === 'namedChildren') continue;
          if (Array.isArray(value)) children.push(...(value as unknown[]).filter(isNode));
          else if (isNode(value) && value !== node.parent) children.push(value);
        }
        children.sort((a, b) => a.range[0] - b.range[0] || b.range[1] - a.range[1]);
        for (const child of children) visit(child);
      };
      visit(ast);
      const label = (node: PyNode): string => `${node.type}@${node.range.join(':')}`;
      // Every type's list holds exactly the walk's nodes of that type (the same objects), in the walk's order.
      const types = new Set(walked.map((node) => node.type));
      assert.deepEqual([...index.byType.keys()].sort(), [...types].sort());
      for (const type of types) {
        const expected = walked.filter((node) => node.type === type);
        const listed = index.ofType(type);
        assert.equal(listed.length, expected.length, type);
        listed.forEach((node, i) => {
          assert.equal(node, expected[i], `${type} #${i}: ${label(node)}`);
        });
      }
      assert.deepEqual(index.nodes.map(label), walked.map(label));
    }
  });
});

function isNode(value: unknown): value is PyNode {
  return typeof value === 'object' && value !== null && 'type' in value && 'range' in value && 'parent' in value;
}
