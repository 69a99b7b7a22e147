// The scope-building pieces the scope tests use, with a type guard for comprehension nodes.
import type { PyNode } from 'eslint-plugin-otel-async/language';
export { ScopeBuilder, buildScopes, type Scope } from 'eslint-plugin-otel-async/semantic';

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

export function isComprehensionNode(node: PyNode): boolean {
  return COMPREHENSIONS.has(node.type);
}
