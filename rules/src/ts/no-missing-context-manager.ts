import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { enclosingStatement } from './utils/ast.js';
import { createTsRule } from './utils/create-rule.js';
import { indentOf, lineEnding } from './utils/edits.js';
import { TsFile } from './utils/file.js';
import { OTEL_API } from './utils/imports.js';
import { addNamedImport, existingBinding, isFreeName } from './utils/module-imports.js';
import { contextWithCallback, startActiveSpanCallback } from './utils/spans.js';
import { globalProviderArgument, isSetGlobalContextManager, refersTo, tracingSetupOf, type TracingSetup } from './utils/tracing-setup.js';

type MessageIds = 'tsNoContextManager' | 'tsSuggestRegister' | 'tsSuggestContextManager';

const CONTEXT_HOOKS = '@opentelemetry/context-async-hooks';

export default createTsRule<[], MessageIds>({
  name: 'no-missing-context-manager',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require a context manager where a tracer provider is set up by hand and spans are made current',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      tsNoContextManager:
        '`{{construction}}` is set up without a context manager (no `{{variable}}.register()`, no `context.setGlobalContextManager(…)`): `startActiveSpan` and `context.with` cannot make a span current, so every child span starts a new trace with no parent.',
      tsSuggestRegister: 'Call `{{variable}}.register()`: it installs the AsyncLocalStorage context manager (and the global provider and propagators).',
      tsSuggestContextManager: 'Register an AsyncLocalStorageContextManager with `context.setGlobalContextManager(…)`.',
    },
  },
  create(context) {
    const { sourceCode } = context;
    const file = new TsFile(sourceCode);
    const setups: TracingSetup[] = [];
    const globalProviderCalls: TSESTree.CallExpression[] = [];
    let managesContext = false;
    let makesSpansCurrent = false;

    function contextManagerSuggestion(at: TSESTree.Statement): TSESLint.ReportFixFunction | undefined {
      const apiContext = existingBinding(file, { module: OTEL_API, path: ['context'] }, at);
      const manager = existingBinding(file, { module: CONTEXT_HOOKS, path: ['AsyncLocalStorageContextManager'] }, at);
      const contextName = apiContext ?? ['context', 'otelContext'].find((name) => isFreeName(sourceCode, name));
      const managerName = manager ?? ['AsyncLocalStorageContextManager'].find((name) => isFreeName(sourceCode, name));
      if (!contextName || !managerName) return undefined;
      const eol = lineEnding(sourceCode);
      const line = `${contextName}.setGlobalContextManager(new ${managerName}().enable());`;
      return (fixer) => [
        fixer.insertTextAfter(at, `${eol}${indentOf(sourceCode, at)}${line}`),
        ...(apiContext ? [] : [addNamedImport(sourceCode, OTEL_API, 'context', contextName)(fixer)]),
        ...(manager ? [] : [addNamedImport(sourceCode, CONTEXT_HOOKS, 'AsyncLocalStorageContextManager', managerName)(fixer)]),
      ];
    }

    return {
      NewExpression(node) {
        const setup = tracingSetupOf(file, node);
        if (setup) {
          if (setup.kind === 'NodeSDK') managesContext = true;
          else setups.push(setup);
        }
      },
      CallExpression(node) {
        if (isSetGlobalContextManager(file, node)) managesContext = true;
        if (globalProviderArgument(file, node)) globalProviderCalls.push(node);
        if (startActiveSpanCallback(file, node) || contextWithCallback(file, node)) makesSpansCurrent = true;
      },
      'Program:exit'() {
        if (managesContext) return;
        for (const setup of setups) {
          if (setup.kind === 'NodeTracerProvider' && setup.methodCalls.has('register')) continue;
          const global = globalProviderCalls.some((call) => refersTo(setup, globalProviderArgument(file, call)));
          if (!global && !makesSpansCurrent) continue;
          const statement = enclosingStatement(setup.construction);
          const variable = setup.variable?.name ?? 'provider';
          const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
          if (statement && setup.kind === 'NodeTracerProvider' && setup.variable) {
            const eol = lineEnding(sourceCode);
            suggest.push({
              messageId: 'tsSuggestRegister',
              data: { variable },
              fix: (fixer) => fixer.insertTextAfter(statement, `${eol}${indentOf(sourceCode, statement)}${variable}.register();`),
            });
          }
          const managerFix = statement && contextManagerSuggestion(statement);
          if (managerFix) suggest.push({ messageId: 'tsSuggestContextManager', fix: managerFix });
          context.report({
            node: setup.construction,
            messageId: 'tsNoContextManager',
            data: { construction: `new ${sourceCode.getText(setup.construction.callee)}(…)`, variable },
            suggest,
          });
        }
      },
    };
  },
});
