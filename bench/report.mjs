// Turns one benchmark run into bench/RESULTS.md and the README's benchmark block.
import { readFileSync, writeFileSync } from 'node:fs';
import { distinctSamples } from './ruff-peer.mjs';

const README_START = '<!-- bench:start -->';
const README_END = '<!-- bench:end -->';

const ms = (value) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const times = (value) => `${value.toFixed(2)}×`;
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const count = (value) => value.toLocaleString('en-US');
const verdict = (met) => (met ? '**met**' : '**missed**');

/** The per-file figures every table shows, derived from the raw timings. */
export function fileFigures(file) {
  const { parse, walk, language, lint, ruff } = file.timing;
  return {
    walkOverParse: walk.median / parse.median,
    msPerKLine: (lint.median / file.lines) * 1000,
    lintOverParse: lint.median / parse.median,
    languageOverParse: language.median / parse.median,
    oursOverRuff: lint.median / ruff.median,
  };
}

export function renderResults(run) {
  const out = [];
  out.push('# Benchmark results', '');
  out.push(`Written by \`npm run bench\` (\`bench/lint-speed.mjs\`) on ${run.date}. Re-run it to refresh; do not edit by hand.`, '');
  out.push('Where the time goes, what was changed for speed and what is left: [NOTES.md](NOTES.md) (written by hand).', '');
  out.push('## Machine and versions', '');
  out.push(`- Machine: \`nproc\` = ${run.machine.nproc}, ${run.machine.cpu}, ${run.machine.memory} RAM; load average ${run.machine.loadBefore} before, ${run.machine.loadAfter} after (the machine is shared with other work, so absolute times are noisy; ratios are measured in the same rounds).`);
  out.push(`- Node ${run.versions.node}, ESLint ${run.versions.eslint}, web-tree-sitter ${run.versions.webTreeSitter}, tree-sitter-python ${run.versions.treeSitterPython}, ruff (WASM) ${run.versions.ruff}.`);
  out.push(`- eslint-plugin-otel-async ${run.versions.plugin} at commit \`${run.versions.commit}\`${run.versions.dirty ? ' (with uncommitted changes under `rules/`)' : ''}.`);
  out.push(`- Rules on (\`configs.recommended\`, ${run.rulesOn.length}): ${run.rulesOn.map((id) => `\`${id}\``).join(', ') || 'none'}.`, '');

  out.push('## What was measured', '');
  out.push(`Each figure is the median (and 90th percentile) of ${run.settings.reps} measured rounds after ${run.settings.warmup} warm-up rounds, all in one process. A round runs every task once, starting from a different task each round.`, '');
  out.push('- **bare parse**: `Parser#parse` of web-tree-sitter with the tree-sitter-python grammar, loaded exactly as the plugin loads it (`getPythonParser()` from `eslint-plugin-otel-async/language`), then `tree.delete()`. The floor: no linter can be faster than parsing.');
  out.push(`- **parse + walk**: the bare parse plus one walk that reads every node\'s type id and start and end offsets with the reader the conversion uses (\`readTree\`; ${run.directReading ? 'through the runtime\'s exports, without web-tree-sitter\'s per-call cursor copying' : 'web-tree-sitter\'s public `TreeCursor`: the direct reader\'s self-check failed'}) — the least any conversion of the tree to JavaScript objects has to do, because each read is a call into WebAssembly.`);
  out.push('- **parse + convert**: the language\'s `parse()` and `createSourceCode()` (tree-sitter parse plus conversion to ESLint nodes, line index, comments), without rules.');
  out.push('- **full lint**: ESLint `Linter#verify` with `...plugin.configs.recommended` (every recommended rule on), the way `eslint` lints one file. Each round lints under a new path, so the language cannot reuse the tree of an earlier round: every parse is a full parse, as in CI.');
  out.push('- **lint after an edit**: the editor\'s case: the same path linted again after one character was typed at the end of a comment line in the middle (or deleted again, alternately). The language keeps the last trees of the 4 most recent paths and re-parses incrementally; everything after the parse (conversion, rules) runs in full.');
  out.push(`- **ruff**: \`@astral-sh/ruff-wasm-nodejs\` \`Workspace#check\` with \`select: ${JSON.stringify(run.ruffSelect)}\`, target py311, over the same text.`, '');

  out.push('## Corpus', '');
  out.push('| File | Lines | UTF-16 chars | sha256 (first 12) | `ast.parse` by python3 |');
  out.push('|---|---:|---:|---|---|');
  for (const file of run.files) {
    out.push(`| ${file.name} | ${count(file.lines)} | ${count(file.chars)} | ${file.sha ?? '—'} | ${file.pythonCheck} |`);
  }
  out.push('');
  out.push('The two generated files come from `bench/python-corpus.mjs` (seeded, so identical on every run): traced async handlers, `create_task`/`gather`/`TaskGroup` fan-out, blocking calls (`time.sleep`, `requests`, `open`, `subprocess`, `httpx`, `sqlite3`, ...) inside `async def`s, `context.attach`/`detach`, executors with and without `copy_context`, classes, decorators, comprehensions, `match`, and non-ASCII and astral-plane text. They are written to `bench/.work/` (not committed).', '');

  out.push('## Speed', '');
  out.push('| File | Lines | Bare parse ms (median / p90) | Parse + walk ms | Parse + convert ms | Full lint ms (median / p90) | Full lint ms per 1,000 lines | Full lint / bare parse | Lint after an edit ms (median / p90) | ruff ms (median / p90) | Ours / ruff |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const file of run.files) {
    const { parse, walk, language, lint, edit, ruff } = file.timing;
    const figures = fileFigures(file);
    out.push(`| ${file.name} | ${count(file.lines)} | ${ms(parse.median)} / ${ms(parse.p90)} | ${ms(walk.median)} (${times(figures.walkOverParse)}) | ${ms(language.median)} | ${ms(lint.median)} / ${ms(lint.p90)} | ${ms(figures.msPerKLine)} | ${times(figures.lintOverParse)} | ${ms(edit.median)} / ${ms(edit.p90)} | ${ms(ruff.median)} / ${ms(ruff.p90)} | ${times(figures.oursOverRuff)} |`);
  }
  out.push('');

  const [large, small] = run.files;
  if (large?.ruleTimes && small?.ruleTimes) {
    out.push('## Where the full lint\'s time goes', '');
    out.push(`ESLint's own timing (\`verifyAndFix\` with \`stats: true\`, no fixing), median of ${run.statsRuns} separate runs; the stats wrap every listener, so these runs are not the timed ones above. The first rule that asks for the semantic model pays for building it.`, '');
    out.push(`| Part | ${large.name} ms | Share | ${small.name} ms |`);
    out.push('|---|---:|---:|---:|');
    const total = [...large.ruleTimes.values()].reduce((sum, value) => sum + value, 0);
    for (const [id, time] of [...large.ruleTimes].sort((a, b) => b[1] - a[1])) {
      out.push(`| ${id.startsWith('(') ? id : `\`${id}\``} | ${ms(time)} | ${((100 * time) / total).toFixed(1)}% | ${ms(small.ruleTimes.get(id) ?? 0)} |`);
    }
    out.push('');
  }

  out.push('## Targets', '');
  for (const target of run.targets) out.push(`- ${target.text}: ${verdict(target.met)} — ${target.measured}.`);
  out.push('');

  out.push('## Memory', '');
  out.push(`After linting the 10,000-line file once with a fresh \`Linter\` (which keeps the last SourceCode) and a full GC: JS heap used ${mib(run.memory.heapRetained)} (${mib(run.memory.heapRetained - run.memory.heapBefore)} more than before the lint; ${mib(run.memory.heapBeforeGc)} right after the lint, before GC). Process RSS ${mib(run.memory.rss)}; WebAssembly and other external memory ${mib(run.memory.external)}.`, '');

  out.push('## Findings and the ruff overlap', '');
  out.push('| File | Our findings | ruff findings | Our syntax errors | ruff syntax errors |');
  out.push('|---|---:|---:|---:|---:|');
  for (const file of run.files) {
    out.push(`| ${file.name} | ${count(file.ourCount)} | ${count(file.ruffCount)} | ${file.ourSyntaxErrors} | ${file.ruffSyntaxErrors} |`);
  }
  out.push('');
  out.push('Matched by file and line. "Also by ruff" means ruff reports a code that finds the same mistake on that line; the peer codes are listed per rule.', '');
  out.push('| Our rule | Findings | Also by ruff (peer code) | ruff has only another code there | Not reported by ruff | ruff peer |');
  out.push('|---|---:|---:|---:|---:|---|');
  for (const rule of run.overlap.ours) {
    const peer = run.peerLabels[rule.id] ?? 'none';
    out.push(`| \`${rule.id}\` | ${rule.total} | ${rule.peer}${rule.codes.length ? ` (${rule.codes.join(', ')})` : ''} | ${rule.otherCode} | ${rule.missed.length} | ${peer} |`);
  }
  if (run.overlap.ours.length === 0) out.push('| (no findings) | 0 | 0 | 0 | 0 | |');
  out.push('');
  out.push('| ruff code | Findings | We report that line too | We do not | Our rules on those lines |');
  out.push('|---|---:|---:|---:|---|');
  for (const code of run.overlap.theirs) {
    out.push(`| ${code.id} | ${code.total} | ${code.peer} | ${code.missed.length} | ${code.codes.map((id) => `\`${id}\``).join(', ') || '—'} |`);
  }
  out.push('');
  const examples = (list) => distinctSamples(list, 3).map((place) => `${place.file}:${place.line} \`${place.source.replace(/`/gu, "'")}\``).join('; ');
  const oursOnly = run.overlap.ours.filter((rule) => rule.missed.length > 0);
  const theirsOnly = run.overlap.theirs.filter((code) => code.missed.length > 0);
  if (oursOnly.length > 0 || theirsOnly.length > 0) {
    out.push('Samples of the differences (up to three different-looking lines each):', '');
    for (const rule of oursOnly) out.push(`- only ours, \`${rule.id}\`: ${examples(rule.missed)}`);
    for (const code of theirsOnly) out.push(`- only ruff, ${code.id}: ${examples(code.missed)}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

export function renderReadmeBlock(run) {
  const out = [];
  out.push(`Measured by \`npm run bench\` on ${run.date.slice(0, 10)} (\`nproc\` ${run.machine.nproc}, Node ${run.versions.node}, ${run.rulesOn.length} recommended rule${run.rulesOn.length === 1 ? '' : 's'} on); method, memory and the ruff overlap in [bench/RESULTS.md](bench/RESULTS.md).`, '');
  out.push('| File | Lines | Full lint (median) | ms per 1,000 lines | Full lint / bare parse | Lint after a one-character edit (editor) | ruff `ASYNC`+`RUF006` | Ours / ruff |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const file of run.files) {
    const figures = fileFigures(file);
    out.push(`| ${file.name} | ${count(file.lines)} | ${ms(file.timing.lint.median)} ms | ${ms(figures.msPerKLine)} | ${times(figures.lintOverParse)} | ${ms(file.timing.edit.median)} ms | ${ms(file.timing.ruff.median)} ms | ${times(figures.oursOverRuff)} |`);
  }
  out.push('');
  out.push(`Targets: ${run.targets.map((target) => `${target.text} — ${verdict(target.met)} (${target.measured})`).join('; ')}.`);
  return out.join('\n');
}

/** Replaces the text between the bench markers, reading the README right before writing it. */
export function writeReadmeBlock(readmePath, block) {
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`${readmePath} has no ${README_START} … ${README_END} block; the figures were not written there.`);
  }
  const updated = `${readme.slice(0, start + README_START.length)}\n${block}\n${readme.slice(end)}`;
  if (updated !== readme) writeFileSync(readmePath, updated);
}
