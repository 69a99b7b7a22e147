import plugin from 'eslint-plugin-otel-async';
import { describe, it } from 'node:test';
import { checkFixesAndSuggestions, PY, pythonRuleTester } from '../../helpers/rule-tester.js';

const rule = plugin.rules['no-fanout-before-span'];
if (!rule) throw new Error('rule no-fanout-before-span is not exported');
const lines = (...parts: string[]): string => `${parts.join('\n')}\n`;
const HEADER = ['import asyncio', 'from opentelemetry import trace', 'tracer = trace.get_tracer(__name__)'];

const comprehension = lines(...HEADER, 'async def main(items):', '    tasks = [asyncio.create_task(process_item(i)) for i in items]', '    with tracer.start_as_current_span("batch") as parent:', '        parent.set_attribute("batch.size", len(items))', '        await asyncio.gather(*tasks)');
const comprehensionMoved = lines(...HEADER, 'async def main(items):', '    with tracer.start_as_current_span("batch") as parent:', '        tasks = [asyncio.create_task(process_item(i)) for i in items]', '        parent.set_attribute("batch.size", len(items))', '        await asyncio.gather(*tasks)');
const single = lines(...HEADER, 'async def main():', '    loop = asyncio.get_running_loop()', '    t = loop.create_task(work())', '    log("started")', '    with tracer.start_as_current_span("wait"):', '        await t');
const singleMoved = lines(...HEADER, 'async def main():', '    loop = asyncio.get_running_loop()', '    log("started")', '    with tracer.start_as_current_span("wait"):', '        t = loop.create_task(work())', '        await t');

// The seed guide's correct fan-out: tasks created inside the span.
const guideCorrect = lines(...HEADER, 'async def main() -> None:', '    items = [{"id": 1}, {"id": 2}]', '    with tracer.start_as_current_span("batch") as parent:', '        parent.set_attribute("batch.size", len(items))', '        tasks = [asyncio.create_task(process_item(i)) for i in items]', '        await asyncio.gather(*tasks)');

pythonRuleTester().run('no-fanout-before-span', rule, {
  valid: [
    { code: guideCorrect, ...PY },
    // Plain coroutines: gather wraps them in tasks when it runs, inside the span.
    { code: lines(...HEADER, 'async def main(items):', '    coros = [process_item(i) for i in items]', '    with tracer.start_as_current_span("batch"):', '        await asyncio.gather(*coros)'), ...PY },
    // Tasks awaited outside the span, or never inside it.
    { code: lines(...HEADER, 'async def main():', '    t = asyncio.create_task(work())', '    with tracer.start_as_current_span("a"):', '        other()', '    await t'), ...PY },
    // start_span does not make the span current: nothing nests under it anyway.
    { code: lines(...HEADER, 'async def main():', '    t = asyncio.create_task(work())', '    with tracer.start_span("a"):', '        await t'), ...PY },
    // Reassigned inside the span before the await: the awaited task is the new one.
    { code: lines(...HEADER, 'async def main():', '    t = asyncio.create_task(work())', '    await t', '    with tracer.start_as_current_span("a"):', '        t = asyncio.create_task(work())', '        await t'), ...PY },
  ],
  invalid: [
    {
      code: comprehension,
      ...PY,
      errors: [{ messageId: 'fanoutBeforeSpan', line: 5, column: 14, endLine: 5, endColumn: 50, suggestions: [{ messageId: 'moveIntoSpan', output: comprehensionMoved }] }],
    },
    {
      // Statements in between that do not use the task: still movable.
      code: single,
      ...PY,
      errors: [{ messageId: 'fanoutBeforeSpan', line: 6, column: 9, endLine: 6, endColumn: 33, suggestions: [{ messageId: 'moveIntoSpan', output: singleMoved }] }],
    },
    {
      // A statement in between uses the tasks: reported, not movable. asyncio.wait counts as awaiting.
      code: lines(...HEADER, 'async def main():', '    ts = [asyncio.ensure_future(a()), asyncio.ensure_future(b())]', '    register(ts)', '    with tracer.start_as_current_span("both"):', '        await asyncio.wait(ts)'),
      ...PY,
      errors: [
        { messageId: 'fanoutBeforeSpan', line: 5, column: 11, suggestions: [] },
        { messageId: 'fanoutBeforeSpan', line: 5, column: 39, suggestions: [] },
      ],
    },
  ],
});

describe('no-fanout-before-span suggestions compile and re-lint clean', () => {
  for (const [label, code] of Object.entries({ comprehension, single })) {
    it(label, () => {
      checkFixesAndSuggestions(code, 'no-fanout-before-span');
    });
  }
});
