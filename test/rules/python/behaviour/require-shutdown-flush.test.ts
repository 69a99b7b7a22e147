import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lintPython } from '../../../helpers/rule-tester.js';

/**
 * Runs traced asyncio programs with real python3, before and after the rule's own suggestion, and
 * checks what the suggestion promises: when the program is stopped with SIGTERM (or ends with
 * `os._exit`, or its provider does not shut down at exit) the spans queued in the batch processor are
 * exported and the provider is shut down. The OTel SDK is not installable here, so the programs import
 * a stand-in (test/fixtures/python/shutdown/standin) that keeps the SDK's behaviour that matters: the
 * provider shuts down through atexit unless `shutdown_on_exit=False`, and the batch processor exports
 * only on flush/shutdown. It writes each export and shutdown to the file named by OTEL_STANDIN_RECORD.
 */
const repository = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..');
const fixtures = join(repository, 'test', 'fixtures', 'python', 'shutdown');
const programs = join(fixtures, 'programs');
const pythonPath = [join(fixtures, 'standin'), programs].join(delimiter);
const RULE_ID = 'require-shutdown-flush';
const RUN_TIMEOUT_MS = 10_000;

const scratch = mkdtempSync(join(tmpdir(), 'otel-async-shutdown-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function program(name: string): string {
  return readFileSync(join(programs, `${name}.py`), 'utf8');
}

/** The program with the rule's single suggestion for `messageId` applied. */
function fixed(name: string, messageId: string, options: unknown[] = []): string {
  const code = program(name);
  const messages = lintPython(code, RULE_ID, options).filter((message) => message.ruleId === `otel-async/${RULE_ID}`);
  assert.deepEqual(
    messages.map((message) => message.messageId),
    [messageId],
    `${name}.py: expected exactly one ${messageId} report`,
  );
  const [suggestion, ...others] = messages[0]?.suggestions ?? [];
  assert.ok(suggestion && others.length === 0, `${name}.py: expected one suggestion`);
  const output = code.slice(0, suggestion.fix.range[0]) + suggestion.fix.text + code.slice(suggestion.fix.range[1]);
  assert.deepEqual(lintPython(output, RULE_ID, options), [], `${name}.py still reports after the suggestion:\n${output}`);
  return output;
}

interface Outcome {
  /** Exit status, or null when a signal ended the process. */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  /** What the stand-in SDK did, in order: `exported <span>`, `force_flush`, `shutdown`. */
  readonly record: string[];
  readonly stderr: string;
}

/**
 * Runs `source` with python3. With `stopWith`, sends that signal once the program prints "ready"
 * (after it has ended a span, which now sits in the batch queue).
 */
async function run(source: string, stopWith?: NodeJS.Signals): Promise<Outcome> {
  const directory = mkdtempSync(join(scratch, 'run-'));
  const file = join(directory, 'program.py');
  const recordFile = join(directory, 'record.txt');
  writeFileSync(file, source);
  const child = spawn('python3', [file], {
    env: { ...process.env, PYTHONPATH: pythonPath, OTEL_STANDIN_RECORD: recordFile, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stopWith && !sent && /^ready$/mu.test(stdout)) {
      sent = true;
      child.kill(stopWith);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const { status, signal } = await new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`python3 did not finish within ${RUN_TIMEOUT_MS} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, RUN_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, closedBy) => {
      clearTimeout(timer);
      resolve({ status: code, signal: closedBy });
    });
  });
  if (stopWith) assert.match(stdout, /^ready$/mu, `the program never got ready:\n${stderr}`);
  const record = existsSync(recordFile) ? readFileSync(recordFile, 'utf8').trimEnd().split('\n') : [];
  return { status, signal, record, stderr };
}

describe('require-shutdown-flush, run with python3 and a stand-in of the SDK', () => {
  describe('SIGTERM with the entry coroutine defined in the module (entry_coroutine.py)', () => {
    it('as written: SIGTERM kills the process; the queued span is never exported and shutdown() never runs', async () => {
      const outcome = await run(program('entry_coroutine'), 'SIGTERM');
      assert.equal(outcome.signal, 'SIGTERM');
      assert.deepEqual(outcome.record, []);
    });
    it('as written, control: SIGINT becomes KeyboardInterrupt, so the atexit shutdown of the stand-in runs', async () => {
      const outcome = await run(program('entry_coroutine'), 'SIGINT');
      assert.deepEqual(outcome.record, ['exported handle-job', 'shutdown']);
    });
    it('with the suggestion: SIGTERM cancels the main task, finally: shuts the provider down, exit status 0', async () => {
      const outcome = await run(fixed('entry_coroutine', 'signalNotHandled'), 'SIGTERM');
      assert.deepEqual({ status: outcome.status, signal: outcome.signal, record: outcome.record, stderr: outcome.stderr }, {
        status: 0,
        signal: null,
        record: ['exported handle-job', 'shutdown'],
        stderr: '',
      });
    });
  });

  describe('SIGTERM with a coroutine imported from another module (imported_coroutine.py)', () => {
    it('as written: nothing is exported', async () => {
      const outcome = await run(program('imported_coroutine'), 'SIGTERM');
      assert.equal(outcome.signal, 'SIGTERM');
      assert.deepEqual(outcome.record, []);
    });
    it('with the suggestion (the _cancel_on_signal helper): the span is exported and shutdown() runs', async () => {
      const source = fixed('imported_coroutine', 'signalNotHandled');
      assert.match(source, /^async def _cancel_on_signal\(awaitable\):$/mu);
      const outcome = await run(source, 'SIGTERM');
      assert.deepEqual({ status: outcome.status, record: outcome.record, stderr: outcome.stderr }, {
        status: 0,
        record: ['exported handle-job', 'shutdown'],
        stderr: '',
      });
    });
  });

  describe('SIGTERM with loop.run_forever() (run_forever.py)', () => {
    it('as written: nothing is exported', async () => {
      const outcome = await run(program('run_forever'), 'SIGTERM');
      assert.equal(outcome.signal, 'SIGTERM');
      assert.deepEqual(outcome.record, []);
    });
    it('with the suggestion: SIGTERM stops the loop, the span is exported and shutdown() runs', async () => {
      const outcome = await run(fixed('run_forever', 'signalNotHandled'), 'SIGTERM');
      assert.deepEqual({ status: outcome.status, record: outcome.record, stderr: outcome.stderr }, {
        status: 0,
        record: ['exported handle-job', 'shutdown'],
        stderr: '',
      });
    });
  });

  describe('os._exit() in a batch job (hard_exit.py, signals: [])', () => {
    it('as written: os._exit skips atexit, nothing is exported', async () => {
      const outcome = await run(program('hard_exit'));
      assert.deepEqual({ status: outcome.status, record: outcome.record }, { status: 0, record: [] });
    });
    it('with the suggestion: force_flush() before os._exit exports the span', async () => {
      const outcome = await run(fixed('hard_exit', 'hardExit', [{ signals: [] }]));
      assert.deepEqual({ status: outcome.status, record: outcome.record }, { status: 0, record: ['exported handle-job', 'force_flush'] });
    });
  });

  describe('shutdown_on_exit=False in a batch job (no_shutdown_on_exit.py, signals: [])', () => {
    it('as written: a normal exit exports nothing', async () => {
      const outcome = await run(program('no_shutdown_on_exit'));
      assert.deepEqual({ status: outcome.status, record: outcome.record }, { status: 0, record: [] });
    });
    it('with the suggestion: finally: provider.shutdown() exports the span', async () => {
      const outcome = await run(fixed('no_shutdown_on_exit', 'shutdownOnExitDisabled', [{ signals: [] }]));
      assert.deepEqual({ status: outcome.status, record: outcome.record }, { status: 0, record: ['exported handle-job', 'shutdown'] });
    });
  });
});
