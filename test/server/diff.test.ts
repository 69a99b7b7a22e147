import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import type * as Diff from '../../server/out/diff.js';
import { applyTextEdits } from './lsp-client.js';

// The server is CommonJS; its minimal-diff module is tested directly, without a process around it.
const { minimalEdits } = createRequire(import.meta.url)('../../../server/out/diff.js') as typeof Diff;

/** Small seeded PRNG (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['    time.sleep(1)', '    await asyncio.sleep(1)', 'def f():', '', '# café 😀', 'x = 1', '\tpass'];

function mutate(lines: string[], next: () => number): string[] {
  const copy = [...lines];
  const changes = 1 + Math.floor(next() * 4);
  for (let change = 0; change < changes; change++) {
    const at = Math.floor(next() * (copy.length + 1));
    const piece = PIECES[Math.floor(next() * PIECES.length)] ?? '';
    const kind = next();
    if (kind < 0.4) copy.splice(at, 0, piece);
    else if (kind < 0.7) copy.splice(at, 1);
    else copy.splice(at, 1, piece);
  }
  return copy;
}

describe('minimal edits for fix-all', () => {
  test('two far-apart fixes become two small edits, not one replacement of everything between', () => {
    const before = ['a = 1', 'time.sleep(1)', ...Array.from({ length: 50 }, (_, index) => `line_${index} = ${index}`), 'time.sleep(2)', ''].join('\n');
    const after = before.replaceAll('time.sleep', 'await asyncio.sleep');
    assert.deepEqual(minimalEdits(before, after), [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } }, newText: 'await asyncio' },
      { range: { start: { line: 52, character: 0 }, end: { line: 52, character: 4 } }, newText: 'await asyncio' },
    ]);
  });

  test('an unchanged text needs no edit', () => {
    assert.deepEqual(minimalEdits('x = 1\n', 'x = 1\n'), []);
  });

  test('edits never split a CRLF or a surrogate pair', () => {
    const edits = minimalEdits('a = "😀"\r\nb = 2\r\n', 'a = "😁"\r\nb = 2\r\n');
    assert.deepEqual(edits, [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 7 } }, newText: '😁' }]);
    const lineBreak = minimalEdits('a\r\nb\r\n', 'a\nb\r\n');
    assert.equal(applyTextEdits('a\r\nb\r\n', lineBreak), 'a\nb\r\n');
    for (const edit of lineBreak) assert.notEqual(edit.range.start.character, 2, 'no position between \\r and \\n');
  });

  test('500 random edits (LF, CRLF, non-ASCII): applying the edits gives the new text, in order and without overlap', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const next = random(seed);
      const lineBreak = next() < 0.3 ? '\r\n' : '\n';
      const lines = Array.from({ length: 5 + Math.floor(next() * 30) }, () => PIECES[Math.floor(next() * PIECES.length)] ?? '');
      const before = lines.join(lineBreak) + (next() < 0.5 ? lineBreak : '');
      const after = mutate(lines, next).join(lineBreak) + (next() < 0.5 ? lineBreak : '');
      const edits = minimalEdits(before, after);
      assert.equal(applyTextEdits(before, edits), after, `seed ${seed}`);
      for (let index = 1; index < edits.length; index++) {
        const previous = edits[index - 1]?.range.end;
        const current = edits[index]?.range.start;
        assert.ok(previous && current && (previous.line < current.line || (previous.line === current.line && previous.character <= current.character)), `seed ${seed}: ordered, no overlap`);
      }
    }
  });
});
