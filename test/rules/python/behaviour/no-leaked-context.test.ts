import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lintPython } from '../../../helpers/rule-tester.js';

/**
 * Runs a small asyncio consumer with real python3 and the contextvars stand-in of the OTel API
 * (test/fixtures/python/otel_standin), with the handler as written (attach, await, detach outside a
 * `finally`) and as rewritten by the rule's suggestion. One task handles three messages in turn: the
 * first handler raises after an await, the second is cancelled by `asyncio.timeout` while it awaits,
 * the third succeeds. The program prints the current span at each step, what a span opened next gets
 * as parent, what a task created afterwards sees, and what a task that was already running sees.
 */
const standin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'test', 'fixtures', 'python', 'otel_standin');
const scratch = mkdtempSync(join(tmpdir(), 'otel-async-leak-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const HANDLER = `import asyncio

from opentelemetry import context, trace

tracer = trace.get_tracer(__name__)


async def handle(message):
    token = context.attach(trace.set_span_in_context(message.span))
    await asyncio.sleep(message.delay)
    if message.fail:
        raise RuntimeError(f"{message.name} failed")
    context.detach(token)
`;

const HARNESS = `

from dataclasses import dataclass


@dataclass
class Message:
    name: str
    fail: bool = False
    delay: float = 0.0
    span: object = None


def current():
    return trace.get_current_span().name or "none"


async def consumer(messages, done):
    # One task handles the messages one after another, as a queue consumer does.
    for message in messages:
        message.span = tracer.start_span(message.name)
        print(f"{message.name}: before, current span = {current()}")
        try:
            async with asyncio.timeout(0.05):
                await handle(message)
        except (RuntimeError, TimeoutError) as error:
            print(f"{message.name}: {type(error).__name__}, current span = {current()}")
        message.span.end()
    print(f"after the messages: current span = {current()}")
    with tracer.start_as_current_span("next_request") as span:
        print(f"next span's parent = {span.parent.name if span.parent else 'none'}")

    async def later():
        print(f"task created afterwards: current span = {current()}")

    await asyncio.create_task(later())
    done.set()


async def sibling(done):
    # Already running before the leak: asyncio gave it its own copy of the context.
    await done.wait()
    print(f"sibling task: current span = {current()}")


async def main():
    done = asyncio.Event()
    other = asyncio.create_task(sibling(done))
    await consumer([Message("raises", fail=True), Message("slow", delay=5.0), Message("ok")], done)
    await other


asyncio.run(main())
`;

function run(program: string): string[] {
  const file = join(scratch, `program-${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, program);
  try {
    const stdout = execFileSync('python3', [file], { env: { ...process.env, PYTHONPATH: standin }, stdio: 'pipe', encoding: 'utf8', timeout: 20_000 });
    return stdout.trimEnd().split('\n');
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`python3 failed:\n${failed.stderr ?? ''}${failed.stdout ?? ''}`);
  }
}

describe('no-leaked-context, measured with python3 and a contextvars stand-in of the API', () => {
  const messages = lintPython(HANDLER, 'no-leaked-context');
  const fix = messages[0]?.suggestions?.[0]?.fix;

  it('the rule reports the handler and names the await', () => {
    assert.deepEqual(
      messages.map((message) => [message.messageId, message.line, message.column]),
      [['notInFinallyAwait', 9, 13]],
    );
    assert.match(messages[0]?.message ?? '', /the `await` on line 10 can raise/u);
  });

  it('as written: the context leaks into the rest of the task (next message, next span, tasks it creates), not into a task already running', () => {
    assert.deepEqual(run(HANDLER + HARNESS), [
      'raises: before, current span = none',
      'raises: RuntimeError, current span = raises',
      'slow: before, current span = raises',
      'slow: TimeoutError, current span = slow',
      'ok: before, current span = slow',
      'after the messages: current span = slow',
      "next span's parent = slow",
      'task created afterwards: current span = slow',
      'sibling task: current span = none',
    ]);
  });

  it('with the suggestion applied: nothing leaks, whether the handler raises or is cancelled', () => {
    assert.ok(fix, 'the rule offers a suggestion');
    const fixed = HANDLER.slice(0, fix.range[0]) + fix.text + HANDLER.slice(fix.range[1]);
    assert.match(fixed, /\n {4}try:\n {8}await asyncio\.sleep\(message\.delay\)\n[^]*\n {4}finally:\n {8}context\.detach\(token\)\n$/u);
    assert.deepEqual(lintPython(fixed, 'no-leaked-context'), []);
    assert.deepEqual(run(fixed + HARNESS), [
      'raises: before, current span = none',
      'raises: RuntimeError, current span = none',
      'slow: before, current span = none',
      'slow: TimeoutError, current span = none',
      'ok: before, current span = none',
      'after the messages: current span = none',
      "next span's parent = none",
      'task created afterwards: current span = none',
      'sibling task: current span = none',
    ]);
  });
});
