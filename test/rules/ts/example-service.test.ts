import assert from 'node:assert/strict';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'examples', 'node');

test('examples/node: its own eslint.config.mjs (configs.recommended) finds each mistake, once, where the comments say', async () => {
  const eslint = new ESLint({ cwd: exampleDir });
  const results = await eslint.lintFiles(['.']);
  const findings = results
    .flatMap((result) => result.messages.map((message) => `${relative(exampleDir, result.filePath)}:${message.line}:${message.column} ${message.ruleId ?? message.message}`))
    .sort();
  assert.deepEqual(findings, [
    'orders.mjs:24:3 otel-async/no-leaked-context',
    'orders.mjs:31:31 otel-async/no-blocking-in-span',
    'orders.mjs:33:5 otel-async/no-untracked-task',
    'orders.mjs:35:5 otel-async/no-leaked-context',
    'orders.mjs:44:3 otel-async/no-leaked-context',
    'tracing.mjs:12:1 otel-async/require-shutdown-flush',
    'tracing.mjs:9:18 otel-async/no-missing-context-manager',
  ]);
});
