import plugin from 'eslint-plugin-otel-async';
import { PY, pythonRuleTester } from '../../helpers/rule-tester.js';

const rule = plugin.rules['no-span-in-tight-loop'];
if (!rule) throw new Error('rule no-span-in-tight-loop is not exported');
const lines = (...parts: string[]): string => `${parts.join('\n')}\n`;
const HEADER = ['from opentelemetry import trace', 'tracer = trace.get_tracer(__name__)'];

pythonRuleTester().run('no-span-in-tight-loop', rule, {
  valid: [
    // The loop awaits: it yields to the loop, it is I/O-bound work with a span per unit.
    { code: lines(...HEADER, 'async def f(items):', '    for item in items:', '        with tracer.start_as_current_span("item"):', '            await handle(item)'), ...PY },
    { code: lines(...HEADER, 'async def f(source):', '    async for item in source:', '        with tracer.start_as_current_span("item"):', '            handle(item)'), ...PY },
    // The span covers the whole loop.
    { code: lines(...HEADER, 'def f(items):', '    with tracer.start_as_current_span("batch"):', '        for item in items:', '            handle(item)'), ...PY },
    // A span in a nested def is not started by the loop.
    { code: lines(...HEADER, 'def f(items):', '    for item in items:', '        def later():', '            with tracer.start_as_current_span("x"):', '                pass', '        register(later)'), ...PY },
    // use_span activates an existing span; it starts none.
    { code: lines(...HEADER, 'def f(span, items):', '    for item in items:', '        with trace.use_span(span):', '            handle(item)'), ...PY },
    // A while loop with a real condition that awaits.
    { code: lines(...HEADER, 'async def f(q):', '    while not q.empty():', '        with tracer.start_as_current_span("msg"):', '            await q.get()'), ...PY },
    // Not a tracer.
    { code: lines('import mylib', 'db = mylib.Db()', 'def f(items):', '    for item in items:', '        db.start_span("x")'), ...PY },
  ],
  invalid: [
    {
      code: lines(...HEADER, 'def f(items):', '    for item in items:', '        with tracer.start_as_current_span("item") as span:', '            span.set_attribute("id", item)'),
      ...PY,
      errors: [{ messageId: 'spanInHotLoop', line: 5, column: 14, endLine: 5, endColumn: 50 }],
    },
    {
      // An await in a nested def does not make the loop await; start_span counts too.
      code: lines(...HEADER, 'async def f(items):', '    for item in items:', '        span = tracer.start_span("item")', '        async def later():', '            await g()', '        span.end()'),
      ...PY,
      errors: [{ messageId: 'spanInHotLoop', line: 5, column: 16, endLine: 5, endColumn: 41 }],
    },
    {
      // while True, even when it awaits.
      code: lines(...HEADER, 'async def poll(q):', '    while True:', '        msg = await q.get()', '        with tracer.start_as_current_span("poll"):', '            handle(msg)'),
      ...PY,
      errors: [{ messageId: 'spanInEndlessLoop', line: 6, column: 14, endLine: 6, endColumn: 50 }],
    },
    {
      // The innermost loop decides: the inner loop never awaits.
      code: lines(...HEADER, 'async def f(batches):', '    for batch in batches:', '        await flush()', '        while batch:', '            with tracer.start_as_current_span("row"):', '                batch.pop()'),
      ...PY,
      errors: [{ messageId: 'spanInHotLoop', line: 7, column: 18 }],
    },
  ],
});
