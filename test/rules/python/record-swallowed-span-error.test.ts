import plugin from 'eslint-plugin-otel-async';
import { describe, it } from 'node:test';
import { checkFixesAndSuggestions, PY, pythonRuleTester } from '../../helpers/rule-tester.js';

const rule = plugin.rules['record-swallowed-span-error'];
if (!rule) throw new Error('rule record-swallowed-span-error is not exported');
const lines = (...parts: string[]): string => `${parts.join('\n')}\n`;
const HEADER = ['from opentelemetry import trace', 'tracer = trace.get_tracer(__name__)'];

const named = lines(...HEADER, 'async def f():', '    with tracer.start_as_current_span("job") as span:', '        try:', '            await step()', '        except ValueError:', '            pass');
const namedFixed = lines(
  ...HEADER,
  'async def f():',
  '    with tracer.start_as_current_span("job") as span:',
  '        try:',
  '            await step()',
  '        except ValueError as exc:',
  '            span.record_exception(exc)',
  '            span.set_status(trace.Status(trace.StatusCode.ERROR, str(exc)))',
  '            pass',
);
const unnamed = lines('from opentelemetry.trace import get_tracer', 'tracer = get_tracer(__name__)', 'def f():', '    with tracer.start_as_current_span("job"):', '        try:', '            step()', '        except (KeyError, IndexError) as error:', '            return None');
const unnamedFixed = lines(
  'from opentelemetry.trace import get_tracer',
  'from opentelemetry import trace',
  'tracer = get_tracer(__name__)',
  'def f():',
  '    with tracer.start_as_current_span("job"):',
  '        try:',
  '            step()',
  '        except (KeyError, IndexError) as error:',
  '            trace.get_current_span().record_exception(error)',
  '            trace.get_current_span().set_status(trace.Status(trace.StatusCode.ERROR, str(error)))',
  '            return None',
);
// The seed guide's TaskGroup example records on the parent span: clean.
const guideTaskGroup = lines(
  'import asyncio',
  'from opentelemetry import trace',
  'from opentelemetry.trace import Status, StatusCode',
  'tracer = trace.get_tracer(__name__)',
  'async def process_all(items: list[dict]) -> None:',
  '    with tracer.start_as_current_span("batch") as parent:',
  '        parent.set_attribute("batch.size", len(items))',
  '        try:',
  '            async with asyncio.TaskGroup() as tg:',
  '                for item in items:',
  '                    tg.create_task(process_item(item))',
  '        except* Exception as eg:',
  '            parent.set_status(Status(StatusCode.ERROR))',
  '            parent.record_exception(eg.exceptions[0])',
);

pythonRuleTester().run('record-swallowed-span-error', rule, {
  valid: [
    { code: guideTaskGroup, ...PY },
    // Re-raised (any form), inside a nested block too.
    { code: lines(...HEADER, 'def f():', '    with tracer.start_as_current_span("a"):', '        try:', '            g()', '        except Exception as e:', '            if retry:', '                raise RuntimeError("x") from e'), ...PY },
    // Outside any span, or around the span (the SDK records an exception that leaves the span).
    { code: lines('def f():', '    try:', '        g()', '    except Exception:', '        pass'), ...PY },
    { code: lines(...HEADER, 'def f():', '    try:', '        with tracer.start_as_current_span("a"):', '            g()', '    except Exception:', '        pass'), ...PY },
    // A handler inside a nested def runs later, outside the span.
    { code: lines(...HEADER, 'def f():', '    with tracer.start_as_current_span("a"):', '        def cb():', '            try:', '                g()', '            except Exception:', '                pass'), ...PY },
  ],
  invalid: [
    {
      code: named,
      ...PY,
      errors: [{ messageId: 'swallowed', line: 7, column: 9, endLine: 7, endColumn: 27, suggestions: [{ messageId: 'recordOnSpan', output: namedFixed }] }],
    },
    {
      code: unnamed,
      ...PY,
      errors: [{ messageId: 'swallowed', line: 7, column: 9, suggestions: [{ messageId: 'recordOnSpan', output: unnamedFixed }] }],
    },
    {
      // Logging is not recording; except* around a TaskGroup.
      code: lines('import asyncio, logging', ...HEADER, 'async def f():', '    with tracer.start_as_current_span("fan") as span:', '        try:', '            async with asyncio.TaskGroup() as tg:', '                tg.create_task(g())', '        except* OSError as eg:', '            logging.exception("failed")'),
      ...PY,
      errors: [
        {
          messageId: 'swallowed',
          line: 9,
          column: 9,
          endLine: 9,
          endColumn: 31,
          suggestions: [
            {
              messageId: 'recordOnSpan',
              output: lines(
                'import asyncio, logging',
                ...HEADER,
                'async def f():',
                '    with tracer.start_as_current_span("fan") as span:',
                '        try:',
                '            async with asyncio.TaskGroup() as tg:',
                '                tg.create_task(g())',
                '        except* OSError as eg:',
                '            span.record_exception(eg)',
                '            span.set_status(trace.Status(trace.StatusCode.ERROR, str(eg)))',
                '            logging.exception("failed")',
              ),
            },
          ],
        },
      ],
    },
  ],
});

describe('record-swallowed-span-error suggestions compile and re-lint clean', () => {
  for (const [label, code] of Object.entries({ named, unnamed })) {
    it(label, () => {
      checkFixesAndSuggestions(code, 'record-swallowed-span-error');
    });
  }
});
