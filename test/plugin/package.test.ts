import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import plugin, { ready } from 'eslint-plugin-otel-async';

test('the plugin resolves by name with require.resolve and import', async () => {
  const require = createRequire(import.meta.url);
  assert.match(require.resolve('eslint-plugin-otel-async'), /rules[\\/]dist[\\/]index\.js$/);
  const imported = (await import('eslint-plugin-otel-async')).default;
  assert.equal(imported, plugin);
  await ready;
});

test('the plugin exports meta, the python language, rules and configs', () => {
  assert.equal(plugin.meta.name, 'eslint-plugin-otel-async');
  assert.equal(plugin.meta.namespace, 'otel-async');
  assert.match(plugin.meta.version, /^\d+\.\d+\.\d+/);
  assert.equal(typeof plugin.languages.python.parse, 'function');
  assert.ok(Object.keys(plugin.rules).length > 0);
  assert.ok(Array.isArray(plugin.configs.recommended));
});
