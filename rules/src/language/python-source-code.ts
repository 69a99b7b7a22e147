import { TextSourceCodeBase, VisitNodeStep } from '@eslint/plugin-kit';
import type { FileProblem, RulesConfig, SourceLocation } from '@eslint/core';
import type { Directive } from '@eslint/plugin-kit';
import type { SyntaxProblem } from './convert.js';
import { PythonDirectives } from './directives.js';
import type { Module, PyNode } from './generated/node-types.js';
import { VISITOR_KEYS } from './generated/grammar-tables.js';
import type { PyComment } from './node.js';
import { PYTHON_LINE_ENDING, type LineIndex } from './offsets.js';

const ENTER = 1;
const EXIT = 2;

export interface PythonSourceCodeInit {
  readonly text: string;
  readonly ast: Module;
  readonly comments: PyComment[];
  readonly lineIndex: LineIndex;
  readonly syntaxProblems: readonly SyntaxProblem[];
}

/** The SourceCode ESLint hands to rules for a Python file (`context.sourceCode`). */
export class PythonSourceCode extends TextSourceCodeBase<{
  LangOptions: Record<string, unknown>;
  RootNode: Module;
  SyntaxElementWithLoc: PyNode | PyComment;
  ConfigNode: PyComment;
}> {
  declare readonly ast: Module;
  readonly comments: readonly PyComment[];
  readonly visitorKeys = VISITOR_KEYS;
  readonly lineIndex: LineIndex;
  /** Places where the parser recovered from a syntax error (tolerant mode). */
  readonly syntaxProblems: readonly SyntaxProblem[];
  readonly #directives: PythonDirectives;
  #steps: VisitNodeStep[] | undefined;

  constructor({ text, ast, comments, lineIndex, syntaxProblems }: PythonSourceCodeInit) {
    super({ text, ast, lineEndingPattern: PYTHON_LINE_ENDING });
    this.comments = comments;
    this.lineIndex = lineIndex;
    this.syntaxProblems = syntaxProblems;
    this.#directives = new PythonDirectives(comments);
  }

  override getParent(node: PyNode): PyNode | undefined {
    return node.parent ?? undefined;
  }

  /** Location of a range, through the same converter the nodes use. */
  locationOfRange(range: readonly [number, number]): SourceLocation {
    return this.lineIndex.locationOf(range);
  }

  getInlineConfigNodes(): PyComment[] {
    return this.#directives.inlineConfigNodes();
  }

  getDisableDirectives(): { problems: FileProblem[]; directives: Directive[] } {
    return this.#directives.disableDirectives();
  }

  applyInlineConfig(): { configs: { config: { rules: RulesConfig }; loc: SourceLocation }[]; problems: FileProblem[] } {
    return this.#directives.inlineConfigs();
  }

  /**
   * Enter/exit steps in source order, computed once. Children are visited in the order they appear in
   * the text, whatever grammar field holds them.
   */
  override traverse(): Iterable<VisitNodeStep> {
    if (this.#steps) return this.#steps;
    const steps: VisitNodeStep[] = [];
    // Iterative, so a pathologically deep expression cannot overflow the call stack.
    const pending: { node: PyNode; parent: PyNode | null; exit: boolean }[] = [
      { node: this.ast, parent: null, exit: false },
    ];
    for (let item = pending.pop(); item; item = pending.pop()) {
      const { node, parent } = item;
      steps.push(new VisitNodeStep({ target: node, phase: item.exit ? EXIT : ENTER, args: [node, parent] }));
      if (item.exit) continue;
      pending.push({ node, parent, exit: true });
      const children = childrenInSourceOrder(node);
      for (let i = children.length - 1; i >= 0; i--) {
        pending.push({ node: children[i] as PyNode, parent: node, exit: false });
      }
    }
    this.#steps = steps;
    return steps;
  }
}

/** The named children of a node (fields and unnamed), sorted by position. */
export function childrenInSourceOrder(node: PyNode): PyNode[] {
  const keys = VISITOR_KEYS[node.type] ?? ['children'];
  const result: PyNode[] = [];
  const record = node as unknown as Record<string, unknown>;
  for (const key of keys) {
    const value = record[key];
    if (Array.isArray(value)) result.push(...(value as PyNode[]));
    else if (value) result.push(value as PyNode);
  }
  if (keys.length > 1) result.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  return result;
}
