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

const lineIndexes = new WeakMap<PythonNode, LineIndex>();

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
  // Offsets as two numbers in the node rather than a `range` array of its own: an array is two more
  // objects per node, and the garbage collector copies every object of a tree being built.
  readonly #start: number;
  readonly #end: number;
  #loc: SourceLocation | undefined = undefined;
  /**
   * Named children in source order, kept only for a node whose children sit under several keys (its
   * fields and `children`); for every other node that list is `children` itself.
   */
  #ordered: readonly PythonNode[] | undefined = undefined;
  parent: PythonNode | null;
  /** Starts as the shared {@link NO_CHILDREN}; the conversion gives a node its own array on the first child. */
  children: PythonNode[] = NO_CHILDREN;

  constructor(
    readonly type: string,
    start: number,
    end: number,
    parent: PythonNode | null,
  ) {
    this.#start = start;
    this.#end = end;
    this.parent = parent;
  }

  /** `[start, end]`, a new array on each read (where it does not escape, the compiler removes it). */
  get range(): [number, number] {
    return [this.#start, this.#end];
  }

  /** Computed on first use from the root's line index (most nodes are never reported), then kept. */
  get loc(): SourceLocation {
    if (this.#loc) return this.#loc;
    const lineIndex = lineIndexes.get(PythonNode.#rootOf(this));
    if (!lineIndex) throw new Error('A Python node outside a converted tree has no location.');
    this.#loc = lineIndex.locationOf([this.#start, this.#end]);
    return this.#loc;
  }

  /**
   * What `JSON.stringify` writes: the node's own fields with its `range` (a getter, so not among them)
   * and without `parent` (which would be a cycle).
   */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { type: this.type, range: this.range };
    for (const key of Object.keys(this)) if (key !== 'parent' && key !== 'type') json[key] = this[key];
    return json;
  }

  static #rootOf(node: PythonNode): PythonNode {
    let root = node;
    while (root.parent) root = root.parent;
    return root;
  }

  /** Gives the nodes of the tree under `root` their line index (for `loc`). */
  static setLineIndex(root: PythonNode, lineIndex: LineIndex): void {
    lineIndexes.set(root, lineIndex);
  }

  /**
   * Gives a node whose children sit under several keys its children in source order. The conversion
   * creates children in source order, so it collects them as it goes; every traversal asks for every
   * node's list, and merging the fields then would cost each walk.
   */
  static setOrdered(node: PythonNode, children: readonly PythonNode[]): void {
    node.#ordered = children;
  }

  /**
   * The node's named children in source order. The conversion gives a node with several child keys
   * its ordered list (see {@link setOrdered}); any other node holds all its named children in
   * `children`, already in source order. Every walk of the tree asks this of every node, so it is a
   * read, not a merge of fields by the visitor keys.
   */
  static orderedChildren(node: PythonNode): readonly PythonNode[] {
    return node.#ordered ?? node.children;
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
