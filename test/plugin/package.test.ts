import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Linter } from 'eslint';
import plugin, { configs, languages, meta, ready, rules } from 'eslint-plugin-otel-async';
import { pythonLanguage } from 'eslint-plugin-otel-async/language';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const ruleIdsIn = (folder: string): string[] =>
  readdirSync(new URL(`rules/src/${folder}/`, `file://${repoRoot}`))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.slice(0, -3))
    .sort();

function pythonEntry(config: readonly Linter.Config[]): Linter.Config {
  const entries = config.filter((entry) => entry.language === 'otel-async/python');
  assert.equal(entries.length, 1, 'one config object for Python files');
  return entries[0] as Linter.Config;
}

test('the plugin resolves by name from the repository root with require.resolve and import', async () => {
  const require = createRequire(`${repoRoot}package.json`);
  const resolved = require.resolve('eslint-plugin-otel-async');
  assert.equal(resolved, `${repoRoot}rules/dist/index.js`);
  const imported = (await import('eslint-plugin-otel-async')).default;
  assert.equal(imported, plugin);
  // The resolved file is the module `import` loaded (one plugin object, not a second copy).
  assert.equal((await import(`file://${resolved}`) as { default: unknown }).default, plugin);
});

test('meta names the package, its version and the otel-async namespace', () => {
  const packageJson = JSON.parse(readFileSync(`${repoRoot}rules/package.json`, 'utf8')) as { name: string; version: string };
  assert.deepEqual(plugin.meta, { name: 'eslint-plugin-otel-async', version: packageJson.version, namespace: 'otel-async' });
  assert.equal(meta, plugin.meta);
});

test('exports { meta, languages: { python }, rules, configs: { recommended, strict }, ready }', async () => {
  assert.deepEqual(Object.keys(plugin).sort(), ['configs', 'languages', 'meta', 'ready', 'rules']);
  assert.deepEqual(Object.keys(plugin.languages), ['python']);
  assert.equal(plugin.languages.python, pythonLanguage);
  assert.equal(languages, plugin.languages);
  assert.equal(rules, plugin.rules);
  assert.equal(configs, plugin.configs);
  assert.deepEqual(Object.keys(plugin.configs).sort(), ['recommended', 'strict']);
  assert.ok(ready instanceof Promise);
  assert.equal(plugin.ready, ready);
  await assert.doesNotReject(ready);
});

test('every rule file is a rule, with meta and create; ids carry no namespace', () => {
  const ids = [...new Set([...ruleIdsIn('python'), ...ruleIdsIn('ts')])].sort();
  assert.deepEqual(Object.keys(plugin.rules).sort(), ids);
  assert.ok(ids.includes('syntax-error'));
  for (const [id, rule] of Object.entries(plugin.rules)) {
    assert.match(id, /^[a-z][a-z-]*$/u);
    assert.equal(typeof rule.create, 'function', id);
    assert.equal(typeof rule.meta?.docs?.description, 'string', id);
  }
});

test('configs.recommended is a flat-config array that lints **/*.py with the Python language', () => {
  assert.ok(Array.isArray(plugin.configs.recommended));
  const python = pythonEntry(plugin.configs.recommended);
  assert.ok(python.files?.includes('**/*.py'));
  assert.deepEqual(python.plugins, { 'otel-async': plugin });
  for (const [ruleId, level] of Object.entries(python.rules ?? {})) {
    assert.match(ruleId, /^otel-async\/[a-z-]+$/u);
    assert.ok(plugin.rules[ruleId.slice('otel-async/'.length)], `${ruleId} exists`);
    assert.equal(level, 'error');
  }
  assert.equal(python.rules?.['otel-async/syntax-error'], 'error');
});

test('configs.strict turns on every Python rule; recommended those whose docs say recommended', () => {
  const strict = pythonEntry(plugin.configs.strict);
  const recommended = pythonEntry(plugin.configs.recommended);
  const pythonIds = ruleIdsIn('python');
  assert.deepEqual(strict.rules, Object.fromEntries(pythonIds.map((id) => [`otel-async/${id}`, 'error'])));
  const tsIds = new Set(ruleIdsIn('ts'));
  for (const id of pythonIds) {
    // A rule implemented for both languages has one combined meta; check the Python-only ones here.
    if (tsIds.has(id)) continue;
    const docs = plugin.rules[id]?.meta?.docs;
    assert.equal(Object.hasOwn(recommended.rules ?? {}, `otel-async/${id}`), docs?.recommended === true, id);
  }
});
