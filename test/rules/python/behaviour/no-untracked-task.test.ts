import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lintPython } from '../../../helpers/rule-tester.js';

/**
 * Runs a request handler that starts a background task inside its span, with real python3 and asyncio
 * and the contextvars stand-in of the OTel API (test/fixtures/python/otel_standin), before and after
 * each of the rule's suggestions. It checks what the suggestions promise: the registry holds the task
 * while it runs and drops it when it is done; the root-trace rewrite gives the task's span no parent
 * while the handler's own later spans still nest under the request span (the caller's context is
 * restored by the `finally: detach`).
 */
const standin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'test', 'fixtures', 'python', 'otel_standin');
const scratch = mkdtempSync(join(tmpdir(), 'otel-async-task-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const HANDLER = `import asyncio
from opentelemetry import trace

tracer = trace.get_tracer(__name__)


async def audit(key):
    with tracer.start_as_current_span("audit"):
        await asyncio.sleep(0.01)


async def handle_request(key):
    with tracer.start_as_current_span("handle_request"):
        asyncio.create_task(audit(key))
        with tracer.start_as_current_span("respond"):
            pass
`;

const DRIVER = `

async def _main():
    await handle_request("k")
    print("in flight", len(globals().get("_background_tasks", ())))
    await asyncio.sleep(0.05)
    for span in trace.finished_spans():
        print(span.name, "parent", span.parent.name if span.parent else None)
    print("after", len(globals().get("_background_tasks", ())))


asyncio.run(_main())
`;

function suggestionOutput(code: string, messageId: string): string {
  const [message] = lintPython(code, 'no-untracked-task');
  const suggestion = message?.suggestions?.find((candidate) => candidate.messageId === messageId);
  assert.ok(suggestion, `the rule offers ${messageId}`);
  return code.slice(0, suggestion.fix.range[0]) + suggestion.fix.text + code.slice(suggestion.fix.range[1]);
}

function run(program: string, driver = DRIVER): string[] {
  const file = join(scratch, `program-${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, program + driver);
  try {
    const stdout = execFileSync('python3', [file], { env: { ...process.env, PYTHONPATH: standin }, stdio: 'pipe', encoding: 'utf8' });
    return stdout.trimEnd().split('\n');
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`python3 failed:\n${failed.stderr ?? ''}${failed.stdout ?? ''}`);
  }
}

describe('no-untracked-task, run with python3 and a contextvars stand-in of the API', () => {
  it('as written: the task is held by nothing, and its span ends after its parent "handle_request"', () => {
    assert.deepEqual(run(HANDLER), [
      'in flight 0',
      'respond parent handle_request',
      'handle_request parent None',
      'audit parent handle_request',
      'after 0',
    ]);
  });

  it('keep a reference: the registry holds the task while it runs and lets it go when it is done', () => {
    assert.deepEqual(run(suggestionOutput(HANDLER, 'keepReference')), [
      'in flight 1',
      'respond parent handle_request',
      'handle_request parent None',
      'audit parent handle_request',
      'after 0',
    ]);
  });

  it('await it: the task finishes inside the request span', () => {
    assert.deepEqual(run(suggestionOutput(HANDLER, 'awaitTask')), [
      'in flight 0',
      'audit parent handle_request',
      'respond parent handle_request',
      'handle_request parent None',
      'after 0',
    ]);
  });

  it('own root trace: the task starts from an empty Context, the handler keeps its span', () => {
    const fixed = suggestionOutput(HANDLER, 'ownRootTrace');
    assert.match(fixed, /token = context\.attach\(context\.Context\(\)\)/u);
    assert.deepEqual(run(fixed), [
      'in flight 1',
      'respond parent handle_request',
      'handle_request parent None',
      'audit parent None',
      'after 0',
    ]);
  });

  it('why the root-trace rewrite does not pass context=Context(): the task never runs', () => {
    // `create_task(..., context=)` takes a contextvars.Context; an OpenTelemetry Context is a mapping.
    // The loop's first step of the task fails (logged), so the task neither runs nor finishes. The
    // program leaves with os._exit because asyncio.run would wait forever cancelling that task.
    const program = `import asyncio
import os
from opentelemetry.context import Context

ran = []


async def work():
    ran.append(True)


async def main():
    task = asyncio.create_task(work(), context=Context())
    done, _ = await asyncio.wait([task], timeout=0.2)
    print("finished" if done else "never finished", "ran" if ran else "never ran", flush=True)
    os._exit(0)
`;
    assert.deepEqual(run(program, '\nasyncio.run(main())\n'), ['never finished never ran']);
  });
});
