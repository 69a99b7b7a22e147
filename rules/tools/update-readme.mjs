#!/usr/bin/env node
// Rewrites the rule table in README.md (between <!-- rules-table:start --> and <!-- rules-table:end -->)
// from the built plugin's rule metadata. `--check` writes nothing and exits 1 when the table is stale.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import plugin from 'eslint-plugin-otel-async';

const readmePath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md');
const START = '<!-- rules-table:start -->';
const END = '<!-- rules-table:end -->';

const rulesRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Which languages a rule covers: one implementation file per language (src/python, src/ts). */
function languagesOf(id) {
  const languages = [];
  if (existsSync(join(rulesRoot, 'src', 'python', `${id}.ts`))) languages.push('Python');
  if (existsSync(join(rulesRoot, 'src', 'ts', `${id}.ts`))) languages.push('TS/JS');
  return languages.join(', ');
}

export function renderRuleTable() {
  const rows = Object.entries(plugin.rules)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, rule]) => {
      const docs = rule.meta?.docs ?? {};
      const config = docs.recommended ? '✅ recommended' : '🔒 strict';
      const fixable = rule.meta?.fixable ? '🔧' : '';
      const suggestions = rule.meta?.hasSuggestions ? '💡' : '';
      return `| [\`otel-async/${id}\`](rules/docs/${id}.md) | ${docs.description ?? ''} | ${languagesOf(id)} | ${config} | ${fixable} | ${suggestions} |`;
    });
  return [
    'Generated from rule metadata by `npm run docs` (a test fails when it is stale).',
    '✅ in `configs.recommended` (and `configs.strict`); 🔒 only in `configs.strict`; 🔧 autofix (`eslint --fix`); 💡 suggestions (editor quick fixes).',
    '',
    '| Rule | What it reports | Languages | Config | 🔧 | 💡 |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function updated(readme) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1 || end < start) throw new Error(`README.md lacks the ${START} ... ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${renderRuleTable()}\n${readme.slice(end)}`;
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const readme = readFileSync(readmePath, 'utf8');
  const next = updated(readme);
  if (process.argv.includes('--check')) {
    if (next !== readme) {
      console.error('README.md rule table is stale: run `npm run docs`.');
      process.exit(1);
    }
  } else if (next !== readme) {
    writeFileSync(readmePath, next);
  }
}
