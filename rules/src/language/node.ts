import type { PyNode } from './generated/node-types.js';
import type { LineIndex, SourceLocation } from './offsets.js';

/** What every node of the Python tree has; generated interfaces add the grammar's fields. */
export interface PyNodeBase {
  /** The grammar's node type name (`call`, `attribute`, `with_statement`, ..., or `ERROR`). */
  readonly type: string;
  /** UTF-16 offsets into the text ESLint linted (BOM removed). */
  readonly range: readonly [number, number];
  /** `range[0]` and `range[1]` as numbers of their own (as in acorn and espree): reading them makes no array. */
  readonly start: number;
  readonly end: number;
  /** 1-based lines, 0-based UTF-16 columns; computed on first use. */
  readonly loc: SourceLocation;
  readonly parent: PyNode | null;
  /** Named children that have no grammar field, in source order. */
  readonly children: readonly PyNode[];
  /**
   * Every named child in source order, whatever key holds it (grammar fields and `children` together),
   * like tree-sitter's `namedChildren`. Shared: do not mutate.
   */
  readonly namedChildren: readonly PyNode[];
  /**
   * Source text, set on nodes without named children (identifiers, numbers, string parts...). A type
   * that can be such a leaf has the property from the start, `undefined` while the node has children.
   */
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
/** Locations made so far (most nodes are never reported, so a slot in every node would be wasted). */
const locations = new WeakMap<PythonNode, SourceLocation>();

/**
 * The empty list every node without children shares (most nodes are leaves: one array less each).
 * Frozen, so a write to it fails loudly instead of giving every leaf a child.
 */
export const NO_CHILDREN: PythonNode[] = Object.freeze([]) as unknown as PythonNode[];

/** Makes a node of one type (see `generated/node-factories.ts`). */
export type NodeFactory = (start: number, end: number, parent: PythonNode | null) => PythonNode;

/**
 * The prototype of every node. Nodes are made once per parse, so ESLint and rules can keep them in maps
 * and compare them by identity; grammar fields are plain own properties (for esquery).
 *
 * A node is an object literal with this prototype, not an instance made by `new`: V8 learns that the
 * objects of a literal live long (a tree lives for the whole lint) and then makes them in the old
 * generation, so the collector stops copying each node of a tree being built twice (from one young
 * space to the other, then out). That copying was the largest part of the garbage collector's time in a
 * lint, and the part that grew most when the machine was busy. The generated factories write every
 * property of a type in one literal, so the properties sit inside the object.
 */
export class PythonNode {
  [field: string]: unknown;
  declare readonly type: string;
  declare readonly start: number;
  declare readonly end: number;
  declare parent: PythonNode | null;
  declare children: PythonNode[];
  declare namedChildren: readonly PythonNode[];
  declare text?: string;

  /** Nodes come from {@link PythonNode.create} or the generated factories, never from `new`. */
  private constructor() {
    throw new TypeError('Python nodes are made by the conversion of a tree, not by new PythonNode().');
  }

  /**
   * A node of a type without a generated factory (`ERROR`, or a type a newer grammar added): the common
   * properties only; fields are added as they are met.
   */
  static create(type: string, start: number, end: number, parent: PythonNode | null): PythonNode {
    return { __proto__: PythonNode.prototype, type, start, end, parent, children: NO_CHILDREN, namedChildren: NO_CHILDREN, text: undefined } as unknown as PythonNode;
  }

  /** `[start, end]`, a new array on each read (where it does not escape, the compiler removes it). */
  get range(): [number, number] {
    return [this.start, this.end];
  }

  /** Computed on first use from the root's line index, then kept. */
  get loc(): SourceLocation {
    let loc = locations.get(this);
    if (loc) return loc;
    const lineIndex = lineIndexes.get(PythonNode.#rootOf(this));
    if (!lineIndex) throw new Error('A Python node outside a converted tree has no location.');
    loc = lineIndex.locationOf([this.start, this.end]);
    locations.set(this, loc);
    return loc;
  }

  /**
   * What `JSON.stringify` writes: the node's type, `range` (a getter, so not among its own properties)
   * and fields, without `parent` (a cycle), `namedChildren` (the same nodes again) and `start`/`end`
   * (in `range`).
   */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { type: this.type, range: this.range };
    for (const key of Object.keys(this)) if (!NOT_IN_JSON.has(key)) json[key] = this[key];
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
}

const NOT_IN_JSON = new Set(['type', 'parent', 'namedChildren', 'start', 'end']);

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
