import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { SIGNALS_OPTION_SCHEMA } from '../util/signals-option.js';
import { AST_NODE_TYPES, DefinitionType, findVariable } from './utils/runtime.js';
import { enclosingFunction, enclosingStatement, isFunction, methodCallee, skipWrappers, walk, type FunctionNode } from './utils/ast.js';
import { createTsRule } from './utils/create-rule.js';
import { indentOf, lineEnding, linesAt } from './utils/edits.js';
import { TsFile } from './utils/file.js';
import {
  flushText, globalProviderArgument, isBatchSpanProcessor, isFlushCall, refersTo, tracingSetupOf, type TracingSetup,
} from './utils/tracing-setup.js';

type Options = [{ signals?: string[] }];
type MessageIds =
  | 'tsNoSignalHandler'
  | 'tsHandlerWithoutFlush'
  | 'tsExitWithoutFlush'
  | 'tsNeverFlushed'
  | 'tsSuggestSignalHandler'
  | 'tsSuggestFlushInHandler'
  | 'tsSuggestAwaitFlush'
  | 'tsSuggestBeforeExit';

const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);
const CHAIN_METHODS = new Set(['then', 'catch', 'finally']);

/** `process.<method>` with the global `process` or `import process from 'node:process'`. */
function processMethod(file: TsFile, call: TSESTree.CallExpression): string | undefined {
  const callee = methodCallee(call);
  if (!callee) return undefined;
  const name = file.qualified(callee);
  if (name?.module === '' && name.path.length === 2 && name.path[0] === 'process') return name.path[1];
  if (name?.module === 'process' && name.path.length === 1) return name.path[0];
  return undefined;
}

function stringValue(node: TSESTree.Node | undefined): string | undefined {
  if (node?.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (node?.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

interface SignalHandler {
  readonly registration: TSESTree.CallExpression;
  readonly signal: string;
  /** The listener, when it is a function written in this module. */
  readonly listener: FunctionNode | undefined;
  /** The listener is a function we cannot see (imported, a parameter): assumed to do the right thing. */
  readonly opaque: boolean;
}

export default createTsRule<Options, MessageIds>({
  name: 'require-shutdown-flush',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require tracing setups with a batching span processor to flush on SIGTERM and before process.exit()',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [SIGNALS_OPTION_SCHEMA],
    defaultOptions: [{ signals: ['SIGTERM'] }],
    messages: {
      tsNoSignalHandler:
        'Tracing starts here (`{{start}}`) with a batching span processor, but no {{signals}} handler calls `{{flush}}`: spans still queued when the process is stopped are lost.',
      tsHandlerWithoutFlush: 'This {{signal}} handler does not call `{{flush}}`: spans still queued when the process stops are lost.',
      tsExitWithoutFlush: '`{{exit}}` ends the process before the batching span processor flushes: await `{{flush}}` before it.',
      tsNeverFlushed:
        'Tracing starts here (`{{start}}`) with a batching span processor, but nothing calls `{{flush}}`: spans still queued when the event loop empties are never exported.',
      tsSuggestSignalHandler: 'Add a {{signals}} handler that flushes with `{{flush}}` and then exits.',
      tsSuggestFlushInHandler: 'Call `{{flush}}` at the end of this handler.',
      tsSuggestAwaitFlush: 'Await `{{flush}}` before `{{exit}}`.',
      tsSuggestBeforeExit: "Flush with `{{flush}}` in a `'beforeExit'` handler.",
    },
  },
  create(context, [options]) {
    const file = new TsFile(context.sourceCode);
    const { sourceCode } = context;
    const signals = options.signals ?? ['SIGTERM'];
    const setups: TracingSetup[] = [];
    const handlers: SignalHandler[] = [];
    const exits: TSESTree.CallExpression[] = [];
    const flushCalls: TSESTree.CallExpression[] = [];
    const globalProviderCalls: TSESTree.CallExpression[] = [];
    let batching = false;

    /** The function a listener argument names: inline, or a function declared in this module. */
    function listenerFunction(argument: TSESTree.Node | undefined): { listener: FunctionNode | undefined; opaque: boolean } {
      if (!argument) return { listener: undefined, opaque: false };
      const expression = skipWrappers(argument);
      if (isFunction(expression)) return { listener: expression, opaque: false };
      if (expression.type === AST_NODE_TYPES.Identifier) {
        const local = localFunction(expression);
        if (local) return { listener: local, opaque: false };
      }
      return { listener: undefined, opaque: true };
    }

    function localFunction(identifier: TSESTree.Identifier): FunctionNode | undefined {
      const variable = findVariable(sourceCode.getScope(identifier), identifier);
      const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
      if (!definition) return undefined;
      if (definition.type === DefinitionType.FunctionName && isFunction(definition.node)) return definition.node;
      if (definition.type === DefinitionType.Variable && definition.node.init) {
        const init = skipWrappers(definition.node.init);
        if (isFunction(init)) return init;
      }
      return undefined;
    }

    /**
     * Whether running `fn` calls a flush: directly, in a callback it defines, or through a function of
     * this module it calls. A call to a function we cannot see counts when its name says it flushes.
     */
    function flushes(fn: FunctionNode, seen = new Set<FunctionNode>()): boolean {
      if (seen.has(fn)) return false;
      seen.add(fn);
      let found = false;
      walk(fn.body, sourceCode.visitorKeys, (node) => {
        if (found || node.type !== AST_NODE_TYPES.CallExpression) return;
        if (isFlushCall(node)) {
          found = true;
          return;
        }
        const callee = skipWrappers(node.callee);
        if (callee.type !== AST_NODE_TYPES.Identifier) return;
        const local = localFunction(callee);
        if (local ? flushes(local, seen) : /shutdown|flush/iu.test(callee.name)) found = true;
      }, true);
      return found;
    }

    /** `await <something that flushes>` in `scope` (not inside its nested functions) that ends before `position`. */
    function awaitsFlushBefore(scope: TSESTree.Node, position: number): boolean {
      let found = false;
      walk(scope, sourceCode.visitorKeys, (node) => {
        if (found || node.type !== AST_NODE_TYPES.AwaitExpression || node.range[1] > position) return;
        walk(node.argument, sourceCode.visitorKeys, (inner) => {
          if (inner.type !== AST_NODE_TYPES.CallExpression) return;
          const callee = skipWrappers(inner.callee);
          const local = callee.type === AST_NODE_TYPES.Identifier ? localFunction(callee) : undefined;
          if (isFlushCall(inner) || (local && flushes(local))) found = true;
        });
      });
      return found;
    }

    /** `x.shutdown().then(cb)` / `.finally(cb)` / `.catch(cb)`: `cb` runs after the flush. */
    function runsAfterFlush(fn: FunctionNode): boolean {
      const call = fn.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || !(call.arguments as readonly TSESTree.Node[]).includes(fn)) return false;
      let receiver = methodCallee(call);
      while (receiver && CHAIN_METHODS.has(receiver.property.type === AST_NODE_TYPES.Identifier ? receiver.property.name : '')) {
        const object = skipWrappers(receiver.object);
        if (object.type !== AST_NODE_TYPES.CallExpression) return false;
        if (isFlushCall(object)) return true;
        const callee = skipWrappers(object.callee);
        const local = callee.type === AST_NODE_TYPES.Identifier ? localFunction(callee) : undefined;
        if (local && flushes(local)) return true;
        receiver = methodCallee(object);
      }
      return false;
    }

    /** `process.exit()` is safe when a flush was awaited before it, or it runs in a callback of the flush's promise. */
    function exitFollowsFlush(exit: TSESTree.CallExpression): boolean {
      for (let fn = enclosingFunction(exit); fn; fn = enclosingFunction(fn)) {
        if (runsAfterFlush(fn) || awaitsFlushBefore(fn.body, exit.range[0])) return true;
      }
      return awaitsFlushBefore(sourceCode.ast, exit.range[0]);
    }

    /** Where a setup starts tracing, for the report: `sdk.start()`, `provider.register()`, `setGlobalTracerProvider(provider)`, else the construction. */
    function startNode(setup: TracingSetup): TSESTree.Node | undefined {
      if (setup.kind === 'NodeSDK') return setup.methodCalls.get('start')?.[0];
      return (
        setup.methodCalls.get('register')?.[0] ??
        globalProviderCalls.find((call) => refersTo(setup, globalProviderArgument(file, call))) ??
        setup.construction
      );
    }

    function statementAfter(node: TSESTree.Node): TSESTree.Statement | undefined {
      return enclosingStatement(node);
    }

    function insertHandlersFix(setup: TracingSetup, at: TSESTree.Node, missing: readonly string[]) {
      const statement = statementAfter(at);
      if (!setup.variable || !statement) return undefined;
      const indent = indentOf(sourceCode, statement);
      const eol = lineEnding(sourceCode);
      const flush = flushText(setup);
      const lines = missing.flatMap((signal) => [
        `process.once('${signal}', () => {`,
        `  void ${flush}.finally(() => process.exit(0));`,
        '});',
      ]);
      return (fixer: TSESLint.RuleFixer) => fixer.insertTextAfter(statement, eol + linesAt(lines, indent, eol));
    }

    function beforeExitFix(setup: TracingSetup, at: TSESTree.Node) {
      const statement = statementAfter(at);
      if (!setup.variable || !statement) return undefined;
      const eol = lineEnding(sourceCode);
      const line = `process.once('beforeExit', () => void ${flushText(setup)});`;
      return (fixer: TSESLint.RuleFixer) => fixer.insertTextAfter(statement, eol + linesAt([line], indentOf(sourceCode, statement), eol));
    }

    return {
      NewExpression(node) {
        if (isBatchSpanProcessor(file, node)) batching = true;
        const setup = tracingSetupOf(file, node);
        if (setup) setups.push(setup);
      },
      CallExpression(node) {
        if (isFlushCall(node)) flushCalls.push(node);
        if (globalProviderArgument(file, node)) globalProviderCalls.push(node);
        const method = processMethod(file, node);
        if (method === 'exit') exits.push(node);
        if (method && LISTENER_METHODS.has(method)) {
          const signal = stringValue(node.arguments[0]);
          if (signal) handlers.push({ registration: node, signal, ...listenerFunction(node.arguments[1]) });
        }
      },
      'Program:exit'() {
        // A NodeSDK batches by default; a provider batches when this module builds a BatchSpanProcessor.
        const started = setups.filter((setup) => (setup.kind === 'NodeSDK' ? startNode(setup) !== undefined : batching));
        if (started.length === 0) return;
        const primary = started.find((setup) => setup.variable) ?? started[0];
        const flush = flushText(primary);
        const flushingHandler = (handler: SignalHandler) => handler.opaque || (handler.listener !== undefined && flushes(handler.listener));

        for (const setup of started) {
          const start = startNode(setup) ?? setup.construction;
          const startText = sourceCode.getText(start).replace(/\s+/gu, ' ');
          const setupFlush = flushText(setup);
          const missing = signals.filter((signal) => !handlers.some((handler) => handler.signal === signal));
          if (missing.length > 0) {
            const fix = insertHandlersFix(setup, start, missing);
            const signalList = missing.join(' or ');
            context.report({
              node: start,
              messageId: 'tsNoSignalHandler',
              data: { start: startText, signals: signalList, flush: setupFlush },
              suggest: fix ? [{ messageId: 'tsSuggestSignalHandler', data: { signals: signalList, flush: setupFlush }, fix }] : [],
            });
          } else if (signals.length === 0 && flushCalls.length === 0 && !handlers.some(flushingHandler)) {
            const fix = beforeExitFix(setup, start);
            context.report({
              node: start,
              messageId: 'tsNeverFlushed',
              data: { start: startText, flush: setupFlush },
              suggest: fix ? [{ messageId: 'tsSuggestBeforeExit', data: { flush: setupFlush }, fix }] : [],
            });
          }
        }

        for (const handler of handlers) {
          if (!signals.includes(handler.signal) || flushingHandler(handler) || !handler.listener) continue;
          const listener = handler.listener;
          // A handler that exits is reported at its process.exit() (below), with the fix there.
          let exitsInside = false;
          walk(listener.body, sourceCode.visitorKeys, (node) => {
            if (node.type === AST_NODE_TYPES.CallExpression && exits.includes(node)) exitsInside = true;
          }, true);
          if (exitsInside) continue;
          const body = listener.body;
          const suggest = [];
          if (body.type === AST_NODE_TYPES.BlockStatement && primary?.variable) {
            const closing = sourceCode.getLastToken(body);
            const indent = indentOf(sourceCode, handler.registration);
            const eol = lineEnding(sourceCode);
            const statement = `${listener.async ? 'await' : 'void'} ${flush};`;
            const last = body.body.at(-1);
            if (closing && last) {
              suggest.push({
                messageId: 'tsSuggestFlushInHandler' as const,
                data: { flush },
                fix: (fixer: TSESLint.RuleFixer) => fixer.insertTextAfter(last, eol + indentOf(sourceCode, last) + statement),
              });
            } else if (closing) {
              suggest.push({
                messageId: 'tsSuggestFlushInHandler' as const,
                data: { flush },
                fix: (fixer: TSESLint.RuleFixer) => fixer.insertTextBefore(closing, `${eol}${indent}  ${statement}${eol}${indent}`),
              });
            }
          }
          context.report({ node: handler.registration, messageId: 'tsHandlerWithoutFlush', data: { signal: handler.signal, flush }, suggest });
        }

        for (const exit of exits) {
          if (exitFollowsFlush(exit)) continue;
          const exitText = sourceCode.getText(exit);
          const statement = exit.parent.type === AST_NODE_TYPES.ExpressionStatement ? exit.parent : undefined;
          const fn = enclosingFunction(exit);
          const suggest = [];
          if (statement && fn?.async && primary?.variable && findVariable(sourceCode.getScope(exit), primary.variable.name)) {
            const indent = indentOf(sourceCode, statement);
            const eol = lineEnding(sourceCode);
            suggest.push({
              messageId: 'tsSuggestAwaitFlush' as const,
              data: { flush, exit: exitText },
              fix: (fixer: TSESLint.RuleFixer) => fixer.insertTextBefore(statement, `await ${flush};${eol}${indent}`),
            });
          }
          context.report({ node: exit, messageId: 'tsExitWithoutFlush', data: { exit: exitText, flush }, suggest });
        }
      },
    };
  },
});
