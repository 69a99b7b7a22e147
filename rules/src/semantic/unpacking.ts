import type { PyNode } from '../language/generated/node-types.js';
import type { SemanticModel } from './model.js';

const TARGET_LISTS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern']);
const VALUE_LISTS = new Set(['expression_list', 'tuple', 'list']);

/**
 * The expression a name takes in a parallel assignment, `a, b = x, y` or `(p1, p2) = (Path(a), Path(b))`:
 * the value at the same position, when both sides are flat lists of the same length without starred
 * items. The model leaves unpacking without a value (it cannot see inside other iterables); this covers
 * the literal case only.
 */
export function unpackedValue(model: SemanticModel, identifier: PyNode): PyNode | null {
  if (identifier.type !== 'identifier') return null;
  const binding = model.valueBinding(identifier);
  if (binding?.kind !== 'assignment' || binding.value) return null;
  const targets = binding.identifier.parent;
  const assignment = targets?.parent;
  if (!targets || !TARGET_LISTS.has(targets.type) || assignment?.type !== 'assignment' || assignment.left !== targets) return null;
  const values = assignment.right;
  if (!values || !VALUE_LISTS.has(values.type)) return null;
  const targetNodes: readonly PyNode[] = targets.children;
  const isFlat = (nodes: readonly PyNode[]) => nodes.every((node) => node.type !== 'list_splat_pattern' && node.type !== 'list_splat');
  if (targetNodes.length !== values.children.length || !isFlat(targetNodes) || !isFlat(values.children)) return null;
  const position = targetNodes.findIndex((node) => node === binding.identifier);
  return values.children[position] ?? null;
}
