import type { Call, PyNode, WithStatement } from '../language/generated/node-types.js';
import type { PythonSourceCode } from '../language/python-source-code.js';
import { type SemanticModel, type SpanScope } from '../semantic/index.js';
import { createdTasks, isWaitedUse } from '../semantic/tasks.js';
import { bindingUses, contains, statementOf } from '../semantic/uses.js';
import { getProjectModel } from '../project/index.js';
import { createPythonRule } from '../util/create-rule.js';
import { indentationAt, lineEndingOf, lineStartAt, reindent, type TextEdit } from '../util/python-edits.js';

type MessageIds = 'fanoutBeforeSpan' | 'moveIntoSpan';

export default createPythonRule<MessageIds>({
  name: 'no-fanout-before-span',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow creating tasks before the span that awaits them is opened',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      fanoutBeforeSpan:
        '`{{call}}` creates a Task before span "{{span}}" opens (line {{line}}): a Task captures the context when it is created, so awaited inside "{{span}}" its spans still do not nest under it.',
      moveIntoSpan: 'Create the task(s) inside the `with` block of span "{{span}}".',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const model = getProjectModel(context);
    return {
      with_item(item) {
        const span = model.spans.spanOfWithItem(item);
        const statement = item.parent?.parent;
        if (!span?.makesCurrent || statement?.type !== 'with_statement' || !statement.body) return;
        const fn = model.functionOf(statement);
        for (const { binding, calls } of tasksWaitedInside(model, statement, fn)) {
          const assignment = statementOf(binding.identifier);
          const edits = assignment ? moveIntoBlock(sourceCode, model, assignment, statement, binding.name) : null;
          for (const call of calls) {
            context.report({
              node: call,
              messageId: 'fanoutBeforeSpan',
              data: { call: model.textOf(call), span: spanName(model, span), line: String(statement.loc.start.line) },
              suggest: edits
                ? [{ messageId: 'moveIntoSpan', data: { span: spanName(model, span) }, fix: (fixer) => edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)) }]
                : [],
            });
          }
        }
      },
    };
  },
});

function spanName(model: SemanticModel, span: SpanScope): string {
  return span.name ?? model.textOf(span.call);
}

/**
 * Names bound to newly created tasks before the `with` (same function), whose value is waited for
 * inside its block.
 */
function tasksWaitedInside(
  model: SemanticModel,
  statement: WithStatement,
  fn: PyNode | null,
): { binding: NonNullable<ReturnType<SemanticModel['valueBinding']>>; calls: Call[] }[] {
  const found: { binding: NonNullable<ReturnType<SemanticModel['valueBinding']>>; calls: Call[] }[] = [];
  const scope = model.scopeAt(statement);
  for (const bindings of scope.bindings.values()) {
    for (const binding of bindings) {
      if (binding.kind !== 'assignment' || binding.identifier.range[1] > statement.range[0]) continue;
      if (model.functionOf(binding.identifier) !== fn) continue;
      const calls = createdTasks(model, binding.value);
      if (calls.length === 0) continue;
      const { reads } = bindingUses(model, binding);
      const waitedInside = reads.some((read) => statement.body && contains(statement.body, read) && isWaitedUse(model, read));
      if (waitedInside) found.push({ binding, calls });
    }
  }
  return found;
}

/**
 * Moves the statement that creates the tasks to the top of the `with` block, when it is the
 * statement just before the `with` or nothing in between reads the name.
 */
function moveIntoBlock(sourceCode: PythonSourceCode, model: SemanticModel, assignment: PyNode, statement: WithStatement, name: string): TextEdit[] | null {
  const body = statement.body;
  const first = body?.children[0];
  if (!body || !first || assignment.parent !== statement.parent) return null;
  const text = sourceCode.text;
  const between = text.slice(assignment.range[1], statement.range[0]);
  if (new RegExp(`\\b${name}\\b`, 'u').test(between)) return null;
  // The first statement of the block must start its own line.
  const firstLineStart = lineStartAt(sourceCode, first.range[0]);
  if (firstLineStart + indentationAt(sourceCode, first.range[0]).length !== first.range[0]) return null;
  const eol = lineEndingOf(text);
  const fromIndent = indentationAt(sourceCode, assignment.range[0]);
  const toIndent = indentationAt(sourceCode, first.range[0]);
  const lineStart = lineStartAt(sourceCode, assignment.range[0]);
  if (lineStart + fromIndent.length !== assignment.range[0]) return null;
  const nextLine = text.indexOf(eol, assignment.range[1]);
  const removeEnd = nextLine === -1 ? text.length : nextLine + eol.length;
  const moved = reindent(model.textOf(assignment), fromIndent, toIndent);
  return [
    { range: [lineStart, removeEnd], text: '' },
    { range: [firstLineStart, firstLineStart], text: `${toIndent}${moved.trimStart()}${eol}` },
  ];
}
