import plugin from 'eslint-plugin-otel-async';
import { describe, it } from 'node:test';
import { checkFixesAndSuggestions, PY, pythonRuleTester } from '../../helpers/rule-tester.js';

const rule = plugin.rules['no-manual-span-end'];
if (!rule) throw new Error('rule no-manual-span-end is not exported');
const lines = (...parts: string[]): string => `${parts.join('\n')}\n`;
const HEADER = ['from opentelemetry import trace', 'tracer = trace.get_tracer(__name__)'];

const manual = lines(...HEADER, 'async def handle(req):', '    span = tracer.start_span("handle", attributes={"a": 1})', '    span.set_attribute("x", 1)', '    await process(req)', '    span.end()', '    return 1');
const manualTry = lines(...HEADER, 'async def handle(req):', '    span = tracer.start_span("handle", attributes={"a": 1})', '    try:', '        span.set_attribute("x", 1)', '        await process(req)', '    finally:', '        span.end()', '    return 1');
const manualWith = lines(...HEADER, 'async def handle(req):', '    with tracer.start_as_current_span("handle", attributes={"a": 1}) as span:', '        span.set_attribute("x", 1)', '        await process(req)', '    return 1');
const usedAfter = lines(...HEADER, 'def f():', '    s = tracer.start_span("f")', '    work()', '    s.end()', '    print(s.end_time)');
const usedAfterTry = lines(...HEADER, 'def f():', '    s = tracer.start_span("f")', '    try:', '        work()', '    finally:', '        s.end()', '    print(s.end_time)');

pythonRuleTester().run('no-manual-span-end', rule, {
  valid: [
    // end() in a finally.
    { code: lines(...HEADER, 'async def f():', '    span = tracer.start_span("f")', '    try:', '        await g()', '    finally:', '        span.end()'), ...PY },
    // Handed off: returned, stored, passed on.
    { code: lines(...HEADER, 'def f():', '    span = tracer.start_span("f")', '    span.set_attribute("a", 1)', '    return span'), ...PY },
    { code: lines(...HEADER, 'class H:', '    def on_start(self):', '        span = tracer.start_span("req")', '        self.span = span', '        g()', '        span.end()'), ...PY },
    { code: lines(...HEADER, 'async def f():', '    span = tracer.start_span("f")', '    with trace.use_span(span, end_on_exit=True):', '        await g()', '    span.end()'), ...PY },
    // Nothing in between.
    { code: lines(...HEADER, 'def f():', '    span = tracer.start_span("f")', '    span.end()'), ...PY },
    // Not a tracer.
    { code: lines('import mylib', 'db = mylib.Db()', 'def f():', '    span = db.start_span("x")', '    g()', '    span.end()'), ...PY },
  ],
  invalid: [
    {
      code: manual,
      ...PY,
      errors: [
        {
          messageId: 'endNotInFinally',
          line: 7,
          column: 5,
          endLine: 7,
          endColumn: 15,
          suggestions: [
            { messageId: 'wrapInTryFinally', output: manualTry },
            { messageId: 'useWithBlock', output: manualWith },
          ],
        },
      ],
    },
    {
      // Used after end(): only the try/finally suggestion.
      code: usedAfter,
      ...PY,
      errors: [{ messageId: 'endNotInFinally', line: 6, column: 5, suggestions: [{ messageId: 'wrapInTryFinally', output: usedAfterTry }] }],
    },
    {
      // end() in a nested block: reported, no mechanical rewrite.
      code: lines(...HEADER, 'def f(ok):', '    span = tracer.start_span("f")', '    work()', '    if ok:', '        span.end()'),
      ...PY,
      errors: [{ messageId: 'endNotInFinally', line: 7, column: 9, suggestions: [] }],
    },
  ],
});

describe('no-manual-span-end suggestions compile and re-lint clean', () => {
  for (const [label, code] of Object.entries({ manual, usedAfter })) {
    it(label, () => {
      checkFixesAndSuggestions(code, 'no-manual-span-end');
    });
  }
});
