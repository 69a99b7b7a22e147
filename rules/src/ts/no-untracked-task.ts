import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from './utils/runtime.js';
import { enclosingFunction, isFunction, methodCallee, skipWrappers, walk } from './utils/ast.js';
import { createTsRule } from './utils/create-rule.js';
import { TsFile } from './utils/file.js';
import { callLabel, mayOpenSpans } from './utils/messages.js';
import { isPromiseValued } from './utils/promises.js';
import { regionOfCallback, spanRegionAt, type SpanRegion } from './utils/spans.js';

type MessageIds = 'tsFloatingPromise' | 'tsEndedBeforeAwait' | 'tsEndedBeforeReturn' | 'tsSuggestAwait' | 'tsSuggestReturn' | 'tsSuggestMoveEnd';

/** The values a statement's expression computes and throws away. */
function droppedValues(expression: TSESTree.Expression): TSESTree.Expression[] {
  switch (expression.type) {
    case AST_NODE_TYPES.SequenceExpression:
      return expression.expressions.flatMap(droppedValues);
    case AST_NODE_TYPES.ConditionalExpression:
      return [...droppedValues(expression.consequent), ...droppedValues(expression.alternate)];
    case AST_NODE_TYPES.LogicalExpression:
      // `a && b()`: `a` is a condition; with `||`/`??` a (truthy) promise on the left is the value.
      return expression.operator === '&&' ? droppedValues(expression.right) : [...droppedValues(expression.left), ...droppedValues(expression.right)];
    case AST_NODE_TYPES.UnaryExpression:
      return expression.operator === 'void' ? droppedValues(expression.argument) : [];
    case AST_NODE_TYPES.ChainExpression:
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression:
      return [expression];
    default:
      return [];
  }
}

/** The `span.end()` statement, when `statement` is exactly that for the region's span. */
function isEndOf(region: SpanRegion, statement: TSESTree.Statement): statement is TSESTree.ExpressionStatement {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement || statement.expression.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = methodCallee(statement.expression, 'end');
  const object = callee && skipWrappers(callee.object);
  return object?.type === AST_NODE_TYPES.Identifier && object.name === region.spanVariable?.name;
}

export default createTsRule<[], MessageIds>({
  name: 'no-untracked-task',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow promises left running when their span ends, and spans ended before their async callback finishes',
      recommended: true,
      usesTypeInformation: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      tsFloatingPromise:
        '`{{call}}` returns a promise that nothing waits for inside span {{span}}: the span ends before the work does, spans the work starts end after their parent, and its errors never reach the span.',
      tsEndedBeforeAwait:
        'Span {{span}} is ended here, but its async callback goes on to await `{{next}}`: that work runs in an ended span, and the spans it starts end after their parent.',
      tsEndedBeforeReturn:
        'Span {{span}} is ended here, before the promise this callback returns (`{{next}}`) settles: the work outlives its span.',
      tsSuggestAwait: 'Await `{{call}}` inside the span.',
      tsSuggestReturn: 'Return `{{call}}` from the callback, so the caller can wait for it.',
      tsSuggestMoveEnd: 'End the span at the end of the callback instead.',
    },
  },
  create(context) {
    const { sourceCode } = context;
    if (!mayOpenSpans(sourceCode.text)) return {};
    const file = new TsFile(sourceCode);

    function reportFloating(statement: TSESTree.ExpressionStatement, value: TSESTree.Expression, region: SpanRegion): void {
      const call = callLabel(file, value);
      const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
      const voided = value.parent.type === AST_NODE_TYPES.UnaryExpression && value.parent.operator === 'void' ? value.parent : undefined;
      if (enclosingFunction(statement)?.async) {
        suggest.push({
          messageId: 'tsSuggestAwait',
          data: { call },
          fix: (fixer) =>
            voided
              ? fixer.replaceTextRange([voided.range[0], value.range[0]], 'await ')
              : fixer.insertTextBefore(value, 'await '),
        });
      }
      const whole = voided ?? value;
      const body = region.callback?.body;
      if (body?.type === AST_NODE_TYPES.BlockStatement && body.body.at(-1) === statement && statement.expression === whole) {
        suggest.push({
          messageId: 'tsSuggestReturn',
          data: { call },
          fix: (fixer) => (voided ? fixer.replaceTextRange([voided.range[0], value.range[0]], 'return ') : fixer.insertTextBefore(statement, 'return ')),
        });
      }
      context.report({ node: value, messageId: 'tsFloatingPromise', data: { call, span: region.label }, suggest });
    }

    /** What a startActiveSpan callback does after ending its span: the first `await`, or a returned promise. */
    function checkEarlyEnd(region: SpanRegion): void {
      const callback = region.callback;
      if (region.kind !== 'startActiveSpan' || !callback || !region.spanVariable || callback.body.type !== AST_NODE_TYPES.BlockStatement) return;
      const statements = callback.body.body;
      const ends = statements.filter((statement) => isEndOf(region, statement));
      if (ends.length !== 1) return;
      const end = ends[0] as TSESTree.ExpressionStatement;
      const after = statements.slice(statements.indexOf(end) + 1);
      let firstAwait: TSESTree.Node | undefined;
      for (const statement of after) {
        walk(statement, sourceCode.visitorKeys, (node) => {
          if (!firstAwait && (node.type === AST_NODE_TYPES.AwaitExpression || (node.type === AST_NODE_TYPES.ForOfStatement && node.await))) firstAwait = node;
        });
        if (firstAwait) break;
      }
      const last = statements.at(-1) as TSESTree.Statement;
      const movable = last !== end && last.type !== AST_NODE_TYPES.ReturnStatement && last.type !== AST_NODE_TYPES.ThrowStatement;
      const moveEnd = (fixer: TSESLint.RuleFixer) => {
        const previous = sourceCode.getTokenBefore(end);
        const endText = sourceCode.getText(end);
        const eol = sourceCode.text.includes('\r\n') ? '\r\n' : '\n';
        const indent = (sourceCode.lines[end.loc.start.line - 1] ?? '').slice(0, end.loc.start.column);
        return [
          fixer.removeRange([previous ? previous.range[1] : end.range[0], end.range[1]]),
          fixer.insertTextAfter(last, `${eol}${indent}${endText}`),
        ];
      };
      const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = movable ? [{ messageId: 'tsSuggestMoveEnd', fix: moveEnd }] : [];
      if (firstAwait && callback.async) {
        const awaited = firstAwait.type === AST_NODE_TYPES.AwaitExpression ? callLabel(file, firstAwait.argument) : 'a for await loop';
        context.report({ node: end.expression, messageId: 'tsEndedBeforeAwait', data: { span: region.label, next: awaited }, suggest });
        return;
      }
      if (callback.async) return;
      const returned = after.find((statement): statement is TSESTree.ReturnStatement => statement.type === AST_NODE_TYPES.ReturnStatement);
      if (returned?.argument && returnsPromise(returned.argument, statements)) {
        context.report({ node: end.expression, messageId: 'tsEndedBeforeReturn', data: { span: region.label, next: callLabel(file, returned.argument) }, suggest: [] });
      }
    }

    /** `return work()` or `return p` where `const p = work()` earlier in the callback. */
    function returnsPromise(argument: TSESTree.Expression, statements: readonly TSESTree.Statement[]): boolean {
      if (isPromiseValued(file, argument)) return true;
      if (argument.type !== AST_NODE_TYPES.Identifier) return false;
      for (const statement of statements) {
        if (statement.type !== AST_NODE_TYPES.VariableDeclaration) continue;
        for (const declarator of statement.declarations) {
          if (declarator.id.type === AST_NODE_TYPES.Identifier && declarator.id.name === argument.name && declarator.init) {
            return isPromiseValued(file, declarator.init);
          }
        }
      }
      return false;
    }

    return {
      ExpressionStatement(statement) {
        const values = droppedValues(statement.expression).filter((value) => isPromiseValued(file, value));
        if (values.length === 0) return;
        const region = spanRegionAt(file, statement);
        if (!region) return;
        for (const value of values) reportFloating(statement, value, region);
      },
      ':function'(fn: TSESTree.FunctionLike) {
        if (!isFunction(fn)) return;
        const region = regionOfCallback(file, fn);
        if (region) checkEarlyEnd(region);
      },
      // `items.forEach((item) => save(item))`: forEach drops what its callback returns.
      'CallExpression > ArrowFunctionExpression[expression=true]'(arrow: TSESTree.ArrowFunctionExpression) {
        const call = arrow.parent as TSESTree.CallExpression;
        if (!methodCallee(call, 'forEach') || arrow.body.type === AST_NODE_TYPES.AwaitExpression) return;
        const body = arrow.body as TSESTree.Expression;
        const values = droppedValues(body).filter((value) => isPromiseValued(file, value));
        if (values.length === 0) return;
        const region = spanRegionAt(file, call);
        if (!region) return;
        for (const value of values) context.report({ node: value, messageId: 'tsFloatingPromise', data: { call: callLabel(file, value), span: region.label } });
      },
    };
  },
});
