import type { PyNode } from '../language/generated/node-types.js';
import type { SemanticModel } from './model.js';
import type { Binding } from './scope.js';

/**
 * Which reads of a name can see the value one binding gave it. Rules use this to follow a value bound
 * to a local name (a token, a task, a span) to the places that use it.
 */

/** The reads of a binding's value: in the binding's own scope, and in functions nested in it. */
export interface BindingUses {
  /** Reads in the binding's scope, after it, that no later binding of the name must have replaced. */
  readonly reads: readonly PyNode[];
  /** Reads from nested functions, lambdas, classes or comprehensions (they run at another time). */
  readonly nestedReads: readonly PyNode[];
}

/**
 * The reads that may see `binding`'s value. A read in the same scope counts when it comes after the
 * binding in the source and no other binding of the name comes between them in a block that holds
 * the read (such a binding runs on every path into the read). Loop back-edges are not followed,
 * so a read earlier in the source than the binding is never counted.
 */
export function bindingUses(model: SemanticModel, binding: Binding): BindingUses {
  const scope = binding.scope;
  const sameName = scope.bindings.get(binding.name) ?? [];
  const targets = new Set(sameName.map((other) => other.identifier));
  const reads: PyNode[] = [];
  const nestedReads: PyNode[] = [];
  // The module's identifiers of this name are in source order, so both lists come out in source order.
  for (const node of model.identifiersNamedWithin(binding.name, scope.node)) {
    if (targets.has(node) || !isReference(node)) continue;
    if (model.resolve(node) !== sameName) continue;
    if (model.scopeAt(node) !== scope) nestedReads.push(node);
    else if (node.range[0] >= binding.identifier.range[1] && !replacedBefore(binding, sameName, node)) reads.push(node);
  }
  return { reads, nestedReads };
}

/** The statement that holds `node` and sits directly in a block (or the module). */
export function statementOf(node: PyNode): PyNode | null {
  for (let current: PyNode | null = node; current; current = current.parent) {
    const parent = current.parent;
    if (parent?.type === 'block' || parent?.type === 'module') return current;
  }
  return null;
}

/** Whether `inner` is `outer` or inside it. */
export function contains(outer: PyNode, inner: PyNode): boolean {
  for (let current: PyNode | null = inner; current; current = current.parent) if (current === outer) return true;
  return false;
}

/** The statement after `statement` in its block, or null when it is the block's last. */
export function nextStatement(statement: PyNode): PyNode | null {
  const siblings = blockStatements(statement.parent);
  const index = siblings.indexOf(statement);
  return index === -1 ? null : (siblings[index + 1] ?? null);
}

/** The statements of a block or module (empty for anything else). */
export function blockStatements(block: PyNode | null): readonly PyNode[] {
  return block?.type === 'block' || block?.type === 'module' ? block.children : [];
}

function replacedBefore(binding: Binding, sameName: readonly Binding[], read: PyNode): boolean {
  const start = binding.identifier.range[1];
  return sameName.some((other) => {
    if (other === binding) return false;
    const at = other.identifier.range[0];
    if (at < start || at >= read.range[0]) return false;
    const holder = statementOf(other.identifier)?.parent;
    // A binding earlier in a block that holds the read runs on every path into that read.
    return holder ? contains(holder, read) : false;
  });
}

/** False for identifiers that name something rather than read a variable (attributes, keywords, parameters, imports). */
function isReference(identifier: PyNode): boolean {
  const parent = identifier.parent;
  if (!parent) return false;
  switch (parent.type) {
    case 'attribute':
      return parent.attribute !== identifier;
    case 'keyword_argument':
      return parent.name !== identifier;
    case 'function_definition':
    case 'class_definition':
      return parent.name !== identifier;
    case 'default_parameter':
    case 'typed_default_parameter':
      return parent.name !== identifier;
    case 'parameters':
    case 'lambda_parameters':
    case 'typed_parameter':
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern':
      return !isParameterName(identifier);
    case 'global_statement':
    case 'nonlocal_statement':
    case 'dotted_name':
    case 'aliased_import':
      return false;
    default:
      return true;
  }
}

function isParameterName(identifier: PyNode): boolean {
  for (let current = identifier.parent; current; current = current.parent) {
    if (current.type === 'parameters' || current.type === 'lambda_parameters') return true;
    if (current.type !== 'typed_parameter' && current.type !== 'list_splat_pattern' && current.type !== 'dictionary_splat_pattern') return false;
  }
  return false;
}
