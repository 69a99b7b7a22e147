import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applySuggestions, fixture, lintFixture, runProgram, type RunResult } from './run.js';

/** Parent span id and whether the child shares the parent's trace, per child. */
function nesting(result: RunResult): Record<string, { nested: boolean; sameTrace: boolean }> {
  const parent = result.spans.find((span) => span.name === 'parent');
  assert.ok(parent, `no parent span: ${result.stderr}`);
  const children = result.spans.filter((span) => span.name.startsWith('child'));
  assert.equal(children.length, 2);
  return Object.fromEntries(children.map((child) => [child.name, { nested: child.parentSpanId === parent.spanId, sameTrace: child.traceId === parent.traceId }]));
}

const lost = { 'child-sync': { nested: false, sameTrace: false }, 'child-after-await': { nested: false, sameTrace: false } };
const kept = { 'child-sync': { nested: true, sameTrace: true }, 'child-after-await': { nested: true, sameTrace: true } };

describe('no-missing-context-manager, measured with the OpenTelemetry JS SDK', () => {
  it('BasicTracerProvider with no context manager: both children start new traces; with the suggested manager both nest', async () => {
    const { messages } = lintFixture('context-manager-missing.mjs', 'no-missing-context-manager');
    assert.deepEqual(messages.map((m) => [m.line, m.column, m.messageId]), [[7, 18, 'tsNoContextManager']]);
    assert.deepEqual(nesting(await runProgram(fixture('context-manager-missing.mjs'))), lost);
    const fixed = applySuggestions('context-manager-missing.mjs', 'no-missing-context-manager', 'tsSuggestContextManager');
    assert.deepEqual(nesting(await runProgram(fixed.path)), kept);
  });

  it('NodeTracerProvider never register()ed: the same; with the suggested register() both nest', async () => {
    const { messages } = lintFixture('context-manager-unregistered.mjs', 'no-missing-context-manager');
    assert.deepEqual(messages.map((m) => [m.line, m.column, m.messageId]), [[5, 18, 'tsNoContextManager']]);
    assert.deepEqual(nesting(await runProgram(fixture('context-manager-unregistered.mjs'))), lost);
    const fixed = applySuggestions('context-manager-unregistered.mjs', 'no-missing-context-manager', 'tsSuggestRegister');
    assert.deepEqual(nesting(await runProgram(fixed.path)), kept);
  });
});
