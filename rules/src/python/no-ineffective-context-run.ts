import type { Call, PyNode } from '../language/generated/node-types.js';
import { getProjectModel } from '../project/index.js';
import { createPythonRule } from '../util/create-rule.js';
import { ensureImport } from '../util/python-edits.js';

type MessageIds = 'ineffectiveRun' | 'useCreateTask';

/** Values that are a `contextvars.Context`. */
const CONTEXT_VALUES = new Set(['contextvars.copy_context()', 'contextvars.Context()']);

export default createPythonRule<MessageIds>({
  name: 'no-ineffective-context-run',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow `Context.run` on an async function, which runs only the coroutine creation in that context',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      ineffectiveRun:
        '`{{call}}` only creates the coroutine of async function `{{function}}` inside the context: its body runs later in the awaiting task\'s context, not in `{{context}}`, and the context changes it makes (the spans it makes current) leak into the caller.',
      useCreateTask: 'Run `{{function}}` in its own task with `context={{context}}` (Python 3.11+).',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const model = getProjectModel(context);

    return {
      call(call) {
        const callee = call.function;
        if (callee?.type !== 'attribute' || callee.attribute?.text !== 'run' || !callee.object) return;
        const receiver = model.qualifiedName(callee.object);
        const awaited = call.parent?.type === 'await';
        if (!CONTEXT_VALUES.has(receiver ?? '')) return;
        const args = call.arguments?.type === 'argument_list' ? call.arguments.children : [];
        const target = args[0];
        if (!target || target.type === 'keyword_argument' || target.type === 'list_splat' || target.type === 'dictionary_splat') return;
        const fn = model.resolveFunction(target);
        // A resolved def decides; otherwise awaiting what ctx.run returned means it made an awaitable.
        const runsCoroutineFunction = fn ? model.facts(fn).isAsync && !model.facts(fn).isGenerator : awaited;
        if (!runsCoroutineFunction) return;

        const functionText = model.textOf(target);
        const contextText = model.textOf(callee.object);
        const suggest = awaited ? createTaskSuggestion(call, args, functionText, contextText) : null;
        context.report({
          node: call,
          messageId: 'ineffectiveRun',
          data: { call: model.textOf(call), function: functionText, context: contextText },
          suggest: suggest
            ? [
                {
                  messageId: 'useCreateTask',
                  data: { function: functionText, context: contextText },
                  fix(fixer) {
                    const asyncio = model.moduleAlias('asyncio');
                    const name = asyncio ?? 'asyncio';
                    const edits = [fixer.replaceTextRange([call.range[0], call.range[1]], suggest(name))];
                    const importEdit = asyncio ? null : ensureImport(sourceCode, model, 'asyncio');
                    if (importEdit) edits.push(fixer.insertTextAfterRange([importEdit.range[0], importEdit.range[1]], importEdit.text));
                    return edits;
                  },
                },
              ]
            : [],
        });

        function createTaskSuggestion(
          run: Call,
          runArgs: readonly PyNode[],
          fnText: string,
          ctxText: string,
        ): ((asyncioName: string) => string) | null {
          const rest = runArgs.slice(1).map((arg) => model.textOf(arg));
          if (run.arguments?.type !== 'argument_list') return null;
          return (asyncioName) => `${asyncioName}.create_task(${fnText}(${rest.join(', ')}), context=${ctxText})`;
        }
      },
    };
  },
});
