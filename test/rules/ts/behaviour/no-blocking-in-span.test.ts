import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after as afterAll, describe, it } from 'node:test';
import { applySuggestions, fixture, lintFixture, millisBetween, runProgram, type ExportedSpan } from './run.js';

const scratch = mkdtempSync(join(tmpdir(), 'otel-async-big-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function duration(spans: readonly ExportedSpan[], name: string): number {
  const span = spans.find((candidate) => candidate.name === name);
  assert.ok(span, `no span "${name}"`);
  return millisBetween(span.start, span.end);
}

describe('no-blocking-in-span, measured with the OpenTelemetry JS SDK', () => {
  it('readFileSync in one span stretches a concurrent 20 ms span to the whole read; the promise form does not', async () => {
    const bigFile = join(scratch, 'big.bin');
    writeFileSync(bigFile, Buffer.alloc(64 * 1024 * 1024, 7));
    const env = { BIG_FILE: bigFile };

    const { messages } = lintFixture('blocking-read.mjs', 'no-blocking-in-span');
    assert.deepEqual(messages.map((m) => [m.line, m.column, m.messageId]), [[14, 42, 'tsBlockingInSpan']]);

    const before = await runProgram(fixture('blocking-read.mjs'), { env });
    assert.equal(before.code, 0, before.stderr);
    const tickBefore = duration(before.spans, 'tick');
    const readBefore = duration(before.spans, 'read');
    // The 20 ms timer cannot fire while the reads block the loop: "tick" lasts as long as the reads.
    assert.ok(tickBefore >= readBefore - 2, `tick ${tickBefore} ms vs read ${readBefore} ms`);

    const fixed = applySuggestions('blocking-read.mjs', 'no-blocking-in-span', 'tsSuggestPromise');
    assert.match(fixed.code, /\(await fs\.promises\.readFile\(path\)\)\.length/u);
    const after = await runProgram(fixed.path, { env });
    assert.equal(after.code, 0, after.stderr);
    const tickAfter = duration(after.spans, 'tick');
    const readAfter = duration(after.spans, 'read');
    assert.ok(tickAfter < readAfter, `tick ${tickAfter} ms vs read ${readAfter} ms`);
    assert.ok(tickAfter < tickBefore, `tick ${tickAfter} ms after vs ${tickBefore} ms before`);
  });
});
