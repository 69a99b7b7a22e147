import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from './utils/runtime.js';
import { isFunction, methodCallee, skipWrappers, statementList, walk } from './utils/ast.js';
import { createTsRule } from './utils/create-rule.js';
import { indentOf, indentUnit, lineEnding, reindent } from './utils/edits.js';
import { TsFile } from './utils/file.js';
import { isQualified } from './utils/imports.js';
import { callLabel } from './utils/messages.js';
import { hasMethodsByType } from './utils/types.js';
import { endCallsOf, regionOfCallback, spanLabel, startSpanBinding } from './utils/spans.js';

type MessageIds = 'tsEnterWith' | 'tsAttach' | 'tsEndNotInFinally' | 'tsSuggestRun' | 'tsSuggestFinally';

/** `x.enterWith(store)` on something that may be an AsyncLocalStorage (with types: one that has `run` and `getStore`). */
function isEnterWith(file: TsFile, call: TSESTree.CallExpression): TSESTree.MemberExpression | undefined {
  const callee = methodCallee(call, 'enterWith');
  if (!callee || call.arguments.length !== 1) return undefined;
  return hasMethodsByType(file.types, callee.object, ['run', 'getStore']) === false ? undefined : callee;
}

/** `manager.attach(ctx)` on a `new AsyncLocalStorageContextManager()` of this module. */
function isContextManagerAttach(file: TsFile, call: TSESTree.CallExpression): boolean {
  const callee = methodCallee(call, 'attach');
  if (!callee) return false;
  let object = skipWrappers(callee.object);
  if (object.type === AST_NODE_TYPES.Identifier) {
    const variable = file.sourceCode.getScope(object).references.find((reference) => reference.identifier === object)?.resolved;
    const init = variable?.defs[0]?.node.type === AST_NODE_TYPES.VariableDeclarator ? variable.defs[0].node.init : null;
    if (!init) return false;
    object = skipWrappers(init);
  }
  // `new AsyncLocalStorageContextManager().enable()` is the same manager.
  while (object.type === AST_NODE_TYPES.CallExpression && methodCallee(object, 'enable')) object = skipWrappers((methodCallee(object, 'enable') as TSESTree.MemberExpression).object);
  return object.type === AST_NODE_TYPES.NewExpression && isQualified(file.qualified(object.callee), '@opentelemetry/context-async-hooks', 'AsyncLocalStorageContextManager');
}

/** Whether running `node` may throw or suspend: a call (other than on the span itself), `new`, `throw`, `await`, `yield`. */
function riskIn(file: TsFile, node: TSESTree.Node, spanName: string): TSESTree.Node | undefined {
  let risk: TSESTree.Node | undefined;
  walk(node, file.sourceCode.visitorKeys, (inner) => {
    if (risk) return;
    if (inner.type === AST_NODE_TYPES.AwaitExpression || inner.type === AST_NODE_TYPES.ThrowStatement || inner.type === AST_NODE_TYPES.YieldExpression || inner.type === AST_NODE_TYPES.NewExpression) {
      risk = inner;
      return;
    }
    if (inner.type === AST_NODE_TYPES.CallExpression) {
      const callee = methodCallee(inner);
      const object = callee && skipWrappers(callee.object);
      if (object?.type === AST_NODE_TYPES.Identifier && object.name === spanName) return;
      risk = inner;
    }
  });
  return risk;
}

function riskLabel(file: TsFile, risk: TSESTree.Node): string {
  switch (risk.type) {
    case AST_NODE_TYPES.AwaitExpression:
      return `await ${callLabel(file, risk.argument)}`;
    case AST_NODE_TYPES.ThrowStatement:
      return 'throw';
    default:
      return callLabel(file, risk);
  }
}

/** The span escapes: returned, stored, passed to a call (other than `trace.setSpan`), or assigned. */
function isHandedOff(file: TsFile, references: readonly TSESTree.Identifier[]): boolean {
  return references.some((identifier) => {
    const parent = identifier.parent;
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === identifier) return false;
    if (parent.type === AST_NODE_TYPES.CallExpression && (parent.arguments as readonly TSESTree.Node[]).includes(identifier)) {
      return !methodCallee(parent, 'setSpan') && !isQualified(file.qualified(parent.callee), '@opentelemetry/api', 'trace', 'setSpan');
    }
    if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id === identifier) return false;
    if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.left === identifier) return false;
    return true;
  });
}

export default createTsRule<[], MessageIds>({
  name: 'no-leaked-context',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow entering an async context without leaving it, and span.end() calls an exception can skip',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      tsEnterWith:
        '`{{call}}` enters the store and never leaves it: the caller’s following code, its timers and sibling work all see it. Use `{{receiver}}.run(store, fn)` so it only applies inside `fn`.',
      tsAttach:
        '`{{call}}` makes the context current for the rest of this async execution, the caller included, unless its token is disposed before any `await`. Use `context.with(ctx, fn)` instead.',
      tsEndNotInFinally:
        '`{{end}}` is skipped when `{{risk}}` throws: span {{span}} is then never ended and never exported. End it in a `finally` block.',
      tsSuggestRun: 'Run the rest of this function inside `{{receiver}}.run(store, …)`.',
      tsSuggestFinally: 'Wrap the work in `try { … } finally { {{end}} }`.',
    },
  },
  create(context) {
    const { sourceCode } = context;
    const file = new TsFile(sourceCode);
    const eol = lineEnding(sourceCode);

    /** `return receiver.run(store, () => { <rest of the function> })`, when the enterWith statement sits directly in a function body. */
    function runSuggestion(call: TSESTree.CallExpression, receiver: TSESTree.MemberExpression): TSESLint.ReportFixFunction | undefined {
      const statement = call.parent;
      if (statement.type !== AST_NODE_TYPES.ExpressionStatement || statement.expression !== call) return undefined;
      const body = statement.parent;
      const fn = body.parent;
      if (body.type !== AST_NODE_TYPES.BlockStatement || !isFunction(fn) || fn.generator) return undefined;
      const rest = body.body.slice(body.body.indexOf(statement) + 1);
      let blocked = false;
      for (const later of rest) {
        walk(later, sourceCode.visitorKeys, (node) => {
          if (node.type === AST_NODE_TYPES.VariableDeclaration && node.kind === 'var') blocked = true;
          if (node.type === AST_NODE_TYPES.YieldExpression) blocked = true;
        });
      }
      if (blocked) return undefined;
      const hasAwait = rest.some((later) => {
        let found = false;
        walk(later, sourceCode.visitorKeys, (node) => {
          if (node.type === AST_NODE_TYPES.AwaitExpression || (node.type === AST_NODE_TYPES.ForOfStatement && node.await)) found = true;
        });
        return found;
      });
      const indent = indentOf(sourceCode, statement);
      const unit = indentUnit(sourceCode);
      const storeText = sourceCode.getText(call.arguments[0]);
      const receiverText = sourceCode.getText(receiver.object);
      const arrow = hasAwait ? 'async () =>' : '() =>';
      const first = rest[0];
      const last = rest.at(-1);
      const inner = first && last ? `${eol}${indent}${unit}${reindent(sourceCode.text.slice(first.range[0], last.range[1]), unit, eol)}${eol}${indent}` : '';
      const replacement = `return ${receiverText}.run(${storeText}, ${arrow} {${inner}});`;
      return (fixer) => fixer.replaceTextRange([statement.range[0], last ? last.range[1] : statement.range[1]], replacement);
    }

    /**
     * The try/finally suggestion: the statements between the span's start and its end() go into
     * `try`, the end() into `finally`. Later statements that use names declared in between go into the
     * `try` too (so they stay in scope); they then run before the span ends.
     */
    function finallySuggestion(
      statements: readonly TSESTree.Statement[],
      firstIndex: number,
      end: TSESTree.ExpressionStatement,
    ): TSESLint.ReportFixFunction | undefined {
      const endIndex = statements.indexOf(end);
      const wrapped = statements.slice(firstIndex, endIndex);
      if (wrapped.length === 0) return undefined;
      const declared = wrapped.flatMap((statement) => sourceCode.scopeManager?.getDeclaredVariables(statement) ?? []);
      const trailing = statements.slice(endIndex + 1);
      const usedLater = declared.some((variable) => variable.references.some((reference) => reference.identifier.range[0] > end.range[1]));
      const moved = usedLater ? trailing : [];
      const indent = indentOf(sourceCode, end);
      const unit = indentUnit(sourceCode);
      const first = wrapped[0] as TSESTree.Statement;
      const beforeEnd = sourceCode.text.slice(first.range[0], (wrapped.at(-1) as TSESTree.Statement).range[1]);
      const afterEnd = moved.length > 0 ? sourceCode.text.slice(end.range[1], (moved.at(-1) as TSESTree.Statement).range[1]).replace(/^[ \t]*\r?\n?/u, '') : '';
      const body = afterEnd ? `${beforeEnd}${eol}${afterEnd}` : beforeEnd;
      const replacement =
        `try {${eol}${indent}${unit}${reindent(body, unit, eol)}${eol}${indent}} finally {${eol}` +
        `${indent}${unit}${sourceCode.getText(end)}${eol}${indent}}`;
      const stop = moved.length > 0 ? (moved.at(-1) as TSESTree.Statement).range[1] : end.range[1];
      return (fixer) => fixer.replaceTextRange([first.range[0], stop], replacement);
    }

    /** Reports `span.end()` statements of `statements` that come after a statement that can throw or await. */
    function checkEnds(
      statements: readonly TSESTree.Statement[],
      firstIndex: number,
      spanName: string,
      label: string,
      ends: readonly TSESTree.CallExpression[],
    ): void {
      if (ends.some((end) => isInFinally(end))) return;
      for (const end of ends) {
        const statement = end.parent;
        if (statement.type !== AST_NODE_TYPES.ExpressionStatement || statementList(statement) !== statements) continue;
        const index = statements.indexOf(statement);
        let risk: TSESTree.Node | undefined;
        for (const between of statements.slice(firstIndex, index)) {
          risk = riskIn(file, between, spanName);
          if (risk) break;
        }
        if (!risk) continue;
        const endText = sourceCode.getText(end);
        const fix = finallySuggestion(statements, firstIndex, statement);
        context.report({
          node: end,
          messageId: 'tsEndNotInFinally',
          data: { end: endText, risk: riskLabel(file, risk), span: label },
          suggest: fix ? [{ messageId: 'tsSuggestFinally', data: { end: `${endText};` }, fix }] : [],
        });
        return;
      }
    }

    function isInFinally(node: TSESTree.Node): boolean {
      for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
        if (isFunction(parent)) return false;
        if (parent.type === AST_NODE_TYPES.TryStatement && parent.finalizer === child) return true;
      }
      return false;
    }

    function referencesOf(identifier: TSESTree.Identifier): TSESTree.Identifier[] {
      const variable = sourceCode.getDeclaredVariables(identifier.parent).find((candidate) => candidate.name === identifier.name)
        ?? sourceCode.getScope(identifier).set.get(identifier.name);
      return (variable?.references ?? []).map((reference) => reference.identifier as TSESTree.Identifier).filter((id) => id !== identifier);
    }

    return {
      CallExpression(call) {
        const enterWith = isEnterWith(file, call);
        if (enterWith) {
          const fix = runSuggestion(call, enterWith);
          const receiver = sourceCode.getText(enterWith.object);
          context.report({
            node: call,
            messageId: 'tsEnterWith',
            data: { call: `${receiver}.enterWith()`, receiver },
            suggest: fix ? [{ messageId: 'tsSuggestRun', data: { receiver }, fix }] : [],
          });
          return;
        }
        if (isContextManagerAttach(file, call) && call.parent.type === AST_NODE_TYPES.ExpressionStatement) {
          context.report({ node: call, messageId: 'tsAttach', data: { call: callLabel(file, call) } });
        }
      },
      VariableDeclaration(declaration) {
        const statements = statementList(declaration);
        const binding = statements && startSpanBinding(file, declaration);
        if (!statements || !binding) return;
        if (isHandedOff(file, referencesOf(binding.variable))) return;
        checkEnds(statements, statements.indexOf(declaration) + 1, binding.variable.name, spanLabel(file, binding.call.arguments[0]), endCallsOf(file, binding));
      },
      ':function'(fn: TSESTree.FunctionLike) {
        if (!isFunction(fn) || fn.body.type !== AST_NODE_TYPES.BlockStatement) return;
        const region = regionOfCallback(file, fn);
        const span = region?.kind === 'startActiveSpan' ? region.spanVariable : undefined;
        if (!region || !span) return;
        const references = referencesOf(span);
        if (isHandedOff(file, references)) return;
        const ends = references
          .map((identifier) => identifier.parent)
          .filter((member): member is TSESTree.MemberExpression => member.type === AST_NODE_TYPES.MemberExpression)
          .map((member) => member.parent)
          .filter((call): call is TSESTree.CallExpression => call.type === AST_NODE_TYPES.CallExpression && methodCallee(call, 'end') !== undefined);
        checkEnds(fn.body.body, 0, span.name, region.label, ends);
      },
    };
  },
});
