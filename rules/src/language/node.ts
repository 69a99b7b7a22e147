import type { PyNode } from './generated/node-types.js';
import type { LineIndex, SourceLocation } from './offsets.js';

/** What every node of the Python tree has; generated interfaces add the grammar's fields. */
export interface PyNodeBase {
  /** The grammar's node type name (`call`, `attribute`, `with_statement`, ..., or `ERROR`). */
  readonly type: string;
  /** UTF-16 offsets into the text ESLint linted (BOM removed). */
  readonly range: readonly [number, number];
  /** 1-based lines, 0-based UTF-16 columns; computed on first use. */
  readonly loc: SourceLocation;
  readonly parent: PyNode | null;
  /** Named children that have no grammar field, in source order. */
  readonly children: readonly PyNode[];
  /** Source text, present on nodes without named children (identifiers, numbers, string parts...). */
  readonly text?: string;
  /** True on `async def`, `async with`, `async for` and async comprehension clauses. */
  readonly async?: boolean;
}

/** A `#` comment. `value` is the text after the `#`. */
export interface PyComment {
  readonly type: 'comment';
  readonly value: string;
  readonly range: readonly [number, number];
  readonly loc: SourceLocation;
}

/**
 * The concrete node class. Instances are created once per parse, so ESLint and rules can keep them in
 * maps and compare them by identity. Grammar fields are plain own properties (for esquery); `loc` is a
 * lazy getter because most nodes are never reported.
 */
export class PythonNode {
  [field: string]: unknown;
  #loc: SourceLocation | undefined;
  declare readonly lineIndex: LineIndex;
  parent: PythonNode | null;
  children: PythonNode[] = [];

  constructor(
    readonly type: string,
    readonly range: [number, number],
    parent: PythonNode | null,
  ) {
    this.parent = parent;
  }

  get loc(): SourceLocation {
    this.#loc ??= this.lineIndex.locationOf(this.range);
    return this.#loc;
  }
}

export class PythonComment {
  readonly type = 'comment';
  #loc: SourceLocation | undefined;
  declare readonly lineIndex: LineIndex;

  constructor(
    readonly value: string,
    readonly range: [number, number],
  ) {}

  get loc(): SourceLocation {
    this.#loc ??= this.lineIndex.locationOf(this.range);
    return this.#loc;
  }
}

/**
 * Node and comment classes bound to one file's line index. The index sits on the prototype, so it is
 * shared, not enumerable, and not copied by anything that walks a node's own properties.
 */
export function classesFor(lineIndex: LineIndex): {
  Node: typeof PythonNode;
  Comment: typeof PythonComment;
} {
  class Node extends PythonNode {}
  class Comment extends PythonComment {}
  Object.defineProperty(Node.prototype, 'lineIndex', { value: lineIndex });
  Object.defineProperty(Comment.prototype, 'lineIndex', { value: lineIndex });
  return { Node, Comment };
}

/** The typed view of a converted node. */
export function asPyNode(node: PythonNode): PyNode {
  return node as unknown as PyNode;
}
