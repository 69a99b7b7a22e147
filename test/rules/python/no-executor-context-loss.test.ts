import plugin from 'eslint-plugin-otel-async';
import { describe, it } from 'node:test';
import { checkFixesAndSuggestions, PY, pythonRuleTester } from '../../helpers/rule-tester.js';

const rule = plugin.rules['no-executor-context-loss'];
if (!rule) throw new Error('rule no-executor-context-loss is not exported');
const lines = (...parts: string[]): string => `${parts.join('\n')}\n`;
const HEADER = ['import asyncio', 'from opentelemetry import trace', 'tracer = trace.get_tracer(__name__)'];

const executor = lines(...HEADER, 'async def lookup(key):', '    loop = asyncio.get_running_loop()', '    with tracer.start_as_current_span("lookup"):', '        return await loop.run_in_executor(None, blocking_lookup, key)');
const executorToThread = lines(...HEADER, 'async def lookup(key):', '    loop = asyncio.get_running_loop()', '    with tracer.start_as_current_span("lookup"):', '        return await asyncio.to_thread(blocking_lookup, key)');
const executorCopy = lines(
  ...HEADER.slice(0, 2),
  'import contextvars',
  HEADER[2] ?? '',
  'async def lookup(key):',
  '    loop = asyncio.get_running_loop()',
  '    with tracer.start_as_current_span("lookup"):',
  '        return await loop.run_in_executor(None, contextvars.copy_context().run, blocking_lookup, key)',
);
const pool = lines('from concurrent.futures import ThreadPoolExecutor', 'import contextvars', 'from opentelemetry import trace', 'tracer = trace.get_tracer(__name__)', 'def handle(items):', '    with ThreadPoolExecutor() as ex, tracer.start_as_current_span("fan"):', '        return [ex.submit(work, item) for item in items]');
const thread = lines('import threading', 'import contextvars', 'from opentelemetry import trace', 'tracer = trace.get_tracer(__name__)', '@tracer.start_as_current_span("spawn")', 'def spawn(job, opts):', '    threading.Thread(target=job.run, args=opts).start()', '    threading.Thread(target=job.run).start()');

// The seed guide's own pattern: the callable is a lambda that runs through ctx.run.
const guideCorrect = lines(
  'import asyncio, contextvars, functools',
  'from opentelemetry import trace',
  'tracer = trace.get_tracer(__name__)',
  'async def lookup(key: str) -> str:',
  '    loop = asyncio.get_running_loop()',
  '    ctx = contextvars.copy_context()',
  '    with tracer.start_as_current_span("lookup"):',
  '        return await loop.run_in_executor(',
  '            None, lambda: ctx.run(functools.partial(blocking_lookup, key))',
  '        )',
);

pythonRuleTester().run('no-executor-context-loss', rule, {
  valid: [
    { code: guideCorrect, ...PY },
    // Already carried: ctx.run directly, through functools.partial, copy_context().run inline.
    { code: lines(...HEADER, 'import contextvars, functools', 'async def f(loop):', '    ctx = contextvars.copy_context()', '    with tracer.start_as_current_span("a"):', '        await loop.run_in_executor(None, ctx.run, g, 1)', '        await loop.run_in_executor(None, functools.partial(ctx.run, g, 1))', '        await loop.run_in_executor(None, contextvars.copy_context().run, g)'), ...PY },
    // asyncio.to_thread copies the context itself.
    { code: lines(...HEADER, 'async def f():', '    with tracer.start_as_current_span("a"):', '        await asyncio.to_thread(g, 1)'), ...PY },
    // No span open here, and none from callers.
    { code: lines('import asyncio', 'async def f():', '    loop = asyncio.get_running_loop()', '    await loop.run_in_executor(None, g)'), ...PY },
    // A process pool is not a thread pool sharing contextvars semantics we can fix with copy_context.
    { code: lines('from concurrent.futures import ProcessPoolExecutor', ...HEADER, 'def f():', '    with tracer.start_as_current_span("a"):', '        ProcessPoolExecutor().submit(g)'), ...PY },
  ],
  invalid: [
    {
      code: executor,
      ...PY,
      errors: [
        {
          messageId: 'contextLost',
          line: 7,
          column: 22,
          endLine: 7,
          endColumn: 70,
          suggestions: [
            { messageId: 'useToThread', output: executorToThread },
            { messageId: 'copyContext', output: executorCopy },
          ],
        },
      ],
    },
    {
      code: pool,
      ...PY,
      errors: [
        {
          messageId: 'contextLost',
          line: 7,
          column: 17,
          suggestions: [
            {
              messageId: 'copyContext',
              output: pool.replace('ex.submit(work, item)', 'ex.submit(contextvars.copy_context().run, work, item)'),
            },
          ],
        },
      ],
    },
    {
      code: thread,
      ...PY,
      errors: [
        {
          messageId: 'contextLost',
          line: 7,
          column: 5,
          suggestions: [{ messageId: 'copyContext', output: thread.replace('target=job.run, args=opts)', 'target=contextvars.copy_context().run, args=(job.run, *opts))') }],
        },
        {
          messageId: 'contextLost',
          line: 8,
          column: 5,
          suggestions: [{ messageId: 'copyContext', output: thread.replace('threading.Thread(target=job.run).start()', 'threading.Thread(target=contextvars.copy_context().run, args=(job.run,)).start()') }],
        },
      ],
    },
    {
      // The span comes from the caller; not awaited, so only the copy_context suggestion.
      code: lines('import asyncio', ...HEADER.slice(1), 'async def handler():', '    with tracer.start_as_current_span("request"):', '        await helper()', 'async def helper():', '    asyncio.get_running_loop().run_in_executor(None, g)'),
      ...PY,
      errors: [{ messageId: 'contextLost', line: 8, column: 5, suggestions: [{ messageId: 'copyContext', output: lines('import asyncio', 'from opentelemetry import trace', 'import contextvars', 'tracer = trace.get_tracer(__name__)', 'async def handler():', '    with tracer.start_as_current_span("request"):', '        await helper()', 'async def helper():', '    asyncio.get_running_loop().run_in_executor(None, contextvars.copy_context().run, g)') }] }],
    },
  ],
});

describe('no-executor-context-loss suggestions compile and re-lint clean', () => {
  for (const [label, code] of Object.entries({ executor, pool, thread })) {
    it(label, () => {
      checkFixesAndSuggestions(code, 'no-executor-context-loss');
    });
  }
});
