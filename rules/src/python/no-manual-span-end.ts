import type { Call, ExpressionStatement, PyNode } from '../language/generated/node-types.js';
import type { PythonSourceCode } from '../language/python-source-code.js';
import { isInFinally } from '../semantic/statements.js';
import { statementOf } from '../semantic/uses.js';
import { type Binding, type SemanticModel } from '../semantic/index.js';
import { getProjectModel } from '../project/index.js';
import { createPythonRule } from '../util/create-rule.js';
import { indentLinesDeeper, indentationAt, lineEndingOf, lineStartAt, wrapInTryFinally, type TextEdit } from '../util/python-edits.js';

type MessageIds = 'endNotInFinally' | 'wrapInTryFinally' | 'useWithBlock';

export default createPythonRule<MessageIds>({
  name: 'no-manual-span-end',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require `span.end()` of a manually started span to run in a `finally`',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      endNotInFinally:
        '`{{end}}` is not in a `finally`: an exception, an early `return` or a cancellation at an `await` between `{{start}}` (line {{line}}) and here leaves span "{{span}}" open forever, and it is never exported.',
      wrapInTryFinally: 'Wrap the statements in `try:` and end the span in `finally:`.',
      useWithBlock: 'Use `with {{tracer}}.start_as_current_span(...) as {{name}}:` (this also makes the span current).',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const model = getProjectModel(context);
    return {
      assignment(assignment) {
        const value = assignment.right;
        const target = assignment.left;
        const span = value?.type === 'call' ? model.spans.spanCall(value) : null;
        if (!span || span.method !== 'start_span' || target?.type !== 'identifier' || !target.text) return;
        const statement = assignment.parent;
        if (statement?.type !== 'expression_statement') return;
        const binding = model.resolve(target)?.find((candidate) => candidate.identifier === target);
        if (!binding) return;
        const uses = usesOf(model, binding);
        if (uses.some((use) => isHandOff(use))) return;
        const ends = uses.filter((use) => isEndCall(use));
        const unguarded = ends.filter((end) => !isInFinally(end));
        if (unguarded.length === 0) return;
        const [end] = unguarded;
        const endStatement = end ? statementOf(end) : null;
        if (endStatement?.type !== 'expression_statement') return;
        if (!end || !endStatement) return;
        // Nothing between start and end: nothing can fail.
        if (nextSibling(statement) === endStatement) return;
        const spanName = model.spans.spanName(span.call, span.method) ?? model.textOf(span.call);
        const suggestions = suggestionsFor(sourceCode, model, statement, endStatement, span.call, target.text, uses, ends.length === 1);
        context.report({
          node: end.parent?.type === 'call' ? end.parent : end,
          messageId: 'endNotInFinally',
          data: { end: model.textOf(end.parent ?? end), start: model.textOf(span.call), line: String(statement.loc.start.line), span: spanName },
          suggest: suggestions.map(({ messageId, data, edits }) => ({
            messageId,
            data,
            fix: (fixer) => edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)),
          })),
        });
      },
    };
  },
});

/** Attribute nodes `<name>.x` and bare identifier uses of the binding (excluding the binding itself), in source order. */
function usesOf(model: SemanticModel, binding: Binding): PyNode[] {
  const scope = binding.scope.node;
  const within: PyNode = scope.type === 'module' ? scope : (scope as { body?: PyNode | null }).body ?? scope;
  const found: PyNode[] = [];
  for (const node of model.identifiersNamedWithin(binding.name, within)) {
    if (node === binding.identifier || !model.resolve(node)?.includes(binding)) continue;
    found.push(node.parent?.type === 'attribute' && node.parent.object === node ? node.parent : node);
  }
  return found;
}

/** `span.end()`: the use is `span.end` and it is called. */
function isEndCall(use: PyNode): boolean {
  return use.type === 'attribute' && use.attribute?.text === 'end' && use.parent?.type === 'call' && use.parent.function === use;
}

/**
 * The span escapes: stored (on an object, in a container), returned, yielded or passed to a call —
 * anything but calling its own methods or reading its attributes.
 */
function isHandOff(use: PyNode): boolean {
  if (use.type === 'attribute') return false;
  const parent = use.parent;
  if (!parent) return false;
  if (parent.type === 'assignment' && parent.left === use) return false;
  return true;
}

function nextSibling(node: PyNode): PyNode | null {
  const siblings = node.parent?.children ?? [];
  const index = siblings.indexOf(node);
  return index === -1 ? null : (siblings[index + 1] ?? null);
}

function suggestionsFor(
  sourceCode: PythonSourceCode,
  model: SemanticModel,
  startStatement: ExpressionStatement,
  endStatement: ExpressionStatement,
  call: Call,
  name: string,
  uses: readonly PyNode[],
  singleEnd: boolean,
): { messageId: MessageIds; data: Record<string, string>; edits: TextEdit[] }[] {
  const siblings = startStatement.parent?.children ?? [];
  const startIndex = siblings.indexOf(startStatement);
  const endIndex = siblings.indexOf(endStatement);
  if (startIndex === -1 || endIndex <= startIndex + 1 || !singleEnd) return [];
  const first = siblings[startIndex + 1] as PyNode;
  const last = siblings[endIndex - 1] as PyNode;
  const eol = lineEndingOf(sourceCode.text);
  // The `span.end()` statement moves into the `finally:` (the edit spans through it).
  const wrapped = wrapInTryFinally(sourceCode, first, last, [model.textOf(endStatement)]);
  const suggestions: { messageId: MessageIds; data: Record<string, string>; edits: TextEdit[] }[] = [
    { messageId: 'wrapInTryFinally', data: {}, edits: [{ range: [wrapped.range[0], endStatement.range[1]], text: wrapped.text }] },
  ];
  // The with form: only when every use of the span is between start and end, and the call is `x.start_span(...)`.
  const receiver = call.function?.type === 'attribute' ? call.function.object : null;
  const onlyInside = uses.every((use) => use.range[0] > startStatement.range[1] && use.range[1] <= endStatement.range[1]);
  if (receiver && onlyInside && call.arguments?.type === 'argument_list') {
    const indent = indentationAt(sourceCode, startStatement.range[0]);
    const args = model.textOf(call.arguments).slice(1, -1);
    const body = indentLinesDeeper(sourceCode, first.range[0], last.range[1]);
    suggestions.push({
      messageId: 'useWithBlock',
      data: { tracer: model.textOf(receiver), name },
      edits: [
        {
          range: [lineStartAt(sourceCode, startStatement.range[0]), endStatement.range[1]],
          text: `${indent}with ${model.textOf(receiver)}.start_as_current_span(${args}) as ${name}:${eol}${body}`,
        },
      ],
    });
  }
  return suggestions;
}
