import { syntacticTester, tsRule, typedTester } from './helpers.js';

const rule = tsRule('no-blocking-in-span');

const otel = `import { context, trace } from '@opentelemetry/api';
const tracer = trace.getTracer('files');
`;

syntacticTester().run('no-blocking-in-span [ts]', rule, {
  valid: [
    // Outside any span (default scope "span").
    `import fs from 'node:fs';
const config = fs.readFileSync('config.json', 'utf8');
export async function load() { return fs.readFileSync('x'); }`,
    // A callback that runs later is outside the span.
    `${otel}import { readFileSync } from 'fs';
tracer.startActiveSpan('a', (span) => {
  setImmediate(() => readFileSync('x'));
  span.end();
});`,
    // Allowed by option.
    {
      code: `${otel}import fs from 'node:fs';
tracer.startActiveSpan('a', (span) => { if (fs.existsSync('x')) span.end(); });`,
      options: [{ allowedCalls: ['fs.existsSync'] }],
    },
    // Promise forms, local look-alikes, shadowed names.
    `${otel}import fs from 'node:fs';
const cache = { readFileSync() { return ''; } };
tracer.startActiveSpan('a', async (span) => {
  await fs.promises.readFile('x');
  cache.readFileSync();
  const execSync = () => 1;
  execSync();
  span.end();
});`,
  ],
  invalid: [
    {
      code: `${otel}import * as fs from 'node:fs';
export function read(path) {
  return tracer.startActiveSpan('read', async (span) => {
    const data = fs.readFileSync(path, 'utf8');
    span.end();
    return data;
  });
}`,
      errors: [
        {
          messageId: 'tsBlockingInSpan',
          line: 6,
          column: 18,
          endLine: 6,
          endColumn: 47,
          data: { call: 'fs.readFileSync()', kind: 'file system', span: '"read"' },
          suggestions: [
            {
              messageId: 'tsSuggestPromise',
              data: { replacement: 'fs.promises.readFile' },
              output: `${otel}import * as fs from 'node:fs';
export function read(path) {
  return tracer.startActiveSpan('read', async (span) => {
    const data = await fs.promises.readFile(path, 'utf8');
    span.end();
    return data;
  });
}`,
            },
          ],
        },
      ],
    },
    {
      // A named import: the suggestion imports the promise form.
      code: `${otel}import { readFileSync } from 'fs';
tracer.startActiveSpan('load', async (span) => {
  const text = readFileSync('a.txt').toString();
  span.end();
});`,
      errors: [
        {
          messageId: 'tsBlockingInSpan',
          line: 5,
          column: 16,
          data: { call: 'readFileSync()', kind: 'file system', span: '"load"' },
          suggestions: [
            {
              messageId: 'tsSuggestPromise',
              data: { replacement: 'readFile' },
              output: `${otel}import { readFileSync } from 'fs';
import { readFile } from 'node:fs/promises';
tracer.startActiveSpan('load', async (span) => {
  const text = (await readFile('a.txt')).toString();
  span.end();
});`,
            },
          ],
        },
      ],
    },
    {
      // An existing fs/promises binding is reused.
      code: `${otel}import { readdirSync } from 'node:fs';
import fsp from 'node:fs/promises';
tracer.startActiveSpan('list', async (span) => {
  const names = readdirSync('.');
  span.end();
});`,
      errors: [
        {
          messageId: 'tsBlockingInSpan',
          line: 6,
          column: 17,
          suggestions: [
            {
              messageId: 'tsSuggestPromise',
              data: { replacement: 'fsp.readdir' },
              output: `${otel}import { readdirSync } from 'node:fs';
import fsp from 'node:fs/promises';
tracer.startActiveSpan('list', async (span) => {
  const names = await fsp.readdir('.');
  span.end();
});`,
            },
          ],
        },
      ],
    },
    {
      // CommonJS, between startSpan and end, child_process: no promise form to suggest.
      code: `const { execSync } = require('child_process');
const { trace } = require('@opentelemetry/api');
function build() {
  const span = trace.getTracer('ci').startSpan('build');
  execSync('make');
  span.end();
}`,
      errors: [{ messageId: 'tsBlockingInSpan', line: 5, column: 3, data: { call: 'execSync()', kind: 'child process', span: '"build"' }, suggestions: [] }],
    },
    {
      // zlib, crypto and Atomics.wait inside context.with; a forEach callback runs right there.
      code: `${otel}import zlib from 'zlib';
import { pbkdf2Sync } from 'node:crypto';
import { statSync } from 'node:fs';
context.with(trace.setSpan(context.active(), span), () => {
  zlib.gzipSync(body);
  pbkdf2Sync(password, salt, 100000, 64, 'sha512');
  Atomics.wait(view, 0, 0, 10);
  files.forEach((file) => statSync(file));
});`,
      errors: [
        { messageId: 'tsBlockingInSpan', line: 7, column: 3, data: { call: 'zlib.gzipSync()', kind: 'compression', span: 'span' }, suggestions: [] },
        { messageId: 'tsBlockingInSpan', line: 8, column: 3, data: { call: 'pbkdf2Sync()', kind: 'key derivation', span: 'span' }, suggestions: [] },
        { messageId: 'tsBlockingInSpan', line: 9, column: 3, data: { call: 'Atomics.wait()', kind: 'thread wait', span: 'span' }, suggestions: [] },
        { messageId: 'tsBlockingInSpan', line: 10, column: 27, data: { call: 'statSync()', kind: 'file system', span: 'span' }, suggestions: [] },
      ],
    },
    {
      // require() inline, with a member access after it: the suggestion parenthesizes.
      code: `${otel}tracer.startActiveSpan('cfg', async (span) => {
  const size = require('fs').statSync('cfg').size;
  span.end();
});`,
      errors: [
        {
          messageId: 'tsBlockingInSpan',
          line: 4,
          column: 16,
          suggestions: [
            {
              messageId: 'tsSuggestPromise',
              output: `${otel}tracer.startActiveSpan('cfg', async (span) => {
  const size = (await require('fs').promises.stat('cfg')).size;
  span.end();
});`,
            },
          ],
        },
      ],
    },
    {
      // scope: "async" also reports in async functions with no span of their own.
      code: `import { existsSync } from 'node:fs';
export async function handler(req) {
  if (existsSync(req.path)) return 1;
}`,
      options: [{ scope: 'async' }],
      errors: [{ messageId: 'tsBlockingInAsync', line: 3, column: 7, data: { call: 'existsSync()', kind: 'file system', function: 'handler' }, suggestions: [] }],
    },
    {
      // extraBlockingCalls, with a wildcard.
      code: `${otel}import { querySync } from 'sqlite-sync';
tracer.startActiveSpan('q', (span) => { querySync('select 1'); span.end(); });`,
      options: [{ extraBlockingCalls: ['sqlite-sync.*Sync'] }],
      errors: [{ messageId: 'tsBlockingInSpan', line: 4, column: 41, data: { call: 'querySync()', kind: 'configured', span: '"q"' }, suggestions: [] }],
    },
  ],
});

typedTester().run('no-blocking-in-span [ts, typed]', rule, {
  valid: [
    `declare const profiler: { startActiveSpan(name: string, fn: () => void): void };
import { readFileSync } from 'node:fs';
profiler.startActiveSpan('x', () => { readFileSync('a'); });`,
  ],
  invalid: [
    {
      code: `import { trace } from '@opentelemetry/api';
import { readFileSync } from 'node:fs';
trace.getTracer('t').startActiveSpan('x', (span) => { readFileSync('a'); span.end(); });`,
      errors: [{ messageId: 'tsBlockingInSpan', line: 3, column: 55, suggestions: [] }],
    },
  ],
});
