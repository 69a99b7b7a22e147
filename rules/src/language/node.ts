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
 * The empty list every node without children shares (most nodes are leaves: one array less each).
 * Frozen, so a write to it fails loudly instead of giving every leaf a child.
 */
export const NO_CHILDREN: PythonNode[] = Object.freeze([]) as unknown as PythonNode[];

/**
 * The concrete node class. Instances are created once per parse, so ESLint and rules can keep them in
 * maps and compare them by identity. Grammar fields are plain own properties (for esquery); `loc` is a
 * lazy getter because most nodes are never reported.
 */
export class PythonNode {
  [field: string]: unknown;
  #loc: SourceLocation | undefined;
  // Private, so it is not enumerable and nothing that walks a node's own properties copies it. One
  // class for every file (not a subclass per file) keeps V8's object shapes, and node creation, fast.
  readonly #lineIndex: LineIndex;
  /** Named children in source order, computed on first use: every walk of the tree asks for them. */
  #ordered: readonly PythonNode[] | undefined = undefined;
  parent: PythonNode | null;
  /** Starts as the shared {@link NO_CHILDREN}; the conversion gives a node its own array on the first child. */
  children: PythonNode[] = NO_CHILDREN;

  constructor(
    readonly type: string,
    readonly range: [number, number],
    parent: PythonNode | null,
    lineIndex: LineIndex,
  ) {
    this.parent = parent;
    this.#lineIndex = lineIndex;
  }

  get loc(): SourceLocation {
    this.#loc ??= this.#lineIndex.locationOf(this.range);
    return this.#loc;
  }

  /**
   * Adds the next child to the node's source-order list. The conversion creates children in source
   * order, so for a node whose children sit in several fields this is cheaper than merging the fields
   * later (and every traversal asks for every node's list).
   */
  static appendOrdered(node: PythonNode, child: PythonNode): void {
    if (node.#ordered === undefined) node.#ordered = [child];
    else (node.#ordered as PythonNode[]).push(child);
  }

  /** The node's children in source order, from `compute` the first time and cached after. */
  static orderedChildren(node: PythonNode, compute: (node: PythonNode) => readonly PythonNode[]): readonly PythonNode[] {
    node.#ordered ??= compute(node);
    return node.#ordered;
  }
}

export class PythonComment {
  readonly type = 'comment';
  #loc: SourceLocation | undefined;
  readonly #lineIndex: LineIndex;

  constructor(
    readonly value: string,
    readonly range: [number, number],
    lineIndex: LineIndex,
  ) {
    this.#lineIndex = lineIndex;
  }

  get loc(): SourceLocation {
    this.#loc ??= this.#lineIndex.locationOf(this.range);
    return this.#loc;
  }
}

/** The typed view of a converted node. */
export function asPyNode(node: PythonNode): PyNode {
  return node as unknown as PyNode;
}
