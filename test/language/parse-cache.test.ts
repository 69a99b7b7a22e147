import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import plugin from 'eslint-plugin-otel-async';
import { LineIndex, ParseCache, convertTree, getPythonParser, pythonGrammarReady } from 'eslint-plugin-otel-async/language';

await pythonGrammarReady;

const fixtures = fileURLToPath(new URL('../../../test/fixtures/python/', import.meta.url));
const examples = fileURLToPath(new URL('../../../examples/python/', import.meta.url));

function pythonFilesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.py'))
    .map((name) => readFileSync(join(dir, name), 'utf8'));
}

const texts = [...pythonFilesIn(examples), ...pythonFilesIn(fixtures)];

/** Pseudo-random numbers below `limit`, the same on every run. */
function numbers(seed: number): (limit: number) => number {
  let state = seed;
  return (limit) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % limit;
  };
}

/**
 * The next version of a file, as typing makes it: most edits keep it valid (a letter typed into a name
 * or comment, a line duplicated or removed), some break it (a bracket, a colon, a dedent).
 */
function typeInto(text: string, next: (limit: number) => number): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineStart = lineStarts[next(lineStarts.length)] ?? 0;
  const lineEnd = text.indexOf('\n', lineStart) === -1 ? text.length : text.indexOf('\n', lineStart) + 1;
  const line = text.slice(lineStart, lineEnd);
  const nameAt = /[A-Za-z_]\w*/u.exec(line);
  switch (next(7)) {
    case 0:
    case 1: // a letter typed at the end of a name
      return nameAt ? text.slice(0, lineStart + nameAt.index + nameAt[0].length) + 'q' + text.slice(lineStart + nameAt.index + nameAt[0].length) : text + '\n';
    case 2: // the line duplicated
      return text.slice(0, lineEnd) + line + text.slice(lineEnd);
    case 3: // the line removed
      return text.slice(0, lineStart) + text.slice(lineEnd);
    case 4: // a comment typed at the end of the line
      return text.slice(0, lineEnd).replace(/\r?\n?$/u, '  # typed\u{1F680}$&') + text.slice(lineEnd);
    case 5: // something that breaks the syntax
      return text.slice(0, lineStart) + (['(', ':', 'def ', '  '][next(4)] ?? '(') + text.slice(lineStart);
    default: // the last change undone by hand: a character deleted
      return lineEnd > lineStart ? text.slice(0, lineStart) + text.slice(lineStart + 1) : text;
  }
}

function snapshot(tree: ReturnType<ParseCache['parse']>, text: string): string {
  assert.ok(tree);
  const converted = convertTree(tree, text, new LineIndex(text));
  return JSON.stringify(converted, (key, value: unknown) => (key === 'parent' ? undefined : value));
}

describe('re-parsing a changed file incrementally (ParseCache)', () => {
  test('every version converts exactly as a fresh parse of its text does', () => {
    const cache = new ParseCache();
    const parser = getPythonParser();
    let versions = 0;
    for (const [index, original] of texts.entries()) {
      const next = numbers(index + 1);
      let text = original;
      for (let edit = 0; edit < 25; edit++) {
        // A broken version is typed over again (as in an editor): the next edit starts from before it.
        const typed = typeInto(text, next);
        const broken = getPythonParser().parse(typed)?.rootNode.hasError ?? true;
        if (!broken) text = typed;
        const incremental = snapshot(cache.parse(parser, `file${String(index % 3)}.py`, typed, new LineIndex(typed)), typed);
        const freshTree = parser.parse(typed);
        const fresh = snapshot(freshTree, typed);
        freshTree?.delete();
        assert.equal(incremental, fresh, `file ${index}, edit ${edit}`);
        versions++;
      }
    }
    cache.clear();
    // Both paths must have been taken often, or the comparison proves little.
    assert.ok(cache.counts.incremental > versions / 2, JSON.stringify(cache.counts));
    assert.ok(cache.counts.full > 20, JSON.stringify(cache.counts));
  });

  test('the same text twice reuses the tree; more files than the cache holds evict the oldest', () => {
    const cache = new ParseCache();
    const parser = getPythonParser();
    const text = 'import asyncio\n';
    for (let round = 0; round < 2; round++) {
      for (let file = 0; file < 6; file++) cache.parse(parser, `f${file}.py`, text, new LineIndex(text));
    }
    // Six files through a cache of four: every second visit is a miss.
    assert.deepEqual(cache.counts, { unchanged: 0, incremental: 0, full: 12 });
    cache.parse(parser, 'f5.py', text, new LineIndex(text));
    assert.deepEqual(cache.counts, { unchanged: 1, incremental: 0, full: 12 });
    cache.clear();
  });

  test('huge texts are not kept (WebAssembly memory never shrinks) and the kept texts stay under ~4 MB', () => {
    const cache = new ParseCache();
    const parser = getPythonParser();
    const line = 'value = compute(alpha, beta)  # a line of forty characters\n';
    const big = line.repeat(Math.ceil(4_100_000 / line.length));
    const tree = cache.parse(parser, 'huge.py', big, new LineIndex(big));
    assert.ok(tree);
    assert.equal(tree.rootNode.endIndex, big.length);
    cache.release(tree);
    assert.deepEqual(cache.kept, { trees: 0, chars: 0 });
    // The next parse of the same path is a full parse again.
    cache.release(cache.parse(parser, 'huge.py', big, new LineIndex(big)) ?? assert.fail('no tree'));
    assert.deepEqual(cache.counts, { unchanged: 0, incremental: 0, full: 2 });

    const medium = line.repeat(Math.ceil(1_500_000 / line.length));
    for (const name of ['a.py', 'b.py', 'c.py']) {
      cache.release(cache.parse(parser, name, medium, new LineIndex(medium)) ?? assert.fail('no tree'));
    }
    // Three 1.5 MB texts do not fit in 4 MB: the oldest went.
    assert.equal(cache.kept.trees, 2);
    assert.ok(cache.kept.chars <= 4_000_000);
    cache.release(cache.parse(parser, 'c.py', medium, new LineIndex(medium)) ?? assert.fail('no tree'));
    assert.equal(cache.counts.unchanged, 1);
    cache.clear();
    assert.deepEqual(cache.kept, { trees: 0, chars: 0 });
  });

  test('ESLint reports the same problems on each version of a file as on a fresh lint of that version', () => {
    const config = [...plugin.configs.strict];
    const source = readFileSync(join(fixtures, 'seed_guide', 'common_mistakes.py'), 'utf8');
    const next = numbers(99);
    let text = source;
    for (let edit = 0; edit < 30; edit++) {
      text = typeInto(text, next);
      const same = new Linter().verify(text, config, { filename: 'edited.py' });
      const fresh = new Linter().verify(text, config, { filename: `fresh-${String(edit)}.py` });
      assert.deepEqual(same, fresh, `edit ${edit}`);
    }
  });
});
