import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applySuggestions, fixture, lintFixture, runProgram } from './run.js';

describe('no-leaked-context, measured with Node and the OpenTelemetry JS SDK', () => {
  it('enterWith() in a sync function leaks into the caller and its timers; run() does not', async () => {
    const { messages } = lintFixture('leaked-enter-with.mjs', 'no-leaked-context');
    assert.deepEqual(messages.map((m) => [m.line, m.column, m.messageId]), [[8, 3, 'tsEnterWith']]);

    const before = await runProgram(fixture('leaked-enter-with.mjs'));
    assert.deepEqual(JSON.parse(before.stdout), { inside: 'alice', callerAfter: 'alice', callerTimer: 'alice' });

    const fixed = applySuggestions('leaked-enter-with.mjs', 'no-leaked-context', 'tsSuggestRun');
    const after = await runProgram(fixed.path);
    assert.deepEqual(JSON.parse(after.stdout), { inside: 'alice', callerAfter: 'caller', callerTimer: 'caller' });
  });

  it('span.end() after an await that throws: 1 of 2 spans exported; with try/finally, 2 of 2', async () => {
    const { messages } = lintFixture('leaked-span-end.mjs', 'no-leaked-context');
    assert.deepEqual(messages.map((m) => [m.line, m.column, m.messageId]), [[13, 3, 'tsEndNotInFinally']]);

    const before = await runProgram(fixture('leaked-span-end.mjs'));
    assert.equal(before.code, 0, before.stderr);
    assert.deepEqual(before.spans.map((span) => span.attributes['row.id']), [1]);

    const fixed = applySuggestions('leaked-span-end.mjs', 'no-leaked-context', 'tsSuggestFinally');
    const after = await runProgram(fixed.path);
    assert.equal(after.code, 0, after.stderr);
    assert.deepEqual(after.spans.map((span) => span.attributes['row.id']), [1, 2]);
  });
});
