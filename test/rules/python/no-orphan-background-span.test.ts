import plugin from 'eslint-plugin-otel-async';
import { describe, it } from 'node:test';
import { checkFixesAndSuggestions, PY, pythonRuleTester } from '../../helpers/rule-tester.js';

const rule = plugin.rules['no-orphan-background-span'];
if (!rule) throw new Error('rule no-orphan-background-span is not exported');
const lines = (...parts: string[]): string => `${parts.join('\n')}\n`;
const HEADER = ['import asyncio', 'from opentelemetry import trace', 'tracer = trace.get_tracer(__name__)'];

const kept = lines(...HEADER, '_background = set()', 'async def handle(order_id):', '    with tracer.start_as_current_span("handle"):', '        task = asyncio.create_task(audit(order_id))', '        _background.add(task)', '        task.add_done_callback(_background.discard)', '        respond()');
const keptAwaited = lines(...HEADER, '_background = set()', 'async def handle(order_id):', '    with tracer.start_as_current_span("handle"):', '        task = asyncio.create_task(audit(order_id))', '        _background.add(task)', '        task.add_done_callback(_background.discard)', '        respond()', '        await task');
const keptDetached = lines(
  'import asyncio',
  'from opentelemetry import trace',
  'import contextvars',
  'from opentelemetry import context as otel_context',
  'tracer = trace.get_tracer(__name__)',
  '_background = set()',
  'async def handle(order_id):',
  '    with tracer.start_as_current_span("handle"):',
  '        detached = contextvars.copy_context()',
  '        detached.run(otel_context.attach, otel_context.Context())',
  '        task = asyncio.create_task(audit(order_id), context=detached)',
  '        _background.add(task)',
  '        task.add_done_callback(_background.discard)',
  '        respond()',
);
const statement = lines(...HEADER, 'async def handle():', '    with tracer.start_as_current_span("handle"):', '        asyncio.ensure_future(audit())');

// The seed guide's handle_request: audit opens its span with context=Context(), a deliberate new root.
const guide = lines(
  ...HEADER,
  'from opentelemetry.context import Context',
  '_background: set[asyncio.Task] = set()',
  'async def audit(key: str) -> None:',
  '    with tracer.start_as_current_span("audit", context=Context()) as span:',
  '        span.set_attribute("audit.key", key)',
  '        await asyncio.sleep(0.2)',
  'async def handle_request(key: str) -> list[dict]:',
  '    with tracer.start_as_current_span("handle_request") as span:',
  '        task = asyncio.create_task(audit(key))',
  '        _background.add(task)',
  '        task.add_done_callback(_background.discard)',
  '        return []',
);

pythonRuleTester().run('no-orphan-background-span', rule, {
  valid: [
    { code: guide, ...PY },
    // Awaited inside the span, directly or through gather.
    { code: lines(...HEADER, 'async def f():', '    with tracer.start_as_current_span("a"):', '        t = asyncio.create_task(g())', '        await asyncio.gather(t)'), ...PY },
    { code: lines(...HEADER, 'async def f():', '    with tracer.start_as_current_span("a"):', '        await asyncio.create_task(g())'), ...PY },
    // A comprehension or list of tasks gathered inside the span (the seed guide's fan-out).
    { code: lines(...HEADER, 'async def f(items):', '    with tracer.start_as_current_span("batch"):', '        tasks = [asyncio.create_task(g(i)) for i in items]', '        await asyncio.gather(*tasks)'), ...PY },
    { code: lines(...HEADER, 'async def f():', '    with tracer.start_as_current_span("pair"):', '        await asyncio.wait([asyncio.create_task(a()), asyncio.create_task(b())])'), ...PY },
    // Started with context=, or under an attached empty context (no-untracked-task's suggestion).
    { code: lines(...HEADER, 'import contextvars', 'async def f():', '    with tracer.start_as_current_span("a"):', '        asyncio.create_task(g(), context=contextvars.Context())'), ...PY },
    { code: lines(...HEADER, 'from opentelemetry import context', 'async def f():', '    with tracer.start_as_current_span("a"):', '        token = context.attach(context.Context())', '        try:', '            t = asyncio.create_task(g())', '        finally:', '            context.detach(token)', '        keep(t)'), ...PY },
    // TaskGroup tasks finish inside the group; no span open; start_span does not make the span current.
    { code: lines(...HEADER, 'async def f():', '    with tracer.start_as_current_span("a"):', '        async with asyncio.TaskGroup() as tg:', '            tg.create_task(g())'), ...PY },
    { code: lines(...HEADER, 'async def f():', '    t = asyncio.create_task(g())', '    keep(t)'), ...PY },
    { code: lines(...HEADER, 'async def f():', '    with tracer.start_span("a"):', '        keep(asyncio.create_task(g()))'), ...PY },
  ],
  invalid: [
    {
      code: kept,
      ...PY,
      errors: [
        {
          messageId: 'orphan',
          line: 7,
          column: 16,
          endLine: 7,
          endColumn: 52,
          suggestions: [
            { messageId: 'awaitInSpan', output: keptAwaited },
            { messageId: 'startDetached', output: keptDetached },
          ],
        },
      ],
    },
    {
      // ensure_future as a statement: awaiting is offered; ensure_future takes no context=.
      code: statement,
      ...PY,
      errors: [{ messageId: 'orphan', line: 6, column: 9, suggestions: [{ messageId: 'awaitInSpan', output: statement.replace('        asyncio.ensure_future', '        await asyncio.ensure_future') }] }],
    },
  ],
});

describe('no-orphan-background-span suggestions compile and re-lint clean', () => {
  for (const [label, code] of Object.entries({ kept, statement })) {
    it(label, () => {
      checkFixesAndSuggestions(code, 'no-orphan-background-span');
    });
  }
});
