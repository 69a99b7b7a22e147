import type { Call, PyNode } from '../language/generated/node-types.js';
import { childrenInSourceOrder } from '../language/python-source-code.js';

/**
 * Statement-level structure: which statement runs a node, and which statements run before or after it
 * in straight-line code of the same function. Rules use it to ask "was the provider flushed before
 * this `os._exit`?" or "does anything run after `asyncio.run(...)` returns?".
 */

/** Nodes whose bodies run at another time than the code around them. */
const OTHER_FRAMES = new Set(['function_definition', 'lambda', 'class_definition']);

/** True for a `def`, lambda or class: code inside it runs at another time than the code around it. */
export function opensOtherFrame(node: PyNode): boolean {
  return OTHER_FRAMES.has(node.type);
}

function isStatementList(node: PyNode | null): boolean {
  return node?.type === 'block' || node?.type === 'module';
}

/**
 * The statement (a child of a block or of the module) whose execution runs `node`; null when `node`
 * sits in a lambda, which runs later.
 */
export function enclosingStatement(node: PyNode): PyNode | null {
  let current: PyNode = node;
  while (current.parent && !isStatementList(current.parent)) {
    if (current.type === 'lambda') return null;
    current = current.parent;
  }
  if (current.type === 'lambda') return null;
  return current.parent ? current : null;
}

/** The compound statement whose block holds `statement`, within the same function (null at the top of a def, class or module). */
function parentStatement(statement: PyNode): PyNode | null {
  const list = statement.parent;
  if (list?.type !== 'block') return null;
  let current: PyNode | null = list.parent;
  while (current && !isStatementList(current.parent)) {
    if (OTHER_FRAMES.has(current.type)) return null;
    current = current.parent;
  }
  if (!current || OTHER_FRAMES.has(current.type)) return null;
  return current;
}

function siblingsOf(statement: PyNode): readonly PyNode[] {
  return statement.parent?.children ?? [];
}

/**
 * Statements that ran before `statement` in straight-line code: its earlier siblings (closest first),
 * then the earlier siblings of each enclosing compound statement, up to the top of the function.
 */
export function statementsBefore(statement: PyNode): PyNode[] {
  const result: PyNode[] = [];
  for (let current: PyNode | null = statement; current; current = parentStatement(current)) {
    const siblings = siblingsOf(current);
    const index = siblings.indexOf(current);
    for (let i = index - 1; i >= 0; i--) result.push(siblings[i] as PyNode);
  }
  return result;
}

/**
 * Statements that run after `statement` completes normally: its later siblings, then the later
 * siblings of each enclosing compound statement, up to the end of the function.
 */
export function statementsAfter(statement: PyNode): PyNode[] {
  const result: PyNode[] = [];
  for (let current: PyNode | null = statement; current; current = parentStatement(current)) {
    const siblings = siblingsOf(current);
    const index = siblings.indexOf(current);
    for (let i = index + 1; i < siblings.length; i++) result.push(siblings[i] as PyNode);
  }
  return result;
}

/**
 * Every node that runs when `root` runs, `root` included, in source order: the insides of nested
 * `def`s, lambdas and classes are left out (they run at another time).
 */
export function* nodesRunBy(root: PyNode): Generator<PyNode> {
  const pending: PyNode[] = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node !== root && OTHER_FRAMES.has(node.type)) continue;
    yield node;
    const children = childrenInSourceOrder(node);
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i] as PyNode);
  }
}

/** Every call that runs when `root` runs: calls inside nested `def`s, lambdas and classes are left out. */
export function callsRunBy(root: PyNode): Call[] {
  const calls: Call[] = [];
  for (const node of nodesRunBy(root)) if (node.type === 'call') calls.push(node);
  return calls;
}

/** True when `node` runs inside a `finally:` block of its own function. */
export function isInFinally(node: PyNode): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'finally_clause') return true;
    if (OTHER_FRAMES.has(current.type)) return false;
  }
  return false;
}

/** True when `statement` is the first thing on its line (only indentation before it). */
export function startsItsLine(text: string, node: PyNode): boolean {
  for (let i = node.range[0] - 1; i >= 0; i--) {
    const char = text.charAt(i);
    if (char === '\n' || char === '\r') return true;
    if (char !== ' ' && char !== '\t' && char !== '\f') return false;
  }
  return true;
}
