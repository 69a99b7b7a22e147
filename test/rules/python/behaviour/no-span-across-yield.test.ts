import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lintPython } from '../../../helpers/rule-tester.js';

/**
 * Runs a consumer/generator program with real python3 and the contextvars stand-in of the OTel API
 * (test/fixtures/python/otel_standin), before and after the rule's own suggestion is applied.
 * What the issue measured with the real SDK: while the generator holds its span current, the
 * consumer's spans get the generator's span as parent, and stopping early fails to detach the context
 * ("created in a different Context"); after the rewrite both are gone.
 */
const standin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'test', 'fixtures', 'python', 'otel_standin');
const scratch = mkdtempSync(join(tmpdir(), 'otel-async-yield-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const GENERATOR = `from opentelemetry import trace

tracer = trace.get_tracer(__name__)


async def rows():
    with tracer.start_as_current_span("rows"):
        for number in range(3):
            yield number
`;

const CONSUMER = `

import asyncio
import gc
import sys


async def consume(stop_early):
    with tracer.start_as_current_span("request"):
        async for item in rows():
            with tracer.start_as_current_span("handle_row") as span:
                print("handle_row parent:", span.parent.name if span.parent else None)
            if stop_early:
                break
    gc.collect()
    await asyncio.sleep(0)


asyncio.run(consume(sys.argv[1] == "break"))
`;

function suggestionOutput(code: string): string {
  const [message] = lintPython(code, 'no-span-across-yield');
  const fix = message?.suggestions?.[0]?.fix;
  assert.ok(fix, 'the rule offers a suggestion for the generator');
  return code.slice(0, fix.range[0]) + fix.text + code.slice(fix.range[1]);
}

/**
 * Runs the program and returns what it printed. The API logs a failed detach instead of raising, so
 * logging goes to stdout (prefixed `LOG`) where the test can read it in order with the prints.
 */
function run(program: string, mode: 'all' | 'break'): { stdout: string } {
  const file = join(scratch, `program-${mode}-${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, `import logging, sys\nlogging.basicConfig(stream=sys.stdout, format="LOG %(message)s")\n${program}`);
  try {
    const stdout = execFileSync('python3', [file, mode], { env: { ...process.env, PYTHONPATH: standin }, stdio: 'pipe', encoding: 'utf8' });
    return { stdout };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`python3 failed:\n${failed.stderr ?? ''}${failed.stdout ?? ''}`);
  }
}

describe('no-span-across-yield, measured with python3 and a contextvars stand-in of the API', () => {
  const fixedGenerator = suggestionOutput(GENERATOR);

  it('the bad shape: the consumer spans get the generator span as parent', () => {
    const { stdout } = run(GENERATOR + CONSUMER, 'all');
    assert.deepEqual(stdout.match(/handle_row parent: \w+/gu), ['handle_row parent: rows', 'handle_row parent: rows', 'handle_row parent: rows']);
  });

  it('the bad shape, stopping early: detaching fails with a token from a different Context', () => {
    const { stdout } = run(GENERATOR + CONSUMER, 'break');
    assert.match(stdout, /LOG Failed to detach context/u);
    assert.match(stdout, /was created in a different Context/u);
  });

  it('after the suggestion: the consumer spans nest under the consumer span', () => {
    assert.match(fixedGenerator, /span = tracer\.start_span\("rows"\)/u);
    const { stdout } = run(fixedGenerator + CONSUMER, 'all');
    assert.deepEqual(stdout.match(/handle_row parent: \w+/gu), ['handle_row parent: request', 'handle_row parent: request', 'handle_row parent: request']);
    assert.doesNotMatch(stdout, /Failed to detach/u);
  });

  it('after the suggestion, stopping early: no detach error', () => {
    const { stdout } = run(fixedGenerator + CONSUMER, 'break');
    assert.deepEqual(stdout.match(/handle_row parent: \w+/gu), ['handle_row parent: request']);
    assert.doesNotMatch(stdout, /Failed to detach|different Context/u);
  });
});
