import type { PyNode } from '../language/generated/node-types.js';
import type { SemanticModel } from './model.js';

/**
 * What an annotation says a name holds, for the cases the value cannot tell: a parameter annotated
 * `client: httpx.Client | None`, or `client: Optional[httpx.Client] = ...` assigned a placeholder.
 * The result is written like a value returned by a call (`httpx.Client()`), the way the model writes
 * instances, so callers can append `.<method>` and look it up in a table of qualified names.
 */
export function declaredInstanceName(model: SemanticModel, identifier: PyNode): string | null {
  if (identifier.type !== 'identifier') return null;
  const binding = model.valueBinding(identifier);
  if (!binding) return null;
  let annotation: PyNode | null | undefined;
  if (binding.kind === 'parameter') {
    annotation = binding.annotation;
  } else if (binding.kind === 'assignment') {
    const statement = binding.identifier.parent;
    if (statement?.type === 'assignment' && statement.left === binding.identifier) annotation = statement.annotation?.children[0];
  }
  const type = annotation ? withoutOptional(model, annotation) : null;
  const name = type ? model.qualifiedName(type) : null;
  // An unresolved annotation (`builtins.Foo`) says nothing about what the value is.
  return name && !name.startsWith('builtins.') ? `${name}()` : null;
}

// Stub files and `# type: ignore`d code use `Optional` without importing it; no builtin has that name.
const OPTIONAL = new Set(['typing.Optional', 'typing_extensions.Optional', 'builtins.Optional']);
const UNION = new Set(['typing.Union', 'typing_extensions.Union', 'builtins.Union']);

/**
 * The one non-None type of `X | None`, `None | X`, `Optional[X]` and `Union[X, None]`; the
 * annotation itself when it is none of those; null for other unions.
 */
function withoutOptional(model: SemanticModel, annotation: PyNode): PyNode | null {
  const node = annotation.type === 'type' ? annotation.children[0] : annotation;
  if (!node) return null;
  if (node.type === 'binary_operator' && node.operator === '|') {
    const sides = [node.left, node.right].filter((side): side is NonNullable<typeof side> => side !== null && !isNone(side));
    return sides.length === 1 && sides[0] ? withoutOptional(model, sides[0]) : null;
  }
  if (node.type === 'generic_type') {
    const [generic, parameters] = node.children;
    const genericName = generic ? model.qualifiedName(generic) : null;
    const types = parameters?.type === 'type_parameter' ? parameters.children : [];
    const nonNone = types.filter((type) => !(type.children[0] && isNone(type.children[0])));
    if (OPTIONAL.has(genericName ?? '') && types.length === 1 && nonNone[0]) return withoutOptional(model, nonNone[0]);
    if (UNION.has(genericName ?? '') && nonNone.length === 1 && nonNone[0]) return withoutOptional(model, nonNone[0]);
    return null;
  }
  return node;
}

function isNone(node: PyNode): boolean {
  return node.type === 'none';
}
