import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from './runtime.js';

export type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | TSESTree.FunctionExpression;

export function isFunction(node: TSESTree.Node | null | undefined): node is FunctionNode {
  return (
    node?.type === AST_NODE_TYPES.ArrowFunctionExpression ||
    node?.type === AST_NODE_TYPES.FunctionDeclaration ||
    node?.type === AST_NODE_TYPES.FunctionExpression
  );
}

/** Strips the wrappers that do not change which value an expression has: `a?.b()`, `x!`, `x as T`, `<T>x`, `x satisfies T`. */
export function skipWrappers(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case AST_NODE_TYPES.ChainExpression:
        current = current.expression;
        break;
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/** The node whose parent is not a value-preserving wrapper of `node` (the inverse of `skipWrappers`). */
export function outermostWrapper(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (
    current.parent &&
    (current.parent.type === AST_NODE_TYPES.ChainExpression ||
      current.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      current.parent.type === AST_NODE_TYPES.TSAsExpression ||
      current.parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      current.parent.type === AST_NODE_TYPES.TSTypeAssertion)
  ) {
    current = current.parent;
  }
  return current;
}

/** A member's property name when it is static: `a.b`, `a['b']`, `` a[`b`] ``. */
export function memberName(member: TSESTree.MemberExpression): string | undefined {
  const { property } = member;
  if (!member.computed) return property.type === AST_NODE_TYPES.Identifier ? property.name : undefined;
  if (property.type === AST_NODE_TYPES.Literal && typeof property.value === 'string') return property.value;
  if (property.type === AST_NODE_TYPES.TemplateLiteral && property.expressions.length === 0) return property.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** `receiver.name(...)`: the member callee of a call, when its property is `name` (or any name when omitted). */
export function methodCallee(call: TSESTree.CallExpression, name?: string): TSESTree.MemberExpression | undefined {
  const callee = skipWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  if (name !== undefined && memberName(callee) !== name) return undefined;
  return callee;
}

/** The name a call is known by: `f` for `f()`, `m` for `a.b.m()`. */
export function calleeName(call: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  const callee = skipWrappers(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  if (callee.type === AST_NODE_TYPES.MemberExpression) return memberName(callee);
  return undefined;
}

/** The innermost function containing `node` (not `node` itself). */
export function enclosingFunction(node: TSESTree.Node): FunctionNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current)) return current;
  }
  return undefined;
}

export type StatementListOwner = TSESTree.BlockStatement | TSESTree.Program | TSESTree.StaticBlock | TSESTree.SwitchCase;

/** The statement list that holds `statement` directly, or undefined (e.g. an `if` body without braces). */
export function statementList(statement: TSESTree.Node): readonly TSESTree.Statement[] | undefined {
  const parent = statement.parent;
  if (!parent) return undefined;
  switch (parent.type) {
    case AST_NODE_TYPES.BlockStatement:
    case AST_NODE_TYPES.Program:
    case AST_NODE_TYPES.StaticBlock:
      return parent.body;
    case AST_NODE_TYPES.SwitchCase:
      return parent.consequent;
    default:
      return undefined;
  }
}

/** The statement that directly contains `node` (walking up through expressions), or undefined at a function boundary. */
export function enclosingStatement(node: TSESTree.Node): TSESTree.Statement | undefined {
  for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
    if (statementList(current)) return current as TSESTree.Statement;
    if (isFunction(current.parent) && current.parent.body === current) return undefined;
  }
  return undefined;
}

/** `fn` is called right where it is written: `(() => ...)()`. */
export function isImmediatelyInvoked(fn: FunctionNode): boolean {
  const outer = outermostWrapper(fn);
  return outer.parent?.type === AST_NODE_TYPES.CallExpression && outer.parent.callee === outer;
}

const SYNC_ITERATION_METHODS = new Set([
  'every', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flatMap', 'forEach', 'map',
  'reduce', 'reduceRight', 'some', 'sort', 'toSorted',
]);

/** `fn` is a synchronous callback run before the call returns: `items.forEach(fn)`, `Array.from(x, fn)`. */
export function isSyncIterationCallback(fn: FunctionNode): boolean {
  if (fn.async || fn.generator) return false;
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !(call.arguments as readonly TSESTree.Node[]).includes(fn)) return false;
  const name = calleeName(call);
  if (name === 'from' && methodCallee(call)?.object.type === AST_NODE_TYPES.Identifier) {
    return (methodCallee(call)?.object as TSESTree.Identifier).name === 'Array';
  }
  return name !== undefined && SYNC_ITERATION_METHODS.has(name) && methodCallee(call) !== undefined;
}

/** Whether `inner` lies inside `outer` (or is it). */
export function contains(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

/** Source text shortened for messages: one line, at most `max` characters. */
export function shortText(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/gu, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** Visits `root` and its descendants, not descending into nested functions unless `intoFunctions`. */
export function walk(
  root: TSESTree.Node,
  visitorKeys: Readonly<Record<string, readonly string[] | undefined>>,
  visit: (node: TSESTree.Node) => void,
  intoFunctions = false,
): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as TSESTree.Node;
    visit(node);
    if (!intoFunctions && node !== root && isFunction(node)) continue;
    const keys = visitorKeys[node.type] ?? [];
    for (let k = keys.length - 1; k >= 0; k--) {
      const value = (node as unknown as Record<string, unknown>)[keys[k] as string];
      if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) {
          const child = value[i] as TSESTree.Node | null;
          if (child && typeof child.type === 'string') stack.push(child);
        }
      } else if (value && typeof (value as TSESTree.Node).type === 'string') {
        stack.push(value as TSESTree.Node);
      }
    }
  }
}
