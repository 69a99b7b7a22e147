import type { PyNode } from '../language/generated/node-types.js';
import type { SemanticModel } from './model.js';
import type { Binding } from './scope.js';

/**
 * Questions about names that fixes ask before they write code: whether a new name can be bound without
 * changing what existing code means, and which local name reaches a module-level binding or import.
 */

/**
 * Whether binding `name` in the scope where `at` runs changes nothing else: the name has no binding
 * visible there (not in that scope, not in an enclosing one, not at module level) and is not a builtin.
 */
export function isNameFree(model: SemanticModel, name: string, at: PyNode): boolean {
  if (PYTHON_BUILTINS.has(name)) return false;
  return model.lookup(name, model.scopeAt(at)) === null;
}

/** `base` when it is free at `at`, else `base_1`, `base_2`, ... (the first free one). */
export function freeName(model: SemanticModel, base: string, at: PyNode): string {
  if (isNameFree(model, base, at)) return base;
  for (let suffix = 1; ; suffix++) {
    const candidate = `${base}_${suffix}`;
    if (isNameFree(model, candidate, at)) return candidate;
  }
}

/**
 * The module-level binding of `name` when that is what `name` means at `at` (not shadowed by a local,
 * a parameter or a class attribute), and it is bound there exactly once.
 */
export function moduleBindingAt(model: SemanticModel, name: string, at: PyNode): Binding | null {
  const rootBindings = model.root.bindings.get(name);
  if (rootBindings?.length !== 1) return null;
  return model.lookup(name, model.scopeAt(at)) === rootBindings ? (rootBindings[0] ?? null) : null;
}

/**
 * A local name that refers to the module-level import of `qualifiedName` at `at`: the name of
 * `import x.y as name` / `from x import y` / `from x import y as name` when it is not shadowed there.
 */
export function importedNameAt(model: SemanticModel, qualifiedName: string, at: PyNode): string | null {
  for (const [name, bindings] of model.root.bindings) {
    const [binding] = bindings;
    if (bindings.length !== 1 || binding?.kind !== 'import' || binding.importedName !== qualifiedName) continue;
    if (moduleBindingAt(model, name, at)) return name;
  }
  return null;
}

/** Names Python resolves from `builtins` when nothing binds them (binding one would hide the builtin). */
const PYTHON_BUILTINS = new Set([
  'abs', 'aiter', 'all', 'anext', 'any', 'ascii', 'bin', 'bool', 'breakpoint', 'bytearray', 'bytes', 'callable',
  'chr', 'classmethod', 'compile', 'complex', 'delattr', 'dict', 'dir', 'divmod', 'enumerate', 'eval', 'exec',
  'filter', 'float', 'format', 'frozenset', 'getattr', 'globals', 'hasattr', 'hash', 'help', 'hex', 'id', 'input',
  'int', 'isinstance', 'issubclass', 'iter', 'len', 'list', 'locals', 'map', 'max', 'memoryview', 'min', 'next',
  'object', 'oct', 'open', 'ord', 'pow', 'print', 'property', 'range', 'repr', 'reversed', 'round', 'set',
  'setattr', 'slice', 'sorted', 'staticmethod', 'str', 'sum', 'super', 'tuple', 'type', 'vars', 'zip',
  '__import__', '__name__', '__file__', '__doc__', 'Exception', 'BaseException', 'None', 'True', 'False',
]);
