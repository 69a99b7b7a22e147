import type { SyntaxProblem } from './convert.js';
import type { PythonNode } from './node.js';
import type { LineIndex } from './offsets.js';

/**
 * Python's logical-line rules, which tree-sitter-python does not enforce: it accepts a statement
 * indented deeper than its block, a dedent to a column no enclosing block uses, a block without any
 * statement, tabs and spaces mixed so that the meaning depends on the tab width, and (as a hidden
 * MISSING token the tree does not show) two statements on one line without `;`. CPython rejects all of
 * these, so they are syntax errors here too.
 *
 * The check replays the interpreter's indentation stack over the lines on which a logical line begins,
 * which the tree tells us: statements of a module or block, `elif`/`else`/`except`/`finally` clauses
 * and the parts of a decorated definition. A tab advances the column to the next multiple of 8; the
 * comparison is repeated with a tab counted as one column, and when the two disagree the indentation is
 * ambiguous.
 */

/** What the converter collected for the check. */
export interface LogicalLineInput {
  /** Candidates for beginning a logical line, in source order (nodes inside ERROR nodes excluded). */
  readonly lineStarters: readonly PythonNode[];
  /** Blocks outside ERROR nodes (a block without statements is an error). */
  readonly blocks: readonly PythonNode[];
  /** Offsets where a line starts that a backslash joins to the previous line. */
  readonly continuedLineStarts: ReadonlySet<number>;
}

interface Indentation {
  /** Column with tabs to the next multiple of 8. */
  readonly width: number;
  /** Column with a tab counted as 1, to detect widths that depend on the tab size. */
  readonly narrowWidth: number;
}

const UNEXPECTED_INDENT = 'Syntax error: unexpected indentation';
const UNMATCHED_DEDENT = 'Syntax error: this line\'s indentation matches no enclosing block';
const EXPECTED_BLOCK = 'Syntax error: expected an indented block';
const AMBIGUOUS_TABS = 'Syntax error: tabs and spaces are mixed so that the indentation depends on the tab width';
const SAME_LINE = 'Syntax error: a second statement on the same line needs a \';\' before it';

/** Statements that begin a logical line: children of these parents, and these clause types. */
const STATEMENT_CONTAINERS = new Set(['module', 'block']);
const STATEMENT_PARENTS = new Set([...STATEMENT_CONTAINERS, 'decorated_definition']);
const CLAUSE_TYPES = new Set(['elif_clause', 'else_clause', 'except_clause', 'finally_clause']);

/** A node of this type begins a logical line wherever it is (a clause such as `else:`). */
export function startsLogicalLineAnywhere(type: string): boolean {
  return CLAUSE_TYPES.has(type);
}

/** Every named child of a node of this type begins a logical line (the module's and a block's statements). */
export function holdsLogicalLines(parentType: string): boolean {
  return STATEMENT_PARENTS.has(parentType);
}

/** The indentation of `text` from `start` to `end`, or null when anything but spaces, tabs and form feeds is there. */
function measure(text: string, start: number, end: number): Indentation | null {
  let width = 0;
  let narrowWidth = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 9) {
      width = (Math.floor(width / 8) + 1) * 8;
      narrowWidth++;
    } else if (code === 12) {
      width = 0;
      narrowWidth = 0;
    } else if (code === 32) {
      width++;
      narrowWidth++;
    } else {
      return null;
    }
  }
  return { width, narrowWidth };
}

export function logicalLineProblems({ lineStarters, blocks, continuedLineStarts }: LogicalLineInput, text: string, lineIndex: LineIndex): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const levels: Indentation[] = [{ width: 0, narrowWidth: 0 }];
  /** The statement seen last in each module or block. */
  const lastStatement = new Map<PythonNode, PythonNode>();
  let previousLine = 0;
  // The line starters come in source order, so the line of each is found by moving forward from the
  // last one found (a binary search per statement was a good part of this check's time).
  const lineStarts = lineIndex.lineStarts;
  let lineHint = 0;
  const lineOf = (offset: number): number => {
    while (lineHint > 0 && (lineStarts[lineHint] as number) > offset) lineHint--;
    while (lineHint + 1 < lineStarts.length && (lineStarts[lineHint + 1] as number) <= offset) lineHint++;
    return lineHint + 1;
  };

  for (const node of lineStarters) {
    const parent = node.parent;
    const inContainer = parent !== null && STATEMENT_CONTAINERS.has(parent.type);
    const previous = inContainer ? lastStatement.get(parent) : undefined;
    if (inContainer) lastStatement.set(parent, node);
    // The first statement of a block opens it; later ones (or a first one on the header's line) do not.
    const opensBlock = inContainer && parent.type === 'block' && previous === undefined;

    const start = node.range[0];
    const line = lineOf(start);
    if (previous && previous.type !== 'ERROR' && node.type !== 'ERROR' && lineOf(previous.range[1]) === line) {
      if (!text.slice(previous.range[1], start).includes(';')) {
        const endOfLine = lineIndex.offsetAt({ line, column: Number.MAX_SAFE_INTEGER });
        problems.push({ message: SAME_LINE, range: [start, Math.min(node.range[1], endOfLine)] });
      }
    }
    if (line === previousLine) continue;
    const lineStart = lineStarts[line - 1] as number;
    const indentation = measure(text, lineStart, start);
    if (!indentation || continuedLineStarts.has(lineStart)) continue;
    previousLine = line;

    const message = applyLine(levels, indentation, opensBlock);
    // ERROR nodes are reported already; they still move the indentation levels.
    if (message && node.type !== 'ERROR') problems.push({ message, range: [lineStart, start] });
  }

  for (const block of blocks) {
    if (isEmpty(block)) {
      problems.push({ message: EXPECTED_BLOCK, range: block.range });
    }
  }
  return problems;
}

function isEmpty(block: PythonNode): boolean {
  const alternative = block['alternative'];
  return block.children.length === 0 && (!Array.isArray(alternative) || alternative.length === 0);
}

/** One logical line through the indentation stack, as the interpreter's tokenizer does it. */
function applyLine(levels: Indentation[], indentation: Indentation, opensBlock: boolean): string | undefined {
  let top = levels[levels.length - 1] as Indentation;
  if (indentation.width === top.width) {
    if (indentation.narrowWidth !== top.narrowWidth) return AMBIGUOUS_TABS;
    return opensBlock ? EXPECTED_BLOCK : undefined;
  }
  if (indentation.width > top.width) {
    levels.push(indentation);
    if (indentation.narrowWidth <= top.narrowWidth) return AMBIGUOUS_TABS;
    return opensBlock ? undefined : UNEXPECTED_INDENT;
  }
  while (levels.length > 1 && indentation.width < top.width) {
    levels.pop();
    top = levels[levels.length - 1] as Indentation;
  }
  if (indentation.width !== top.width) {
    // Keep the stray level, so the following lines at the same column are not reported again.
    levels.push(indentation);
    return UNMATCHED_DEDENT;
  }
  if (indentation.narrowWidth !== top.narrowWidth) return AMBIGUOUS_TABS;
  return opensBlock ? EXPECTED_BLOCK : undefined;
}
