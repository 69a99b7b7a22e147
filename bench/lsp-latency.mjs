// Editor benchmark: drives the language server with a real LSP client over stdio and measures
// edit-to-diagnostics latency on a 2,000-line file (p50/p90 over 30 edits, after warm-up edits) and the
// server's memory with 200 open documents. Writes bench/lsp-latency.json and the "Editor" section of
// bench/RESULTS.md (between its markers; the rest of that file belongs to bench/lint-speed.mjs).
// Run with `npm run bench:lsp` (it builds first; the bundle is measured too when dist/ exists).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import plugin from 'eslint-plugin-otel-async';
import { LspClient } from '../test/out/server/lsp-client.js';
import { generatePythonModule } from './python-corpus.mjs';
import { summarize } from './timing.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = `${root}bench/RESULTS.md`;
const RAW = `${root}bench/lsp-latency.json`;
const START = '<!-- editor:start -->';
const END = '<!-- editor:end -->';
const WARMUP_EDITS = 5;
const EDITS = 30;
const DOCUMENTS = 200;
const TARGET_P90_MS = 50;

function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return kib * 1024;
}

/** Latency of one edit: from sending didChange to receiving the diagnostics of that version. */
async function latencies(client, uri, text) {
  await client.open(uri, text, 1);
  const first = await client.diagnosticsFor(uri, 1);
  // A comment line in the middle of the file: typing there keeps the file valid.
  const lines = text.split('\n');
  const line = lines.findIndex((candidate, index) => index > lines.length / 2 && /^SETTING_|#/.test(candidate));
  const column = lines[line].length;
  const samples = [];
  let version = 1;
  for (let edit = 0; edit < WARMUP_EDITS + EDITS; edit++) {
    version++;
    // Type a character, then delete it: the text alternates between two versions.
    const change = version % 2 === 0
      ? { range: { start: { line, character: column }, end: { line, character: column } }, text: 'x' }
      : { range: { start: { line, character: column }, end: { line, character: column + 1 } }, text: '' };
    const count = client.published.length;
    const started = performance.now();
    await client.change(uri, version, [change]);
    await client.diagnosticsFor(uri, version, count);
    if (edit >= WARMUP_EDITS) samples.push(performance.now() - started);
  }
  return { summary: summarize(samples), samples, diagnostics: first.diagnostics.length };
}

async function openMany(client) {
  const before = rssBytes(client.process.pid);
  const started = performance.now();
  const uris = [];
  for (let index = 0; index < DOCUMENTS; index++) {
    const uri = `file:///bench/module_${index}.py`;
    uris.push(uri);
    await client.open(uri, generatePythonModule({ lineCount: 300, seed: 1000 + index }), 1);
  }
  await client.until('diagnostics for every document', () => (uris.every((uri) => client.published.some((params) => params.uri === uri)) ? true : undefined), 600_000);
  const elapsed = performance.now() - started;
  // Let the collector settle before reading the resident set.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  return { rssBefore: before, rssAfter: rssBytes(client.process.pid), lintAllMs: elapsed, lines: DOCUMENTS * 300 };
}

/** The same lint in this process, without the server: what the latency is made of. */
function inProcessLint(text) {
  const linter = new Linter({ configType: 'flat' });
  const config = [...plugin.configs.recommended];
  for (let round = 0; round < WARMUP_EDITS; round++) linter.verify(text, config, { filename: 'latency.py' });
  const samples = [];
  for (let round = 0; round < EDITS; round++) {
    const started = performance.now();
    linter.verify(text, config, { filename: 'latency.py' });
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

async function measure(label, serverPath) {
  process.env.OTEL_ASYNC_SERVER = serverPath;
  const client = await LspClient.start();
  try {
    const text = generatePythonModule({ lineCount: 2000, seed: 42 });
    const edit = await latencies(client, 'file:///bench/latency.py', text);
    const memory = await openMany(client);
    return { label, serverPath: serverPath.replace(root, ''), ...edit, memory };
  } finally {
    await client.stop();
  }
}

const servers = [['tsc output (`server/out/server.js`)', `${root}server/out/server.js`]];
if (existsSync(`${root}dist/server.mjs`)) servers.push(['VSIX bundle (`dist/server.mjs`)', `${root}dist/server.mjs`]);

const load = loadavg()[0].toFixed(2);
const lintOnly = inProcessLint(generatePythonModule({ lineCount: 2000, seed: 42 }));
console.log(`Linter#verify in-process on the same file: p50 ${lintOnly.median.toFixed(1)} ms, p90 ${lintOnly.p90.toFixed(1)} ms`);
const runs = [];
for (const [label, path] of servers) {
  const run = await measure(label, path);
  runs.push(run);
  console.log(`${label}: edit→diagnostics p50 ${run.summary.median.toFixed(1)} ms, p90 ${run.summary.p90.toFixed(1)} ms; ${DOCUMENTS} documents: RSS ${(run.memory.rssAfter / 2 ** 20).toFixed(0)} MiB`);
}

const result = {
  date: new Date().toISOString(),
  machine: { nproc: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memory: `${Math.round(totalmem() / 2 ** 30)} GiB`, loadBefore: load, loadAfter: loadavg()[0].toFixed(2) },
  node: process.version,
  settings: { warmupEdits: WARMUP_EDITS, edits: EDITS, documents: DOCUMENTS, targetP90Ms: TARGET_P90_MS },
  inProcessLint: lintOnly,
  rulesOn: Object.keys(plugin.configs.recommended.flatMap((config) => Object.keys(config.rules ?? {})).reduce((all, id) => ({ ...all, [id]: true }), {})),
  runs: runs.map(({ samples, ...rest }) => ({ ...rest, samples: samples.map((value) => Number(value.toFixed(2))) })),
};
writeFileSync(RAW, `${JSON.stringify(result, null, 2)}\n`);

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const ms = (value) => `${value.toFixed(1)} ms`;
const section = [
  START,
  '## Editor',
  '',
  `Written by \`npm run bench:lsp\` (\`bench/lsp-latency.mjs\`) on ${result.date}; raw numbers in \`bench/lsp-latency.json\`. A real LSP client drives the server over stdio, exactly as an editor does. Machine: ${result.machine.nproc} cores (${result.machine.cpu}), load average ${result.machine.loadBefore} before and ${result.machine.loadAfter} after (shared with other work), Node ${result.node}.`,
  '',
  `- **Edit-to-diagnostics latency**: a generated 2,000-line traced asyncio module (the lint-speed corpus, seed 42); ${EDITS} incremental edits (one character typed, then deleted, on a line in the middle) after ${WARMUP_EDITS} warm-up edits; each measured from sending \`textDocument/didChange\` to receiving \`publishDiagnostics\` for that version. Target: p90 under ${TARGET_P90_MS} ms.`,
  `- **Where the time goes**: ESLint's \`Linter#verify\` with \`configs.recommended\` (${result.rulesOn.length} rules) on the same file, in one process without any server, takes p50 ${ms(lintOnly.median)} / p90 ${ms(lintOnly.p90)} in the same run; the rest of the latency is the server (edit, snapshot, diagnostics with their fixes as JSON) and the pipe.`,
  `- **Memory**: the server's resident set (\`VmRSS\`) before and after opening ${DOCUMENTS} documents of 300 lines each and waiting for all their diagnostics.`,
  '',
  '| server | diagnostics on the file | p50 | p90 | max | p90 target | RSS before | RSS with 200 documents | linting the 200 documents |',
  '|---|---:|---:|---:|---:|---|---:|---:|---:|',
  ...runs.map((run) => `| ${run.label} | ${run.diagnostics} | ${ms(run.summary.median)} | ${ms(run.summary.p90)} | ${ms(run.summary.max)} | ${run.summary.p90 < TARGET_P90_MS ? '**met**' : '**missed**'} | ${mib(run.memory.rssBefore)} | ${mib(run.memory.rssAfter)} | ${(run.memory.lintAllMs / 1000).toFixed(1)} s |`),
  END,
].join('\n');

const current = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '';
const startIndex = current.indexOf(START);
const endIndex = current.indexOf(END);
const updated =
  startIndex !== -1 && endIndex > startIndex
    ? `${current.slice(0, startIndex)}${section}${current.slice(endIndex + END.length)}`
    : `${current.trimEnd()}${current.trim() === '' ? '' : '\n\n'}${section}\n`;
writeFileSync(RESULTS, updated);
console.log(`Wrote the Editor section of ${RESULTS.replace(root, '')} and ${RAW.replace(root, '')}.`);
