import type { Tree, TreeCursor } from 'web-tree-sitter';

/**
 * What the conversion reads from a tree-sitter tree: a cursor that moves over every node and tells
 * the node's type id, offsets (UTF-16 units), field id and whether the parser invented it.
 */
export interface TreeReader {
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  typeId(): number;
  startIndex(): number;
  endIndex(): number;
  /** 0 when the node is in no field. */
  fieldId(): number;
  isMissing(): boolean;
  /** Frees the cursor; the reader cannot be used after. */
  delete(): void;
}

/** The web-tree-sitter runtime's exports that the direct reader calls (all present in 0.25 to 0.27). */
interface RuntimeExports {
  _ts_init(): number;
  getValue(address: number, type: 'i32'): number;
  setValue(address: number, value: number, type: 'i32'): void;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
}

const REQUIRED_EXPORTS: readonly (keyof RuntimeExports)[] = [
  '_ts_init',
  'getValue',
  'setValue',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
];

/** A TreeCursor's four words of state (its `[0]`..`[3]` in web-tree-sitter) and a tree's pointer (`[0]`). */
type Handles = Record<0 | 1 | 2 | 3, number>;
const CURSOR_WORDS = 4;
const WORD = 4;

/** The public-API reader: every read is a method of web-tree-sitter's TreeCursor. */
class CursorTreeReader implements TreeReader {
  constructor(private readonly cursor: TreeCursor) {}
  gotoFirstChild(): boolean {
    return this.cursor.gotoFirstChild();
  }
  gotoNextSibling(): boolean {
    return this.cursor.gotoNextSibling();
  }
  gotoParent(): boolean {
    return this.cursor.gotoParent();
  }
  typeId(): number {
    return this.cursor.nodeTypeId;
  }
  startIndex(): number {
    return this.cursor.startIndex;
  }
  endIndex(): number {
    return this.cursor.endIndex;
  }
  fieldId(): number {
    return this.cursor.currentFieldId;
  }
  isMissing(): boolean {
    return this.cursor.nodeIsMissing;
  }
  delete(): void {
    this.cursor.delete();
  }
}

/**
 * The same reads straight through the runtime's exported functions. web-tree-sitter copies the
 * cursor's state into a shared transfer buffer before every call and back after each move (through a
 * generic `setValue`/`getValue` per word); the C side keeps the buffer up to date itself, so this reader
 * loads it once, calls the functions directly, and copies the state back before freeing the cursor. On
 * a 10,000-line file that is about 700,000 calls without the copying.
 */
class DirectTreeReader implements TreeReader {
  readonly #tree: number;
  readonly #cursor: TreeCursor;

  constructor(
    private readonly runtime: RuntimeExports,
    private readonly buffer: number,
    tree: Tree,
  ) {
    this.#tree = (tree as unknown as Handles)[0];
    this.#cursor = tree.walk();
    const words = this.#cursor as unknown as Handles;
    for (let i = 0; i < CURSOR_WORDS; i++) runtime.setValue(buffer + i * WORD, words[i as 0 | 1 | 2 | 3], 'i32');
  }
  gotoFirstChild(): boolean {
    return this.runtime._ts_tree_cursor_goto_first_child_wasm(this.#tree) === 1;
  }
  gotoNextSibling(): boolean {
    return this.runtime._ts_tree_cursor_goto_next_sibling_wasm(this.#tree) === 1;
  }
  gotoParent(): boolean {
    return this.runtime._ts_tree_cursor_goto_parent_wasm(this.#tree) === 1;
  }
  typeId(): number {
    return this.runtime._ts_tree_cursor_current_node_type_id_wasm(this.#tree);
  }
  startIndex(): number {
    return this.runtime._ts_tree_cursor_start_index_wasm(this.#tree);
  }
  endIndex(): number {
    return this.runtime._ts_tree_cursor_end_index_wasm(this.#tree);
  }
  fieldId(): number {
    return this.runtime._ts_tree_cursor_current_field_id_wasm(this.#tree);
  }
  isMissing(): boolean {
    return this.runtime._ts_tree_cursor_current_node_is_missing_wasm(this.#tree) === 1;
  }
  delete(): void {
    // The cursor's stack may have moved while it grew: free what the buffer holds now.
    const words = this.#cursor as unknown as Handles;
    for (let i = 0; i < CURSOR_WORDS; i++) words[i as 0 | 1 | 2 | 3] = this.runtime.getValue(this.buffer + i * WORD, 'i32');
    this.#cursor.delete();
  }
}

let direct: { runtime: RuntimeExports; buffer: number } | null = null;

/**
 * Uses the runtime's exports for reading trees when they look as expected, after checking on
 * `sample` that both readers see exactly the same nodes; otherwise the public API stays in use. The
 * check runs once, when the grammar loads, so an unexpected web-tree-sitter build costs speed only.
 */
export function enableDirectReading(runtime: Record<string, unknown>, sample: Tree): boolean {
  direct = null;
  if (!REQUIRED_EXPORTS.every((name) => typeof runtime[name] === 'function')) return false;
  const exports = runtime as unknown as RuntimeExports;
  const buffer = exports._ts_init();
  if (!Number.isInteger(buffer) || buffer <= 0) return false;
  const candidate = { runtime: exports, buffer };
  try {
    const expected = readAll(new CursorTreeReader(sample.walk()));
    const actual = readAll(new DirectTreeReader(candidate.runtime, candidate.buffer, sample));
    if (expected.length === 0 || expected.join() !== actual.join()) return false;
  } catch {
    return false;
  }
  direct = candidate;
  return true;
}

/** A reader over the whole tree, starting at its root. */
export function readTree(tree: Tree): TreeReader {
  return direct ? new DirectTreeReader(direct.runtime, direct.buffer, tree) : new CursorTreeReader(tree.walk());
}

/** A reader through web-tree-sitter's public TreeCursor only. */
export function readTreeWithCursor(tree: Tree): TreeReader {
  return new CursorTreeReader(tree.walk());
}

/** Everything a reader reports, node by node in walk order (for the self-check and for tests). */
export function readAll(reader: TreeReader): number[] {
  const seen: number[] = [];
  try {
    for (;;) {
      seen.push(reader.typeId(), reader.startIndex(), reader.endIndex(), reader.fieldId(), reader.isMissing() ? 1 : 0);
      if (reader.gotoFirstChild()) continue;
      while (!reader.gotoNextSibling()) {
        if (!reader.gotoParent()) return seen;
      }
    }
  } finally {
    reader.delete();
  }
}
