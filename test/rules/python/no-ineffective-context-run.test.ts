import plugin from 'eslint-plugin-otel-async';
import { describe, it } from 'node:test';
import { checkFixesAndSuggestions, PY, pythonRuleTester } from '../../helpers/rule-tester.js';

const rule = plugin.rules['no-ineffective-context-run'];
if (!rule) throw new Error('rule no-ineffective-context-run is not exported');
const lines = (...parts: string[]): string => `${parts.join('\n')}\n`;

// The seed guide's "isolation" example: reported by design (the body does not run in ctx).
const guideIsolation = lines(
  'import contextvars',
  '',
  'async def process_item(item: dict) -> None:',
  '    pass',
  '',
  'async def isolated(item: dict) -> None:',
  '    ctx = contextvars.copy_context()',
  '    await ctx.run(process_item, item)  # runs with an independent snapshot',
);
const guideIsolationFixed = lines(
  'import contextvars',
  'import asyncio',
  '',
  'async def process_item(item: dict) -> None:',
  '    pass',
  '',
  'async def isolated(item: dict) -> None:',
  '    ctx = contextvars.copy_context()',
  '    await asyncio.create_task(process_item(item), context=ctx)  # runs with an independent snapshot',
);

pythonRuleTester().run('no-ineffective-context-run', rule, {
  valid: [
    // A sync function really runs in the context (the seed guide's thread-pool pattern).
    { code: lines('import contextvars, functools', 'def lookup(key):', '    pass', 'def go(key):', '    ctx = contextvars.copy_context()', '    return ctx.run(functools.partial(lookup, key))'), ...PY },
    { code: lines('import contextvars', 'def work():', '    pass', 'ctx = contextvars.copy_context()', 'ctx.run(work)'), ...PY },
    // The fix itself.
    { code: lines('import asyncio, contextvars', 'async def f():', '    pass', 'async def g():', '    ctx = contextvars.copy_context()', '    await asyncio.create_task(f(), context=ctx)'), ...PY },
    // Something else with a run() method.
    { code: lines('async def f():', '    pass', 'async def g(runner):', '    await runner.run(f)'), ...PY },
    // An async generator function is not a coroutine function.
    { code: lines('import contextvars', 'async def gen():', '    yield 1', 'ctx = contextvars.copy_context()', 'agen = ctx.run(gen)'), ...PY },
  ],
  invalid: [
    {
      code: guideIsolation,
      ...PY,
      errors: [
        {
          messageId: 'ineffectiveRun',
          line: 8,
          column: 11,
          endLine: 8,
          endColumn: 38,
          suggestions: [{ messageId: 'useCreateTask', output: guideIsolationFixed }],
        },
      ],
    },
    {
      // Not awaited, but the target is an async def: reported, no suggestion (creating a task would run it now).
      code: lines('import contextvars as cv', 'async def f(x):', '    pass', 'ctx = cv.Context()', 'coro = ctx.run(f, 1)'),
      ...PY,
      errors: [{ messageId: 'ineffectiveRun', line: 5, column: 8, endLine: 5, endColumn: 21, suggestions: [] }],
    },
    {
      // Awaited with an unresolved callable; keyword arguments and an aliased asyncio import are kept.
      code: lines('import asyncio as aio', 'from contextvars import copy_context', 'async def g(handler):', '    await copy_context().run(handler.process, 1, retries=2)'),
      ...PY,
      errors: [
        {
          messageId: 'ineffectiveRun',
          line: 4,
          column: 11,
          suggestions: [
            {
              messageId: 'useCreateTask',
              output: lines('import asyncio as aio', 'from contextvars import copy_context', 'async def g(handler):', '    await aio.create_task(handler.process(1, retries=2), context=copy_context())'),
            },
          ],
        },
      ],
    },
    {
      // A method through self.
      code: lines('import asyncio, contextvars', 'class W:', '    async def step(self):', '        pass', '    async def go(self):', '        ctx = contextvars.copy_context()', '        await ctx.run(self.step)'),
      ...PY,
      errors: [
        {
          messageId: 'ineffectiveRun',
          line: 7,
          column: 15,
          suggestions: [
            {
              messageId: 'useCreateTask',
              output: lines('import asyncio, contextvars', 'class W:', '    async def step(self):', '        pass', '    async def go(self):', '        ctx = contextvars.copy_context()', '        await asyncio.create_task(self.step(), context=ctx)'),
            },
          ],
        },
      ],
    },
  ],
});

describe('no-ineffective-context-run suggestions compile and re-lint clean', () => {
  it('the seed guide isolation example', () => {
    checkFixesAndSuggestions(guideIsolation, 'no-ineffective-context-run');
  });
});
