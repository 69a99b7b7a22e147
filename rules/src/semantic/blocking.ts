import { BLOCKING_CALLS, NOT_BLOCKING_CALLS, type BlockingCall } from '../data/blocking-calls.js';
import { QualifiedNamePatterns } from '../data/name-patterns.js';
import type { Call, PyNode } from '../language/generated/node-types.js';
import { declaredInstanceName } from './declared-types.js';
import type { SemanticModel } from './model.js';
import { unpackedValue } from './unpacking.js';

/**
 * "Does this call block the event loop?" for one call, by the names it may be known by, against the
 * blocking-calls table plus the user's additions and exceptions. The project layer asks the same
 * matcher about the calls inside sync helpers, in this module or another.
 */

const TABLE = new QualifiedNamePatterns(BLOCKING_CALLS.map((entry) => [entry.pattern, entry] as const));
const NOT_BLOCKING = new QualifiedNamePatterns(NOT_BLOCKING_CALLS.map((pattern) => [pattern, true] as const));

export interface BlockingOptions {
  /** More blocking calls, by qualified-name pattern. */
  readonly extraBlockingCalls?: readonly string[];
  /** Calls never reported, by qualified-name pattern (a helper listed here is not followed either). */
  readonly allowedCalls?: readonly string[];
}

export class BlockingCalls {
  readonly #allowed: QualifiedNamePatterns<true>;
  readonly #extra: QualifiedNamePatterns<BlockingCall>;
  readonly #hasAllowed: boolean;
  /** Identifies the options (results that depend on them are remembered per key). */
  readonly key: string;

  constructor(options: BlockingOptions = {}) {
    const allowed = options.allowedCalls ?? [];
    const extra = options.extraBlockingCalls ?? [];
    this.#hasAllowed = allowed.length > 0;
    this.#allowed = new QualifiedNamePatterns(allowed.map((pattern) => [pattern, true] as const));
    this.#extra = new QualifiedNamePatterns<BlockingCall>(
      extra.map((pattern) => [pattern, { pattern, category: 'configured', replacement: 'an async equivalent or asyncio.to_thread()' }]),
    );
    this.key = JSON.stringify([[...allowed].sort(), [...extra].sort()]);
  }

  /** Whether the user allows a call known by any of these names. */
  isAllowed(names: readonly string[]): boolean {
    return this.#hasAllowed && names.some((name) => this.#allowed.has(name));
  }

  /** The table entry that says a call known by these names blocks, or null (also when it is allowed). */
  entryFor(names: readonly string[]): BlockingCall | null {
    if (this.isAllowed(names)) return null;
    for (const name of names) {
      const entry = this.#extra.match(name) ?? (NOT_BLOCKING.has(name) ? undefined : TABLE.match(name));
      if (entry) return entry;
    }
    return null;
  }
}

/**
 * The names a call may be known by: the model's qualified name, then what an annotation declares the
 * receiver to be (`client: httpx.Client | None`), then the receiver's value in a parallel assignment
 * (`a, b = Path(x), Path(y)`), then a `Path(...) / "name"` receiver.
 */
export function candidateNames(model: SemanticModel, call: Call): string[] {
  const names: string[] = [];
  const direct = model.calleeName(call);
  if (direct) names.push(direct);
  const callee = call.function;
  if (callee?.type === 'attribute' && callee.attribute?.text && callee.object) {
    const receiver = unparenthesized(callee.object);
    const declared = declaredInstanceName(model, receiver);
    if (declared) names.push(`${declared}.${callee.attribute.text}`);
    const unpacked = receiver.type === 'identifier' ? unpackedValue(model, receiver) : null;
    const unpackedName = unpacked ? model.qualifiedName(unpacked) : null;
    if (unpackedName) names.push(`${unpackedName}.${callee.attribute.text}`);
    const path = pathDivision(model, receiver);
    if (path) names.push(`${path}.${callee.attribute.text}`);
  }
  return names;
}

/** The call that made a method's receiver: `open(p)` for `f.read()` after `with open(p) as f`, or `open(p).read()`. */
export function makerCall(model: SemanticModel, call: Call): Call | null {
  if (call.function?.type !== 'attribute' || !call.function.object) return null;
  const receiver = unparenthesized(call.function.object);
  if (receiver.type === 'call') return receiver;
  if (receiver.type !== 'identifier') return null;
  const value = model.valueBinding(receiver)?.value ?? unpackedValue(model, receiver);
  const made = value ? unparenthesized(value) : null;
  return made?.type === 'call' ? made : null;
}

/** `await f()`: whatever `f` is, it returns an awaitable, so it is not the blocking function we know. */
export function isAwaitedCall(call: Call): boolean {
  let child: PyNode = call;
  let parent = call.parent;
  while (parent?.type === 'parenthesized_expression') {
    child = parent;
    parent = parent.parent;
  }
  return parent?.type === 'await' && parent.children[0] === child;
}

const PATH_NAME = /^pathlib\.(?:Pure)?(?:Posix|Windows)?Path\(\)$/u;

/** `Path(a) / "b"` (and longer chains) is a Path too; the model does not evaluate operators. */
function pathDivision(model: SemanticModel, node: PyNode): string | null {
  if (node.type !== 'binary_operator' || node.operator !== '/' || !node.left) return null;
  const left = unparenthesized(node.left);
  const name = pathDivision(model, left) ?? model.qualifiedName(left);
  return name && PATH_NAME.test(name) ? name : null;
}

export function unparenthesized(node: PyNode): PyNode {
  let current = node;
  while (current.type === 'parenthesized_expression' && current.children.length === 1 && current.children[0]) current = current.children[0];
  return current;
}
