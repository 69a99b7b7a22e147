import { Edit, type Parser, type Tree } from 'web-tree-sitter';
import type { LineIndex } from './offsets.js';

interface CachedParse {
  /** The text as tree-sitter parsed it. */
  readonly text: string;
  readonly lines: LineIndex;
  readonly tree: Tree;
}

/** How many files keep their last tree: an editor re-lints the few files being typed in. */
const CAPACITY = 4;
/**
 * At most this many characters of text have their trees kept (about 4 MB): a tree takes several times
 * its text in WebAssembly memory, and that memory never shrinks again, so huge files are not kept.
 */
const MAX_KEPT_CHARS = 4_000_000;

/**
 * The last tree of the most recently parsed files, so that a file parsed again after a small change
 * (each keystroke in an editor, each pass of `eslint --fix`) is re-parsed incrementally: tree-sitter
 * reuses every subtree outside the edit. On a 2,000-line file that is about a millisecond instead of ten.
 *
 * Only trees without syntax errors are taken from an incremental parse. tree-sitter's error recovery
 * can choose differently when it starts from an old tree, and a file must get the same diagnostics in
 * the editor as in CI; an incremental result with an error is thrown away for a fresh parse.
 */
export class ParseCache {
  /** In least recently used order (a Map keeps insertion order). */
  readonly #entries = new Map<string, CachedParse>();
  /** How each tree was made: unchanged text, incremental re-parse, or a full parse (for tests and benchmarks). */
  readonly counts = { unchanged: 0, incremental: 0, full: 0 };

  /** A tree handed out but not kept (its text was too large): freed by {@link release}. */
  #loose: Tree | null = null;

  /**
   * The tree of `text`. The caller may use it until the next call, must not delete it, and must call
   * {@link release} with it when done.
   */
  parse(parser: Parser, key: string, text: string, lines: LineIndex): Tree | null {
    this.#freeLoose();
    const previous = this.#entries.get(key);
    this.#entries.delete(key);
    let tree: Tree | null;
    if (!previous) {
      tree = parser.parse(text);
      this.counts.full++;
    } else if (previous.text === text) {
      tree = previous.tree;
      this.counts.unchanged++;
    } else {
      previous.tree.edit(editBetween(previous, text, lines));
      const incremental = parser.parse(text, previous.tree);
      previous.tree.delete();
      if (incremental && !incremental.rootNode.hasError) {
        tree = incremental;
        this.counts.incremental++;
      } else {
        incremental?.delete();
        tree = parser.parse(text);
        this.counts.full++;
      }
    }
    if (!tree) return null;
    if (text.length > MAX_KEPT_CHARS) {
      this.#loose = tree;
      return tree;
    }
    this.#entries.set(key, { text, lines, tree });
    let kept = 0;
    for (const entry of this.#entries.values()) kept += entry.text.length;
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= CAPACITY && kept <= MAX_KEPT_CHARS) break;
      entry.tree.delete();
      kept -= entry.text.length;
      this.#entries.delete(oldest);
    }
    return tree;
  }

  /** Says the caller is done with a tree from {@link parse}: frees it unless the cache keeps it. */
  release(tree: Tree): void {
    if (tree === this.#loose) this.#freeLoose();
  }

  /** How many trees are kept, and their texts' total length (for tests). */
  get kept(): { trees: number; chars: number } {
    let chars = 0;
    for (const entry of this.#entries.values()) chars += entry.text.length;
    return { trees: this.#entries.size, chars };
  }

  #freeLoose(): void {
    this.#loose?.delete();
    this.#loose = null;
  }

  /** Frees every kept tree. */
  clear(): void {
    this.#freeLoose();
    for (const entry of this.#entries.values()) entry.tree.delete();
    this.#entries.clear();
  }
}

const LF = 10;

/**
 * The one edit that turns the previous text into `text`: the span between their common prefix and
 * common suffix, widened to whole lines, so that no boundary splits a CRLF or a surrogate pair and
 * every position is at column 0.
 */
function editBetween(previous: CachedParse, text: string, lines: LineIndex): Edit {
  const old = previous.text;
  const shorter = Math.min(old.length, text.length);
  let start = 0;
  while (start < shorter && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let oldEnd = old.length;
  let newEnd = text.length;
  while (oldEnd > start && newEnd > start && old.charCodeAt(oldEnd - 1) === text.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  // Back to the start of the line (a line break is LF here: tree-sitter gets lone CRs as LFs).
  while (start > 0 && text.charCodeAt(start - 1) !== LF) start--;
  // On to the start of the next line, in both texts: they agree after the edit, so both move alike.
  while (newEnd < text.length && text.charCodeAt(newEnd - 1) !== LF) {
    newEnd++;
    oldEnd++;
  }
  const startRow = lines.positionAt(start).line - 1;
  return new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: { row: startRow, column: 0 },
    oldEndPosition: pointAt(previous.lines, old, oldEnd),
    newEndPosition: pointAt(lines, text, newEnd),
  });
}

function pointAt(lines: LineIndex, text: string, offset: number): { row: number; column: number } {
  if (offset >= text.length) {
    const end = lines.positionAt(text.length);
    return { row: end.line - 1, column: end.column };
  }
  return { row: lines.positionAt(offset).line - 1, column: 0 };
}
