#!/usr/bin/env node
// Measures otel-async/no-blocking-in-span against the blocking-call test fixtures of two other linters:
// ruff's flake8-async port (expected findings from its snapshot files) and flake8-async itself
// (expected findings from the `# ASYNCxxx: col` comments in its eval files). Their files are read from
// local snapshots of those repositories, never copied into this one; without the snapshots this
// prints a skip line and exits 0. Not part of `npm test`: run it by hand after `npm run build`:
//
//   node test/rules/python/outside-fixtures/measure.mjs [--verbose]
//
// Two runs per file: as written, and with the modules the file uses but never imports (flake8-async's
// fixtures call `subprocess.run()` with no `import subprocess`) imported at the top of line 1, so a
// finding we miss only because we resolve names through imports shows up separately.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Linter } from 'eslint';
import plugin from 'eslint-plugin-otel-async';

const RUFF = process.env.RUFF_MIRROR ?? '/work/.mirror/astral-sh+ruff/repo';
const FLAKE8_ASYNC = process.env.FLAKE8_ASYNC_MIRROR ?? '/work/.mirror/python-trio+flake8-async/repo';
const verbose = process.argv.includes('--verbose');

const RUFF_FIXTURES = 'crates/ruff_linter/resources/test/fixtures/flake8_async';
const RUFF_SNAPSHOTS = 'crates/ruff_linter/src/rules/flake8_async/snapshots';
const RUFF_FILES = ['ASYNC210.py', 'ASYNC212.py', 'ASYNC22x.py', 'ASYNC230.py', 'ASYNC240.py', 'ASYNC250.py', 'ASYNC251.py'];
// The asyncio variants where a file exists for several libraries (same cases, asyncio's messages).
const FLAKE8_ASYNC_FILES = [
  'async210.py',
  'async211.py',
  'async212.py',
  'async22x_asyncio.py',
  'async23x_asyncio.py',
  'async232_asyncio.py',
  'async240.py',
  'async250.py',
  'async250_multi_library.py',
  'async251.py',
  'async251_multi_library.py',
];
/** Module names the fixtures use as if imported. */
const IMPLICIT_MODULES = ['os', 'subprocess', 'httpx', 'httpx2', 'urllib3', 'requests', 'io', 'urllib'];

function git(repo, ...args) {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function show(repo, path) {
  return git(repo, 'show', `HEAD:${path}`);
}

function lint(code) {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [{ files: ['**/*.py'], plugins: { 'otel-async': plugin }, language: 'otel-async/python', rules: { 'otel-async/no-blocking-in-span': 'error' } }],
    { filename: 'fixture.py' },
  );
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(`parse failure: ${fatal.message}`);
  return messages.filter((message) => message.ruleId === 'otel-async/no-blocking-in-span');
}

function withImplicitImports(code) {
  const lines = code.split('\n');
  const missing = IMPLICIT_MODULES.filter(
    (module) =>
      new RegExp(`(^|[^\\w.])${module}\\.`, 'mu').test(code) &&
      // `from httpx import Client` does not bind `httpx`; only `import httpx` (possibly among others) does.
      !new RegExp(`^\\s*import\\s+([\\w.]+\\s*,\\s*)*${module}\\b(?!\\s+as\\b)`, 'mu').test(code),
  );
  if (missing.length === 0) return code;
  // Line 1 of these files is a comment and holds no expected finding, so positions elsewhere stay put.
  lines[0] = `import ${missing.join(', ')}  ${lines[0]}`;
  return lines.join('\n');
}

/** ruff: `ASYNC210 message\n  --> ASYNC210.py:8:5` blocks in the snapshot files. */
function ruffExpected() {
  const expected = new Map(RUFF_FILES.map((file) => [file, []]));
  const snapshots = git(RUFF, 'ls-tree', '--name-only', 'HEAD', `${RUFF_SNAPSHOTS}/`).split('\n').filter(Boolean);
  for (const snapshot of snapshots) {
    const match = /__(ASYNC2\d\d)_(ASYNC2[\dx]+\.py)\.snap$/u.exec(snapshot);
    if (!match || !expected.has(match[2])) continue;
    const text = show(RUFF, snapshot);
    for (const finding of text.matchAll(/^(ASYNC2\d\d) .*\n\s*--> (\S+?):(\d+):(\d+)/gmu)) {
      expected.get(match[2]).push({ code: finding[1], line: Number(finding[3]), column: Number(finding[4]) });
    }
  }
  return expected;
}

/** flake8-async: `# ASYNC210: 4, ...` (0-based column) comments, several per line possible. */
function flake8AsyncExpected(code) {
  const found = [];
  code.split('\n').forEach((text, index) => {
    for (const match of text.matchAll(/# (ASYNC2\d\d)(?:_asyncio)?: (\d+)/gu)) {
      found.push({ code: match[1], line: index + 1, column: Number(match[2]) + 1 });
    }
  });
  return found;
}

function compare(code, expected) {
  const reported = lint(code);
  const key = (line, column) => `${line}:${column}`;
  const reportedKeys = new Set(reported.map((message) => key(message.line, message.column)));
  const expectedKeys = new Set(expected.map((finding) => key(finding.line, finding.column)));
  const lines = code.split('\n');
  return {
    expected,
    matched: expected.filter((finding) => reportedKeys.has(key(finding.line, finding.column))),
    missed: expected.filter((finding) => !reportedKeys.has(key(finding.line, finding.column))).map((finding) => ({ ...finding, text: lines[finding.line - 1]?.trim() })),
    extra: reported.filter((message) => !expectedKeys.has(key(message.line, message.column))).map((message) => ({ line: message.line, column: message.column, text: lines[message.line - 1]?.trim() })),
  };
}

function summarize(suite, results) {
  const byCode = new Map();
  for (const result of results) {
    for (const finding of result.expected) {
      const entry = byCode.get(finding.code) ?? { expected: 0, matched: 0 };
      entry.expected++;
      if (result.matched.includes(finding)) entry.matched++;
      byCode.set(finding.code, entry);
    }
  }
  const total = { expected: 0, matched: 0 };
  const rows = [...byCode].sort(([a], [b]) => a.localeCompare(b)).map(([code, entry]) => {
    total.expected += entry.expected;
    total.matched += entry.matched;
    return `    ${code}: ${entry.matched}/${entry.expected}`;
  });
  const extra = results.reduce((sum, result) => sum + result.extra.length, 0);
  console.log(`  ${suite}: ${total.matched}/${total.expected} expected findings reported; ${extra} findings of ours they do not expect`);
  console.log(rows.join('\n'));
}

function details(results) {
  for (const result of results) {
    for (const miss of result.missed) console.log(`    missed ${result.file}:${miss.line}:${miss.column} ${miss.code}  ${miss.text}`);
    for (const extra of result.extra) console.log(`    extra  ${result.file}:${extra.line}:${extra.column}  ${extra.text}`);
  }
}

function run(label, transform) {
  console.log(`\n${label}`);
  if (existsSync(RUFF)) {
    const expected = ruffExpected();
    const results = RUFF_FILES.map((file) => ({ file, ...compare(transform(show(RUFF, `${RUFF_FIXTURES}/${file}`)), expected.get(file)) }));
    summarize('ruff (flake8_async fixtures + snapshots)', results);
    if (verbose) details(results);
  } else {
    console.log(`  skip: ruff snapshot not found at ${RUFF} (fetch github:astral-sh/ruff)`);
  }
  if (existsSync(FLAKE8_ASYNC)) {
    const results = FLAKE8_ASYNC_FILES.map((file) => {
      const code = show(FLAKE8_ASYNC, `tests/eval_files/${file}`);
      return { file, ...compare(transform(code), flake8AsyncExpected(code)) };
    });
    summarize('flake8-async (tests/eval_files)', results);
    if (verbose) details(results);
  } else {
    console.log(`  skip: flake8-async snapshot not found at ${FLAKE8_ASYNC} (fetch github:python-trio/flake8-async)`);
  }
}

for (const [name, repo] of [['ruff', RUFF], ['flake8-async', FLAKE8_ASYNC]]) {
  if (existsSync(repo)) console.log(`${name}: ${git(repo, 'log', '-1', '--format=%H %cs').trim()}`);
}
run('Fixtures as written:', (code) => code);
run('With modules the fixtures use but never import imported on line 1:', withImplicitImports);
