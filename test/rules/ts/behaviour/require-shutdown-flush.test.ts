import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applySuggestions, fixture, lintFixture, runProgram } from './run.js';

/**
 * The shutdown hazard measured with the real SDK (`@opentelemetry/sdk-node` / `sdk-trace-base` 2.x):
 * a batching span processor holds ended spans until its timer fires (5 s) or it is flushed. Each
 * program records 20 spans; we count how many reach the exporter. Then the rule's own suggestion is
 * applied to the same program and the count is taken again.
 */
describe('require-shutdown-flush, measured with the OpenTelemetry JS SDK', () => {
  it('NodeSDK + SIGTERM with no handler: 0 of 20 exported; with the suggested handler: 20 of 20', async () => {
    const { messages } = lintFixture('shutdown-sigterm.mjs', 'require-shutdown-flush');
    assert.deepEqual(messages.map((m) => [m.line, m.column, m.messageId]), [[8, 1, 'tsNoSignalHandler']]);

    const before = await runProgram(fixture('shutdown-sigterm.mjs'), { signal: 'SIGTERM' });
    assert.equal(before.signal, 'SIGTERM', before.stderr);
    assert.equal(before.spans.length, 0);

    const fixed = applySuggestions('shutdown-sigterm.mjs', 'require-shutdown-flush', 'tsSuggestSignalHandler');
    const after = await runProgram(fixed.path, { signal: 'SIGTERM' });
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.spans.length, 20);
  });

  it('process.exit(0) with spans queued: 0 of 20 exported; with the suggested await: 20 of 20', async () => {
    const { messages } = lintFixture('shutdown-exit.mjs', 'require-shutdown-flush');
    assert.deepEqual(messages.map((m) => [m.line, m.column, m.messageId]), [[13, 3, 'tsExitWithoutFlush']]);

    const before = await runProgram(fixture('shutdown-exit.mjs'));
    assert.equal(before.code, 0, before.stderr);
    assert.equal(before.spans.length, 0);

    const fixed = applySuggestions('shutdown-exit.mjs', 'require-shutdown-flush', 'tsSuggestAwaitFlush');
    const after = await runProgram(fixed.path);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.spans.length, 20);
  });

  it('a job whose event loop empties by itself: 0 of 20 exported; with the suggested beforeExit flush: 20 of 20', async () => {
    const options = [{ signals: [] }];
    const { messages } = lintFixture('shutdown-natural.mjs', 'require-shutdown-flush', options);
    assert.deepEqual(messages.map((m) => [m.line, m.column, m.messageId]), [[7, 1, 'tsNeverFlushed']]);

    const before = await runProgram(fixture('shutdown-natural.mjs'));
    assert.equal(before.code, 0, before.stderr);
    assert.equal(before.spans.length, 0);

    const fixed = applySuggestions('shutdown-natural.mjs', 'require-shutdown-flush', 'tsSuggestBeforeExit', options);
    const after = await runProgram(fixed.path);
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.spans.length, 20);
  });
});
