import type { Position, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * ESLint positions to LSP positions, for one immutable text. ESLint reports 1-based lines and columns
 * and fix ranges as offsets into the text without its byte order mark; LSP wants 0-based positions in
 * UTF-16 units of the full text. The Python language already counts columns in UTF-16 units.
 */
export class TextPositions {
  readonly text: string;
  readonly #document: TextDocument;
  /** 1 when the text starts with a BOM that ESLint removed before linting. */
  readonly #bom: number;

  constructor(text: string) {
    this.text = text;
    this.#document = TextDocument.create('positions:', 'python', 0, text);
    this.#bom = text.startsWith('\uFEFF') ? 1 : 0;
  }

  get lineCount(): number {
    return this.#document.lineCount;
  }

  /** From ESLint's 1-based line and column (column on the BOM-less text). */
  fromLineColumn(line: number, column: number): Position {
    const zeroLine = Math.max(0, line - 1);
    const character = Math.max(0, column - 1) + (zeroLine === 0 ? this.#bom : 0);
    // Clamp through offsetAt/positionAt: a position past the end of a line stays on that line.
    return this.#document.positionAt(this.#document.offsetAt({ line: zeroLine, character }));
  }

  positionAt(offset: number): Position {
    return this.#document.positionAt(offset);
  }

  offsetAt(position: Position): number {
    return this.#document.offsetAt(position);
  }

  /** The text of a line without its line break. */
  lineText(line: number): string {
    const start = this.#document.offsetAt({ line, character: 0 });
    const end = line + 1 < this.#document.lineCount ? this.#document.offsetAt({ line: line + 1, character: 0 }) : this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$|\r$/, '');
  }

  /** The line break the text uses (the first one found; `\n` for a one-line text). */
  get lineBreak(): string {
    const match = /\r\n|\n|\r/.exec(this.text);
    return match ? match[0] : '\n';
  }

  /** An ESLint fix (offsets into the BOM-less text) as the smallest equivalent LSP edit. */
  editFromEslintFix(range: readonly [number, number], replacement: string): TextEdit {
    return this.minimalEdit(range[0] + this.#bom, range[1] + this.#bom, replacement);
  }

  /**
   * Replacing [start, end) of the text with `replacement`, as the smallest equivalent LSP edit. ESLint
   * merges the fixes of one report into one range that may repeat unchanged text; an edit that touches
   * only what changes keeps the cursor and the user's selections where they were.
   */
  minimalEdit(start: number, end: number, replacement: string): TextEdit {
    const original = this.text.slice(start, end);
    let prefix = 0;
    while (prefix < original.length && prefix < replacement.length && original[prefix] === replacement[prefix]) prefix++;
    let suffix = 0;
    while (
      suffix < original.length - prefix &&
      suffix < replacement.length - prefix &&
      original[original.length - 1 - suffix] === replacement[replacement.length - 1 - suffix]
    ) {
      suffix++;
    }
    // Never cut between the halves of a surrogate pair or of a CRLF: no editor position lies there.
    while (prefix > 0 && splitsPair(original, prefix)) prefix--;
    while (suffix > 0 && splitsPair(original, original.length - suffix)) suffix--;
    return {
      range: { start: this.positionAt(start + prefix), end: this.positionAt(end - suffix) },
      newText: replacement.slice(prefix, replacement.length - suffix),
    };
  }
}

/** Whether an index falls inside a surrogate pair or a CRLF of the text. */
function splitsPair(text: string, index: number): boolean {
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  const highThenLow = before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
  return highThenLow || (before === 0x0d && after === 0x0a);
}
