import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

/** The indentation of the line `node` starts on. */
export function indentOf(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): string {
  const line = sourceCode.lines[node.loc.start.line - 1] ?? '';
  return /^[ \t]*/u.exec(line)?.[0] ?? '';
}

/** One level of indentation as this file writes it (a tab, or the smallest run of leading spaces; two by default). */
export function indentUnit(sourceCode: Readonly<TSESLint.SourceCode>): string {
  let smallest: number | undefined;
  for (const line of sourceCode.lines) {
    if (line.startsWith('\t')) return '\t';
    const spaces = /^( +)\S/u.exec(line)?.[1]?.length;
    if (spaces !== undefined && (smallest === undefined || spaces < smallest)) smallest = spaces;
  }
  return ' '.repeat(smallest ?? 2);
}

/** The line ending the file uses. */
export function lineEnding(sourceCode: Readonly<TSESLint.SourceCode>): string {
  return sourceCode.text.includes('\r\n') ? '\r\n' : '\n';
}

/** Text that spans several lines, re-indented: every line after the first gets `extra` more indentation. */
export function reindent(text: string, extra: string, eol: string): string {
  return text
    .split(/\r?\n/u)
    .map((line, i) => (i === 0 || line.trim() === '' ? line : extra + line))
    .join(eol);
}

/** Lines of code, each on its own line at `indent`, joined with the file's line ending. */
export function linesAt(lines: readonly string[], indent: string, eol: string): string {
  return lines.map((line) => (line === '' ? '' : indent + line)).join(eol);
}
