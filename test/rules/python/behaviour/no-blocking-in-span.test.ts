import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lintPython } from '../../../helpers/rule-tester.js';

/**
 * Runs, with real python3 and the contextvars stand-in of the OTel API (test/fixtures/python/otel_standin),
 * what the rule's message and fixes claim. Two coroutines run concurrently: `other` opens a span and
 * awaits 10 ms; `handler` opens a span and makes a 200 ms blocking call. The program prints the order in
 * which spans ended, how long `other` took, and the parent of a span opened inside the blocking call.
 * The assertions use the order of events and lower bounds only (no timing upper bounds), so a busy
 * machine cannot make them flaky.
 */
const standin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'test', 'fixtures', 'python', 'otel_standin');
const scratch = mkdtempSync(join(tmpdir(), 'otel-async-blocking-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

// A synchronous library the program cannot change; it opens its own span, as instrumented code does.
writeFileSync(
  join(scratch, 'legacy.py'),
  `import time

from opentelemetry import trace

tracer = trace.get_tracer("legacy")


def fetch(delay):
    with tracer.start_as_current_span("legacy.fetch"):
        time.sleep(delay)
`,
);

const program = (blockingLine: string): string => `import asyncio
import time

from legacy import fetch
from opentelemetry import trace

tracer = trace.get_tracer(__name__)
took = {}


async def other():
    with tracer.start_as_current_span("other"):
        start = time.perf_counter()
        await asyncio.sleep(0.01)
        took["other"] = time.perf_counter() - start


async def handler():
    with tracer.start_as_current_span("handler"):
        ${blockingLine}


async def main():
    await asyncio.gather(other(), handler())


asyncio.run(main())
for span in trace.finished_spans():
    print(span.name, "parent:", span.parent.name if span.parent else None)
print("other took at least 0.2 s:", took["other"] >= 0.2)
`;

function run(source: string): string {
  const file = join(scratch, 'service.py');
  writeFileSync(file, source);
  return execFileSync('python3', [file], {
    encoding: 'utf8',
    stdio: 'pipe',
    env: { ...process.env, PYTHONPATH: [standin, scratch].join(delimiter) },
  });
}

/** The span lines of the output (the duration line is a lower bound, meaningful only when stalled). */
function spansOf(output: string): string {
  return output.replace(/^other took .*\n/mu, '');
}

function applyFirst(source: string, options: unknown[], kind: 'fix' | 'suggestion'): string {
  const [problem] = lintPython(source, 'no-blocking-in-span', options);
  assert.ok(problem, 'the rule reports the blocking call');
  const edit = kind === 'fix' ? problem.fix : problem.suggestions?.[0]?.fix;
  assert.ok(edit, `the rule offers a ${kind}`);
  return source.slice(0, edit.range[0]) + edit.text + source.slice(edit.range[1]);
}

describe('no-blocking-in-span, measured with python3', () => {
  const sleeping = program('time.sleep(0.2)');

  it('time.sleep inside a span stalls every other coroutine, whose span records the stall', () => {
    // `handler` ends first although `other` only waited 10 ms: the loop could not resume it.
    assert.equal(run(sleeping), 'handler parent: None\nother parent: None\nother took at least 0.2 s: True\n');
  });

  it('the autofix (await asyncio.sleep) lets the other coroutine run and finish first', () => {
    const fixed = applyFirst(sleeping, [], 'fix');
    assert.match(fixed, /^ {8}await asyncio\.sleep\(0\.2\)$/mu);
    // The order alone shows it: `other` ended while `handler` was still waiting.
    assert.equal(spansOf(run(fixed)), 'other parent: None\nhandler parent: None\n');
  });

  const calling = program('fetch(0.2)');
  const options = [{ extraBlockingCalls: ['legacy.fetch'] }];

  it('a blocking library call stalls the loop the same way', () => {
    assert.equal(run(calling), 'legacy.fetch parent: handler\nhandler parent: None\nother parent: None\nother took at least 0.2 s: True\n');
  });

  it('the to_thread suggestion unblocks the loop, and the span opened in the thread still nests under the caller', () => {
    const fixed = applyFirst(calling, options, 'suggestion');
    assert.match(fixed, /^ {8}await asyncio\.to_thread\(fetch, 0\.2\)$/mu);
    assert.equal(spansOf(run(fixed)), 'other parent: None\nlegacy.fetch parent: handler\nhandler parent: None\n');
  });
});
