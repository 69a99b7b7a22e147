import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lintPython } from '../../../helpers/rule-tester.js';

/** python3 + the contextvars stand-in: tasks created before the span do not nest under it; moved inside, they do. */
const standin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'test', 'fixtures', 'python', 'otel_standin');

const PROGRAM = `import asyncio
from opentelemetry import trace

tracer = trace.get_tracer(__name__)


async def process_item(i):
    with tracer.start_as_current_span("process_item") as span:
        return span.parent.name if span.parent else None


async def main(items):
    tasks = [asyncio.create_task(process_item(i)) for i in items]
    with tracer.start_as_current_span("batch"):
        print("parents:", await asyncio.gather(*tasks))


asyncio.run(main([1, 2]))
`;

function run(program: string): string {
  return execFileSync('python3', ['-c', program], { encoding: 'utf8', stdio: 'pipe', env: { ...process.env, PYTHONPATH: standin } });
}

describe('no-fanout-before-span, measured with python3 and the stand-in API', () => {
  it('tasks created before the span: their spans have no parent', () => {
    assert.equal(run(PROGRAM), "parents: [None, None]\n");
  });
  it('after the suggestion: their spans are children of "batch"', () => {
    const [problem] = lintPython(PROGRAM, 'no-fanout-before-span');
    const fix = problem?.suggestions?.[0]?.fix;
    assert.ok(fix);
    const fixed = PROGRAM.slice(0, fix.range[0]) + fix.text + PROGRAM.slice(fix.range[1]);
    assert.equal(run(fixed), "parents: ['batch', 'batch']\n");
  });
});
