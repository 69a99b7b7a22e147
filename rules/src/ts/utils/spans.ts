import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from './runtime.js';
import {
  isFunction, isImmediatelyInvoked, memberName, isSyncIterationCallback, methodCallee, shortText, skipWrappers,
  statementList, type FunctionNode,
} from './ast.js';
import type { TsFile } from './file.js';
import { isQualified, OTEL_API } from './imports.js';
import { isTracerByType } from './types.js';

/**
 * Where a span is active (or open) around a piece of code:
 * - `startActiveSpan`: inside the callback of `tracer.startActiveSpan(name, [options], [context], fn)`;
 * - `contextWith`: inside the callback of `context.with(ctx, fn)` (`@opentelemetry/api`'s `context`);
 * - `startSpan`: after `const span = tracer.startSpan(name)` and before a later `span.end()` in the
 *   same block (the span is open there, though not the active one).
 */
export interface SpanRegion {
  readonly kind: 'startActiveSpan' | 'contextWith' | 'startSpan';
  /** The call that opened the span. */
  readonly opener: TSESTree.CallExpression;
  /** How messages name the span: `"checkout"` for a literal name, else the source text. */
  readonly label: string;
  /** The callback the span is active in (absent for `startSpan`). */
  readonly callback?: FunctionNode;
  /** The span's variable: the callback's first parameter, or the name `startSpan`'s result is bound to. */
  readonly spanVariable?: TSESTree.Identifier;
}

/** How a span's name argument reads in a message. */
export function spanLabel(file: TsFile, nameArgument: TSESTree.Node | undefined): string {
  if (!nameArgument) return 'span';
  if (nameArgument.type === AST_NODE_TYPES.Literal && typeof nameArgument.value === 'string') return JSON.stringify(nameArgument.value);
  return shortText(file.text(nameArgument), 40);
}

/** A call on something that may be a tracer: any receiver syntactically; with types, not one typed as something else. */
function onPossibleTracer(file: TsFile, call: TSESTree.CallExpression, method: string): TSESTree.MemberExpression | undefined {
  const callee = methodCallee(call, method);
  if (!callee) return undefined;
  return isTracerByType(file.types, callee.object) === false ? undefined : callee;
}

/** The callback of `tracer.startActiveSpan(...)`: its last argument, when that is a function. */
export function startActiveSpanCallback(file: TsFile, call: TSESTree.CallExpression): FunctionNode | undefined {
  if (!onPossibleTracer(file, call, 'startActiveSpan')) return undefined;
  const last = call.arguments.at(-1);
  return last && isFunction(last) && call.arguments.length >= 2 ? last : undefined;
}

export function isStartSpanCall(file: TsFile, node: TSESTree.Node): node is TSESTree.CallExpression {
  return node.type === AST_NODE_TYPES.CallExpression && onPossibleTracer(file, node, 'startSpan') !== undefined;
}

/**
 * Whether a `context.with` context argument can carry a span of this process: `trace.setSpan(...)` /
 * `setSpanContext(...)`, or a variable holding a context. Other calls — `suppressTracing(...)`,
 * `propagation.extract(...)` (a remote parent), `context.active()` — open no local span.
 */
function mayCarryLocalSpan(argument: TSESTree.Node | undefined): boolean {
  if (!argument) return false;
  const expression = skipWrappers(argument);
  if (expression.type === AST_NODE_TYPES.Identifier) return true;
  if (expression.type === AST_NODE_TYPES.MemberExpression) return true;
  if (expression.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = skipWrappers(expression.callee);
  const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : undefined;
  return name === 'setSpan' || name === 'setSpanContext';
}

/**
 * `context.with(ctx, fn)` with `@opentelemetry/api`'s `context` (any import form) and a context that
 * can carry a local span (see `mayCarryLocalSpan`): returns `fn` when it is a function.
 */
export function contextWithCallback(file: TsFile, call: TSESTree.CallExpression): FunctionNode | undefined {
  const callee = methodCallee(call, 'with');
  if (!callee || !isQualified(file.qualified(callee.object), OTEL_API, 'context')) return undefined;
  if (!mayCarryLocalSpan(call.arguments[0])) return undefined;
  const fn = call.arguments[1];
  return fn && isFunction(fn) ? fn : undefined;
}

/** The span a `context.with(ctx, fn)` makes active, for messages: `span` in `trace.setSpan(context.active(), span)`. */
function contextLabel(file: TsFile, contextArgument: TSESTree.Node | undefined): string {
  if (!contextArgument) return 'context';
  const expression = skipWrappers(contextArgument);
  if (expression.type === AST_NODE_TYPES.CallExpression) {
    const callee = methodCallee(expression, 'setSpan') ?? methodCallee(expression, 'setSpanContext');
    if (callee && expression.arguments[1]) return shortText(file.text(expression.arguments[1]), 40);
  }
  return shortText(file.text(contextArgument), 40);
}

/** The region whose callback is `fn`, if `fn` is the callback of `startActiveSpan` or `context.with`. */
export function regionOfCallback(file: TsFile, fn: FunctionNode): SpanRegion | undefined {
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression) return undefined;
  if (startActiveSpanCallback(file, call) === fn) {
    const parameter = fn.params[0];
    return {
      kind: 'startActiveSpan',
      opener: call,
      label: spanLabel(file, call.arguments[0]),
      callback: fn,
      ...(parameter?.type === AST_NODE_TYPES.Identifier ? { spanVariable: parameter } : {}),
    };
  }
  if (contextWithCallback(file, call) === fn) {
    return { kind: 'contextWith', opener: call, label: contextLabel(file, call.arguments[0]), callback: fn };
  }
  return undefined;
}

/** A `startSpan` binding: `const span = tracer.startSpan(...)` (or `let`, or `span = tracer.startSpan(...)`). */
export interface StartSpanBinding {
  readonly statement: TSESTree.Statement;
  readonly call: TSESTree.CallExpression;
  readonly variable: TSESTree.Identifier;
}

export function startSpanBinding(file: TsFile, statement: TSESTree.Node): StartSpanBinding | undefined {
  if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
    for (const declarator of statement.declarations) {
      if (declarator.id.type === AST_NODE_TYPES.Identifier && declarator.init) {
        const init = skipWrappers(declarator.init);
        if (isStartSpanCall(file, init)) return { statement, call: init, variable: declarator.id };
      }
    }
  }
  if (statement.type === AST_NODE_TYPES.ExpressionStatement) {
    const expression = statement.expression;
    if (expression.type === AST_NODE_TYPES.AssignmentExpression && expression.left.type === AST_NODE_TYPES.Identifier) {
      const right = skipWrappers(expression.right);
      if (isStartSpanCall(file, right)) return { statement, call: right, variable: expression.left };
    }
  }
  return undefined;
}

/** The `span.end()` calls on the variable a `startSpan` result is bound to, in source order. */
export function endCallsOf(file: TsFile, binding: StartSpanBinding): TSESTree.CallExpression[] {
  const scope = file.sourceCode.getScope(binding.variable);
  let variable = scope.set.get(binding.variable.name);
  for (let current = scope.upper; !variable && current; current = current.upper) variable = current.set.get(binding.variable.name);
  if (!variable) return [];
  const calls: TSESTree.CallExpression[] = [];
  for (const reference of variable.references) {
    const member = reference.identifier.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== reference.identifier) continue;
    const call = member.parent;
    if (call?.type === AST_NODE_TYPES.CallExpression && call.callee === member && methodCallee(call, 'end')) calls.push(call);
  }
  return calls.sort((a, b) => a.range[0] - b.range[0]);
}

/**
 * The `startSpan` region that `statement` is in: an earlier statement of the same list binds a
 * `startSpan` result, and that span's `end()` is called after `node`, in this or a later statement.
 */
function startSpanRegionAt(file: TsFile, statement: TSESTree.Statement, node: TSESTree.Node): SpanRegion | undefined {
  const list = statementList(statement);
  if (!list) return undefined;
  const index = list.indexOf(statement);
  for (let i = index - 1; i >= 0; i--) {
    const binding = startSpanBinding(file, list[i] as TSESTree.Statement);
    if (!binding) continue;
    const ends = endCallsOf(file, binding);
    const last = list.at(-1) as TSESTree.Statement;
    const endsAfter = ends.some((end) => end.range[0] >= node.range[1] && end.range[1] <= last.range[1]);
    const endsBefore = ends.some((end) => end.range[1] <= node.range[0] && end.range[0] >= binding.statement.range[1]);
    if (endsAfter && !endsBefore) {
      return { kind: 'startSpan', opener: binding.call, label: spanLabel(file, binding.call.arguments[0]), spanVariable: binding.variable };
    }
  }
  return undefined;
}

/**
 * The innermost span region `node` runs in. Walking out from `node`, a function boundary ends the
 * search, except for functions that run right there: the span callbacks themselves, immediately
 * invoked functions and synchronous iteration callbacks (`forEach`, `map`, ...). A callback handed to
 * anything else (a timer, an event emitter) runs later, outside the span.
 */
export function spanRegionAt(file: TsFile, node: TSESTree.Node): SpanRegion | undefined {
  let child: TSESTree.Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (isFunction(child)) {
      const region = regionOfCallback(file, child);
      if (region) return region;
      if (!isImmediatelyInvoked(child) && !isSyncIterationCallback(child)) return undefined;
    } else if (statementList(child)) {
      const region = startSpanRegionAt(file, child as TSESTree.Statement, node);
      if (region) return region;
    }
  }
  return undefined;
}
