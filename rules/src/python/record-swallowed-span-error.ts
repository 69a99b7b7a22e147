import type { ExceptClause, PyNode } from '../language/generated/node-types.js';
import { freeName } from '../semantic/names.js';
import { nodesRunBy } from '../semantic/statements.js';
import { type SemanticModel, type SpanScope } from '../semantic/index.js';
import { getProjectModel } from '../project/index.js';
import { createPythonRule } from '../util/create-rule.js';
import { ensureFromImport, indentationAt, lineEndingOf, type TextEdit } from '../util/python-edits.js';

type MessageIds = 'swallowed' | 'recordOnSpan';

/** Calls that put an error on a span. */
const RECORDING_METHODS = new Set(['record_exception', 'set_status']);

export default createPythonRule<MessageIds>({
  name: 'record-swallowed-span-error',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Require recording an exception that is handled without re-raising inside an open span',
      recommended: false,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      swallowed:
        'This `except` handles the exception inside span "{{span}}" without re-raising it or recording it on the span: the span is exported as OK for work that failed.',
      recordOnSpan: 'Record the exception on {{target}} and set its status to ERROR.',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const model = getProjectModel(context);
    return {
      except_clause(handler) {
        const span = model.spans.enclosingSpans(handler)[0];
        const body = handler.children.find((child) => child.type === 'block');
        if (!span || !body || handlesError(body)) return;
        const fix = recordSuggestion(model, handler, body, span);
        context.report({
          loc: sourceCode.locationOfRange([handler.range[0], headerEnd(model, handler, body)]),
          messageId: 'swallowed',
          data: { span: span.name ?? model.textOf(span.call) },
          suggest: fix
            ? [{ messageId: 'recordOnSpan', data: { target: fix.target }, fix: (fixer) => fix.edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)) }]
            : [],
        });
      },
    };

    /** The handler re-raises, or records on a span (`x.record_exception(...)`, `x.set_status(...)`). */
    function handlesError(block: PyNode): boolean {
      for (const node of nodesRunBy(block)) {
        if (node.type === 'raise_statement') return true;
        if (node.type === 'call' && node.function?.type === 'attribute' && RECORDING_METHODS.has(node.function.attribute?.text ?? '')) return true;
      }
      return false;
    }

    function recordSuggestion(semantic: SemanticModel, handler: ExceptClause, block: PyNode, span: SpanScope): { target: string; edits: TextEdit[] } | null {
      const edits: TextEdit[] = [];
      const trace = ensureFromImport(sourceCode, semantic, 'opentelemetry.trace');
      if (!trace.name) return null;
      if (trace.edit) edits.push(trace.edit);
      const target = span.variable ?? (span.makesCurrent && span.kind === 'with' ? `${trace.name}.get_current_span()` : null);
      if (!target) return null;
      // The exception's name: the existing `as` name, or bind one.
      const alias = handler.value.find((value) => value.type === 'as_pattern');
      let exception = alias?.type === 'as_pattern' ? alias.alias?.children[0]?.text : undefined;
      if (!exception) {
        exception = freeName(semantic, 'exc', handler);
        const caught = handler.value[0];
        if (caught) {
          edits.push({ range: [caught.range[1], caught.range[1]], text: ` as ${exception}` });
        } else {
          // Bare `except:` catches BaseException; keep that and bind it.
          const colon = sourceCode.text.indexOf(':', handler.range[0]);
          edits.push({ range: [colon, colon], text: ` BaseException as ${exception}` });
        }
      }
      const first = block.children[0] ?? block;
      const indent = indentationAt(sourceCode, first.range[0]);
      const eol = lineEndingOf(sourceCode.text);
      const sameLine = sourceCode.lineIndex.positionAt(first.range[0]).line === sourceCode.lineIndex.positionAt(handler.range[0]).line;
      if (sameLine) return null;
      const lines = [
        `${target}.record_exception(${exception})`,
        `${target}.set_status(${trace.name}.Status(${trace.name}.StatusCode.ERROR, str(${exception})))`,
      ];
      edits.push({ range: [first.range[0], first.range[0]], text: `${lines.join(`${eol}${indent}`)}${eol}${indent}` });
      return { target: span.variable ? `span \`${span.variable}\`` : 'the current span', edits: edits.sort((a, b) => a.range[0] - b.range[0]) };
    }
  },
});

/** End of the `except ...:` header, for a compact report location. */
function headerEnd(model: SemanticModel, handler: ExceptClause, body: PyNode): number {
  const header = model.text.slice(handler.range[0], body.range[0]);
  const colon = header.lastIndexOf(':');
  return colon === -1 ? body.range[0] : handler.range[0] + colon + 1;
}
