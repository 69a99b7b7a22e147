import plugin from 'eslint-plugin-otel-async';
import { describe, it } from 'node:test';
import { checkFixesAndSuggestions, PY, pythonRuleTester } from '../../helpers/rule-tester.js';

const rule = plugin.rules['no-span-across-yield'];
if (!rule) throw new Error('rule no-span-across-yield is not exported');

const HEADER = 'from opentelemetry import trace\ntracer = trace.get_tracer(__name__)\n';
const lines = (...parts: string[]): string => `${parts.join('\n')}\n`;

const withAcrossYield = lines(
  HEADER.trimEnd(),
  'async def rows(db):',
  '    with tracer.start_as_current_span("rows") as span:',
  '        async for row in db.fetch():',
  '            span.add_event("row")',
  '            yield row',
);
const withAcrossYieldFixed = lines(
  HEADER.trimEnd(),
  'async def rows(db):',
  '    span = tracer.start_span("rows")',
  '    try:',
  '        async for row in db.fetch():',
  '            span.add_event("row")',
  '            yield row',
  '    finally:',
  '        span.end()',
);

const decorated = lines(
  HEADER.trimEnd(),
  '@tracer.start_as_current_span("numbers", attributes={"a": 1})',
  'def numbers(limit):',
  '    """Count up."""',
  '    for i in range(limit):',
  '        yield i',
);
const decoratedFixed = lines(
  HEADER.trimEnd(),
  'def numbers(limit):',
  '    """Count up."""',
  '    span = tracer.start_span("numbers", attributes={"a": 1})',
  '    try:',
  '        for i in range(limit):',
  '            yield i',
  '    finally:',
  '        span.end()',
);

pythonRuleTester().run('no-span-across-yield', rule, {
  valid: [
    // A span closed before the yield.
    { code: lines(HEADER.trimEnd(), 'def g():', '    with tracer.start_as_current_span("prep"):', '        x = 1', '    yield x'), ...PY },
    // start_span without making it current.
    { code: lines(HEADER.trimEnd(), 'def g():', '    with tracer.start_span("s"):', '        yield 1'), ...PY },
    // Holding the span across the single yield is the point of a context manager / fixture.
    { code: lines('import contextlib', HEADER.trimEnd(), '@contextlib.contextmanager', 'def cm():', '    with tracer.start_as_current_span("cm"):', '        yield'), ...PY },
    { code: lines('from contextlib import asynccontextmanager as acm', HEADER.trimEnd(), '@acm', 'async def cm():', '    with tracer.start_as_current_span("cm"):', '        yield'), ...PY },
    { code: lines('import pytest', HEADER.trimEnd(), '@pytest.fixture(scope="session")', 'def fx():', '    with tracer.start_as_current_span("fx"):', '        yield 1'), ...PY },
    { code: lines('import pytest_asyncio', HEADER.trimEnd(), '@pytest_asyncio.fixture', 'async def fx():', '    with tracer.start_as_current_span("fx"):', '        yield 1'), ...PY },
    // The yield belongs to a nested function, a lambda or a generator expression.
    { code: lines(HEADER.trimEnd(), 'def g():', '    with tracer.start_as_current_span("s"):', '        def inner():', '            yield 1', '        return list(x for x in inner())', '    yield 2'), ...PY },
    // Not a generator at all.
    { code: lines(HEADER.trimEnd(), 'async def f():', '    with tracer.start_as_current_span("s"):', '        await g()'), ...PY },
    // A decorator span on a plain (non-generator) function is fine.
    { code: lines(HEADER.trimEnd(), '@tracer.start_as_current_span("f")', 'async def f():', '    await g()'), ...PY },
    // Something else named start_as_current_span on a known non-tracer object.
    { code: lines('import mylib', 'client = mylib.Client()', 'def g():', '    with client.start_as_current_span("s"):', '        yield 1'), ...PY },
  ],
  invalid: [
    {
      code: withAcrossYield,
      ...PY,
      errors: [
        {
          messageId: 'withAcrossYield',
          line: 4,
          column: 10,
          endLine: 4,
          endColumn: 54,
          suggestions: [{ messageId: 'useStartSpan', output: withAcrossYieldFixed }],
        },
      ],
    },
    {
      // trace.use_span, any import form; reported once however many yields; no suggestion (it makes an existing span current).
      code: lines('from opentelemetry.trace import use_span', 'def g(span):', '    with use_span(span, end_on_exit=True):', '        yield 1', '        yield 2'),
      ...PY,
      errors: [{ messageId: 'withAcrossYield', line: 3, column: 10, endLine: 3, endColumn: 42, suggestions: [] }],
    },
    {
      // No `as` name: the suggestion binds a fresh one that the function does not use.
      code: lines(HEADER.trimEnd(), 'def g(span):', '    with tracer.start_as_current_span("s"):', '        yield span'),
      ...PY,
      errors: [
        {
          messageId: 'withAcrossYield',
          line: 4,
          column: 10,
          suggestions: [
            {
              messageId: 'useStartSpan',
              output: lines(HEADER.trimEnd(), 'def g(span):', '    span_1 = tracer.start_span("s")', '    try:', '        yield span', '    finally:', '        span_1.end()'),
            },
          ],
        },
      ],
    },
    {
      // Nested spans: each `with` that holds a yield is reported.
      code: lines(HEADER.trimEnd(), 'def g():', '    with tracer.start_as_current_span("outer"):', '        with tracer.start_as_current_span("inner"):', '            yield 1'),
      ...PY,
      errors: [
        {
          messageId: 'withAcrossYield',
          line: 4,
          column: 10,
          suggestions: [
            {
              messageId: 'useStartSpan',
              output: lines(HEADER.trimEnd(), 'def g():', '    span = tracer.start_span("outer")', '    try:', '        with tracer.start_as_current_span("inner"):', '            yield 1', '    finally:', '        span.end()'),
            },
          ],
        },
        {
          messageId: 'withAcrossYield',
          line: 5,
          column: 14,
          suggestions: [
            {
              messageId: 'useStartSpan',
              output: lines(HEADER.trimEnd(), 'def g():', '    with tracer.start_as_current_span("outer"):', '        span = tracer.start_span("inner")', '        try:', '            yield 1', '        finally:', '            span.end()'),
            },
          ],
        },
      ],
    },
    {
      // Multi-item with: reported; the rewrite is not mechanical, so no suggestion.
      code: lines(HEADER.trimEnd(), 'def g(path):', '    with open(path) as fh, tracer.start_as_current_span("read"):', '        yield from fh'),
      ...PY,
      errors: [{ messageId: 'withAcrossYield', line: 4, column: 28, endLine: 4, endColumn: 64, suggestions: [] }],
    },
    {
      code: decorated,
      ...PY,
      errors: [
        {
          messageId: 'decoratedGenerator',
          line: 3,
          column: 1,
          endLine: 3,
          endColumn: 62,
          suggestions: [{ messageId: 'moveDecoratorIntoBody', output: decoratedFixed }],
        },
      ],
    },
    {
      // Tabs and CRLF are kept.
      code: 'from opentelemetry import trace\r\ntracer = trace.get_tracer(__name__)\r\ndef g():\r\n\twith tracer.start_as_current_span("t") as s:\r\n\t\tyield s\r\n',
      ...PY,
      errors: [
        {
          messageId: 'withAcrossYield',
          line: 4,
          column: 7,
          suggestions: [
            {
              messageId: 'useStartSpan',
              output: 'from opentelemetry import trace\r\ntracer = trace.get_tracer(__name__)\r\ndef g():\r\n\ts = tracer.start_span("t")\r\n\ttry:\r\n\t\tyield s\r\n\tfinally:\r\n\t\ts.end()\r\n',
            },
          ],
        },
      ],
    },
  ],
});

describe('no-span-across-yield suggestions compile and re-lint clean', () => {
  for (const [label, code] of Object.entries({ withAcrossYield, decorated })) {
    it(label, () => {
      checkFixesAndSuggestions(code, 'no-span-across-yield');
    });
  }
});
