import type { PyNode } from '../language/generated/node-types.js';
import { childrenInSourceOrder, type PythonSourceCode } from '../language/python-source-code.js';
import { startsItsLine } from '../semantic/statements.js';
import { indentationAt, indentUnitOf, lineEndingOf, type TextEdit } from './python-edits.js';

/**
 * Edits that wrap one statement in `try:` by inserting text only. Unlike `wrapInTryFinally`, which
 * rewrites the statement's lines in one edit, these edits leave the statement's own characters in
 * place, so a fix can also edit inside the statement (wrap an argument, say) without overlapping edits.
 */

export interface TryClauses {
  /** Statements to run right before the `try:` (at the statement's indentation). */
  readonly linesBefore?: readonly string[];
  /** `except` clauses: the header (`except asyncio.CancelledError:`) and its body statements. */
  readonly handlers?: readonly { readonly header: string; readonly body: readonly string[] }[];
  /** The `finally:` body statements. */
  readonly finallyBody: readonly string[];
}

const SIMPLE_STATEMENTS = new Set([
  'expression_statement',
  'return_statement',
  'pass_statement',
  'raise_statement',
  'assert_statement',
  'delete_statement',
  'global_statement',
  'nonlocal_statement',
  'print_statement',
  'exec_statement',
  'import_statement',
  'import_from_statement',
  'future_import_statement',
  'type_alias_statement',
  'break_statement',
  'continue_statement',
]);

export function isSimpleStatement(node: PyNode): boolean {
  return SIMPLE_STATEMENTS.has(node.type);
}

/**
 * Wraps `statement` (a child of a block or of the module) in `try:` with the given clauses. Every line
 * of the statement moves one level deeper, except lines inside multi-line strings (kept verbatim). A
 * statement that shares its line with its block's header (`if ready: run()`) moves to a line of its
 * own. Null when the statement shares its line with other statements (`a(); run()`), which no
 * indentation can wrap.
 */
export function wrapStatementInTry(sourceCode: PythonSourceCode, statement: PyNode, clauses: TryClauses): TextEdit[] | null {
  const text = sourceCode.text;
  const eol = lineEndingOf(text);
  const unit = indentUnitOf(text);
  const edits: TextEdit[] = [];
  const before = clauses.linesBefore ?? [];
  let indent: string;

  if (startsItsLine(text, statement)) {
    indent = indentationAt(sourceCode, statement.range[0]);
    const head = [...before, 'try:'].map((line) => `${line}${eol}${indent}`).join('');
    edits.push({ range: [statement.range[0], statement.range[0]], text: `${head}${unit}` });
    edits.push(...deeperContinuationLines(sourceCode, statement, indent, unit));
  } else {
    const block = statement.parent;
    if (block?.type !== 'block' || block.children.length !== 1 || !isSimpleStatement(statement)) return null;
    // `if ready: run()` → the header keeps its line, the statement gets a block of its own.
    indent = indentationAt(sourceCode, block.range[0]) + unit;
    let whitespaceStart = statement.range[0];
    while (whitespaceStart > 0 && /[ \t]/u.test(text.charAt(whitespaceStart - 1))) whitespaceStart--;
    const head = [...before, 'try:'].map((line) => `${eol}${indent}${line}`).join('');
    edits.push({ range: [whitespaceStart, statement.range[0]], text: `${head}${eol}${indent}${unit}` });
  }

  let tail = '';
  for (const handler of clauses.handlers ?? []) {
    tail += `${eol}${indent}${handler.header}${handler.body.map((line) => `${eol}${indent}${unit}${line}`).join('')}`;
  }
  tail += `${eol}${indent}finally:${clauses.finallyBody.map((line) => `${eol}${indent}${unit}${line}`).join('')}`;
  const tailAt = endOfLineComment(text, statement.range[1]);
  edits.push({ range: [tailAt, tailAt], text: tail });
  return edits;
}

/**
 * Inserts `lines` as statements right before `statement`, at its indentation (or, when it shares its
 * line, joined with `;`). Null when that cannot be written (a compound statement after other code).
 */
export function insertBeforeStatement(sourceCode: PythonSourceCode, statement: PyNode, lines: readonly string[]): TextEdit | null {
  const text = sourceCode.text;
  if (startsItsLine(text, statement)) {
    const indent = indentationAt(sourceCode, statement.range[0]);
    const eol = lineEndingOf(text);
    return { range: [statement.range[0], statement.range[0]], text: lines.map((line) => `${line}${eol}${indent}`).join('') };
  }
  if (!isSimpleStatement(statement)) return null;
  return { range: [statement.range[0], statement.range[0]], text: lines.map((line) => `${line}; `).join('') };
}

/**
 * Inserts `lines` as the first statements of a function body (after its docstring); null when the
 * body starts on its header's line (`async def main(): ...`).
 */
export function insertAtBodyStart(sourceCode: PythonSourceCode, body: PyNode, lines: readonly string[]): TextEdit | null {
  const statements = body.children;
  const first = statements[0];
  if (!first || !startsItsLine(sourceCode.text, first)) return null;
  const isDocstring = first.type === 'expression_statement' && first.children.length === 1 && first.children[0]?.type === 'string';
  const anchor = isDocstring ? statements[1] : first;
  if (anchor) return insertBeforeStatement(sourceCode, anchor, lines);
  // Only a docstring: the new statements go after it.
  const indent = indentationAt(sourceCode, first.range[0]);
  const eol = lineEndingOf(sourceCode.text);
  return { range: [first.range[1], first.range[1]], text: lines.map((line) => `${eol}${indent}${line}`).join('') };
}

/** After a statement: the end of its line when only a comment follows (the comment stays with it). */
function endOfLineComment(text: string, offset: number): number {
  let index = offset;
  while (index < text.length && /[ \t]/u.test(text.charAt(index))) index++;
  if (text.charAt(index) !== '#') return offset;
  while (index < text.length && text.charAt(index) !== '\n' && text.charAt(index) !== '\r') index++;
  return index;
}

/** One level more indentation on every line of the statement after the first (not inside multi-line strings). */
function deeperContinuationLines(sourceCode: PythonSourceCode, statement: PyNode, indent: string, unit: string): TextEdit[] {
  const text = sourceCode.text;
  const strings = multilineStrings(statement, text);
  const edits: TextEdit[] = [];
  for (let index = statement.range[0]; index < statement.range[1]; index++) {
    const char = text.charAt(index);
    if (char !== '\n' && char !== '\r') continue;
    if (char === '\r' && text.charAt(index + 1) === '\n') index++;
    const lineStart = index + 1;
    if (lineStart >= statement.range[1]) break;
    if (strings.some(([from, to]) => lineStart > from && lineStart < to)) continue;
    let contentStart = lineStart;
    while (contentStart < text.length && /[ \t\f]/u.test(text.charAt(contentStart))) contentStart++;
    if (contentStart >= text.length || /[\r\n]/u.test(text.charAt(contentStart))) continue;
    // Keep the statement's own indentation first, so tabs and spaces stay in the same order on every line.
    const at = text.startsWith(indent, lineStart) ? lineStart + indent.length : lineStart;
    edits.push({ range: [at, at], text: unit });
  }
  return edits;
}

function multilineStrings(root: PyNode, text: string): [number, number][] {
  const ranges: [number, number][] = [];
  const pending: PyNode[] = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.type === 'string') {
      if (/[\r\n]/u.test(text.slice(node.range[0], node.range[1]))) ranges.push([node.range[0], node.range[1]]);
      continue;
    }
    pending.push(...childrenInSourceOrder(node));
  }
  return ranges;
}
