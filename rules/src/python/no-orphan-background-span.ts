import type { Call, PyNode } from '../language/generated/node-types.js';
import type { PythonSourceCode } from '../language/python-source-code.js';
import { type SemanticModel, type SpanScope } from '../semantic/index.js';
import { freeName, importedNameAt } from '../semantic/names.js';
import { isTaskFactory, isWaitedUse } from '../semantic/tasks.js';
import { opensOtherFrame, callsRunBy } from '../semantic/statements.js';
import { bindingUses, contains, statementOf } from '../semantic/uses.js';
import { getProjectModel } from '../project/index.js';
import { createPythonRule } from '../util/create-rule.js';
import { addImportStatement, indentationAt, lineEndingOf, lineStartAt, type TextEdit } from '../util/python-edits.js';

type MessageIds = 'orphan' | 'awaitInSpan' | 'startDetached';

/** Expressions that hold a task as one of their elements. */
const CONTAINERS = new Set(['parenthesized_expression', 'list', 'tuple', 'list_comprehension', 'set_comprehension']);

export default createPythonRule<MessageIds>({
  name: 'no-orphan-background-span',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow background tasks that outlive the span they were started in',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      orphan:
        '`{{call}}` starts a background task inside span "{{span}}" and it is not awaited before the span ends: its spans keep "{{span}}" as their parent but end after it, and backends show them orphaned or out of order.',
      awaitInSpan: 'Await the task before span "{{span}}" ends.',
      startDetached: 'Start the task detached: its spans become the root of their own trace (other context variables are kept).',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const model = getProjectModel(context);
    return {
      call(call) {
        if (!isTaskFactory(model, call) || hasKeyword(call, 'context')) return;
        const span = model.spans.enclosingSpans(call).find((candidate) => candidate.makesCurrent);
        if (!span?.body) return;
        if (awaitedInSpan(model, call, span)) return;
        if (coroutineDetachesItsSpans(model, call) || createdUnderEmptyContext(model, call)) return;
        const suggestions: { messageId: MessageIds; edits: TextEdit[] }[] = [];
        const awaitEdits = awaitSuggestion(sourceCode, model, call, span);
        if (awaitEdits) suggestions.push({ messageId: 'awaitInSpan', edits: awaitEdits });
        const detachEdits = detachedSuggestion(sourceCode, model, call);
        if (detachEdits) suggestions.push({ messageId: 'startDetached', edits: detachEdits });
        const name = span.name ?? model.textOf(span.call);
        context.report({
          node: call,
          messageId: 'orphan',
          data: { call: model.textOf(call), span: name },
          suggest: suggestions.map(({ messageId, edits }) => ({
            messageId,
            data: { span: name },
            fix: (fixer) => edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)),
          })),
        });
      },
    };
  },
});

function hasKeyword(call: Call, name: string): boolean {
  return call.arguments?.type === 'argument_list' && call.arguments.children.some((arg) => arg.type === 'keyword_argument' && arg.name?.text === name);
}

/** The task is waited for inside the span: directly (`await create_task(...)`), or through the name it is bound to. */
function awaitedInSpan(model: SemanticModel, call: Call, span: SpanScope): boolean {
  // The task itself, or the list / tuple / comprehension of tasks it is an element of.
  let value: PyNode = call;
  for (let parent = value.parent; parent && CONTAINERS.has(parent.type); parent = value.parent) {
    if ((parent.type === 'list_comprehension' || parent.type === 'set_comprehension') && parent.body !== value) break;
    value = parent;
  }
  if (isWaitedUse(model, value)) return true;
  const assignment = value.parent;
  if (assignment?.type !== 'assignment' || assignment.right !== value || assignment.left?.type !== 'identifier') return false;
  const binding = model.resolve(assignment.left)?.find((candidate) => candidate.identifier === assignment.left);
  if (!binding || !span.body) return false;
  const body = span.body;
  return bindingUses(model, binding).reads.some((read) => contains(body, read) && isWaitedUse(model, read));
}

/** The coroutine is a call of a module function whose spans all pass an explicit `context=` (a deliberate new root). */
function coroutineDetachesItsSpans(model: SemanticModel, call: Call): boolean {
  const coroutine = call.arguments?.type === 'argument_list' ? call.arguments.children[0] : undefined;
  if (coroutine?.type !== 'call') return false;
  const fn = model.resolveFunction(coroutine.function);
  if (!fn?.body) return false;
  const spanCalls = callsRunBy(fn.body).filter((inner) => model.spans.spanCall(inner));
  return spanCalls.length > 0 && spanCalls.every((inner) => hasKeyword(inner, 'context'));
}

/**
 * The creation runs while an empty OpenTelemetry context is attached: `token = context.attach(Context())`
 * right before a `try:` that creates the task and detaches in `finally:` (the shape
 * no-untracked-task suggests). The Task copies that empty context, so its spans start a new trace.
 */
function createdUnderEmptyContext(model: SemanticModel, call: Call): boolean {
  for (let node = call.parent; node && !opensOtherFrame(node); node = node.parent) {
    if (node.type !== 'try_statement' || !node.children.some((clause) => clause.type === 'finally_clause')) continue;
    const siblings = node.parent?.children ?? [];
    const previous = siblings[siblings.indexOf(node) - 1];
    const assignment = previous?.type === 'expression_statement' ? previous.children[0] : undefined;
    const value = assignment?.type === 'assignment' ? assignment.right : undefined;
    if (value?.type !== 'call' || model.calleeName(value) !== 'opentelemetry.context.attach') continue;
    const argument = value.arguments?.type === 'argument_list' ? value.arguments.children[0] : undefined;
    if (argument && model.qualifiedName(argument) === 'opentelemetry.context.Context()') return true;
  }
  return false;
}

/**
 * `create_task(x)` as a statement becomes `await create_task(x)`; a task bound to a name gets
 * `await <name>` at the end of the span's block.
 */
function awaitSuggestion(sourceCode: PythonSourceCode, model: SemanticModel, call: Call, span: SpanScope): TextEdit[] | null {
  if (!model.isInAsyncFunction(call) || !span.body) return null;
  const statement = statementOf(call);
  if (!statement || !contains(span.body, statement)) return null;
  if (statement.type === 'expression_statement' && statement.children[0] === call) {
    return [{ range: [call.range[0], call.range[0]], text: 'await ' }];
  }
  const assignment = call.parent;
  if (assignment?.type !== 'assignment' || assignment.left?.type !== 'identifier' || statement.parent !== span.body) return null;
  const last = span.body.children[span.body.children.length - 1];
  if (!last || last.type === 'return_statement') return null;
  const eol = lineEndingOf(sourceCode.text);
  return [{ range: [last.range[1], last.range[1]], text: `${eol}${indentationAt(sourceCode, last.range[0])}await ${model.textOf(assignment.left)}` }];
}

/**
 * Runs the task in a copy of the current context in which the OpenTelemetry context is empty:
 * `detached = contextvars.copy_context()`, `detached.run(context.attach, context.Context())`, then
 * `create_task(..., context=detached)` (Python 3.11+). Other context variables are kept.
 */
function detachedSuggestion(sourceCode: PythonSourceCode, model: SemanticModel, call: Call): TextEdit[] | null {
  const callee = model.calleeName(call) ?? '';
  if (!callee.endsWith('create_task') || call.arguments?.type !== 'argument_list') return null;
  const statement = statementOf(call);
  if (!statement) return null;
  const lineStart = lineStartAt(sourceCode, statement.range[0]);
  const indent = indentationAt(sourceCode, statement.range[0]);
  if (lineStart + indent.length !== statement.range[0]) return null;
  const eol = lineEndingOf(sourceCode.text);
  const edits: TextEdit[] = [];
  const imports: string[] = [];
  let contextvarsName = importedNameAt(model, 'contextvars', call) ?? (model.moduleAlias('contextvars') ? 'contextvars' : null);
  if (!contextvarsName) {
    contextvarsName = 'contextvars';
    if (model.root.bindings.has('contextvars')) return null;
    imports.push('import contextvars');
  }
  let otelContext = importedNameAt(model, 'opentelemetry.context', call);
  if (!otelContext) {
    const alias = freeName(model, 'otel_context', call);
    imports.push(`from opentelemetry import context as ${alias}`);
    otelContext = alias;
  }
  const variable = freeName(model, 'detached', call);
  for (const line of imports) edits.push(addImportStatement(sourceCode, line));
  edits.push({
    range: [lineStart, lineStart],
    text: `${indent}${variable} = ${contextvarsName}.copy_context()${eol}${indent}${variable}.run(${otelContext}.attach, ${otelContext}.Context())${eol}`,
  });
  const close = call.arguments.range[1] - 1;
  edits.push({ range: [close, close], text: `, context=${variable}` });
  return mergeInserts(edits);
}

/** Import insertions at the same offset are joined so the edits never overlap. */
function mergeInserts(edits: TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0]);
  const merged: TextEdit[] = [];
  for (const edit of sorted) {
    const previous = merged[merged.length - 1];
    if (previous && previous.range[0] === edit.range[0] && previous.range[1] === previous.range[0] && edit.range[1] === edit.range[0]) {
      merged[merged.length - 1] = { range: previous.range, text: previous.text + edit.text };
    } else {
      merged.push(edit);
    }
  }
  return merged;
}
