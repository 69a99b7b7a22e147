import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { LineIndex, pythonLanguage, type PythonSourceCode } from 'eslint-plugin-otel-async/language';
import { CALLS, at, lint, reported, sourceCodeOf } from './helpers.js';

const CALL = 'test/report-call';

/**
 * CPython's own positions, as an independent oracle: for each source, every Call, Name and Attribute
 * of `ast.parse` with 1-based lines and 0-based UTF-16 columns (CPython counts UTF-8 bytes; converted
 * here on the line as CPython split it: LF, CRLF and lone CR end a line, a BOM is not part of line 1).
 */
const PYTHON_POSITIONS = `
import ast, json, re, sys

def utf16(text):
    return len(text.encode('utf-16-le')) // 2

results = []
for source in json.load(sys.stdin):
    data = source.encode('utf-8', 'surrogatepass')
    lines = re.split(r'\\r\\n|\\r|\\n', data.decode('utf-8-sig'))
    def column(line, byte_offset):
        return utf16(lines[line - 1].encode('utf-8')[:byte_offset].decode('utf-8'))
    found = []
    for node in ast.walk(ast.parse(data)):
        kind = {ast.Call: 'call', ast.Name: 'identifier', ast.Attribute: 'attribute'}.get(type(node))
        if kind:
            found.append([kind, node.lineno, column(node.lineno, node.col_offset), node.end_lineno, column(node.end_lineno, node.end_col_offset)])
    results.append(sorted(found))
print(json.dumps(results))
`;

type Spot = [string, number, number, number, number];

function cpythonPositions(sources: readonly string[]): Spot[][] {
  const output = execFileSync('python3', ['-c', PYTHON_POSITIONS], { input: JSON.stringify(sources), encoding: 'utf8' });
  return JSON.parse(output) as Spot[][];
}

const compare = (a: Spot, b: Spot): number => JSON.stringify(a).localeCompare(JSON.stringify(b));

function ourPositions(sourceCode: PythonSourceCode, types: readonly string[]): Spot[] {
  const spots: Spot[] = [];
  for (const step of sourceCode.traverse()) {
    const node = step.target;
    if (step.phase !== 1 || !types.includes(node.type)) continue;
    const { start, end } = node.loc;
    spots.push([node.type, start.line, start.column, end.line, end.column]);
  }
  return spots.sort(compare);
}


const CASES: Record<string, string> = {
  bom: '\uFEFFx = f(1)\nprint(x)\n',
  crlf: 'a = 1\r\nb = g(a)\r\nif b:\r\n    h(b.c)\r\n',
  'lone CR': 'a = 1\rb = g(a)\rif b:\r    h(b.c)\r',
  'mixed line ends': 'a = f()\r\nb = g()\rc = h()\nd = i()\n',
  tabs: 'if x:\n\ty = f(\t1)\n\tz = g(y)\n',
  'non-ASCII identifiers': 'é = 1\n变量 = f(é)\nnaïve.attr(变量)\nδ = 変数名 = g()\n',
  'astral characters before a node on the same line': 'x = "😀"; f(x)\ny = "𝔘𝔫𝔦" + g("🎉🎉", h)\n',
  'everything at once': '\uFEFF# -*- coding: utf-8 -*-\r\nif 真:\r\n\tα = "😀\t"; f(α)\r\tg(α.β)\n',
};

describe('positions agree with CPython', () => {
  const names = Object.keys(CASES);
  const sources = names.map((name) => CASES[name] as string);
  const expected = cpythonPositions(sources);

  for (const [index, name] of names.entries()) {
    test(`${name}: every call, name and attribute at CPython's line and UTF-16 column`, () => {
      const source = sources[index] as string;
      const python = expected[index] ?? [];
      assert.ok(python.length > 0);
      const sourceCode = sourceCodeOf(source);
      assert.deepEqual(ourPositions(sourceCode, ['call', 'attribute']), python.filter(([kind]) => kind !== 'identifier').sort(compare));
      // Every CPython Name is one of our identifiers (ours also has attribute and definition names).
      const identifiers = new Set(ourPositions(sourceCode, ['identifier']).map((spot) => JSON.stringify(spot)));
      for (const spot of python.filter(([kind]) => kind === 'identifier')) assert.ok(identifiers.has(JSON.stringify(spot)), JSON.stringify(spot));
      // ESLint reports the same places, with 1-based columns.
      const calls = python.filter(([kind]) => kind === 'call').sort((a, b) => a[1] - b[1] || a[2] - b[2] || b[4] - a[4]);
      assert.deepEqual(
        lint(source, CALLS).map((message) => [message.line, message.column, message.endLine, message.endColumn]),
        calls.map(([, line, column, endLine, endColumn]) => [line, column + 1, endLine, endColumn + 1]),
      );
    });
  }
});

describe('exact positions in ESLint messages', () => {
  test('a BOM is not a column: ESLint strips it and line 1 does not shift', () => {
    assert.deepEqual(reported(lint('\uFEFFx = f(1)\n')), [at(CALL, 'call of f', 1, 5, 1, 9)]);
    const sourceCode = sourceCodeOf('\uFEFFx = f(1)\n');
    assert.equal(sourceCode.text, 'x = f(1)\n');
    assert.deepEqual(sourceCode.ast.range, [0, 9]);
  });

  test('CRLF and lone CR: the line break is not part of any line, nodes end before it', () => {
    assert.deepEqual(reported(lint('a = 1\r\nf(a)  # c\r\ng(a)\rh(a)\r\n')), [
      at(CALL, 'call of f', 2, 1, 2, 5),
      at(CALL, 'call of g', 3, 1, 3, 5),
      at(CALL, 'call of h', 4, 1, 4, 5),
    ]);
    const sourceCode = sourceCodeOf('def f():\r\n    return 1  # one\r\n\r\nx = 2\r\n');
    assert.deepEqual(sourceCode.lines, ['def f():', '    return 1  # one', '', 'x = 2', '']);
    const definition = sourceCode.ast.children[0];
    assert.ok(definition);
    // The function ends with its trailing comment, before the CR.
    assert.deepEqual(definition.range, [0, 29]);
    assert.deepEqual(definition.loc, { start: { line: 1, column: 0 }, end: { line: 2, column: 19 } });
    assert.deepEqual(sourceCode.comments[0]?.loc, { start: { line: 2, column: 14 }, end: { line: 2, column: 19 } });
  });

  test('a lone CR ends a line for the parser too (CPython treats it as a newline)', () => {
    const sourceCode = sourceCodeOf('a = 1\rfoo(a)\rif a:\r    pass\r');
    assert.deepEqual(sourceCode.syntaxProblems, []);
    assert.deepEqual(
      sourceCode.ast.children.map((statement) => [statement.type, statement.loc.start.line]),
      [
        ['expression_statement', 1],
        ['expression_statement', 2],
        ['if_statement', 3],
      ],
    );
    assert.equal(sourceCode.getText(sourceCode.ast.children[1]), 'foo(a)');
  });

  test('a tab is one column, as in ESLint', () => {
    assert.deepEqual(reported(lint('if x:\n\t\tf(\t1)\n')), [at(CALL, 'call of f', 2, 3, 2, 8)]);
  });

  test('non-ASCII identifiers count UTF-16 units: é and CJK are one column each', () => {
    assert.deepEqual(reported(lint('变量 = f(é)\nnaïve.g(变量)\n')), [at(CALL, 'call of f', 1, 6, 1, 10), at(CALL, 'call of naïve.g', 2, 1, 2, 12)]);
  });

  test('an emoji in a string before a node on the same line is two columns (a surrogate pair)', () => {
    assert.deepEqual(reported(lint('x = "😀"; f(x)  # 🎉\n')), [at(CALL, 'call of f', 1, 11, 1, 15)]);
    const sourceCode = sourceCodeOf('x = "😀"; f(x)  # 🎉\n');
    assert.deepEqual(sourceCode.comments[0]?.loc, { start: { line: 1, column: 16 }, end: { line: 1, column: 20 } });
    assert.equal(sourceCode.comments[0]?.value, ' 🎉');
  });
});

describe('LineIndex (offsets.ts)', () => {
  const texts = ['', 'x', 'a\nb', 'a\r\nb\rc\n', '😀\r\n\t"𝔘"\r\r\n\n', 'é = 变量  # 🎉\r\nz\n'];

  test('line starts for LF, CRLF and lone CR; form feed is not a line end', () => {
    assert.deepEqual(new LineIndex('a\nb\r\nc\rd\fe').lineStarts, [0, 2, 5, 7]);
    assert.equal(new LineIndex('a\nb\r\nc\rd').lineCount, 4);
    assert.equal(new LineIndex('').lineCount, 1);
  });

  test('positionAt matches the base class getLocFromIndex at every offset, and lines match sourceCode.lines', () => {
    for (const text of texts) {
      const file = { path: 'a.py', physicalPath: 'a.py', bom: false, body: text };
      const parsed = pythonLanguage.parse(file, { languageOptions: { tolerant: true } });
      assert.ok(parsed.ok);
      const sourceCode = pythonLanguage.createSourceCode(file, parsed, { languageOptions: {} });
      const index = new LineIndex(text);
      assert.equal(index.lineCount, sourceCode.lines.length, JSON.stringify(text));
      assert.deepEqual(sourceCode.lines, text.split(/\r\n|\r|\n/u));
      for (let offset = 0; offset <= text.length; offset++) {
        assert.deepEqual(index.positionAt(offset), sourceCode.getLocFromIndex(offset), `${JSON.stringify(text)} @${offset}`);
        assert.deepEqual(sourceCode.lineIndex.positionAt(offset), index.positionAt(offset));
      }
      // offsetAt matches getIndexFromLoc for every column of every line, up to and including its end.
      for (const [lineNumber, line] of sourceCode.lines.entries()) {
        for (let column = 0; column <= line.length; column++) {
          const position = { line: lineNumber + 1, column };
          assert.equal(index.offsetAt(position), sourceCode.getIndexFromLoc(position), `${JSON.stringify(text)} ${JSON.stringify(position)}`);
          assert.deepEqual(index.positionAt(index.offsetAt(position)), position);
        }
      }
    }
  });

  test('out-of-range input clamps instead of throwing', () => {
    const index = new LineIndex('ab\r\ncd');
    assert.deepEqual(index.positionAt(-5), { line: 1, column: 0 });
    assert.deepEqual(index.positionAt(99), { line: 2, column: 2 });
    assert.equal(index.offsetAt({ line: 1, column: 50 }), 2, 'a column past the end stops before the CRLF');
    assert.equal(index.offsetAt({ line: 1, column: -3 }), 0);
    assert.equal(index.offsetAt({ line: 0, column: 1 }), 0);
    assert.equal(index.offsetAt({ line: 7, column: 0 }), 6);
    assert.deepEqual(index.locationOf([1, 5]), { start: { line: 1, column: 1 }, end: { line: 2, column: 1 } });
  });

  test('node loc and sourceCode.locationOfRange use the same converter', () => {
    const sourceCode = sourceCodeOf('x = "😀"\r\ny = f(x)\n');
    for (const step of sourceCode.traverse()) {
      const node = step.target;
      assert.deepEqual(node.loc, sourceCode.locationOfRange(node.range));
      assert.deepEqual(node.loc, sourceCode.lineIndex.locationOf(node.range));
    }
  });
});
