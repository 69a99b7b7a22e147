import type { Call, PyNode } from '../language/generated/node-types.js';
import type { SemanticModel } from './model.js';

/** Functions that wrap a coroutine in a Task scheduled on the running loop. */
export const TASK_FACTORIES: ReadonlySet<string> = new Set([
  'asyncio.create_task',
  'asyncio.ensure_future',
  'asyncio.tasks.create_task',
  'asyncio.tasks.ensure_future',
]);

/** Event loops whose `create_task` we recognise: the ones asyncio hands out, and annotated loops. */
export const EVENT_LOOPS: ReadonlySet<string> = new Set([
  'asyncio.get_running_loop()',
  'asyncio.get_event_loop()',
  'asyncio.new_event_loop()',
  'asyncio.events.get_running_loop()',
  'asyncio.events.get_event_loop()',
  'asyncio.events.new_event_loop()',
  'asyncio.AbstractEventLoop()',
  'asyncio.events.AbstractEventLoop()',
  'asyncio.BaseEventLoop()',
  'asyncio.base_events.BaseEventLoop()',
]);

/** Functions that wait for tasks: the tasks finish (or are awaited) before they return. */
export const TASK_WAITERS: ReadonlySet<string> = new Set(['asyncio.gather', 'asyncio.wait', 'asyncio.wait_for', 'asyncio.as_completed', 'asyncio.shield']);

/** A call that creates a Task the caller owns (`create_task`, `ensure_future`, `loop.create_task`; not `TaskGroup.create_task`). */
export function isTaskFactory(model: SemanticModel, call: Call): boolean {
  const name = model.calleeName(call);
  if (!name) return false;
  if (TASK_FACTORIES.has(name)) return true;
  const suffix = '.create_task';
  return name.endsWith(suffix) && EVENT_LOOPS.has(name.slice(0, -suffix.length));
}

/**
 * The task-creating calls an expression evaluates to: the call itself, or the element of a list/set
 * comprehension or the items of a list/tuple of them (`[create_task(f(x)) for x in xs]`).
 */
export function createdTasks(model: SemanticModel, expression: PyNode | null | undefined): Call[] {
  if (!expression) return [];
  if (expression.type === 'call') return isTaskFactory(model, expression) ? [expression] : [];
  if (expression.type === 'parenthesized_expression') return createdTasks(model, expression.children[0]);
  if (expression.type === 'list_comprehension' || expression.type === 'set_comprehension') return createdTasks(model, expression.body);
  if (expression.type === 'list' || expression.type === 'tuple') return expression.children.flatMap((item) => createdTasks(model, item));
  return [];
}

/**
 * Whether `use` (a read of a name holding tasks) waits for them: `await t`, `await gather(*ts)`,
 * `await wait(ts)`, `for t in as_completed(ts)`, or `gather(t1, t2)` handed to an await.
 */
export function isWaitedUse(model: SemanticModel, use: PyNode): boolean {
  let node: PyNode = use;
  if (node.parent?.type === 'list_splat') node = node.parent;
  const parent = node.parent;
  if (parent?.type === 'await') return true;
  const call = parent?.type === 'argument_list' ? parent.parent : null;
  return call?.type === 'call' && TASK_WAITERS.has(model.calleeName(call) ?? '');
}
