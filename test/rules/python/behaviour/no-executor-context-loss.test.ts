import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lintPython } from '../../../helpers/rule-tester.js';

/**
 * With real python3 and the contextvars stand-in of the OTel API: a span opened by a function run with
 * `loop.run_in_executor` has no parent (a new trace); after either of the rule's suggestions it is a
 * child of the caller's span.
 */
const standin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'test', 'fixtures', 'python', 'otel_standin');

const PROGRAM = `import asyncio
from opentelemetry import trace

tracer = trace.get_tracer(__name__)


def blocking_lookup(key):
    with tracer.start_as_current_span("blocking_lookup") as span:
        return span.parent.name if span.parent else None


async def lookup(key):
    loop = asyncio.get_running_loop()
    with tracer.start_as_current_span("lookup"):
        return await loop.run_in_executor(None, blocking_lookup, key)


print("parent:", asyncio.run(lookup("k")))
`;

function run(program: string): string {
  return execFileSync('python3', ['-c', program], { encoding: 'utf8', stdio: 'pipe', env: { ...process.env, PYTHONPATH: standin } });
}

function applySuggestion(index: number): string {
  const [problem] = lintPython(PROGRAM, 'no-executor-context-loss');
  const fix = problem?.suggestions?.[index]?.fix;
  assert.ok(fix, `suggestion ${index}`);
  return PROGRAM.slice(0, fix.range[0]) + fix.text + PROGRAM.slice(fix.range[1]);
}

describe('no-executor-context-loss, measured with python3 and the stand-in API', () => {
  it('run_in_executor: the worker span has no parent', () => {
    assert.equal(run(PROGRAM), 'parent: None\n');
  });
  it('suggestion 1 (asyncio.to_thread): the worker span is a child of "lookup"', () => {
    const fixed = applySuggestion(0);
    assert.match(fixed, /asyncio\.to_thread\(blocking_lookup, key\)/u);
    assert.equal(run(fixed), 'parent: lookup\n');
  });
  it('suggestion 2 (copy_context().run): the worker span is a child of "lookup"', () => {
    const fixed = applySuggestion(1);
    assert.match(fixed, /contextvars\.copy_context\(\)\.run, blocking_lookup, key/u);
    assert.equal(run(fixed), 'parent: lookup\n');
  });
});
