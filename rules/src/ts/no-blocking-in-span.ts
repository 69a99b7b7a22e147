import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from './utils/runtime.js';
import { QualifiedNamePatterns } from '../data/name-patterns.js';
import { enclosingFunction, isImmediatelyInvoked, isSyncIterationCallback, outermostWrapper, skipWrappers, type FunctionNode } from './utils/ast.js';
import { blockingCall, qualifiedText, type BlockingCall } from './utils/blocking.js';
import { createTsRule } from './utils/create-rule.js';
import { TsFile } from './utils/file.js';
import { addNamedImport, existingBinding, isFreeName } from './utils/module-imports.js';
import { spanRegionAt } from './utils/spans.js';

type Options = [{ scope?: 'span' | 'async'; extraBlockingCalls?: string[]; allowedCalls?: string[] }];
type MessageIds = 'tsBlockingInSpan' | 'tsBlockingInAsync' | 'tsSuggestPromise';

/** The function whose body runs the call right away (skipping IIFEs and sync iteration callbacks). */
function runningFunction(node: TSESTree.Node): FunctionNode | undefined {
  let fn = enclosingFunction(node);
  while (fn && (isImmediatelyInvoked(fn) || isSyncIterationCallback(fn))) fn = enclosingFunction(fn);
  return fn;
}

function functionName(fn: FunctionNode): string {
  if (fn.id) return fn.id.name;
  const parent = fn.parent;
  if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  if ((parent.type === AST_NODE_TYPES.MethodDefinition || parent.type === AST_NODE_TYPES.Property) && parent.key.type === AST_NODE_TYPES.Identifier) return parent.key.name;
  return '(anonymous)';
}

export default createTsRule<Options, MessageIds>({
  name: 'no-blocking-in-span',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow synchronous Node APIs that block the event loop while a span is open',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        properties: {
          scope: { type: 'string', enum: ['async', 'span'] },
          extraBlockingCalls: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
          allowedCalls: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ scope: 'span', extraBlockingCalls: [], allowedCalls: [] }],
    messages: {
      tsBlockingInSpan:
        '`{{call}}` blocks the event loop ({{kind}}) inside span {{span}}: the span records the stall as its own latency, and every other request waits.',
      tsBlockingInAsync:
        '`{{call}}` blocks the event loop ({{kind}}) in async function `{{function}}`: every span open at that moment (in a traced service, at least the request’s server span) records the stall as its own latency, and every other request waits.',
      tsSuggestPromise: 'Use `await {{replacement}}(…)` instead.',
    },
  },
  create(context, [options]) {
    const { sourceCode } = context;
    const file = new TsFile(sourceCode);
    const allowed = new QualifiedNamePatterns((options.allowedCalls ?? []).map((pattern) => [pattern, true] as const));
    const extra = new QualifiedNamePatterns<BlockingCall>((options.extraBlockingCalls ?? []).map((pattern) => [pattern, { kind: 'configured' }] as const));

    /** `await fs.promises.readFile(…)` in place of `fs.readFileSync(…)`, reusing the file's own binding or importing one. */
    function promiseSuggestion(call: TSESTree.CallExpression, promiseForm: string): { replacement: string; fix: TSESLint.ReportFixFunction } | undefined {
      if (!runningFunction(call)?.async) return undefined;
      const callee = skipWrappers(call.callee);
      let replacement: string | undefined;
      let addImport: ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix) | undefined;
      const object = callee.type === AST_NODE_TYPES.MemberExpression ? file.qualified(callee.object) : undefined;
      if (callee.type === AST_NODE_TYPES.MemberExpression && object?.module === 'fs' && object.path.length === 0) {
        replacement = `${sourceCode.getText(callee.object)}.promises.${promiseForm}`;
      } else {
        replacement = existingBinding(file, { module: 'fs', path: ['promises', promiseForm] }, call);
        if (!replacement) {
          const local = [promiseForm, `${promiseForm}Async`].find((name) => isFreeName(sourceCode, name));
          if (!local) return undefined;
          replacement = local;
          addImport = addNamedImport(sourceCode, 'node:fs/promises', promiseForm, local);
        }
      }
      const outer = outermostWrapper(call);
      const parent = outer.parent;
      const needsParens =
        (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === outer) ||
        (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === outer) ||
        parent?.type === AST_NODE_TYPES.TaggedTemplateExpression;
      const newCallee = replacement;
      const fix: TSESLint.ReportFixFunction = (fixer) => {
        const fixes = [
          fixer.replaceText(callee, newCallee),
          fixer.insertTextBefore(call, needsParens ? '(await ' : 'await '),
          ...(needsParens ? [fixer.insertTextAfter(call, ')')] : []),
        ];
        if (addImport) fixes.push(addImport(fixer));
        return fixes;
      };
      return { replacement: newCallee, fix };
    }

    return {
      CallExpression(call) {
        const name = file.qualified(call.callee);
        if (!name) return;
        const text = qualifiedText(name);
        if (allowed.has(text)) return;
        const blocking = blockingCall(name) ?? extra.match(text);
        if (!blocking) return;
        const region = spanRegionAt(file, call);
        const callText = sourceCode.getText(call.callee).replace(/\s+/gu, '') + '()';
        const promise = blocking.promiseForm ? promiseSuggestion(call, blocking.promiseForm) : undefined;
        const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = promise
          ? [{ messageId: 'tsSuggestPromise', data: { replacement: promise.replacement }, fix: promise.fix }]
          : [];
        if (region) {
          context.report({ node: call, messageId: 'tsBlockingInSpan', data: { call: callText, kind: blocking.kind, span: region.label }, suggest });
          return;
        }
        const fn = runningFunction(call);
        if (options.scope === 'async' && fn?.async) {
          context.report({ node: call, messageId: 'tsBlockingInAsync', data: { call: callText, kind: blocking.kind, function: functionName(fn) }, suggest });
        }
      },
    };
  },
});
