import type { TextEdit } from 'vscode-languageserver';
import { TextPositions } from './positions';

/**
 * The smallest set of line edits that turns one text into another (Myers' O(ND) diff over lines),
 * each edit then trimmed to the characters that differ. Fix-all sends these instead of replacing the
 * whole document, so folding, markers and the cursor survive a fix on save.
 */

/** Beyond this many differing lines one edit is cheaper than the search and just as correct. */
const MAX_DIFFERENCES = 2000;

interface Hunk {
  readonly aStart: number;
  readonly aEnd: number;
  readonly bStart: number;
  readonly bEnd: number;
}

/** Lines with their line breaks, so joining them gives the text back exactly. */
function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** The changed regions between two line arrays, in order, or undefined when there are too many. */
function diffLines(a: readonly string[], b: readonly string[]): Hunk[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_DIFFERENCES);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    const next = v;
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[k - 1 + offset] ?? 0) < (v[k + 1 + offset] ?? 0));
      let x = down ? (v[k + 1 + offset] ?? 0) : (v[k - 1 + offset] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[k + offset] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    v = next;
  }
  if (found < 0) return undefined;

  // Walk back from the end: each step is a run of equal lines preceded by one insertion or deletion.
  const changedA: boolean[] = new Array<boolean>(n).fill(false);
  const changedB: boolean[] = new Array<boolean>(m).fill(false);
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const previous = trace[d];
    if (!previous) break;
    const k = x - y;
    const down = k === -d || (k !== d && (previous[k - 1 + offset] ?? 0) < (previous[k + 1 + offset] ?? 0));
    const previousK = down ? k + 1 : k - 1;
    const previousX = previous[previousK + offset] ?? 0;
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x--;
      y--;
    }
    if (down) changedB[previousY] = true;
    else changedA[previousX] = true;
    x = previousX;
    y = previousY;
  }

  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && !changedA[i] && !changedB[j]) {
      i++;
      j++;
      continue;
    }
    const aStart = i;
    const bStart = j;
    while (i < n && changedA[i]) i++;
    while (j < m && changedB[j]) j++;
    hunks.push({ aStart, aEnd: i, bStart, bEnd: j });
  }
  return hunks;
}

/** Edits (non-overlapping, in document order) that turn `before` into `after`. */
export function minimalEdits(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const positions = new TextPositions(before);
  const a = splitLines(before);
  const b = splitLines(after);
  const hunks = diffLines(a, b);
  if (!hunks) return [positions.minimalEdit(0, before.length, after)];
  const lineOffsets: number[] = [0];
  for (const line of a) lineOffsets.push((lineOffsets[lineOffsets.length - 1] ?? 0) + line.length);
  return hunks.map((hunk) =>
    positions.minimalEdit(
      lineOffsets[hunk.aStart] ?? before.length,
      lineOffsets[hunk.aEnd] ?? before.length,
      b.slice(hunk.bStart, hunk.bEnd).join(''),
    ),
  );
}

/** Applies non-overlapping LSP edits to a text (for verifying edits before they are offered). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const positions = new TextPositions(text);
  const sorted = edits
    .map((edit) => ({ start: positions.offsetAt(edit.range.start), end: positions.offsetAt(edit.range.end), newText: edit.newText }))
    .sort((left, right) => right.start - left.start);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  return result;
}
