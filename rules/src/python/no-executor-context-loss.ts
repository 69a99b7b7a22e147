import type { Call, PyNode } from '../language/generated/node-types.js';
import type { PythonSourceCode } from '../language/python-source-code.js';
import { keywordArgument as keywordArgumentNode, positionalArguments } from '../semantic/shutdown.js';
import { type SemanticModel, type SpanScope } from '../semantic/index.js';
import { getProjectModel } from '../project/index.js';
import { createPythonRule } from '../util/create-rule.js';
import { ensureImport, type TextEdit } from '../util/python-edits.js';

type MessageIds = 'contextLost' | 'useToThread' | 'copyContext';

const LOOP_FACTORIES = /^asyncio\.(?:get_running_loop|get_event_loop|new_event_loop)\(\)\.run_in_executor$/u;
const THREAD_POOL = /^concurrent\.futures(?:\.thread)?\.ThreadPoolExecutor\(\)\.(?:submit|map)$/u;
const THREAD_CLASSES = new Set(['threading.Thread', 'threading.Timer']);
const CONTEXT_VALUES = new Set(['contextvars.copy_context()', 'contextvars.Context()']);

/** Where the callable and its arguments sit in a call that hands work to a thread. */
interface Handoff {
  readonly call: Call;
  readonly kind: 'run_in_executor' | 'submit' | 'thread';
  /** The callable expression. */
  readonly target: PyNode;
  /** Positional arguments after the callable (executor-style calls). */
  readonly rest: readonly PyNode[];
}

export default createPythonRule<MessageIds>({
  name: 'no-executor-context-loss',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow handing work to a thread inside a span without carrying the context along',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      contextLost:
        '`{{call}}` runs `{{target}}` on a thread that does not inherit the current context: spans it opens (and spans of instrumented libraries it calls) become roots of a new trace instead of children of span "{{span}}".',
      useToThread: 'Use `await asyncio.to_thread(...)`, which copies the context into the worker.',
      copyContext: 'Run `{{target}}` through `contextvars.copy_context().run`.',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const model = getProjectModel(context);
    return {
      call(call) {
        const handoff = handoffOf(model, call);
        if (!handoff || carriesContext(model, handoff.target)) return;
        const span = openSpan(model, call);
        if (!span) return;
        const suggestions: { messageId: MessageIds; edits: TextEdit[] }[] = [];
        const toThread = toThreadEdits(sourceCode, model, handoff);
        if (toThread) suggestions.push({ messageId: 'useToThread', edits: toThread });
        const copy = copyContextEdits(sourceCode, model, handoff);
        if (copy) suggestions.push({ messageId: 'copyContext', edits: copy });
        const target = model.textOf(handoff.target);
        context.report({
          node: call,
          messageId: 'contextLost',
          data: { call: model.textOf(call), target, span: span.name ?? model.textOf(span.call) },
          suggest: suggestions.map(({ messageId, edits }) => ({
            messageId,
            data: { target },
            fix: (fixer) => edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)),
          })),
        });
      },
    };
  },
});

/** The value of a keyword argument, or null. */
function keywordArgument(call: Call, name: string): PyNode | null {
  return keywordArgumentNode(call, name)?.value ?? null;
}

function handoffOf(model: SemanticModel, call: Call): Handoff | null {
  const callee = model.calleeName(call) ?? '';
  const method = call.function?.type === 'attribute' ? call.function.attribute?.text : undefined;
  // This runs for every call of the file: the receiver is resolved, and the arguments gathered, only
  // for calls that can hand work to a thread.
  const receiverUnknown = method === 'run_in_executor' && call.function?.type === 'attribute' && model.isUnknownValue(model.qualifiedName(call.function.object));
  if (LOOP_FACTORIES.test(callee) || receiverUnknown) {
    const [, target, ...rest] = positionalArguments(call);
    return target ? { call, kind: 'run_in_executor', target, rest } : null;
  }
  if (THREAD_POOL.test(callee)) {
    const [target, ...rest] = positionalArguments(call);
    return target ? { call, kind: 'submit', target, rest } : null;
  }
  if (THREAD_CLASSES.has(callee)) {
    const target = callee === 'threading.Timer' ? (positionalArguments(call)[1] ?? keywordArgument(call, 'function')) : keywordArgument(call, 'target');
    return target ? { call, kind: 'thread', target, rest: [] } : null;
  }
  return null;
}

/** `ctx.run`, `copy_context().run`, `functools.partial(ctx.run, ...)`, or a lambda that calls `ctx.run`. */
function carriesContext(model: SemanticModel, target: PyNode): boolean {
  if (target.type === 'attribute' && target.attribute?.text === 'run') return CONTEXT_VALUES.has(model.qualifiedName(target.object) ?? '');
  if (target.type === 'call' && model.calleeName(target) === 'functools.partial') {
    const [inner] = positionalArguments(target);
    return inner ? carriesContext(model, inner) : false;
  }
  if (target.type === 'lambda' && target.body?.type === 'call' && target.body.function) return carriesContext(model, target.body.function);
  return false;
}

/** The span open at the call: visibly around it, or around the awaited calls of its async function. */
function openSpan(model: SemanticModel, call: Call): SpanScope | null {
  return model.spans.openSpanAt(call)?.span ?? null;
}

/** `await loop.run_in_executor(None, fn, *args)` → `await asyncio.to_thread(fn, *args)`. */
function toThreadEdits(sourceCode: PythonSourceCode, model: SemanticModel, handoff: Handoff): TextEdit[] | null {
  if (handoff.kind !== 'run_in_executor' || handoff.call.parent?.type !== 'await') return null;
  const [executor] = positionalArguments(handoff.call);
  if (executor?.type !== 'none' || !model.isInAsyncFunction(handoff.call)) return null;
  const asyncio = model.moduleAlias('asyncio') ?? 'asyncio';
  const args = [handoff.target, ...handoff.rest].map((arg) => model.textOf(arg)).join(', ');
  const edits: TextEdit[] = [{ range: handoff.call.range, text: `${asyncio}.to_thread(${args})` }];
  const importEdit = model.moduleAlias('asyncio') ? null : ensureImport(sourceCode, model, 'asyncio');
  if (importEdit) edits.push(importEdit);
  return edits;
}

/** Pass `contextvars.copy_context().run` as the callable, with the original callable first. */
function copyContextEdits(sourceCode: PythonSourceCode, model: SemanticModel, handoff: Handoff): TextEdit[] | null {
  const contextvars = model.moduleAlias('contextvars') ?? 'contextvars';
  const runner = `${contextvars}.copy_context().run`;
  const edits: TextEdit[] = [];
  const target = handoff.target;
  if (handoff.kind === 'thread' && model.calleeName(handoff.call) === 'threading.Thread') {
    edits.push({ range: target.range, text: runner });
    const args = keywordArgument(handoff.call, 'args');
    if (args) {
      const items = args.type === 'tuple' || args.type === 'list' ? args.children.map((item) => model.textOf(item)) : [`*${model.textOf(args)}`];
      edits.push({ range: args.range, text: `(${[model.textOf(target), ...items].join(', ')})` });
    } else {
      const end = handoff.call.arguments?.range[1];
      if (end === undefined) return null;
      edits.push({ range: [end - 1, end - 1], text: `, args=(${model.textOf(target)},)` });
    }
  } else if (handoff.kind === 'thread') {
    return null;
  } else {
    edits.push({ range: [target.range[0], target.range[0]], text: `${runner}, ` });
  }
  const importEdit = model.moduleAlias('contextvars') ? null : ensureImport(sourceCode, model, 'contextvars');
  if (importEdit) edits.push(importEdit);
  return edits.sort((a, b) => a.range[0] - b.range[0]);
}
