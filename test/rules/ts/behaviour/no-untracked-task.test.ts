import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applySuggestions, fixture, lintFixture, millisBetween, runProgram, type ExportedSpan } from './run.js';

/**
 * The SDK stamps a span's start with Date.now() (whole milliseconds) and its end as that start plus
 * the elapsed performance.now(): ends of two spans compare to within 1 ms. The hazards measure 15-30 ms.
 */
const CLOCK_SLACK_MS = 1;

function byName(spans: readonly ExportedSpan[], name: string): ExportedSpan {
  const span = spans.find((candidate) => candidate.name === name);
  assert.ok(span, `no span "${name}" among ${spans.map((s) => s.name).join(', ')}`);
  return span;
}

/** Measured with NodeTracerProvider#register() (AsyncLocalStorage context) and a SimpleSpanProcessor. */
describe('no-untracked-task, measured with the OpenTelemetry JS SDK', () => {
  it('a floating async call: its child span ends ~30 ms after its parent and the parent loses its attribute; awaited, both are right', async () => {
    const { messages } = lintFixture('untracked-floating.mjs', 'no-untracked-task');
    assert.deepEqual(messages.map((m) => [m.line, m.column, m.messageId]), [[15, 5, 'tsFloatingPromise']]);

    const before = await runProgram(fixture('untracked-floating.mjs'));
    assert.equal(before.code, 0, before.stderr);
    const handle = byName(before.spans, 'handle');
    const audit = byName(before.spans, 'audit');
    assert.equal(audit.parentSpanId, handle.spanId);
    assert.equal(audit.traceId, handle.traceId);
    assert.ok(millisBetween(handle.end, audit.end) >= 25, `audit ended ${millisBetween(handle.end, audit.end)} ms after handle`);
    assert.equal(handle.attributes['order.audited'], undefined, 'set on an ended span: dropped');

    const fixed = applySuggestions('untracked-floating.mjs', 'no-untracked-task', 'tsSuggestAwait');
    const after = await runProgram(fixed.path);
    assert.equal(after.code, 0, after.stderr);
    const fixedHandle = byName(after.spans, 'handle');
    const fixedAudit = byName(after.spans, 'audit');
    assert.equal(fixedAudit.parentSpanId, fixedHandle.spanId);
    assert.ok(millisBetween(fixedAudit.end, fixedHandle.end) > -CLOCK_SLACK_MS, `the child ends ${millisBetween(fixedHandle.end, fixedAudit.end)} ms after its parent`);
    assert.equal(fixedHandle.attributes['order.audited'], true);
  });

  it('span.end() before an await: the next child ends ~20 ms after its parent; with end() moved last, inside it', async () => {
    const { messages } = lintFixture('untracked-early-end.mjs', 'no-untracked-task');
    assert.deepEqual(messages.map((m) => [m.line, m.column, m.messageId]), [[6, 3, 'tsEndedBeforeAwait']]);

    const before = await runProgram(fixture('untracked-early-end.mjs'));
    const load = byName(before.spans, 'load');
    const put = byName(before.spans, 'cache.put');
    assert.equal(put.parentSpanId, load.spanId);
    assert.ok(millisBetween(load.end, put.end) >= 15, `cache.put ended ${millisBetween(load.end, put.end)} ms after load`);

    const fixed = applySuggestions('untracked-early-end.mjs', 'no-untracked-task', 'tsSuggestMoveEnd');
    const after = await runProgram(fixed.path);
    const fixedLoad = byName(after.spans, 'load');
    const fixedPut = byName(after.spans, 'cache.put');
    assert.equal(fixedPut.parentSpanId, fixedLoad.spanId);
    assert.ok(millisBetween(fixedPut.end, fixedLoad.end) > -CLOCK_SLACK_MS, `the child ends ${millisBetween(fixedLoad.end, fixedPut.end)} ms after its parent`);
  });
});
