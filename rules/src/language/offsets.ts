/**
 * The one place where text offsets become line/column positions.
 *
 * Offsets and columns are UTF-16 code units (what JavaScript strings and web-tree-sitter use),
 * lines are 1-based and columns 0-based, as in ESTree. Python ends a line with `\n`, `\r\n` or a lone
 * `\r`; form feeds and other Unicode separators do not end a line.
 */
export interface Position {
  line: number;
  column: number;
}

export interface SourceLocation {
  start: Position;
  end: Position;
}

/** The line-ending pattern shared by {@link LineIndex} and the SourceCode's `lines`. */
export const PYTHON_LINE_ENDING = /\r\n|[\r\n]/u;

export class LineIndex {
  /** Offset of the first character of each line; always starts with 0. */
  readonly lineStarts: readonly number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10 /* \n */) {
        starts.push(i + 1);
      } else if (code === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Position of an offset; offsets past the end clamp to the end of the text. */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: clamped - (starts[low] as number) };
  }

  /** Offset of a position; columns past the end of a line clamp to the line's end. */
  offsetAt(position: Position): number {
    const lineIndex = position.line - 1;
    if (lineIndex < 0) return 0;
    if (lineIndex >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[lineIndex] as number;
    const next = this.lineStarts[lineIndex + 1];
    const lineEnd = next === undefined ? this.text.length : this.lineEndBefore(next);
    return Math.min(start + Math.max(0, position.column), lineEnd);
  }

  locationOf(range: readonly [number, number]): SourceLocation {
    return { start: this.positionAt(range[0]), end: this.positionAt(range[1]) };
  }

  /** Offset where the line that ends just before `nextLineStart` has its line break. */
  private lineEndBefore(nextLineStart: number): number {
    const text = this.text;
    if (text.charCodeAt(nextLineStart - 1) === 10 && text.charCodeAt(nextLineStart - 2) === 13) {
      return nextLineStart - 2;
    }
    return nextLineStart - 1;
  }
}
