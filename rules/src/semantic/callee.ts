import type { PyNode } from '../language/generated/node-types.js';

/**
 * The last name of a callee: `f` in `f(...)`, `m` in `a.b.m(...)`; null for anything else. The model
 * finds a module's `def` only under that name (`name(...)` or `self.name(...)`), so analyses that look
 * for calls of the module's functions rule out every other call by this name before resolving it.
 */
export function calleeLastName(callee: PyNode | null | undefined): string | null {
  if (callee?.type === 'identifier') return callee.text ?? null;
  if (callee?.type === 'attribute') return callee.attribute?.text ?? null;
  return null;
}
