import type { TextEdit } from 'vscode-languageserver';
import type { TextPositions } from '../positions';

/**
 * Disable-directive edits in the document's own comment syntax. Each edit either adds a comment line
 * with the indentation of the line it guards, or appends the rule to a directive that is already there;
 * it never rewrites code. The caller checks the result by linting it (see `resolve-disable.ts`).
 */

export type DisableScope = 'line' | 'file';

/** A directive comment on a line of its own: `<indent><token> <label> <rules> -- <justification>`. */
interface DirectiveLine {
  /** Column right after the last rule name (where `, <rule>` goes). */
  readonly rulesEnd: number;
  readonly rules: readonly string[];
}

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseDirectiveLine(line: string, token: string, label: string): DirectiveLine | undefined {
  const head = new RegExp(`^\\s*${escapeForRegExp(token)}\\s*${label}(?=\\s|$)`).exec(line);
  if (!head) return undefined;
  const rest = line.slice(head[0].length);
  const justification = rest.search(/\s--(?:\s|$)/);
  const rulesText = justification === -1 ? rest : rest.slice(0, justification);
  const rules = rulesText
    .split(',')
    .map((rule) => rule.trim())
    .filter((rule) => rule !== '');
  return { rulesEnd: head[0].length + rulesText.trimEnd().length, rules };
}

function endsWithContinuation(line: string): boolean {
  return line.endsWith('\\');
}

function indentationOf(line: string): string {
  return /^[ \t]*/.exec(line)?.[0] ?? '';
}

/** Where a new directive goes, or the existing directive to extend. Undefined: already disabled. */
function directiveEdit(
  positions: TextPositions,
  existingLine: number,
  insertLine: number,
  indentation: string,
  token: string,
  label: string,
  ruleId: string,
): TextEdit | undefined {
  const existing = existingLine >= 0 && existingLine < positions.lineCount ? parseDirectiveLine(positions.lineText(existingLine), token, label) : undefined;
  if (existing) {
    // An empty list already disables every rule; a listed rule is already disabled.
    if (existing.rules.length === 0 || existing.rules.includes(ruleId)) return undefined;
    const at = { line: existingLine, character: existing.rulesEnd };
    return { range: { start: at, end: at }, newText: `, ${ruleId}` };
  }
  const comment = `${indentation}${token} ${label} ${ruleId}`;
  if (insertLine >= positions.lineCount) {
    // After a last line without a line break: the directive needs one before it.
    const end = positions.positionAt(positions.text.length);
    return { range: { start: end, end }, newText: `${positions.lineBreak}${comment}` };
  }
  // A byte order mark stays the first character of the file.
  const character = insertLine === 0 && positions.text.startsWith('\uFEFF') ? 1 : 0;
  const at = { line: insertLine, character };
  return { range: { start: at, end: at }, newText: `${comment}${positions.lineBreak}` };
}

/** `# eslint-disable-next-line <rule>` above the diagnostic's first line, indented like it. */
export function disableNextLineEdit(positions: TextPositions, line: number, ruleId: string, token: string): TextEdit | undefined {
  // After a backslash continuation a comment line would end the statement (a SyntaxError in Python
  // that tree-sitter tolerates, so linting the result would not catch it).
  if (line > 0 && endsWithContinuation(positions.lineText(line - 1))) return undefined;
  const indentation = indentationOf(positions.lineText(line));
  return directiveEdit(positions, line - 1, line, indentation, token, 'eslint-disable-next-line', ruleId);
}

/** `  # eslint-disable-line <rule>` at the end of the diagnostic's line: for lines that follow a continuation. */
export function disableSameLineEdit(positions: TextPositions, line: number, ruleId: string, token: string): TextEdit | undefined {
  const text = positions.lineText(line);
  // A line that ends in a comment would swallow the directive into that comment; nothing may follow
  // a backslash continuation.
  if (text.includes(token) || endsWithContinuation(text)) return undefined;
  const at = { line, character: text.length };
  return { range: { start: at, end: at }, newText: `  ${token} eslint-disable-line ${ruleId}` };
}

/** PEP 263: an encoding declaration must stay on line 1 or 2, so file directives go below it. */
const CODING_LINE = /^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+/;

/** The first line a file-wide directive may take: after a shebang and an encoding declaration. */
export function fileHeaderEnd(positions: TextPositions): number {
  const lineCount = positions.lineCount;
  let line = 0;
  if (positions.lineText(0).replace(/^\uFEFF/, '').startsWith('#!')) line = 1;
  if (line < lineCount && CODING_LINE.test(positions.lineText(line))) return line + 1;
  // The declaration may also sit on line 2 below any comment line.
  if (line === 0 && lineCount > 1 && positions.lineText(0).trimStart().startsWith('#') && CODING_LINE.test(positions.lineText(1))) return 2;
  return line;
}

/** `# eslint-disable <rule>` at the top of the file (below a shebang and an encoding line). */
export function disableFileEdit(positions: TextPositions, ruleId: string, token: string): TextEdit | undefined {
  const line = fileHeaderEnd(positions);
  return directiveEdit(positions, line, line, '', token, 'eslint-disable', ruleId);
}
