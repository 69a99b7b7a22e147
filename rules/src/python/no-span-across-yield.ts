import type { Decorator, FunctionDefinition, PyNode, WithItem, WithStatement } from '../language/generated/node-types.js';
import type { PythonSourceCode } from '../language/python-source-code.js';
import { nodesRunBy } from '../semantic/statements.js';
import { freeName } from '../semantic/names.js';
import { type SemanticModel } from '../semantic/index.js';
import { isContextManagerDecorator } from '../project/decorators.js';
import { getProjectModel } from '../project/index.js';
import { createPythonRule } from '../util/create-rule.js';
import { indentationAt, indentUnitOf, lineEndingOf, lineStartAt, wrapInTryFinally, type TextEdit } from '../util/python-edits.js';

type MessageIds = 'withAcrossYield' | 'decoratedGenerator' | 'useStartSpan' | 'moveDecoratorIntoBody';

export default createPythonRule<MessageIds>({
  name: 'no-span-across-yield',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow keeping a span current across a `yield` in a generator',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      withAcrossYield:
        'Span "{{span}}" is made current by `{{call}}` and held across a `yield` in generator `{{function}}`: the consumer\'s code between items runs inside "{{span}}" (its spans get the wrong parent), and closing the generator early fails to detach the context.',
      decoratedGenerator:
        '`@{{call}}` on generator `{{function}}` times only the creation of the generator object: span "{{span}}" ends at once and the spans in the body do not nest under it.',
      useStartSpan: 'Start "{{span}}" with `start_span` and end it in `finally:` (it is no longer made current).',
      moveDecoratorIntoBody: 'Open "{{span}}" inside the generator with `start_span` and end it in `finally:`.',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const model = getProjectModel(context);
    // Generators are found from their `yield`s during the traversal, so functions without one cost nothing.
    const generators = new Set<PyNode>();
    return {
      yield(node) {
        const fn = model.functionOf(node);
        if (fn) generators.add(fn);
      },
      'function_definition:exit'(fn) {
        if (!generators.has(fn)) return;
        const facts = model.facts(fn);
        if (!facts.isGenerator) return;
        // Under a context-manager decorator (or a fixture), holding the span across the single `yield` is the point.
        if (facts.decorators.some((decorator) => isContextManagerDecorator(model, decorator.children[0]))) return;
        const functionName = facts.name ?? '<generator>';

        for (const decorator of facts.decorators) {
          const found = model.spans.spanCall(decorator.children[0]);
          if (found?.method !== 'start_as_current_span') continue;
          const spanName = model.spans.spanName(found.call, found.method) ?? model.textOf(found.call);
          const fix = decoratorSuggestion(sourceCode, model, fn, decorator);
          context.report({
            node: decorator,
            messageId: 'decoratedGenerator',
            data: { call: model.textOf(decorator.children[0] as PyNode), function: functionName, span: spanName },
            suggest: fix ? [{ messageId: 'moveDecoratorIntoBody', data: { span: spanName }, fix: (fixer) => fix.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)) }] : [],
          });
        }

        for (const statement of ownWithStatements(fn)) {
          const items = withItems(statement);
          const spanItem = items.find((item) => {
            const span = model.spans.spanOfWithItem(item);
            return span?.makesCurrent === true;
          });
          if (!spanItem || !statement.body || !containsOwnYield(statement.body)) continue;
          const span = model.spans.spanOfWithItem(spanItem);
          if (!span) continue;
          const spanName = span.name ?? model.textOf(span.call);
          const edit = items.length === 1 && span.method === 'start_as_current_span' ? withSuggestion(sourceCode, model, statement, spanItem) : null;
          context.report({
            node: spanItem,
            messageId: 'withAcrossYield',
            data: { span: spanName, call: model.textOf(span.call), function: functionName },
            suggest: edit ? [{ messageId: 'useStartSpan', data: { span: spanName }, fix: (fixer) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text) }] : [],
          });
        }
      },
    };
  },
});

function withItems(statement: WithStatement): WithItem[] {
  const clause = statement.children.find((child) => child.type === 'with_clause');
  return clause ? clause.children.filter((child): child is WithItem => child.type === 'with_item') : [];
}

/** `with` statements that run in the generator's own frame (not in nested defs, lambdas or classes). */
function ownWithStatements(fn: FunctionDefinition): WithStatement[] {
  if (!fn.body) return [];
  return [...nodesRunBy(fn.body)].filter((node): node is WithStatement => node.type === 'with_statement');
}

function containsOwnYield(block: PyNode): boolean {
  for (const node of nodesRunBy(block)) if (node.type === 'yield') return true;
  return false;
}

/** The argument text of a call, without the parentheses. */
function argumentsText(model: SemanticModel, call: PyNode): string | null {
  if (call.type !== 'call' || call.arguments?.type !== 'argument_list') return null;
  const args = call.arguments.children;
  // `end_on_exit` belongs to start_as_current_span only.
  if (args.some((arg) => arg.type === 'keyword_argument' && arg.name?.text === 'end_on_exit')) return null;
  const text = model.textOf(call.arguments);
  return text.slice(1, -1);
}

/**
 * `with tracer.start_as_current_span(args) as s:` + block  →
 * `s = tracer.start_span(args)` / `try:` + the same block / `finally:` / `s.end()`.
 * The block keeps its text: a `try` body may be indented deeper than one unit.
 */
function withSuggestion(sourceCode: PythonSourceCode, model: SemanticModel, statement: WithStatement, item: WithItem): TextEdit | null {
  const span = model.spans.spanOfWithItem(item);
  const body = statement.body;
  const fn = model.functionOf(statement);
  if (!span || !body || fn?.type !== 'function_definition' || statement.async) return null;
  const args = argumentsText(model, span.call);
  const receiver = span.call.function?.type === 'attribute' ? span.call.function.object : null;
  if (args === null || !receiver) return null;
  const text = sourceCode.text;
  const eol = lineEndingOf(text);
  const indent = indentationAt(sourceCode, statement.range[0]);
  if (lineStartAt(sourceCode, statement.range[0]) + indent.length !== statement.range[0]) return null;
  // The block must start on its own line (not `with x: yield 1`).
  if (lineStartAt(sourceCode, body.range[0]) === lineStartAt(sourceCode, statement.range[0])) return null;
  const variable = span.variable ?? freeName(model, 'span', fn.body ?? fn);
  const headerEnd = text.lastIndexOf(':', body.range[0]);
  const header = `${variable} = ${model.textOf(receiver)}.start_span(${args})${eol}${indent}try:`;
  const unit = indentUnitOf(text);
  const tail = `${eol}${indent}finally:${eol}${indent}${unit}${variable}.end()`;
  return {
    range: [statement.range[0], body.range[1]],
    text: header + text.slice(headerEnd + 1, body.range[1]) + tail,
  };
}

/** Removes the decorator and opens the span inside the body with `start_span` + `try`/`finally`. */
function decoratorSuggestion(sourceCode: PythonSourceCode, model: SemanticModel, fn: FunctionDefinition, decorator: Decorator): TextEdit[] | null {
  const call = decorator.children[0];
  const receiver = call?.type === 'call' && call.function?.type === 'attribute' ? call.function.object : null;
  const args = call ? argumentsText(model, call) : null;
  const statements = fn.body?.children ?? [];
  const docstring = statements[0]?.type === 'expression_statement' && statements[0].children[0]?.type === 'string' ? statements[0] : null;
  const first = docstring ? statements[1] : statements[0];
  const last = statements[statements.length - 1];
  if (!receiver || args === null || !first || !last || !fn.body) return null;
  if (lineStartAt(sourceCode, fn.body.range[0]) === lineStartAt(sourceCode, fn.range[0])) return null;
  const text = sourceCode.text;
  const eol = lineEndingOf(text);
  const variable = freeName(model, 'span', fn.body ?? fn);
  const wrapped = wrapInTryFinally(sourceCode, first, last, [`${variable}.end()`]);
  const indent = indentationAt(sourceCode, first.range[0]);
  const decoratorLineStart = lineStartAt(sourceCode, decorator.range[0]);
  const afterDecorator = nextLineStart(text, decorator.range[1]);
  return [
    { range: [decoratorLineStart, afterDecorator], text: '' },
    { range: wrapped.range, text: `${indent}${variable} = ${model.textOf(receiver)}.start_span(${args})${eol}${wrapped.text}` },
  ];

  function nextLineStart(source: string, from: number): number {
    const match = /\r\n|\r|\n/gu;
    match.lastIndex = from;
    const found = match.exec(source);
    return found ? found.index + found[0].length : source.length;
  }
}
