import { TextSourceCodeBase } from '@eslint/plugin-kit';
import type { FileProblem, RulesConfig, SourceLocation, VisitTraversalStep } from '@eslint/core';
import type { Directive } from '@eslint/plugin-kit';
import type { SyntaxProblem } from './convert.js';
import { PythonDirectives } from './directives.js';
import type { Module, PyNode } from './generated/node-types.js';
import { VISITOR_KEYS } from './generated/grammar-tables.js';
import { PythonNode, type PyComment } from './node.js';
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
   * Enter/exit steps in source order. Children are visited in the order they appear in the text,
   * whatever grammar field holds them. Steps are made as ESLint asks for them and not kept: ESLint
   * applies each one and lets it go, so they die young instead of surviving (and being copied by) the
   * garbage collector for the whole lint, as a precomputed list of two steps per node did.
   */
  override traverse(): Iterable<PythonVisitStep> {
    const root = this.ast;
    return { [Symbol.iterator]: () => new StepIterator(root) };
  }
}

/**
 * One enter or exit step (ESLint's visit step, with the `type` plugin-kit's steps also carry). Its
 * own small class: a lint makes two per node, 160,000 on a 10,000-line file, so each skips the options
 * object plugin-kit's constructor takes, and a node's two steps share one `args` array.
 */
export class PythonVisitStep implements VisitTraversalStep {
  // On the prototype, so each step holds only its three own fields.
  get type(): 'visit' {
    return 'visit';
  }
  get kind(): 1 {
    return 1;
  }
  constructor(
    readonly target: PyNode,
    readonly phase: 1 | 2,
    readonly args: [PyNode, PyNode | null],
  ) {}
}

/**
 * The traversal's iterator. Iterative, so a pathologically deep expression cannot overflow the call
 * stack: parallel stacks of pending nodes, their parents, and (for a node whose children are pending)
 * the `args` of its enter step, which its exit step reuses.
 */
class StepIterator implements Iterator<PythonVisitStep> {
  readonly #nodes: PyNode[];
  readonly #parents: (PyNode | null)[] = [null];
  readonly #entered: ([PyNode, PyNode | null] | null)[] = [null];
  /** One result object for every step: for-of and spreading read `value` at once and keep only that. */
  readonly #result: { done: boolean; value: PythonVisitStep | undefined } = { done: false, value: undefined };

  constructor(root: PyNode) {
    this.#nodes = [root];
  }

  next(): IteratorResult<PythonVisitStep> {
    const result = this.#result;
    const node = this.#nodes.pop();
    if (!node) {
      result.done = true;
      result.value = undefined;
      return result as IteratorResult<PythonVisitStep>;
    }
    const parent = this.#parents.pop() ?? null;
    const entered = this.#entered.pop();
    if (entered) {
      result.value = new PythonVisitStep(node, EXIT, entered);
      return result as IteratorResult<PythonVisitStep>;
    }
    const args: [PyNode, PyNode | null] = [node, parent];
    this.#nodes.push(node);
    this.#parents.push(parent);
    this.#entered.push(args);
    const children = childrenInSourceOrder(node);
    for (let i = children.length - 1; i >= 0; i--) {
      this.#nodes.push(children[i] as PyNode);
      this.#parents.push(node);
      this.#entered.push(null);
    }
    result.value = new PythonVisitStep(node, ENTER, args);
    return result as IteratorResult<PythonVisitStep>;
  }
}

/**
 * The named children of a node (fields and unnamed), sorted by position: its `namedChildren`, checked to
 * be a node of a parsed tree. Shared with the node: do not mutate.
 */
export function childrenInSourceOrder(node: PyNode): readonly PyNode[] {
  if (!(node instanceof PythonNode)) {
    const type = typeof node === 'object' && node !== null ? (node as { type?: unknown }).type : undefined;
    const got = typeof type === 'string' ? `an object of type '${type}' that is not one (a copy?)` : typeof node;
    throw new TypeError(`childrenInSourceOrder() takes a node of a parsed Python tree; got ${got}.`);
  }
  return node.namedChildren;
}
