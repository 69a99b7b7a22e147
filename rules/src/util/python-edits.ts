import type { PyNode } from '../language/generated/node-types.js';
import type { PyComment } from '../language/node.js';
import { nodeIndexOf } from '../language/node-index.js';
import type { PythonSourceCode } from '../language/python-source-code.js';
import type { SemanticModel } from '../semantic/model.js';

/**
 * Building blocks for Python fixes and suggestions: imports, indentation, and wrapping statements in
 * `try:` / `finally:`. Every edit keeps the user's code (only inserts or re-indents it), and the text it
 * writes uses the file's own line ending and indentation unit.
 */

/** A text edit in ESLint's form. */
export interface TextEdit {
  readonly range: readonly [number, number];
  readonly text: string;
}

/** The line ending the file uses (first one found), `\n` by default. */
export function lineEndingOf(text: string): string {
  const match = /\r\n|\r|\n/u.exec(text);
  return match ? match[0] : '\n';
}

/** Leading whitespace of the line that contains `offset`. */
export function indentationAt(sourceCode: PythonSourceCode, offset: number): string {
  // Read from the text at the line's start: `sourceCode.lines` would split the whole file on first use.
  const start = lineStartAt(sourceCode, offset);
  const text = sourceCode.text;
  let end = start;
  while (end < text.length && (text.charCodeAt(end) === 32 || text.charCodeAt(end) === 9)) end++;
  return text.slice(start, end);
}

/** Offset of the start of the line containing `offset`. */
export function lineStartAt(sourceCode: PythonSourceCode, offset: number): number {
  const { line } = sourceCode.lineIndex.positionAt(offset);
  return sourceCode.lineIndex.lineStarts[line - 1] ?? 0;
}

/** The indentation unit the file uses for one level (the first indented block's step), default 4 spaces. */
export function indentUnitOf(text: string): string {
  const match = /^(?<indent>[ \t]+)\S/mu.exec(text);
  const found = match?.groups?.indent;
  if (!found) return '    ';
  return found.startsWith('\t') ? '\t' : ' '.repeat(Math.min(found.length, 8));
}

/**
 * An edit that adds `import <module>` when the module is not imported under its own name at module
 * level; null when nothing is needed. The import goes after the module docstring, `__future__`
 * imports and the first block of imports.
 */
export function ensureImport(sourceCode: PythonSourceCode, model: SemanticModel, module: string): TextEdit | null {
  if (model.moduleAlias(module) === module) return null;
  return addImportStatement(sourceCode, `import ${module}`);
}

/**
 * The local name that refers to `module` at module level (`trace` for `from opentelemetry import trace`
 * or `import opentelemetry.trace as trace`), and the edit that adds `from <package> import <name>` when
 * there is none (edit null when nothing is needed). The name is null when the short name is taken.
 */
export function ensureFromImport(
  sourceCode: PythonSourceCode,
  model: SemanticModel,
  module: string,
): { name: string | null; edit: TextEdit | null } {
  for (const [name, bindings] of model.root.bindings) {
    if (bindings.length === 1 && bindings[0]?.kind === 'import' && bindings[0].importedName === module) return { name, edit: null };
  }
  const dot = module.lastIndexOf('.');
  const short = module.slice(dot + 1);
  if (dot === -1 || model.root.bindings.has(short)) return { name: null, edit: null };
  return { name: short, edit: addImportStatement(sourceCode, `from ${module.slice(0, dot)} import ${short}`) };
}

/** The last statement of the module's opening docstring + imports block, or null when it has none. */
function lastOfImportBlock(sourceCode: PythonSourceCode): PyNode | null {
  let anchor: PyNode | null = null;
  for (const [index, statement] of sourceCode.ast.children.entries()) {
    const isDocstring = index === 0 && statement.type === 'expression_statement' && statement.children[0]?.type === 'string';
    const isImport = statement.type === 'import_statement' || statement.type === 'import_from_statement' || statement.type === 'future_import_statement';
    if (!isDocstring && !isImport) break;
    anchor = statement;
  }
  return anchor;
}

/**
 * Inserts an import statement after the module docstring, `__future__` imports and the first block of
 * imports; before the first statement (after a shebang / encoding comment) when there are none.
 */
export function addImportStatement(sourceCode: PythonSourceCode, statement: string): TextEdit {
  const eol = lineEndingOf(sourceCode.text);
  const anchor = lastOfImportBlock(sourceCode);
  if (!anchor) {
    let offset = 0;
    for (const comment of sourceCode.comments) {
      if (comment.range[0] !== offset) break;
      const lineEnd = sourceCode.text.indexOf(eol, comment.range[1]);
      offset = lineEnd === -1 ? sourceCode.text.length : lineEnd + eol.length;
    }
    const needsBreak = offset === sourceCode.text.length && offset > 0 && !sourceCode.text.endsWith(eol);
    return { range: [offset, offset], text: `${needsBreak ? eol : ''}${statement}${eol}` };
  }
  const end = anchor.range[1];
  return { range: [end, end], text: `${eol}${statement}` };
}

/** Re-indents every line of `block` that starts with `from` indentation to `to` indentation. */
export function reindent(block: string, from: string, to: string): string {
  return block
    .split(/(\r\n|\r|\n)/u)
    .map((part, index) => {
      if (index % 2 === 1 || part.trim() === '') return part;
      return part.startsWith(from) ? to + part.slice(from.length) : to + part.trimStart();
    })
    .join('');
}

/**
 * Wraps whole lines from the line of `first` through the line of `last` (statements of one block) in
 * `try:` / `finally:` with `finallyBody` (one statement per array item), keeping the original text
 * re-indented one level deeper. Strings spanning lines are kept verbatim (their continuation lines are
 * not re-indented), so a triple-quoted string's content never changes.
 */
export function wrapInTryFinally(
  sourceCode: PythonSourceCode,
  first: PyNode,
  last: PyNode,
  finallyBody: readonly string[],
): TextEdit {
  const text = sourceCode.text;
  const eol = lineEndingOf(text);
  const unit = indentUnitOf(text);
  const start = lineStartAt(sourceCode, first.range[0]);
  const indent = indentationAt(sourceCode, first.range[0]);
  // A comment after the last statement on its line belongs to that line: keep it inside the try.
  const end = endOfTrailingComment(sourceCode, last.range[1]);
  const body = indentLinesDeeper(sourceCode, start, end);
  const finallyLines = finallyBody.map((statement) => `${indent}${unit}${statement}`).join(eol);
  return {
    range: [start, end],
    text: `${indent}try:${eol}${body}${eol}${indent}finally:${eol}${finallyLines}`,
  };
}

function nextLineBreak(text: string, from: number): { index: number; text: string } {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) return { index: i, text: '\n' };
    if (code === 13) return { index: i, text: text.charCodeAt(i + 1) === 10 ? '\r\n' : '\r' };
  }
  return { index: text.length, text: '' };
}

/**
 * The file's strings that span lines, outermost only, in source order (so their ranges are disjoint and
 * sorted): found once per file, because every wrap or re-indent asks for the ones in its region.
 */
const multilineStringsOf = new WeakMap<PythonSourceCode, readonly (readonly [number, number])[]>();

function multilineStrings(sourceCode: PythonSourceCode): readonly (readonly [number, number])[] {
  let ranges = multilineStringsOf.get(sourceCode);
  if (ranges) return ranges;
  const found: [number, number][] = [];
  const text = sourceCode.text;
  for (const string of nodeIndexOf(sourceCode.ast).ofType('string')) {
    const [start, end] = string.range;
    const last = found[found.length - 1];
    if (last && start < last[1]) continue; // inside a multi-line string already kept (an f-string's part)
    if (hasLineBreak(text, start, end)) found.push([start, end]);
  }
  ranges = found;
  multilineStringsOf.set(sourceCode, ranges);
  return ranges;
}

function hasLineBreak(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) return true;
  }
  return false;
}

/** The multi-line strings that overlap `[start, end]`. */
function multilineStringRanges(sourceCode: PythonSourceCode, start: number, end: number): (readonly [number, number])[] {
  const ranges = multilineStrings(sourceCode);
  // The first string that ends at or after `start` (the ranges are disjoint, so their ends are sorted too).
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((ranges[mid] as readonly [number, number])[1] < start) low = mid + 1;
    else high = mid;
  }
  const overlapping: (readonly [number, number])[] = [];
  for (let i = low; i < ranges.length && (ranges[i] as readonly [number, number])[0] <= end; i++) overlapping.push(ranges[i] as readonly [number, number]);
  return overlapping;
}

/** Index of the first comment of the file that starts at or after `offset` (the comments are in source order). */
function firstCommentFrom(sourceCode: PythonSourceCode, offset: number): number {
  const comments = sourceCode.comments;
  let low = 0;
  let high = comments.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((comments[mid] as PyComment).range[0] < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The comments that lie wholly between two offsets, in source order. */
export function commentsWithin(sourceCode: PythonSourceCode, from: number, to: number): PyComment[] {
  const within: PyComment[] = [];
  const comments = sourceCode.comments;
  for (let i = firstCommentFrom(sourceCode, from); i < comments.length; i++) {
    const comment = comments[i] as PyComment;
    if (comment.range[0] >= to) break;
    if (comment.range[1] <= to) within.push(comment);
  }
  return within;
}

/**
 * An edit that adds module-level statements where a reader expects them: after the module docstring,
 * `__future__` imports and the first block of imports (or, when `notBefore` is a later module-level
 * statement, after that one — e.g. the import that binds a name the new code uses). `imports` go
 * first, one per line; `definitions` follow after a blank line. Without a leading block the text goes
 * at the top, after a shebang / encoding comment block.
 */
export function insertModuleStatements(
  sourceCode: PythonSourceCode,
  imports: readonly string[],
  definitions: readonly string[],
  notBefore: PyNode | null = null,
): TextEdit | null {
  if (imports.length === 0 && definitions.length === 0) return null;
  const eol = lineEndingOf(sourceCode.text);
  let anchor = lastOfImportBlock(sourceCode);
  let required: PyNode | null = notBefore;
  while (required?.parent && required.parent.type !== 'module') required = required.parent;
  if (required && (!anchor || required.range[1] > anchor.range[1])) anchor = required;
  if (anchor) {
    const importText = imports.map((line) => `${eol}${line}`).join('');
    const definitionText = definitions.length > 0 ? `${eol}${eol}${definitions.join(eol)}` : '';
    return { range: [anchor.range[1], anchor.range[1]], text: importText + definitionText };
  }
  let offset = 0;
  for (const comment of sourceCode.comments) {
    if (comment.range[0] !== offset) break;
    const lineEnd = sourceCode.text.indexOf(eol, comment.range[1]);
    offset = lineEnd === -1 ? sourceCode.text.length : lineEnd + eol.length;
  }
  const needsBreak = offset === sourceCode.text.length && offset > 0 && !sourceCode.text.endsWith(eol);
  const importText = imports.map((line) => `${line}${eol}`).join('');
  const separator = imports.length > 0 && definitions.length > 0 ? eol : '';
  const definitionText = definitions.length > 0 ? `${definitions.join(eol)}${eol}${eol}` : '';
  return { range: [offset, offset], text: `${needsBreak ? eol : ''}${importText}${separator}${definitionText}` };
}

/**
 * The end of a comment that follows `offset` on the same line (only spaces or tabs between), else
 * `offset`: the last line of a wrapped region ends after its trailing comment.
 */
export function endOfTrailingComment(sourceCode: PythonSourceCode, offset: number): number {
  // Only the first comment at or after `offset` can qualify: any later one has that comment before it.
  const comment = sourceCode.comments[firstCommentFrom(sourceCode, offset)];
  return comment && /^[ \t]*$/u.test(sourceCode.text.slice(offset, comment.range[0])) ? comment.range[1] : offset;
}

/**
 * The whole lines from the line of `start` up to `end`, each indented one level deeper (the file's
 * indentation unit). Blank lines and continuation lines inside multi-line strings stay as they are, so
 * a string's value never changes. For moving statements into a block that starts before them.
 */
export function indentLinesDeeper(sourceCode: PythonSourceCode, start: number, end: number): string {
  const text = sourceCode.text;
  const unit = indentUnitOf(text);
  const from = lineStartAt(sourceCode, start);
  const protectedRanges = multilineStringRanges(sourceCode, from, end);
  let result = '';
  let lineStart = from;
  while (lineStart < end) {
    const nextBreak = nextLineBreak(text, lineStart);
    const lineEnd = Math.min(nextBreak.index, end);
    const line = text.slice(lineStart, lineEnd);
    const insideString = protectedRanges.some(([stringStart, stringEnd]) => lineStart > stringStart && lineStart < stringEnd);
    result += insideString || line.trim() === '' ? line : unit + line;
    if (nextBreak.index >= end) break;
    result += nextBreak.text;
    lineStart = nextBreak.index + nextBreak.text.length;
  }
  return result;
}
