import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from './runtime.js';
import { memberName, methodCallee, outermostWrapper, skipWrappers } from './ast.js';
import type { TsFile } from './file.js';
import { isQualified, isQualifiedFromAny, OTEL_API, SDK_TRACE_MODULES } from './imports.js';

export type SetupKind = 'NodeSDK' | 'BasicTracerProvider' | 'NodeTracerProvider';

/** A `new NodeSDK(...)` or a tracer provider built in this module, and what the module does with it. */
export interface TracingSetup {
  readonly kind: SetupKind;
  readonly construction: TSESTree.NewExpression;
  /** The variable the instance is bound to: `const sdk = new NodeSDK(...)`. */
  readonly variable?: TSESTree.Identifier;
  /** Method calls on the instance (`start`, `register`, `shutdown`, ...), by method name, in source order. */
  readonly methodCalls: ReadonlyMap<string, readonly TSESTree.CallExpression[]>;
}

/** What kind of setup `new X(...)` builds, from where `X` is imported (any import form). */
export function setupKind(file: TsFile, construction: TSESTree.NewExpression): SetupKind | undefined {
  const name = file.qualified(construction.callee);
  if (isQualified(name, '@opentelemetry/sdk-node', 'NodeSDK')) return 'NodeSDK';
  if (isQualifiedFromAny(name, SDK_TRACE_MODULES, 'NodeTracerProvider') || isQualified(name, '@opentelemetry/sdk-node', 'node', 'NodeTracerProvider')) {
    return 'NodeTracerProvider';
  }
  // `TracerProvider` is what `@opentelemetry/sdk-trace` (behind the 2.x shims, and on its own in 3.x) calls it.
  if (
    isQualifiedFromAny(name, SDK_TRACE_MODULES, 'BasicTracerProvider') ||
    isQualified(name, '@opentelemetry/sdk-trace', 'TracerProvider') ||
    isQualified(name, '@opentelemetry/sdk-node', 'tracing', 'BasicTracerProvider')
  ) {
    return 'BasicTracerProvider';
  }
  return undefined;
}

/** `new BatchSpanProcessor(...)` from the SDK (also `tracing.BatchSpanProcessor` of `@opentelemetry/sdk-node`). */
export function isBatchSpanProcessor(file: TsFile, construction: TSESTree.NewExpression): boolean {
  const name = file.qualified(construction.callee);
  return isQualifiedFromAny(name, SDK_TRACE_MODULES, 'BatchSpanProcessor') || isQualified(name, '@opentelemetry/sdk-node', 'tracing', 'BatchSpanProcessor');
}

function boundVariable(construction: TSESTree.NewExpression): TSESTree.Identifier | undefined {
  const outer = outermostWrapper(construction);
  const parent = outer.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === outer && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id;
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === outer && parent.left.type === AST_NODE_TYPES.Identifier) return parent.left;
  if (parent?.type === AST_NODE_TYPES.PropertyDefinition && parent.value === outer) return undefined;
  return undefined;
}

function addCall(calls: Map<string, TSESTree.CallExpression[]>, member: TSESTree.Node | undefined): void {
  if (member?.type !== AST_NODE_TYPES.MemberExpression) return;
  const call = member.parent;
  const name = memberName(member);
  if (name === undefined || call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== member) return;
  const list = calls.get(name) ?? [];
  list.push(call);
  calls.set(name, list);
}

function variableNamed(sourceCode: Readonly<TSESLint.SourceCode>, identifier: TSESTree.Identifier): TSESLint.Scope.Variable | undefined {
  for (let scope: TSESLint.Scope.Scope | null = sourceCode.getScope(identifier); scope; scope = scope.upper) {
    const variable = scope.set.get(identifier.name);
    if (variable) return variable;
  }
  return undefined;
}

/** The setup `new X(...)` builds, with the method calls the module makes on it; undefined when it is not one. */
export function tracingSetupOf(file: TsFile, construction: TSESTree.NewExpression): TracingSetup | undefined {
  const kind = setupKind(file, construction);
  if (!kind) return undefined;
  const methodCalls = new Map<string, TSESTree.CallExpression[]>();
  addCall(methodCalls, outermostWrapper(construction).parent);
  const variable = boundVariable(construction);
  if (variable) {
    for (const reference of variableNamed(file.sourceCode, variable)?.references ?? []) {
      addCall(methodCalls, outermostWrapper(reference.identifier).parent);
    }
  }
  for (const calls of methodCalls.values()) calls.sort((a, b) => a.range[0] - b.range[0]);
  return { kind, construction, ...(variable ? { variable } : {}), methodCalls };
}

/** `trace.setGlobalTracerProvider(x)` (`@opentelemetry/api`, any import form): returns `x`. */
export function globalProviderArgument(file: TsFile, call: TSESTree.CallExpression): TSESTree.Node | undefined {
  return isQualified(file.qualified(call.callee), OTEL_API, 'trace', 'setGlobalTracerProvider') ? call.arguments[0] : undefined;
}

/** `context.setGlobalContextManager(...)` (`@opentelemetry/api`, any import form). */
export function isSetGlobalContextManager(file: TsFile, call: TSESTree.CallExpression): boolean {
  return isQualified(file.qualified(call.callee), OTEL_API, 'context', 'setGlobalContextManager');
}

/** `x.shutdown()` / `x.forceFlush()` on any receiver. */
export function isFlushCall(call: TSESTree.Node): boolean {
  return call.type === AST_NODE_TYPES.CallExpression && (methodCallee(call, 'shutdown') !== undefined || methodCallee(call, 'forceFlush') !== undefined);
}

/** How messages and inserted code name a setup's flush: `sdk.shutdown()`. */
export function flushText(setup: TracingSetup | undefined): string {
  return setup?.variable ? `${setup.variable.name}.shutdown()` : 'shutdown()';
}

/** Unwraps `skipWrappers` and compares identifiers by name with the setup's variable. */
export function refersTo(setup: TracingSetup, node: TSESTree.Node | undefined): boolean {
  if (!node) return false;
  const expression = skipWrappers(node);
  if (expression === setup.construction) return true;
  return expression.type === AST_NODE_TYPES.Identifier && setup.variable !== undefined && expression.name === setup.variable.name;
}
