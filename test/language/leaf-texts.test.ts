import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LeafTexts } from 'eslint-plugin-otel-async/language';
import { sourceCodeOf } from './helpers.js';

// Whether two equal texts are one string object cannot be observed from JavaScript (strings compare by
// value); the sharing shows in the benchmark's garbage-collection time. These tests check that every
// text is exact, whatever the hash table does: collisions, growth, long texts, non-ASCII.
describe('leaf texts shared within a file', () => {
  test('every text equals its slice of the source', () => {
    // Non-ASCII, an astral-plane character (two UTF-16 units), and texts that differ only in length or one unit.
    const source = 'span span spam sp \u00e9t\u00e9 \u00e9t\u00e9 \u{1F680}x \u{1F680}x';
    const texts = new LeafTexts(source);
    const words: [number, number][] = [];
    for (const match of source.matchAll(/\S+/gu)) words.push([match.index, match.index + match[0].length]);
    const got = words.map(([start, end]) => texts.textOf(start, end));
    assert.deepEqual(got, words.map(([start, end]) => source.slice(start, end)));
    assert.notEqual(got[0], got[2]);
    const rocket = words.slice(-2).map(([start, end]) => texts.textOf(start, end));
    assert.deepEqual(rocket, ['\u{1F680}x', '\u{1F680}x']);
  });

  test('thousands of distinct texts (the table grows) and long texts stay exact', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `name_${i.toString(36)}`);
    const long = 'x'.repeat(200);
    const source = [...names, ...names, long, long].join(' ');
    const texts = new LeafTexts(source);
    let offset = 0;
    for (const word of source.split(' ')) {
      assert.equal(texts.textOf(offset, offset + word.length), word);
      offset += word.length + 1;
    }
    assert.equal(texts.textOf(0, 0), '');
  });

  test('a converted tree has exact leaf texts', () => {
    const code = 'import time\nasync def f(time_ms):\n    time.sleep(time_ms)\n    time.sleep(time_ms)\n';
    const sourceCode = sourceCodeOf(code);
    const identifiers: { text?: string; range: readonly [number, number] }[] = [];
    for (const step of sourceCode.traverse()) {
      const node = step.target as { type: string; text?: string; range: readonly [number, number] };
      if (step.phase === 1 && node.type === 'identifier') identifiers.push(node);
    }
    for (const node of identifiers) assert.equal(node.text, code.slice(node.range[0], node.range[1]));
    assert.deepEqual(
      identifiers.map((node) => node.text),
      ['time', 'f', 'time_ms', 'time', 'sleep', 'time_ms', 'time', 'sleep', 'time_ms'],
    );
  });
});
