import type { Assignment, Attribute, PyNode } from '../language/generated/node-types.js';
import type { PythonSourceCode } from '../language/python-source-code.js';
import { type Binding, type SemanticModel } from '../semantic/index.js';
import { getProjectModel } from '../project/index.js';
import { createPythonRule } from '../util/create-rule.js';
import { ensureImport, type TextEdit } from '../util/python-edits.js';

type MessageIds = 'threadLocalHolder' | 'threadLocalWrite' | 'useContextVar';

/** Values that are tracing state: spans, contexts, attach tokens, span contexts and ids. */
const TRACING_VALUE = /^opentelemetry\.(?:trace\.(?:get_current_span|set_span_in_context|\w*Span\w*)|context\.(?:get_current|attach|set_value|Context))\(\)|\.start_span\(\)$|get_span_context\(\)(?:\.(?:trace_id|span_id))?$/u;
const TRACING_ATTRIBUTE = /span|context|ctx|token|trace/iu;

interface HolderUse {
  readonly attribute: Attribute;
  /** The assignment when the use is `holder.attr = value`. */
  readonly store: Assignment | null;
}

export default createPythonRule<MessageIds>({
  name: 'no-thread-local-context',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow keeping spans, contexts or trace ids in `threading.local()` in async code',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      threadLocalHolder:
        '`{{name}}` is a `threading.local()` that holds tracing state ({{attributes}}) in a module with async code: coroutines share a thread, so one request\'s span leaks into every other coroutine on the loop.',
      threadLocalWrite: '`{{target}}` stores tracing state in a `threading.local()`: every coroutine on this thread sees it. Use a `contextvars.ContextVar`.',
      useContextVar: 'Replace `{{name}}` with `contextvars.ContextVar`s ({{variables}}).',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const model = getProjectModel(context);
    return {
      'module:exit'() {
        const holders = [...model.root.bindings].flatMap(([name, bindings]) => {
          const binding = bindings.length === 1 ? bindings[0] : undefined;
          return binding?.value?.type === 'call' && model.calleeName(binding.value) === 'threading.local' ? [{ name, binding, value: binding.value }] : [];
        });
        // Most modules have no `threading.local()`, and a module without async code cannot misuse one.
        if (holders.length === 0 || !model.nodesOfType('function_definition').some((fn) => fn.async === true)) return;
        for (const { name, binding, value } of holders) {
          const references = model.identifiersNamed(name).filter(
            (identifier) => identifier !== binding.identifier && model.resolve(identifier)?.includes(binding),
          );
          const uses = holderUses(references);
          const tracingWrites = uses.filter((use) => use.store && isTracingWrite(model, use));
          if (tracingWrites.length === 0) continue;
          const attributes = [...new Set(tracingWrites.map((use) => use.attribute.attribute?.text ?? ''))];
          const edits = references.length === uses.length ? contextVarRewrite(sourceCode, model, binding, uses) : null;
          const variables = [...new Set(uses.map((use) => contextVarName(use.attribute.attribute?.text ?? '')))].join(', ');
          context.report({
            node: value,
            messageId: 'threadLocalHolder',
            data: { name, attributes: attributes.map((attribute) => `\`.${attribute}\``).join(', ') },
            suggest: edits
              ? [{ messageId: 'useContextVar', data: { name, variables }, fix: (fixer) => edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)) }]
              : [],
          });
          for (const use of tracingWrites) {
            context.report({ node: use.attribute, messageId: 'threadLocalWrite', data: { target: model.textOf(use.attribute) } });
          }
        }
      },
    };
  },
});

/** The `holder.<attr>` uses among the references to a holder, in source order. */
function holderUses(references: readonly PyNode[]): HolderUse[] {
  const uses: HolderUse[] = [];
  for (const identifier of references) {
    const attribute = identifier.parent;
    if (attribute?.type !== 'attribute' || attribute.object !== identifier) continue;
    const parent = attribute.parent;
    uses.push({ attribute, store: parent?.type === 'assignment' && parent.left === attribute ? parent : null });
  }
  return uses.sort((a, b) => a.attribute.range[0] - b.attribute.range[0]);
}

function isTracingWrite(model: SemanticModel, use: HolderUse): boolean {
  const value = use.store?.right;
  if (!value) return false;
  const valueName = model.qualifiedName(value) ?? '';
  if (TRACING_VALUE.test(valueName) || model.spans.spanCall(value)) return true;
  // A span bound by `with ... as span` or passed in: judge by the attribute's own name.
  return TRACING_ATTRIBUTE.test(use.attribute.attribute?.text ?? '') && value.type !== 'none';
}

function contextVarName(attribute: string): string {
  return `_${attribute.replace(/^_+/u, '')}_var`;
}

/**
 * The mechanical rewrite, when every use of the holder is `holder.attr` read or `holder.attr = value`
 * as a whole statement (the caller checks that every reference is such a use): one module-level `ContextVar` per attribute (default None), `.set(value)` for
 * writes and `.get()` for reads. Null when any use is something else (getattr, del, passing it on).
 */
function contextVarRewrite(sourceCode: PythonSourceCode, model: SemanticModel, binding: Binding, uses: readonly HolderUse[]): TextEdit[] | null {
  const definition = binding.identifier.parent;
  if (definition?.type !== 'assignment' || definition.parent?.type !== 'expression_statement') return null;
  const edits: TextEdit[] = [];
  for (const use of uses) {
    const attribute = use.attribute.attribute?.text;
    if (!attribute) return null;
    const variable = contextVarName(attribute);
    if (use.store) {
      if (use.store.parent?.type !== 'expression_statement' || !use.store.right || use.store.right.type === 'assignment') return null;
      edits.push({ range: use.store.range, text: `${variable}.set(${model.textOf(use.store.right)})` });
    } else {
      const parent = use.attribute.parent;
      if (parent?.type === 'augmented_assignment' || parent?.type === 'delete_statement') return null;
      edits.push({ range: use.attribute.range, text: `${variable}.get()` });
    }
  }
  const attributes = [...new Set(uses.map((use) => use.attribute.attribute?.text ?? ''))];
  const declarations = attributes.map((attribute) => `${contextVarName(attribute)}: contextvars.ContextVar = contextvars.ContextVar("${attribute}", default=None)`);
  const eol = /\r\n|\r|\n/u.exec(sourceCode.text)?.[0] ?? '\n';
  edits.push({ range: definition.range, text: declarations.join(eol) });
  const importEdit = ensureImport(sourceCode, model, 'contextvars');
  if (importEdit) edits.push(importEdit);
  return edits.sort((a, b) => a.range[0] - b.range[0]);
}
