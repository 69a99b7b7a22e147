import type { Tree, TreeCursor } from 'web-tree-sitter';
import { FIELD_KINDS } from './generated/grammar-tables.js';
import type { Module } from './generated/node-types.js';
import { classesFor, type PythonComment, type PythonNode } from './node.js';
import type { LineIndex } from './offsets.js';

/** A place where the parser had to recover: an ERROR node or a token it assumed was there. */
export interface SyntaxProblem {
  readonly message: string;
  readonly range: readonly [number, number];
}

export interface ConvertedTree {
  readonly ast: Module;
  readonly comments: PythonComment[];
  readonly syntaxProblems: SyntaxProblem[];
}

/** Anonymous tokens we turn into a boolean property on their parent. */
const FLAG_TOKENS = new Set(['async']);
const SKIPPED_NAMED = new Set(['line_continuation']);
const MAX_SNIPPET = 30;

function describeSnippet(text: string): string {
  const firstLine = text.split(/\r\n|[\r\n]/u, 1)[0] ?? '';
  const snippet = firstLine.length > MAX_SNIPPET ? `${firstLine.slice(0, MAX_SNIPPET)}…` : firstLine;
  return snippet.trim() === '' ? 'line break or indentation' : `'${snippet.trim()}'`;
}

/**
 * Converts a tree-sitter tree to stable plain nodes in one pass with a TreeCursor (no per-node
 * wrapper objects). Iterative, so deeply nested expressions cannot overflow the call stack.
 */
export function convertTree(tree: Tree, text: string, lineIndex: LineIndex): ConvertedTree {
  const { Node, Comment } = classesFor(lineIndex);
  const comments: PythonComment[] = [];
  const syntaxProblems: SyntaxProblem[] = [];
  const cursor: TreeCursor = tree.walk();

  // The module spans the whole text, so every position in the file is inside the root.
  const root = new Node('module', [0, text.length], null);
  const stack: PythonNode[] = [root];
  /** How many ERROR nodes enclose the cursor; only the outermost one is reported. */
  let errorDepth = 0;

  const attach = (parent: PythonNode, child: PythonNode, fieldName: string | null): void => {
    const kind = fieldName ? FIELD_KINDS[parent.type]?.[fieldName] : undefined;
    if (kind && kind[1] === 'nodes') {
      (parent[kind[0]] as PythonNode[]).push(child);
    } else if (kind && kind[1] === 'node' && parent[kind[0]] === null) {
      parent[kind[0]] = child;
    } else {
      parent.children.push(child);
    }
  };

  const initFields = (node: PythonNode): void => {
    const kinds = FIELD_KINDS[node.type];
    if (!kinds) return;
    for (const key in kinds) {
      const [name, kind] = kinds[key] as readonly [string, string];
      node[name] = kind === 'nodes' || kind === 'tokens' ? [] : null;
    }
  };
  initFields(root);

  const finish = (node: PythonNode): void => {
    if (node.children.length === 0 && node.text === undefined && !hasNodeField(node)) {
      node.text = text.slice(node.range[0], node.range[1]);
    }
  };

  // Walk the root's children; `stack` holds the converted ancestors of the cursor's node.
  if (cursor.gotoFirstChild()) {
    for (;;) {
      const parent = stack[stack.length - 1] as PythonNode;
      const type = cursor.nodeType;
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      let descend = false;

      if (cursor.nodeIsMissing) {
        if (errorDepth === 0) {
          const what = cursor.nodeIsNamed ? type.replace(/_/g, ' ') : `'${type}'`;
          syntaxProblems.push({ message: `Syntax error: missing ${what}`, range: [start, end] });
        }
      } else if (!cursor.nodeIsNamed) {
        const fieldName = cursor.currentFieldName;
        const kind = fieldName ? FIELD_KINDS[parent.type]?.[fieldName] : undefined;
        if (kind && kind[1] === 'token') parent[kind[0]] = type;
        else if (kind && kind[1] === 'tokens') (parent[kind[0]] as string[]).push(type);
        else if (FLAG_TOKENS.has(type)) parent[type] = true;
      } else if (type === 'comment') {
        const comment = new Comment(text.slice(start + 1, end), [start, end]);
        comments.push(comment);
      } else if (!SKIPPED_NAMED.has(type)) {
        const node = new Node(type, [start, end], parent);
        initFields(node);
        attach(parent, node, cursor.currentFieldName);
        if (type === 'ERROR') {
          if (errorDepth === 0) {
            const snippet = describeSnippet(text.slice(start, end));
            syntaxProblems.push({ message: `Syntax error: unexpected ${snippet}`, range: [start, end] });
          }
          errorDepth++;
        }
        if (cursor.gotoFirstChild()) {
          stack.push(node);
          descend = true;
        } else {
          if (type === 'ERROR') errorDepth--;
          finish(node);
        }
      }

      if (descend) continue;
      // Move to the next sibling, climbing out of finished subtrees.
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || stack.length === 1) {
          cursor.delete();
          comments.sort((a, b) => a.range[0] - b.range[0]);
          return { ast: root as unknown as Module, comments, syntaxProblems };
        }
        const done = stack.pop() as PythonNode;
        if (done.type === 'ERROR') errorDepth--;
        finish(done);
      }
    }
  }
  cursor.delete();
  return { ast: root as unknown as Module, comments, syntaxProblems };
}

function hasNodeField(node: PythonNode): boolean {
  const kinds = FIELD_KINDS[node.type];
  if (!kinds) return false;
  for (const key in kinds) {
    const [name, kind] = kinds[key] as readonly [string, string];
    const value = node[name];
    if (kind === 'node' && value !== null) return true;
    if (kind === 'nodes' && (value as unknown[]).length > 0) return true;
  }
  return false;
}
