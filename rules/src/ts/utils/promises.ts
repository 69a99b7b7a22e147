import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, DefinitionType, findVariable } from './runtime.js';
import { isFunction, methodCallee, skipWrappers, type FunctionNode } from './ast.js';
import type { TsFile } from './file.js';
import { isQualified } from './imports.js';
import { contextWithCallback, startActiveSpanCallback } from './spans.js';
import { isThenableByType } from './types.js';

/** Promise-returning functions of Node and the platform, by qualified name (see `QualifiedName`). */
const PROMISE_STATICS = new Set(['all', 'allSettled', 'any', 'race', 'reject', 'resolve', 'try']);
const PROMISE_MODULES = [
  ['fs', 'promises'],
  ['dns', 'promises'],
  ['stream', 'promises'],
  ['timers', 'promises'],
  ['readline', 'promises'],
] as const;
const PROMISE_CHAIN_METHODS = new Set(['then', 'catch', 'finally']);

/** `fn` is declared in this module as an `async` function: `async function f`, `const f = async () => ...`. */
function asyncFunctionDefinition(file: TsFile, identifier: TSESTree.Identifier): FunctionNode | undefined {
  const variable = findVariable(file.sourceCode.getScope(identifier), identifier);
  if (variable?.defs.length !== 1) return undefined;
  const definition = variable.defs[0];
  if (!definition) return undefined;
  if (definition.type === DefinitionType.FunctionName && isFunction(definition.node)) return definition.node.async ? definition.node : undefined;
  if (definition.type === DefinitionType.Variable && definition.node.init && definition.node.id === definition.name) {
    const init = skipWrappers(definition.node.init);
    if (isFunction(init) && init.async && variable.references.every((reference) => !reference.isWrite() || reference.init === true)) return init;
  }
  return undefined;
}

/** `this.method()` where `method` is an `async` method of the enclosing class. */
function asyncMethodDefinition(callee: TSESTree.MemberExpression): FunctionNode | undefined {
  if (callee.object.type !== AST_NODE_TYPES.ThisExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return undefined;
  const name = callee.property.name;
  for (let current: TSESTree.Node | undefined = callee.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.ClassBody) {
      for (const member of current.body) {
        if (
          (member.type === AST_NODE_TYPES.MethodDefinition || member.type === AST_NODE_TYPES.PropertyDefinition) &&
          !member.computed &&
          member.key.type === AST_NODE_TYPES.Identifier &&
          member.key.name === name &&
          member.value &&
          isFunction(member.value)
        ) {
          return member.value.async ? member.value : undefined;
        }
      }
      return undefined;
    }
    // `this` inside a non-arrow function nested in a method is that function's own `this`.
    if (current.type === AST_NODE_TYPES.FunctionDeclaration) return undefined;
    if (current.type === AST_NODE_TYPES.FunctionExpression && current.parent.type !== AST_NODE_TYPES.MethodDefinition) return undefined;
  }
  return undefined;
}

/**
 * Why a call is known to return a promise without type information, or undefined: an `async` function
 * of this module, an async IIFE, a promise API of Node or the platform (`fetch`, `Promise.all`,
 * `fs.promises.*`, `timers/promises`), a `.then/.catch/.finally` chain on one of those, or a span
 * helper whose callback is `async` (`startActiveSpan` and `context.with` return the callback's value).
 */
export function promiseEvidence(file: TsFile, node: TSESTree.Node, depth = 0): string | undefined {
  const expression = skipWrappers(node);
  if (depth > 16) return undefined;
  if (expression.type === AST_NODE_TYPES.NewExpression) {
    return isQualified(file.qualified(expression.callee), '', 'Promise') ? 'new Promise' : undefined;
  }
  if (expression.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = skipWrappers(expression.callee);
  if (isFunction(callee)) return callee.async ? 'an async function' : undefined;
  if (callee.type === AST_NODE_TYPES.Identifier) {
    if (asyncFunctionDefinition(file, callee)) return `async function ${callee.name}`;
  }
  const member = methodCallee(expression);
  if (member) {
    if (asyncMethodDefinition(member)) return 'an async method';
    const method = member.property.type === AST_NODE_TYPES.Identifier ? member.property.name : undefined;
    if (method && PROMISE_CHAIN_METHODS.has(method) && promiseEvidence(file, member.object, depth + 1)) return 'a promise chain';
    const callback = startActiveSpanCallback(file, expression) ?? contextWithCallback(file, expression);
    if (callback?.async) return 'an async span callback';
  }
  const name = file.qualified(callee);
  if (!name) return undefined;
  if (name.module === '' && name.path.length === 1 && name.path[0] === 'fetch') return 'fetch';
  if (name.module === '' && name.path.length === 2 && name.path[0] === 'Promise' && PROMISE_STATICS.has(name.path[1] ?? '')) return 'Promise';
  for (const [module, property] of PROMISE_MODULES) {
    if (name.module === module && name.path.length === 2 && name.path[0] === property) return `${module}/promises`;
  }
  return undefined;
}

/**
 * Whether an expression evaluates to a promise: by its type when the file has type information and
 * the type says something (not `any`), else by `promiseEvidence`.
 */
export function isPromiseValued(file: TsFile, node: TSESTree.Node): boolean {
  const byType = isThenableByType(file.types, node);
  if (byType !== undefined) return byType;
  return promiseEvidence(file, node) !== undefined;
}

/**
 * What happens to the value of `node`: `floating` when it is dropped (an expression statement or
 * `void`), following it out through `.then/.catch/.finally` chains, `?:`, `&&`/`||`/`??` and the last
 * expression of a sequence; `handled` when it is awaited, returned, yielded, stored or passed on.
 */
export function promiseFate(node: TSESTree.Node): { readonly fate: 'floating' | 'handled'; readonly outer: TSESTree.Node } {
  let current: TSESTree.Node = node;
  for (;;) {
    const parent = current.parent;
    if (!parent) return { fate: 'handled', outer: current };
    switch (parent.type) {
      case AST_NODE_TYPES.ChainExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.ConditionalExpression:
      case AST_NODE_TYPES.LogicalExpression:
        if (parent.type === AST_NODE_TYPES.ConditionalExpression && parent.test === current) return { fate: 'handled', outer: current };
        current = parent;
        continue;
      case AST_NODE_TYPES.SequenceExpression:
        if (parent.expressions.at(-1) !== current) return { fate: 'floating', outer: current };
        current = parent;
        continue;
      case AST_NODE_TYPES.MemberExpression: {
        const call = parent.parent;
        const name = parent.property.type === AST_NODE_TYPES.Identifier ? parent.property.name : undefined;
        if (parent.object === current && name && PROMISE_CHAIN_METHODS.has(name) && call?.type === AST_NODE_TYPES.CallExpression && call.callee === parent) {
          current = call;
          continue;
        }
        return { fate: 'handled', outer: current };
      }
      case AST_NODE_TYPES.ExpressionStatement:
        return { fate: 'floating', outer: current };
      case AST_NODE_TYPES.UnaryExpression:
        return { fate: parent.operator === 'void' ? 'floating' : 'handled', outer: parent.operator === 'void' ? parent : current };
      default:
        return { fate: 'handled', outer: current };
    }
  }
}
