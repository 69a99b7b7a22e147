import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, DefinitionType, findVariable } from './runtime.js';
import { memberName, skipWrappers } from './ast.js';

/**
 * What an expression refers to, by where it comes from: `{ module: 'fs', path: ['readFileSync'] }` for
 * `readFileSync` imported from `node:fs`, for `fs.readFileSync` with `import * as fs from 'fs'`, and
 * for `const { readFileSync } = require('fs')`. Globals have `module: ''` (`Promise.all` is
 * `{ module: '', path: ['Promise', 'all'] }`). `node:` prefixes are dropped and sub-path modules are
 * folded into their parent: `fs/promises` is `{ module: 'fs', path: ['promises'] }`.
 */
export interface QualifiedName {
  readonly module: string;
  readonly path: readonly string[];
}

/** Sub-path modules that are the same object as a property of their parent module. */
const SUBPATH_MODULES: Readonly<Record<string, QualifiedName>> = {
  'fs/promises': { module: 'fs', path: ['promises'] },
  'dns/promises': { module: 'dns', path: ['promises'] },
  'stream/promises': { module: 'stream', path: ['promises'] },
  'timers/promises': { module: 'timers', path: ['promises'] },
  'readline/promises': { module: 'readline', path: ['promises'] },
};

/** `node:fs/promises` → `{ module: 'fs', path: ['promises'] }`; other module names unchanged. */
export function moduleName(source: string): QualifiedName {
  const bare = source.startsWith('node:') ? source.slice(5) : source;
  return SUBPATH_MODULES[bare] ?? { module: bare, path: [] };
}

function withPath(base: QualifiedName, more: readonly string[]): QualifiedName {
  return { module: base.module, path: [...base.path, ...more] };
}

/** `require('m')` or `await import('m')` (with a literal module name). */
function requiredModule(node: TSESTree.Node): QualifiedName | undefined {
  const expression = skipWrappers(node.type === AST_NODE_TYPES.AwaitExpression ? node.argument : node);
  if (
    expression.type === AST_NODE_TYPES.CallExpression &&
    expression.callee.type === AST_NODE_TYPES.Identifier &&
    expression.callee.name === 'require' &&
    expression.arguments.length === 1 &&
    expression.arguments[0]?.type === AST_NODE_TYPES.Literal &&
    typeof expression.arguments[0].value === 'string'
  ) {
    return moduleName(expression.arguments[0].value);
  }
  if (
    expression.type === AST_NODE_TYPES.ImportExpression &&
    expression.source.type === AST_NODE_TYPES.Literal &&
    typeof expression.source.value === 'string'
  ) {
    return moduleName(expression.source.value);
  }
  return undefined;
}

/** The property names leading from a declarator's pattern to `identifier`: `{ a: { b: x } }` → `['a', 'b']`. */
function patternPath(identifier: TSESTree.Node, declaratorId: TSESTree.Node): string[] | undefined {
  const path: string[] = [];
  let current: TSESTree.Node = identifier;
  while (current !== declaratorId) {
    const parent: TSESTree.Node | undefined = current.parent;
    if (!parent) return undefined;
    if (parent.type === AST_NODE_TYPES.AssignmentPattern) {
      if (parent.left !== current) return undefined;
    } else if (parent.type === AST_NODE_TYPES.Property) {
      if (parent.value !== current || parent.computed) return undefined;
      const key = parent.key;
      if (key.type === AST_NODE_TYPES.Identifier) path.unshift(key.name);
      else if (key.type === AST_NODE_TYPES.Literal && typeof key.value === 'string') path.unshift(key.value);
      else return undefined;
    } else if (parent.type !== AST_NODE_TYPES.ObjectPattern) {
      return undefined;
    }
    current = parent;
  }
  return path;
}

function variableOf(sourceCode: Readonly<TSESLint.SourceCode>, identifier: TSESTree.Identifier): TSESLint.Scope.Variable | null {
  return findVariable(sourceCode.getScope(identifier), identifier);
}

/** Resolves the definition of a variable to a qualified name, when it is an import or an alias of one. */
function resolveVariable(
  sourceCode: Readonly<TSESLint.SourceCode>,
  variable: TSESLint.Scope.Variable,
  depth: number,
): QualifiedName | undefined {
  if (variable.defs.length !== 1) return undefined;
  const definition = variable.defs[0];
  if (!definition) return undefined;
  if (definition.type === DefinitionType.ImportBinding) {
    const node = definition.node;
    if (node.type === AST_NODE_TYPES.TSImportEqualsDeclaration) {
      const reference = node.moduleReference;
      if (reference.type === AST_NODE_TYPES.TSExternalModuleReference && reference.expression.type === AST_NODE_TYPES.Literal) {
        return typeof reference.expression.value === 'string' ? moduleName(reference.expression.value) : undefined;
      }
      return undefined;
    }
    const declaration = node.parent;
    if (declaration?.type !== AST_NODE_TYPES.ImportDeclaration) return undefined;
    const source = moduleName(declaration.source.value);
    if (node.type === AST_NODE_TYPES.ImportSpecifier) {
      const imported = node.imported.type === AST_NODE_TYPES.Identifier ? node.imported.name : node.imported.value;
      // `import { default as x }` is the default export, which for Node's modules is the module object.
      return imported === 'default' ? source : withPath(source, [imported]);
    }
    // A default import of a CommonJS module (all of Node's) is the module object; so is a namespace import.
    return source;
  }
  if (definition.type === DefinitionType.Variable) {
    const declarator = definition.node;
    if (!declarator.init) return undefined;
    const writes = variable.references.filter((reference) => reference.isWrite() && reference.init !== true);
    if (writes.length > 0) return undefined;
    const path = patternPath(definition.name, declarator.id);
    if (!path) return undefined;
    const required = requiredModule(declarator.init);
    if (required) return withPath(required, path);
    const base = resolveQualifiedAt(sourceCode, declarator.init, depth + 1);
    return base && withPath(base, path);
  }
  return undefined;
}

const MAX_ALIAS_DEPTH = 8;

function resolveQualifiedAt(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node, depth: number): QualifiedName | undefined {
  if (depth > MAX_ALIAS_DEPTH) return undefined;
  const required = requiredModule(node);
  if (required) return required;
  const expression = skipWrappers(node);
  if (expression.type === AST_NODE_TYPES.Identifier) {
    const variable = variableOf(sourceCode, expression);
    if (!variable || variable.defs.length === 0) return { module: '', path: [expression.name] };
    return resolveVariable(sourceCode, variable, depth);
  }
  if (expression.type === AST_NODE_TYPES.MemberExpression) {
    const name = memberName(expression);
    if (name === undefined) return undefined;
    const object = requiredModule(expression.object) ?? resolveQualifiedAt(sourceCode, expression.object, depth + 1);
    return object && withPath(object, [name]);
  }
  return undefined;
}

/** What `node` (an identifier or a static member chain) refers to; undefined for local values. */
export function resolveQualified(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): QualifiedName | undefined {
  return resolveQualifiedAt(sourceCode, node, 0);
}

/** `name` equals `module` + `path` (a module in any of its spellings, see `moduleName`). */
export function isQualified(name: QualifiedName | undefined, module: string, ...path: string[]): boolean {
  if (!name) return false;
  const expected = moduleName(module);
  const full = [...expected.path, ...path];
  return name.module === expected.module && name.path.length === full.length && name.path.every((part, i) => part === full[i]);
}

/** `name` is `module` + `path` for any of the modules. */
export function isQualifiedFromAny(name: QualifiedName | undefined, modules: readonly string[], ...path: string[]): boolean {
  return modules.some((module) => isQualified(name, module, ...path));
}

/** Modules that export the OpenTelemetry SDK's tracer providers and span processors (2.x and its shims). */
export const SDK_TRACE_MODULES = ['@opentelemetry/sdk-trace-base', '@opentelemetry/sdk-trace-node', '@opentelemetry/sdk-trace'] as const;
export const OTEL_API = '@opentelemetry/api';
