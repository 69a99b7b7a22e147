import plugin from 'eslint-plugin-otel-async';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkFixesAndSuggestions, lintPython, PY, pythonRuleTester } from '../../helpers/rule-tester.js';
import { seedGuide } from '../../helpers/seed-guide.js';

const rule = plugin.rules['no-untracked-task'];
if (!rule) throw new Error('rule no-untracked-task is not exported');

const lines = (...parts: string[]): string => `${parts.join('\n')}\n`;
const TRACER = ['from opentelemetry import trace', 'tracer = trace.get_tracer(__name__)'];
const REGISTRY = '_background_tasks: set[asyncio.Task] = set()';
const KEEP = 'Keep a reference in the module-level set `_background_tasks` until the task is done.';

function untracked(call: string): string {
  return `The task from \`${call}\` is not kept anywhere: the event loop holds only a weak reference to it, so it can be garbage-collected before it finishes, losing its spans.`;
}
function untrackedInSpan(call: string, span: string): string {
  return `${untracked(call)} It is created inside span "${span}" and not awaited there, so its spans will outlive their parent "${span}".`;
}

// ---- Reported cases, each with its exact suggestion outputs ----

/** The plain fire-and-forget statement in an `async def`, no span. */
const statementInAsync = lines('import asyncio', '', 'async def handler():', '    asyncio.create_task(work())', '    return 1');
const statementInAsyncKept = lines(
  'import asyncio',
  '',
  REGISTRY,
  '',
  'async def handler():',
  '    task = asyncio.create_task(work())',
  '    _background_tasks.add(task)',
  '    task.add_done_callback(_background_tasks.discard)',
  '    return 1',
);
const statementInAsyncAwaited = lines('import asyncio', '', 'async def handler():', '    await asyncio.create_task(work())', '    return 1');

/** `ensure_future` in a plain callback: no `await` suggestion outside an `async def`. */
const ensureFutureInCallback = lines('import asyncio', 'def on_message(msg):', '    asyncio.ensure_future(handle(msg))  # schedule it');
const ensureFutureInCallbackKept = lines(
  'import asyncio',
  '',
  REGISTRY,
  'def on_message(msg):',
  '    task = asyncio.ensure_future(handle(msg))  # schedule it',
  '    _background_tasks.add(task)',
  '    task.add_done_callback(_background_tasks.discard)',
);

/** `ensure_future` of a local name bound to a coroutine call: a new task. */
const ensureFutureOfCoroutine = lines('import asyncio', 'def go():', '    coro = work()', '    asyncio.ensure_future(coro)');
const ensureFutureOfCoroutineKept = lines(
  'import asyncio',
  '',
  REGISTRY,
  'def go():',
  '    coro = work()',
  '    task = asyncio.ensure_future(coro)',
  '    _background_tasks.add(task)',
  '    task.add_done_callback(_background_tasks.discard)',
);

/** `loop.create_task` on a loop from `get_running_loop()`. */
const runningLoop = lines('import asyncio', 'async def f():', '    loop = asyncio.get_running_loop()', '    loop.create_task(work())');
const runningLoopKept = lines(
  'import asyncio',
  '',
  REGISTRY,
  'async def f():',
  '    loop = asyncio.get_running_loop()',
  '    task = loop.create_task(work())',
  '    _background_tasks.add(task)',
  '    task.add_done_callback(_background_tasks.discard)',
);
const runningLoopAwaited = lines('import asyncio', 'async def f():', '    loop = asyncio.get_running_loop()', '    await loop.create_task(work())');

/** `asyncio.get_event_loop().create_task(...)` inline, in a sync function. */
const inlineLoop = lines('import asyncio', 'def start():', '    asyncio.get_event_loop().create_task(work())');
const inlineLoopKept = lines(
  'import asyncio',
  '',
  REGISTRY,
  'def start():',
  '    task = asyncio.get_event_loop().create_task(work())',
  '    _background_tasks.add(task)',
  '    task.add_done_callback(_background_tasks.discard)',
);

/** `from asyncio import create_task`: the registry's annotation uses `Task`, added to that import. */
const fromImport = lines('from asyncio import create_task, sleep', '', 'async def f():', '    create_task(sleep(1))');
const fromImportKept = lines(
  'from asyncio import create_task, sleep, Task',
  '',
  '_background_tasks: set[Task] = set()',
  '',
  'async def f():',
  '    task = create_task(sleep(1))',
  '    _background_tasks.add(task)',
  '    task.add_done_callback(_background_tasks.discard)',
);
const fromImportAwaited = lines('from asyncio import create_task, sleep', '', 'async def f():', '    await create_task(sleep(1))');

/** `import asyncio as aio`: the annotation uses the alias. Assigned to `_`. */
const underscore = lines('import asyncio as aio', '', 'async def f():', '    _ = aio.create_task(work())');
const underscoreKept = lines(
  'import asyncio as aio',
  '',
  '_background_tasks: set[aio.Task] = set()',
  '',
  'async def f():',
  '    task = aio.create_task(work())',
  '    _background_tasks.add(task)',
  '    task.add_done_callback(_background_tasks.discard)',
);
const underscoreAwaited = lines('import asyncio as aio', '', 'async def f():', '    _ = await aio.create_task(work())');

/** Used only for a chained call: the chained call is kept. */
const chained = lines('import asyncio', '', 'async def f(cb):', '    asyncio.create_task(work()).add_done_callback(cb)');
const chainedKept = lines(
  'import asyncio',
  '',
  REGISTRY,
  '',
  'async def f(cb):',
  '    task = asyncio.create_task(work())',
  '    _background_tasks.add(task)',
  '    task.add_done_callback(_background_tasks.discard)',
  '    task.add_done_callback(cb)',
);
const chainedAwaited = lines(
  'import asyncio',
  '',
  'async def f(cb):',
  '    task = asyncio.create_task(work())',
  '    task.add_done_callback(cb)',
  '    await task',
);

/** Bound to a local name that nothing reads: the task goes when the function returns. */
const unreadLocal = lines('import asyncio', '', 'async def f():', '    pending = asyncio.create_task(work())', '    return None');
const unreadLocalKept = lines(
  'import asyncio',
  '',
  REGISTRY,
  '',
  'async def f():',
  '    pending = asyncio.create_task(work())',
  '    _background_tasks.add(pending)',
  '    pending.add_done_callback(_background_tasks.discard)',
  '    return None',
);
const unreadLocalAwaited = lines('import asyncio', '', 'async def f():', '    pending = await asyncio.create_task(work())', '    return None');

/** Not alone on its line: the rewrite uses `;` so it stays valid after `if x:`. */
const sharedLine = lines('import asyncio', '', 'async def f(flag):', '    if flag: asyncio.create_task(work())');
const sharedLineKept = lines(
  'import asyncio',
  '',
  REGISTRY,
  '',
  'async def f(flag):',
  '    if flag: task = asyncio.create_task(work()); _background_tasks.add(task); task.add_done_callback(_background_tasks.discard)',
);
const sharedLineAwaited = lines('import asyncio', '', 'async def f(flag):', '    if flag: await asyncio.create_task(work())');

/** Inside an open span: the message names the span, and a third suggestion starts a root trace. */
const inSpan = lines(
  'import asyncio',
  ...TRACER,
  '',
  'async def handle_request(key):',
  '    with tracer.start_as_current_span("handle_request"):',
  '        asyncio.create_task(audit(key))  # fire and forget',
  '        return key',
);
const inSpanKept = lines(
  'import asyncio',
  'from opentelemetry import trace',
  '',
  REGISTRY,
  'tracer = trace.get_tracer(__name__)',
  '',
  'async def handle_request(key):',
  '    with tracer.start_as_current_span("handle_request"):',
  '        task = asyncio.create_task(audit(key))  # fire and forget',
  '        _background_tasks.add(task)',
  '        task.add_done_callback(_background_tasks.discard)',
  '        return key',
);
const inSpanAwaited = lines(
  'import asyncio',
  ...TRACER,
  '',
  'async def handle_request(key):',
  '    with tracer.start_as_current_span("handle_request"):',
  '        await asyncio.create_task(audit(key))  # fire and forget',
  '        return key',
);
const inSpanRooted = lines(
  'import asyncio',
  'from opentelemetry import trace',
  'from opentelemetry import context',
  '',
  REGISTRY,
  'tracer = trace.get_tracer(__name__)',
  '',
  'async def handle_request(key):',
  '    with tracer.start_as_current_span("handle_request"):',
  '        token = context.attach(context.Context())',
  '        try:',
  '            task = asyncio.create_task(audit(key))  # fire and forget',
  '        finally:',
  '            context.detach(token)',
  '        _background_tasks.add(task)',
  '        task.add_done_callback(_background_tasks.discard)',
  '        return key',
);

/**
 * The module already has a registry (the guide's `_background`) and imports `Context` and the context
 * module: everything is reused, in the module's own names. A multi-line call keeps its string intact.
 */
const reuse = lines(
  'import asyncio',
  'from opentelemetry import context as otel_ctx, trace',
  'from opentelemetry.context import Context',
  'tracer = trace.get_tracer(__name__)',
  '_background: set[asyncio.Task] = set()',
  '',
  'def keep(task):',
  '    _background.add(task)',
  '    task.add_done_callback(_background.discard)',
  '',
  '@tracer.start_as_current_span("job")',
  'async def job(note):',
  '    asyncio.create_task(',
  '        audit(note, """two',
  'lines"""),',
  '    )',
);
const reuseKept = lines(
  'import asyncio',
  'from opentelemetry import context as otel_ctx, trace',
  'from opentelemetry.context import Context',
  'tracer = trace.get_tracer(__name__)',
  '_background: set[asyncio.Task] = set()',
  '',
  'def keep(task):',
  '    _background.add(task)',
  '    task.add_done_callback(_background.discard)',
  '',
  '@tracer.start_as_current_span("job")',
  'async def job(note):',
  '    task = asyncio.create_task(',
  '        audit(note, """two',
  'lines"""),',
  '    )',
  '    _background.add(task)',
  '    task.add_done_callback(_background.discard)',
);
const reuseAwaited = lines(
  'import asyncio',
  'from opentelemetry import context as otel_ctx, trace',
  'from opentelemetry.context import Context',
  'tracer = trace.get_tracer(__name__)',
  '_background: set[asyncio.Task] = set()',
  '',
  'def keep(task):',
  '    _background.add(task)',
  '    task.add_done_callback(_background.discard)',
  '',
  '@tracer.start_as_current_span("job")',
  'async def job(note):',
  '    await asyncio.create_task(',
  '        audit(note, """two',
  'lines"""),',
  '    )',
);
const reuseRooted = lines(
  'import asyncio',
  'from opentelemetry import context as otel_ctx, trace',
  'from opentelemetry.context import Context',
  'tracer = trace.get_tracer(__name__)',
  '_background: set[asyncio.Task] = set()',
  '',
  'def keep(task):',
  '    _background.add(task)',
  '    task.add_done_callback(_background.discard)',
  '',
  '@tracer.start_as_current_span("job")',
  'async def job(note):',
  '    token = otel_ctx.attach(Context())',
  '    try:',
  '        task = asyncio.create_task(',
  '            audit(note, """two',
  'lines"""),',
  '        )',
  '    finally:',
  '        otel_ctx.detach(token)',
  '    _background.add(task)',
  '    task.add_done_callback(_background.discard)',
);

/**
 * A caller in the module awaits the function inside its span. `task` and `token` are taken, and a
 * parameter named `context` shadows the name, so the new names are suffixed and the import aliased.
 */
const callerSpan = lines(
  'import asyncio',
  ...TRACER,
  '',
  'async def helper(context, task, token):',
  '    asyncio.create_task(work(context, task, token))',
  '',
  'async def handle():',
  '    with tracer.start_as_current_span("handle"):',
  '        await helper(1, 2, 3)',
);
const callerSpanRooted = lines(
  'import asyncio',
  'from opentelemetry import trace',
  'from opentelemetry import context as otel_context',
  '',
  REGISTRY,
  'tracer = trace.get_tracer(__name__)',
  '',
  'async def helper(context, task, token):',
  '    token_1 = otel_context.attach(otel_context.Context())',
  '    try:',
  '        task_1 = asyncio.create_task(work(context, task, token))',
  '    finally:',
  '        otel_context.detach(token_1)',
  '    _background_tasks.add(task_1)',
  '    task_1.add_done_callback(_background_tasks.discard)',
  '',
  'async def handle():',
  '    with tracer.start_as_current_span("handle"):',
  '        await helper(1, 2, 3)',
);

const callerSpanKept = lines(
  'import asyncio',
  'from opentelemetry import trace',
  '',
  REGISTRY,
  'tracer = trace.get_tracer(__name__)',
  '',
  'async def helper(context, task, token):',
  '    task_1 = asyncio.create_task(work(context, task, token))',
  '    _background_tasks.add(task_1)',
  '    task_1.add_done_callback(_background_tasks.discard)',
  '',
  'async def handle():',
  '    with tracer.start_as_current_span("handle"):',
  '        await helper(1, 2, 3)',
);

/** `self.loop` assigned in the class; the module imports asyncio only inside a function. */
const selfLoop = lines(
  'class Worker:',
  '    def __init__(self):',
  '        import asyncio',
  '        self.loop = asyncio.new_event_loop()',
  '',
  '    def kick(self):',
  '        self.loop.create_task(self.run())',
);
const selfLoopKept = lines(
  'import asyncio',
  '',
  REGISTRY,
  '',
  'class Worker:',
  '    def __init__(self):',
  '        import asyncio',
  '        self.loop = asyncio.new_event_loop()',
  '',
  '    def kick(self):',
  '        task = self.loop.create_task(self.run())',
  '        _background_tasks.add(task)',
  '        task.add_done_callback(_background_tasks.discard)',
);

/** An annotated loop parameter; CRLF line endings are kept. */
const annotatedLoop = 'import asyncio\r\n\r\ndef schedule(loop: asyncio.AbstractEventLoop):\r\n    loop.create_task(work())\r\n';
const annotatedLoopKept =
  'import asyncio\r\n\r\n_background_tasks: set[asyncio.Task] = set()\r\n\r\ndef schedule(loop: asyncio.AbstractEventLoop):\r\n    task = loop.create_task(work())\r\n    _background_tasks.add(task)\r\n    task.add_done_callback(_background_tasks.discard)\r\n';

/** Two tasks dropped in one tuple statement: both reported; only `await` can be offered. */
const tuple = lines('import asyncio', 'async def f():', '    asyncio.create_task(a()), asyncio.create_task(b())');

/** A span that is not made current (`start_span`) is not the task's parent. */
const notCurrent = lines('import asyncio', ...TRACER, 'def f():', '    with tracer.start_span("s"):', '        asyncio.ensure_future(work())');
const notCurrentKept = lines(
  'import asyncio',
  'from opentelemetry import trace',
  '',
  REGISTRY,
  'tracer = trace.get_tracer(__name__)',
  'def f():',
  '    with tracer.start_span("s"):',
  '        task = asyncio.ensure_future(work())',
  '        _background_tasks.add(task)',
  '        task.add_done_callback(_background_tasks.discard)',
);

const invalidCases = [
  statementInAsync,
  ensureFutureInCallback,
  ensureFutureOfCoroutine,
  runningLoop,
  inlineLoop,
  fromImport,
  underscore,
  chained,
  unreadLocal,
  sharedLine,
  inSpan,
  reuse,
  callerSpan,
  selfLoop,
  annotatedLoop,
  tuple,
  notCurrent,
];

pythonRuleTester().run('no-untracked-task', rule, {
  valid: [
    // TaskGroup holds its tasks.
    { code: lines('import asyncio', 'async def f():', '    async with asyncio.TaskGroup() as tg:', '        tg.create_task(work())'), ...PY },
    // Awaited, returned, yielded.
    { code: lines('import asyncio', 'async def f():', '    await asyncio.create_task(work())'), ...PY },
    { code: lines('import asyncio', 'def f():', '    return asyncio.ensure_future(work())'), ...PY },
    { code: lines('import asyncio', 'def f():', '    return (lambda: asyncio.create_task(work()))'), ...PY },
    { code: lines('import asyncio', 'async def f():', '    yield asyncio.create_task(work())'), ...PY },
    // Stored on an object or in a container.
    { code: lines('import asyncio', 'class A:', '    def start(self):', '        self.task = asyncio.create_task(self.run())'), ...PY },
    { code: lines('import asyncio', 'tasks = []', 'def f():', '    tasks.append(asyncio.create_task(work()))'), ...PY },
    { code: lines('import asyncio', 'def f(registry):', '    registry["k"] = asyncio.create_task(work())'), ...PY },
    { code: lines('import asyncio', 'def f():', '    return {asyncio.create_task(work())}'), ...PY },
    // Bound to a name that is used later (even only for a callback, or by a nested function).
    { code: lines('import asyncio', 'async def f():', '    t = asyncio.create_task(work())', '    await t'), ...PY },
    { code: lines('import asyncio', 'def f(cb):', '    t = asyncio.create_task(work())', '    t.add_done_callback(cb)'), ...PY },
    { code: lines('import asyncio', 'def f():', '    t = asyncio.create_task(work())', '    def later():', '        return t', '    return later'), ...PY },
    // A loop that cancels the previous iteration's task reads the name before rebinding it.
    {
      code: lines(
        'import asyncio',
        'async def f(queue):',
        '    task = None',
        '    while True:',
        '        msg = await queue.get()',
        '        if task:',
        '            task.cancel()',
        '        task = asyncio.create_task(handle(msg))',
      ),
      ...PY,
    },
    // Module-level and `global` names keep the task as long as the module does.
    { code: lines('import asyncio', 'loop = asyncio.new_event_loop()', 'task = loop.create_task(work())'), ...PY },
    { code: lines('import asyncio', 'task = None', 'def f():', '    global task', '    task = asyncio.create_task(work())'), ...PY },
    // Passed to gather / wait / run_until_complete.
    { code: lines('import asyncio', 'async def f():', '    await asyncio.gather(asyncio.create_task(a()), asyncio.create_task(b()))'), ...PY },
    { code: lines('import asyncio', 'async def f():', '    await asyncio.wait([asyncio.create_task(a())])'), ...PY },
    { code: lines('import asyncio', 'loop = asyncio.new_event_loop()', 'loop.run_until_complete(loop.create_task(work()))'), ...PY },
    // A bound method keeps its task alive.
    { code: lines('import asyncio', 'def f():', '    return asyncio.create_task(work()).cancel'), ...PY },
    // ensure_future of a Future that already exists returns that same object, which its owner holds.
    { code: lines('import asyncio', 'class A:', '    def go(self):', '        asyncio.ensure_future(self._future)'), ...PY },
    { code: lines('import asyncio', 'def go(fut):', '    asyncio.ensure_future(fut)'), ...PY },
    // Functions that only share a name.
    { code: lines('def create_task(x):', '    return x', 'create_task(1)'), ...PY },
    { code: lines('import mylib', 'mylib.create_task(1)', 'mylib.loop().create_task(2)'), ...PY },
  ],
  invalid: [
    {
      code: statementInAsync,
      ...PY,
      errors: [
        {
          message: untracked('asyncio.create_task(...)'),
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 32,
          suggestions: [
            { messageId: 'keepReference', data: { registry: '_background_tasks' }, output: statementInAsyncKept },
            { messageId: 'awaitTask', output: statementInAsyncAwaited },
          ],
        },
      ],
    },
    {
      code: ensureFutureInCallback,
      ...PY,
      errors: [
        {
          messageId: 'untracked',
          data: { call: 'asyncio.ensure_future(...)' },
          line: 3,
          column: 5,
          endLine: 3,
          endColumn: 39,
          suggestions: [{ desc: KEEP, output: ensureFutureInCallbackKept }],
        },
      ],
    },
    {
      code: ensureFutureOfCoroutine,
      ...PY,
      errors: [
        {
          messageId: 'untracked',
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 32,
          suggestions: [{ messageId: 'keepReference', output: ensureFutureOfCoroutineKept }],
        },
      ],
    },
    {
      code: runningLoop,
      ...PY,
      errors: [
        {
          messageId: 'untracked',
          data: { call: 'loop.create_task(...)' },
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 29,
          suggestions: [
            { messageId: 'keepReference', output: runningLoopKept },
            { messageId: 'awaitTask', output: runningLoopAwaited },
          ],
        },
      ],
    },
    {
      code: inlineLoop,
      ...PY,
      errors: [
        {
          messageId: 'untracked',
          data: { call: 'asyncio.get_event_loop().create_task(...)' },
          line: 3,
          column: 5,
          endLine: 3,
          endColumn: 49,
          suggestions: [{ messageId: 'keepReference', output: inlineLoopKept }],
        },
      ],
    },
    {
      code: fromImport,
      ...PY,
      errors: [
        {
          messageId: 'untracked',
          data: { call: 'create_task(...)' },
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 26,
          suggestions: [
            { messageId: 'keepReference', output: fromImportKept },
            { messageId: 'awaitTask', output: fromImportAwaited },
          ],
        },
      ],
    },
    {
      code: underscore,
      ...PY,
      errors: [
        {
          messageId: 'untracked',
          data: { call: 'aio.create_task(...)' },
          line: 4,
          column: 9,
          endLine: 4,
          endColumn: 32,
          suggestions: [
            { messageId: 'keepReference', output: underscoreKept },
            { messageId: 'awaitTask', output: underscoreAwaited },
          ],
        },
      ],
    },
    {
      code: chained,
      ...PY,
      errors: [
        {
          messageId: 'untracked',
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 32,
          suggestions: [
            { messageId: 'keepReference', output: chainedKept },
            { messageId: 'awaitTask', output: chainedAwaited },
          ],
        },
      ],
    },
    {
      code: unreadLocal,
      ...PY,
      errors: [
        {
          messageId: 'untracked',
          line: 4,
          column: 15,
          endLine: 4,
          endColumn: 42,
          suggestions: [
            { messageId: 'keepReference', output: unreadLocalKept },
            { messageId: 'awaitTask', output: unreadLocalAwaited },
          ],
        },
      ],
    },
    {
      code: sharedLine,
      ...PY,
      errors: [
        {
          messageId: 'untracked',
          line: 4,
          column: 14,
          endLine: 4,
          endColumn: 41,
          suggestions: [
            { messageId: 'keepReference', output: sharedLineKept },
            { messageId: 'awaitTask', output: sharedLineAwaited },
          ],
        },
      ],
    },
    {
      code: inSpan,
      ...PY,
      errors: [
        {
          message: untrackedInSpan('asyncio.create_task(...)', 'handle_request'),
          line: 7,
          column: 9,
          endLine: 7,
          endColumn: 40,
          suggestions: [
            { messageId: 'keepReference', output: inSpanKept },
            { messageId: 'awaitTask', output: inSpanAwaited },
            {
              desc: 'Start the task from an empty OpenTelemetry `Context()` so its spans form their own trace, and keep a reference in `_background_tasks`.',
              output: inSpanRooted,
            },
          ],
        },
      ],
    },
    {
      code: reuse,
      ...PY,
      errors: [
        {
          messageId: 'untrackedInSpan',
          data: { call: 'asyncio.create_task(...)', span: 'job' },
          line: 13,
          column: 5,
          endLine: 16,
          endColumn: 6,
          suggestions: [
            { messageId: 'keepReference', data: { registry: '_background' }, output: reuseKept },
            { messageId: 'awaitTask', output: reuseAwaited },
            { messageId: 'ownRootTrace', data: { registry: '_background' }, output: reuseRooted },
          ],
        },
      ],
    },
    {
      code: callerSpan,
      ...PY,
      errors: [
        {
          message: `${untracked('asyncio.create_task(...)')} It is created while span "handle" is open (via handle() → helper()) and not awaited there, so its spans will outlive their parent "handle".`,
          line: 6,
          column: 5,
          endLine: 6,
          endColumn: 52,
          suggestions: [
            { messageId: 'keepReference', output: callerSpanKept },
            { messageId: 'awaitTask', output: callerSpan.replace('    asyncio.create_task(', '    await asyncio.create_task(') },
            { messageId: 'ownRootTrace', output: callerSpanRooted },
          ],
        },
      ],
    },
    {
      code: selfLoop,
      ...PY,
      errors: [
        {
          messageId: 'untracked',
          data: { call: 'self.loop.create_task(...)' },
          line: 7,
          column: 9,
          endLine: 7,
          endColumn: 42,
          suggestions: [{ messageId: 'keepReference', output: selfLoopKept }],
        },
      ],
    },
    {
      code: annotatedLoop,
      ...PY,
      errors: [
        {
          messageId: 'untracked',
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 29,
          suggestions: [{ messageId: 'keepReference', output: annotatedLoopKept }],
        },
      ],
    },
    {
      code: tuple,
      ...PY,
      errors: [
        {
          messageId: 'untracked',
          line: 3,
          column: 5,
          endLine: 3,
          endColumn: 29,
          suggestions: [{ messageId: 'awaitTask', output: lines('import asyncio', 'async def f():', '    await asyncio.create_task(a()), asyncio.create_task(b())') }],
        },
        {
          messageId: 'untracked',
          line: 3,
          column: 31,
          endLine: 3,
          endColumn: 55,
          suggestions: [{ messageId: 'awaitTask', output: lines('import asyncio', 'async def f():', '    asyncio.create_task(a()), await asyncio.create_task(b())') }],
        },
      ],
    },
    {
      code: notCurrent,
      ...PY,
      errors: [
        {
          messageId: 'untracked',
          line: 6,
          column: 9,
          endLine: 6,
          endColumn: 38,
          suggestions: [{ messageId: 'keepReference', output: notCurrentKept }],
        },
      ],
    },
  ],
});

describe('no-untracked-task: every suggestion compiles and fixes the problem', () => {
  for (const [index, code] of invalidCases.entries()) {
    it(`invalid case ${index + 1}`, () => {
      const outputs = checkFixesAndSuggestions(code, 'no-untracked-task');
      assert.ok(outputs.length > 0);
    });
  }
});

// ---- The seed guide (async-tracing-patterns-in-python), indentation restored ----

const GUIDE_SETUP = lines(
  'import asyncio',
  'import contextvars',
  'from opentelemetry import trace',
  'from opentelemetry.context import Context',
  'from opentelemetry.trace import Status, StatusCode',
  'tracer = trace.get_tracer(__name__)',
);

const guideCorrect = seedGuide('correct_patterns');

/** The guide's "Dropping references to background tasks" mistake, in its own fan-out example. */
const guideMistake = lines(
  GUIDE_SETUP.trimEnd(),
  '',
  'async def do_work() -> None:',
  '    with tracer.start_as_current_span("do_work"):',
  '        await asyncio.sleep(0.2)',
  '',
  'async def handle_request(key: str) -> None:',
  '    with tracer.start_as_current_span("handle_request") as span:',
  '        span.set_attribute("request.key", key)',
  '        asyncio.create_task(do_work())',
);

describe('no-untracked-task: the seed guide', () => {
  it('lints every correct pattern clean', () => {
    assert.deepEqual(lintPython(guideCorrect, 'no-untracked-task'), []);
  });
  it('reports the fire-and-forget mistake, naming the request span', () => {
    const messages = lintPython(guideMistake, 'no-untracked-task');
    assert.deepEqual(
      messages.map((message) => [message.messageId, message.line, message.column, message.endLine, message.endColumn]),
      [['untrackedInSpan', 15, 9, 15, 39]],
    );
    assert.match(messages[0]?.message ?? '', /inside span "handle_request"/u);
    assert.deepEqual(
      messages[0]?.suggestions?.map((suggestion) => suggestion.messageId),
      ['keepReference', 'awaitTask', 'ownRootTrace'],
    );
    checkFixesAndSuggestions(guideMistake, 'no-untracked-task');
  });
});
