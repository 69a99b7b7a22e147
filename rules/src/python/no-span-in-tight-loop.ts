import type { PyNode } from '../language/generated/node-types.js';
import { opensOtherFrame, nodesRunBy } from '../semantic/statements.js';
import { getProjectModel } from '../project/index.js';
import { createPythonRule } from '../util/create-rule.js';

type MessageIds = 'spanInHotLoop' | 'spanInEndlessLoop';

type Loop = Extract<PyNode, { type: 'for_statement' | 'while_statement' }>;

export default createPythonRule<MessageIds>({
  name: 'no-span-in-tight-loop',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Disallow starting a span on every iteration of a loop that never awaits or never ends',
      recommended: false,
    },
    schema: [],
    messages: {
      spanInHotLoop:
        '`{{call}}` starts a span on every iteration of a loop that never awaits: a hot loop fills the batch queue (`max_queue_size`, 2048 spans by default) and further spans are dropped silently. Span the whole loop, or sample.',
      spanInEndlessLoop:
        '`{{call}}` starts a span on every iteration of `while True`: an endless loop produces spans without bound and overflows the batch queue (`max_queue_size`); spans are then dropped silently. Span each unit of work with sampling, or record iterations as events.',
    },
  },
  create(context) {
    const model = getProjectModel(context);
    const awaitFreeLoops = new Map<Loop, boolean>();

    const loopHasNoAwait = (loop: Loop): boolean => {
      let cached = awaitFreeLoops.get(loop);
      if (cached === undefined) {
        cached = !loop.async && !containsOwnAwait(loop);
        awaitFreeLoops.set(loop, cached);
      }
      return cached;
    };

    return {
      call(call) {
        const span = model.spans.spanCall(call);
        if (!span || span.method === 'use_span') return;
        const loop = innermostLoop(call);
        if (!loop) return;
        if (isEndless(loop)) {
          context.report({ node: call, messageId: 'spanInEndlessLoop', data: { call: model.textOf(call) } });
        } else if (loopHasNoAwait(loop)) {
          context.report({ node: call, messageId: 'spanInHotLoop', data: { call: model.textOf(call) } });
        }
      },
    };
  },
});

/** The nearest `for`/`while` whose body runs `node`, in the same function. */
function innermostLoop(node: PyNode): Loop | null {
  let child: PyNode = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (opensOtherFrame(current)) return null;
    if ((current.type === 'for_statement' || current.type === 'while_statement') && child === current.body) return current;
  }
  return null;
}

function isEndless(loop: Loop): boolean {
  if (loop.type !== 'while_statement') return false;
  const condition = loop.condition;
  return condition?.type === 'true' || (condition?.type === 'integer' && condition.text !== '0');
}

/** Whether the loop awaits anywhere in its own frame (condition, iterable or body). */
function containsOwnAwait(loop: Loop): boolean {
  for (const node of nodesRunBy(loop)) {
    if (node.type === 'await') return true;
    if ((node.type === 'with_statement' || node.type === 'for_statement' || node.type === 'for_in_clause') && node.async) return true;
  }
  return false;
}
