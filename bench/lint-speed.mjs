#!/usr/bin/env node
// How fast eslint-plugin-otel-async lints Python, measured against the floor (the bare tree-sitter
// parse of the same text) and against a peer (ruff's async rules compiled to WASM), all in one run.
// Usage: npm run bench [-- --reps 15 --warmup 5 --no-write]
// Writes bench/RESULTS.md and the README's benchmark block unless --no-write is given.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Linter } from 'eslint';
import plugin from 'eslint-plugin-otel-async';
import { getPythonParser, pythonGrammarReady, pythonLanguage, readTree, readsTreesDirectly } from 'eslint-plugin-otel-async/language';
import { bareParse, parseAndWalk } from './floor.mjs';
import { generatePythonModule } from './python-corpus.mjs';
import { PEER_CODES, RUFF_SELECT, compareFindings, createRuff, ruffVersion } from './ruff-peer.mjs';
import { fileFigures, renderReadmeBlock, renderResults, writeReadmeBlock } from './report.mjs';
import { benchOptions, measureInterleaved, summarize } from './timing.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(benchDir, '..');
const workDir = join(benchDir, '.work');

const TARGET_2K_MS = 50;
const TARGET_LINT_OVER_PARSE = 3;

const { options, settings } = benchOptions();

/** A full garbage collection, so heap figures mean "what is still reachable". */
function collectGarbage() {
  setFlagsFromString('--expose-gc');
  runInNewContext('gc')();
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function gitOutput(args) {
  const result = spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function pythonFilesUnder(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.py'))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

/** Checks that python3 itself accepts the files, so the corpus is real Python. */
function pythonVerdicts(paths) {
  const script = [
    'import ast, sys',
    'for path in sys.argv[1:]:',
    '    try:',
    '        ast.parse(open(path, encoding="utf-8").read(), path)',
    '        print("ok")',
    '    except SyntaxError as error:',
    '        print(f"SyntaxError line {error.lineno}: {error.msg}")',
  ].join('\n');
  const result = spawnSync('python3', ['-c', script, ...paths], { encoding: 'utf8' });
  if (result.status !== 0 || result.error) return paths.map(() => 'not checked (python3 unavailable)');
  return result.stdout.trim().split('\n');
}

// ---- The corpus ----
mkdirSync(workDir, { recursive: true });
const generated = [
  { name: 'generated 10k', path: join(workDir, 'service-10k.py'), lineCount: 10_000, seed: 10_000 },
  { name: 'generated 2k', path: join(workDir, 'service-2k.py'), lineCount: 2_000, seed: 2_000 },
];
for (const file of generated) writeFileSync(file.path, generatePythonModule(file));
const examplePaths = pythonFilesUnder(join(repoRoot, 'examples'));
const verdicts = pythonVerdicts([...generated.map((file) => file.path), ...examplePaths]);

const corpus = generated.map((file, index) => {
  const text = readFileSync(file.path, 'utf8');
  return { name: file.name, parts: [{ path: file.path, text }], pythonCheck: verdicts[index] };
});
if (examplePaths.length > 0) {
  const exampleVerdicts = verdicts.slice(generated.length);
  const failing = exampleVerdicts.filter((verdict) => verdict !== 'ok').length;
  corpus.push({
    name: `examples/ (${examplePaths.length} file${examplePaths.length === 1 ? '' : 's'})`,
    parts: examplePaths.map((path) => ({ path, text: readFileSync(path, 'utf8') })),
    pythonCheck: failing === 0 ? 'ok' : `${failing} of ${examplePaths.length} files do not parse (on purpose?)`,
  });
}

// ---- The tools ----
await pythonGrammarReady;
const parser = getPythonParser();
const linter = new Linter({ cwd: repoRoot });
const config = [...plugin.configs.recommended];
// The rules that apply to Python files: the blocks of the recommended config that match `*.py`.
const pythonBlocks = config.filter((block) => (block.files ?? []).flat().some((pattern) => typeof pattern === 'string' && pattern.endsWith('*.py')));
const rulesOn = Object.keys(pythonBlocks.reduce((rules, block) => ({ ...rules, ...block.rules }), {})).sort();
const ruff = createRuff();

// The language keeps the last trees of recently parsed paths and re-parses a changed file
// incrementally; a path used once (as `eslint` in CI sees each file) measures the full parse.
let coldRuns = 0;
const coldPath = (path) => join(dirname(path), `cold-${coldRuns++}`, path.slice(dirname(path).length + 1));
const languageParse = (path, text) => {
  const file = { path: coldPath(path), physicalPath: path, body: text, bom: false };
  const result = pythonLanguage.parse(file, { languageOptions: { tolerant: true } });
  if (!result.ok) throw new Error(`the Python language could not parse ${path}`);
  return pythonLanguage.createSourceCode(file, result, {});
};
const fullLint = (path, text) => linter.verify(text, config, { filename: coldPath(path) });

/**
 * The editor's case: the same file linted again after one character was typed (then deleted) at the
 * end of a comment line in the middle, so the language re-parses it incrementally.
 */
function editedVersions(text) {
  const lines = text.split('\n');
  const line = lines.findIndex((candidate, index) => index > lines.length / 2 && /^SETTING_|#/u.test(candidate));
  if (line < 0) return [text, text];
  const at = lines.slice(0, line + 1).join('\n').length;
  return [text.slice(0, at) + 'x' + text.slice(at), text];
}
const editRuns = new Map();
const lintAfterEdit = (path, text) => {
  const versions = editedVersions(text);
  const run = editRuns.get(path) ?? 0;
  editRuns.set(path, run + 1);
  return linter.verify(versions[run % 2], config, { filename: `${path}.edited.py` });
};

// ---- Findings (outside the timed rounds) ----
for (const file of corpus) {
  file.lines = file.parts.reduce((sum, part) => sum + part.text.split(/\r\n|[\r\n]/u).length - (part.text.endsWith('\n') ? 1 : 0), 0);
  file.chars = file.parts.reduce((sum, part) => sum + part.text.length, 0);
  file.sha = file.parts.length === 1 ? createHash('sha256').update(file.parts[0].text).digest('hex').slice(0, 12) : undefined;
  file.compared = file.parts.map((part) => {
    const ours = fullLint(part.path, part.text).map((message) => ({ ruleId: message.ruleId, line: message.line, message: message.message }));
    const theirs = ruff.check(part.text);
    return { name: relative(repoRoot, part.path), lines: part.text.split(/\r\n|[\r\n]/u), ours, ruff: theirs.findings, ruffSyntaxErrors: theirs.syntaxErrors };
  });
  file.ourCount = file.compared.reduce((sum, part) => sum + part.ours.length, 0);
  file.ruffCount = file.compared.reduce((sum, part) => sum + part.ruff.length, 0);
  file.ourSyntaxErrors = file.compared.reduce((sum, part) => sum + part.ours.filter((finding) => finding.ruleId === 'otel-async/syntax-error' || finding.ruleId === null).length, 0);
  file.ruffSyntaxErrors = file.compared.reduce((sum, part) => sum + part.ruffSyntaxErrors.length, 0);
}

// ---- Timing ----
const loadBefore = loadavg().map((load) => load.toFixed(2)).join(' / ');
for (const file of corpus) {
  const each = (run) => () => {
    for (const part of file.parts) run(part.path, part.text);
  };
  process.stdout.write(`timing ${file.name} …`);
  file.timing = measureInterleaved({
    parse: each((_path, text) => bareParse(parser, text)),
    walk: each((_path, text) => parseAndWalk(parser, readTree, text)),
    language: each(languageParse),
    lint: each(fullLint),
    edit: each(lintAfterEdit),
    ruff: each((_path, text) => ruff.checkRaw(text)),
  }, settings);
  process.stdout.write(' done\n');
}

// ---- Where the lint's time goes: ESLint's own per-rule stats (they wrap every listener, so separate runs) ----
const STATS_RUNS = 5;
function ruleTimes(part) {
  const samples = new Map();
  const add = (id, ms) => samples.set(id, [...(samples.get(id) ?? []), ms]);
  for (let run = 0; run < STATS_RUNS; run++) {
    const statsLinter = new Linter({ cwd: repoRoot });
    statsLinter.verifyAndFix(part.text, config, { filename: coldPath(part.path), stats: true, fix: false });
    const pass = statsLinter.getTimes().passes[0];
    add('(parse: tree-sitter + conversion)', pass?.parse?.total ?? 0);
    for (const [id, time] of Object.entries(pass?.rules ?? {})) add(id, time.total);
  }
  return new Map([...samples].map(([id, times]) => [id, summarize(times).median]));
}
for (const file of corpus.slice(0, 2)) file.ruleTimes = ruleTimes(file.parts[0]);

const loadAfter = loadavg().map((load) => load.toFixed(2)).join(' / ');

// ---- Memory: one lint of the 10k file with a fresh Linter ----
const big = corpus[0].parts[0];
collectGarbage();
const heapBefore = process.memoryUsage().heapUsed;
const memoryLinter = new Linter({ cwd: repoRoot });
memoryLinter.verify(big.text, config, { filename: coldPath(big.path) });
const heapBeforeGc = process.memoryUsage().heapUsed;
collectGarbage();
const afterLint = process.memoryUsage();
// Keeps the linter (and the SourceCode it holds) alive until the heap was read.
if (!memoryLinter.getSourceCode()) console.warn('the memory run kept no SourceCode');

// ---- Report ----
const byName = Object.fromEntries(corpus.map((file) => [file.name, file]));
const small = byName['generated 2k'];
const large = byName['generated 10k'];
const targets = [
  {
    text: `a 2,000-line file lints in under ${TARGET_2K_MS} ms`,
    met: small.timing.lint.median < TARGET_2K_MS,
    measured: `median ${small.timing.lint.median.toFixed(1)} ms, p90 ${small.timing.lint.p90.toFixed(1)} ms`,
  },
  ...[large, small].map((file) => ({
    text: `full lint at most ${TARGET_LINT_OVER_PARSE}× the bare parse (${file.name})`,
    met: fileFigures(file).lintOverParse <= TARGET_LINT_OVER_PARSE,
    measured: `${fileFigures(file).lintOverParse.toFixed(2)}×`,
  })),
];

const pluginVersion = readJson(join(repoRoot, 'rules', 'package.json')).version;
const run = {
  date: new Date().toISOString(),
  machine: {
    nproc: (() => { try { return execFileSync('nproc', { encoding: 'utf8' }).trim(); } catch { return String(cpus().length); } })(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    loadBefore,
    loadAfter,
  },
  versions: {
    node: process.version,
    eslint: Linter.version,
    webTreeSitter: readJson(join(repoRoot, 'node_modules', 'web-tree-sitter', 'package.json')).version,
    treeSitterPython: readJson(join(repoRoot, 'node_modules', 'tree-sitter-python', 'package.json')).version,
    ruff: ruffVersion(),
    plugin: pluginVersion,
    commit: gitOutput(['rev-parse', '--short', 'HEAD']) ?? 'unknown',
    dirty: (gitOutput(['status', '--porcelain', '--', 'rules']) ?? '') !== '',
  },
  settings,
  directReading: readsTreesDirectly(),
  statsRuns: STATS_RUNS,
  rulesOn,
  ruffSelect: RUFF_SELECT,
  peerLabels: Object.fromEntries(Object.entries(PEER_CODES).map(([id, peer]) => [id, peer.label])),
  files: corpus,
  targets,
  memory: { heapBefore, heapBeforeGc, heapRetained: afterLint.heapUsed, rss: afterLint.rss, external: afterLint.external },
  overlap: compareFindings(corpus.flatMap((file) => file.compared)),
};

// ---- Console ----
console.log(`\nnproc ${run.machine.nproc}, Node ${run.versions.node}, ${rulesOn.length} rule(s) on: ${rulesOn.join(', ')}`);
console.table(Object.fromEntries(corpus.map((file) => {
  const figures = fileFigures(file);
  return [file.name, {
    lines: file.lines,
    'parse ms': +file.timing.parse.median.toFixed(2),
    'parse+walk ms': +file.timing.walk.median.toFixed(2),
    'parse+convert ms': +file.timing.language.median.toFixed(2),
    'lint ms': +file.timing.lint.median.toFixed(2),
    'lint p90': +file.timing.lint.p90.toFixed(2),
    'edit ms': +file.timing.edit.median.toFixed(2),
    'ms/1k lines': +figures.msPerKLine.toFixed(2),
    'lint/parse': +figures.lintOverParse.toFixed(2),
    'ruff ms': +file.timing.ruff.median.toFixed(2),
    'ours/ruff': +figures.oursOverRuff.toFixed(2),
    ours: file.ourCount,
    ruff: file.ruffCount,
  }];
})));
const slowest = [...large.ruleTimes].sort((a, b) => b[1] - a[1]).slice(0, 4);
console.log(`slowest parts of the 10k lint (ESLint stats): ${slowest.map(([id, ms]) => `${id} ${ms.toFixed(1)} ms`).join(', ')}`);
for (const target of targets) console.log(`${target.met ? 'MET   ' : 'MISSED'} ${target.text}: ${target.measured}`);
console.log(`heap used after linting the 10k file: ${(afterLint.heapUsed / 1024 ** 2).toFixed(1)} MiB (+${((afterLint.heapUsed - heapBefore) / 1024 ** 2).toFixed(1)} MiB)`);
for (const rule of run.overlap.ours) {
  console.log(`ours ${rule.id}: ${rule.total} findings, ${rule.peer} also by ruff (${rule.codes.join(', ') || '-'}), ${rule.otherCode} ruff other code, ${rule.missed.length} not by ruff`);
}
for (const code of run.overlap.theirs) {
  console.log(`ruff ${code.id}: ${code.total} findings, ${code.peer} on lines we report, ${code.missed.length} we do not`);
}
const syntaxNoise = corpus.filter((file) => file.ourSyntaxErrors > 0 || file.ruffSyntaxErrors > 0);
for (const file of syntaxNoise) console.warn(`warning: ${file.name}: ${file.ourSyntaxErrors} syntax errors from us, ${file.ruffSyntaxErrors} from ruff`);

if (!options['no-write']) {
  // The editor section belongs to bench/lsp-latency.mjs and the ts section to bench/ts-lint-speed.mjs:
  // keep them as they are.
  const resultsPath = join(benchDir, 'RESULTS.md');
  const previous = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '';
  const editorSection = /<!-- editor:start -->[\s\S]*<!-- editor:end -->/u.exec(previous)?.[0];
  const tsSection = /<!-- ts:start -->[\s\S]*<!-- ts:end -->/u.exec(previous)?.[0];
  const keptSections = [editorSection, tsSection].filter(Boolean).map((section) => `\n${section}\n`).join('');
  writeFileSync(resultsPath, `${renderResults(run).trimEnd()}\n${keptSections}`);
  writeReadmeBlock(join(repoRoot, 'README.md'), renderReadmeBlock(run));
  console.log('wrote bench/RESULTS.md and the README benchmark block');
}
