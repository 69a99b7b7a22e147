import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TSESTree } from '@typescript-eslint/utils';
import { Linter, type Rule } from 'eslint';
import plugin from 'eslint-plugin-otel-async';
import {
  isPromiseValued, promiseEvidence, promiseFate, ruleFor, spanRegionAt, TsFile, tracingSetupOf, indentUnit, reindent,
  withDefaults, type QualifiedName,
} from 'eslint-plugin-otel-async/ts-utils';
import { PythonSourceCode } from 'eslint-plugin-otel-async/language';
import { TS_FIXTURES } from './helpers.js';

type Visit = (file: TsFile, node: TSESTree.Node) => void;

/** Parses `code` as ESLint would with the plugin's TS/JS config and calls `visit` for each node the selector matches. */
function probe(code: string, selector: string, visit: Visit, typed = false): void {
  const probeRule: Rule.RuleModule = {
    create(context) {
      const file = new TsFile(context.sourceCode as unknown as ConstructorParameters<typeof TsFile>[0]);
      return {
        [selector]: (node: Rule.Node) => {
          visit(file, node as unknown as TSESTree.Node);
        },
      };
    },
  };
  const linter = new Linter({ configType: 'flat', cwd: TS_FIXTURES });
  const tsBlock = plugin.configs.strict.find((config) => config.name?.includes('/ts/'));
  const messages = linter.verify(
    code,
    [
      { ...tsBlock, rules: {} },
      { plugins: { probe: { rules: { probe: probeRule } } }, rules: { 'probe/probe': 'error' } },
      ...(typed ? [{ languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: TS_FIXTURES } } }] : []),
    ],
    { filename: join(TS_FIXTURES, 'file.ts') },
  );
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(fatal.message);
}

/** For each call to `target(...)`: what `fn(file, call)` says. */
function atTargets<T>(code: string, fn: (file: TsFile, call: TSESTree.CallExpression) => T, typed = false): T[] {
  const results: T[] = [];
  probe(code, 'CallExpression[callee.name="target"]', (file, node) => results.push(fn(file, node as TSESTree.CallExpression)), typed);
  return results;
}

/** The qualified name of every call's callee, in source order (`undefined` for local values). */
function calleeNames(code: string): (QualifiedName | undefined)[] {
  const names: (QualifiedName | undefined)[] = [];
  probe(code, 'CallExpression', (file, node) => names.push(file.qualified((node as TSESTree.CallExpression).callee)));
  return names;
}

describe('imports: what a callee refers to', () => {
  it('resolves every import form of node:fs to the same qualified name', () => {
    const forms = [
      "import { readFileSync } from 'node:fs'; readFileSync('a');",
      "import { readFileSync as read } from 'fs'; read('a');",
      "import * as fs from 'fs'; fs.readFileSync('a');",
      "import fs from 'node:fs'; fs.readFileSync('a');",
      "import fs = require('fs'); fs.readFileSync('a');",
      "const fs = require('node:fs'); fs['readFileSync']('a');",
      "const { readFileSync } = require('fs'); readFileSync('a');",
      "const { readFileSync: r = null } = require('fs'); r('a');",
      "const fs = await import('node:fs'); fs.readFileSync('a');",
    ];
    for (const form of forms) {
      assert.deepEqual(calleeNames(form).at(-1), { module: 'fs', path: ['readFileSync'] }, form);
    }
  });

  it('folds sub-path modules into their parent and follows aliases', () => {
    assert.deepEqual(calleeNames("import { readFile } from 'node:fs/promises'; readFile('a');"), [{ module: 'fs', path: ['promises', 'readFile'] }]);
    assert.deepEqual(calleeNames("import fs from 'fs'; const p = fs.promises; p.readFile('a');"), [{ module: 'fs', path: ['promises', 'readFile'] }]);
    assert.deepEqual(calleeNames("const { promises: { readFile } } = require('fs'); readFile('a');").at(-1), { module: 'fs', path: ['promises', 'readFile'] });
    assert.deepEqual(calleeNames("import api from '@opentelemetry/api'; api.context.with(c, f);"), [{ module: '@opentelemetry/api', path: ['context', 'with'] }]);
    assert.deepEqual(calleeNames("import { context as ctx } from '@opentelemetry/api'; ctx.with(c, f);"), [{ module: '@opentelemetry/api', path: ['context', 'with'] }]);
  });

  it('names globals with an empty module and refuses local values', () => {
    assert.deepEqual(calleeNames("fetch('u'); Promise.all([]);"), [{ module: '', path: ['fetch'] }, { module: '', path: ['Promise', 'all'] }]);
    assert.deepEqual(calleeNames("import { readFileSync } from 'fs'; function f(readFileSync) { readFileSync('a'); }"), [undefined]);
    assert.deepEqual(calleeNames("let fs = require('fs'); fs = makeFake(); fs.readFileSync('a');").at(-1), undefined);
    assert.deepEqual(calleeNames("const o = { readFileSync() {} }; o.readFileSync('a');"), [undefined]);
  });
});

describe('spans: which span a piece of code runs in', () => {
  const describeRegion = (file: TsFile, call: TSESTree.CallExpression) => {
    const region = spanRegionAt(file, call);
    return region ? `${region.kind} ${region.label}${region.spanVariable ? ` ${region.spanVariable.name}` : ''}` : 'none';
  };

  it('finds startActiveSpan callbacks (with options and context arguments), context.with and startSpan..end', () => {
    const code = `import { context, trace } from '@opentelemetry/api';
const tracer = trace.getTracer('t');
tracer.startActiveSpan('a', (span) => { target(); span.end(); });
tracer.startActiveSpan('b', { attributes: {} }, context.active(), async (s) => { await target(); s.end(); });
context.with(trace.setSpan(context.active(), parent), () => target());
function manual() {
  const span = tracer.startSpan(\`m\${1}\`);
  target();
  try { target(); } finally { span.end(); }
  target();
}`;
    assert.deepEqual(atTargets(code, describeRegion), [
      'startActiveSpan "a" span',
      'startActiveSpan "b" s',
      'contextWith parent',
      'startSpan `m${1}` span',
      'startSpan `m${1}` span',
      'none',
    ]);
  });

  it('stops at callbacks that run later, but not at ones that run right there', () => {
    const code = `tracer.startActiveSpan('a', (span) => {
  setTimeout(() => target(), 10);
  items.forEach((item) => target(item));
  (() => target())();
  emitter.on('x', function () { target(); });
  span.end();
});
const span = tracer.startSpan('m');
function later() { target(); }
span.end();`;
    assert.deepEqual(atTargets(code, describeRegion), ['none', 'startActiveSpan "a" span', 'startActiveSpan "a" span', 'none', 'none']);
  });

  it('ignores context.with from somewhere else than @opentelemetry/api, and contexts that carry no local span', () => {
    const code = `import { context } from './my-context.js';
context.with(x, () => target());`;
    assert.deepEqual(atTargets(code, describeRegion), ['none']);
    const otel = `import { context, propagation, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
context.with(suppressTracing(context.active()), () => target());
context.with(propagation.extract(context.active(), headers), () => target());
context.with(context.active(), () => target());
context.with(requestContext, () => target());
context.with(trace.setSpanContext(context.active(), remote), () => target());`;
    assert.deepEqual(atTargets(otel, describeRegion), ['none', 'none', 'none', 'contextWith requestContext', 'contextWith remote']);
  });

  it('with type information, a startSpan on something that is not a tracer opens no span', () => {
    const code = `import { trace } from '@opentelemetry/api';
const profiler = { startSpan(name: string) { return { end() {} }; } };
declare function target(): void;
function a() {
  const p = profiler.startSpan('x');
  target();
  p.end();
}
function b() {
  const s = trace.getTracer('t').startSpan('y');
  target();
  s.end();
}`;
    assert.deepEqual(atTargets(code, describeRegion, true), ['none', 'startSpan "y" s']);
    assert.deepEqual(atTargets(code, describeRegion, false), ['startSpan "x" p', 'startSpan "y" s']);
  });
});

describe('promises: which calls return promises and what happens to them', () => {
  it('knows promises without type information from async definitions and platform APIs', () => {
    const code = `import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
async function load() {}
const save = async () => {};
function sync() {}
class Repo { async get() {} put() {} run() { target(this.get()); target(this.put()); } }
target(load());
target(save());
target(sync());
target(fetch('u'));
target(Promise.allSettled([]));
target(readFile('f'));
target(sleep(5));
target(load().then(() => 1).catch(() => 2));
target(sync().then(() => 1));
target(new Promise((r) => r()));
target((async () => {})());
target(tracer.startActiveSpan('x', async (span) => { span.end(); }));
target(tracer.startActiveSpan('x', (span) => { span.end(); }));`;
    const evidence = atTargets(code, (file, call) => promiseEvidence(file, call.arguments[0] as TSESTree.Node) ?? null);
    assert.deepEqual(evidence, [
      'an async method', null, 'async function load', 'async function save', null, 'fetch', 'Promise', 'fs/promises', 'timers/promises',
      'a promise chain', null, 'new Promise', 'an async function', 'an async span callback', null,
    ]);
  });

  it('uses the type when there is type information', () => {
    const code = `declare function remote(): Promise<number>;
declare function local(): number;
declare function untyped(): any;
declare function target(value: unknown): void;
async function load() { return 1; }
target(remote());
target(local());
target(untyped());
target(load());`;
    const typed = atTargets(code, (file, call) => isPromiseValued(file, call.arguments[0] as TSESTree.Node), true);
    assert.deepEqual(typed, [true, false, false, true]);
    const untyped = atTargets(code, (file, call) => isPromiseValued(file, call.arguments[0] as TSESTree.Node), false);
    assert.deepEqual(untyped, [false, false, false, true]);
  });

  it('follows a promise to where it is dropped or kept', () => {
    const fates: string[] = [];
    const code = `async function f() {
  work();
  void work();
  await work();
  work().then(a).catch(b);
  const kept = work();
  list.push(work());
  cond ? work() : other();
  first(), work();
  return work().finally(c);
}`;
    probe(code, 'CallExpression[callee.name="work"]', (_file, node) => fates.push(promiseFate(node).fate));
    assert.deepEqual(fates, ['floating', 'floating', 'handled', 'floating', 'handled', 'handled', 'floating', 'floating', 'handled']);
  });
});

describe('tracing setup: providers and SDKs built in a module', () => {
  it('classifies setups and collects the calls made on them', () => {
    const code = `import { NodeSDK } from '@opentelemetry/sdk-node';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
const sdk = new NodeSDK();
sdk.start();
new NodeTracerProvider().register();
let provider;
provider = new BasicTracerProvider();
provider.forceFlush();
provider.shutdown();
new Map();`;
    const setups: string[] = [];
    probe(code, 'NewExpression', (file, node) => {
      const setup = tracingSetupOf(file, node as TSESTree.NewExpression);
      setups.push(setup ? `${setup.kind} ${setup.variable?.name ?? '-'} ${[...setup.methodCalls.keys()].join(',')}` : 'none');
    });
    assert.deepEqual(setups, ['NodeSDK sdk start', 'NodeTracerProvider - register', 'BasicTracerProvider provider forceFlush,shutdown', 'none']);
  });
});

describe('combining the Python and TS implementations of one rule id', () => {
  const python = {
    meta: {
      type: 'problem',
      docs: { description: 'py', recommended: false, url: 'u' },
      messages: { shared: 'same', pyOnly: 'p' },
      schema: [{ type: 'object', properties: { signals: { type: 'array' } }, additionalProperties: false }],
      defaultOptions: [{ signals: ['SIGTERM'] }],
      fixable: 'code',
    },
    create: (context: { options: unknown[] }) => ({ python: context.options }),
  };
  const ts = {
    meta: {
      type: 'problem',
      docs: { description: 'ts', recommended: true },
      messages: { shared: 'same', tsOnly: 't' },
      schema: [{ type: 'object', properties: { signals: { type: 'array', items: {} }, extra: { type: 'boolean' } }, additionalProperties: false }],
      defaultOptions: [{ extra: false }],
      hasSuggestions: true,
    },
    create: () => ({ ts: true }),
  };

  it('merges meta: messages, one options object, defaults, fix/suggestion flags, Python docs, recommended if either', () => {
    const rule = ruleFor('x', { python, ts });
    assert.deepEqual(rule.meta?.messages, { shared: 'same', pyOnly: 'p', tsOnly: 't' });
    assert.deepEqual(rule.meta?.schema, [{ type: 'object', properties: { signals: { type: 'array' }, extra: { type: 'boolean' } }, additionalProperties: false }]);
    assert.equal(rule.meta?.defaultOptions, undefined);
    assert.equal(rule.meta?.fixable, 'code');
    assert.equal(rule.meta?.hasSuggestions, true);
    assert.equal(rule.meta?.docs?.description, 'py');
    assert.equal(rule.meta?.docs?.recommended, true);
  });

  it('gives each language its own defaults', () => {
    const rule = ruleFor('x', { python, ts });
    const contextFor = (sourceCode: unknown, options: unknown[]) => ({ sourceCode, options }) as unknown as Parameters<typeof rule.create>[0];
    const pythonSourceCode = Object.create(PythonSourceCode.prototype) as unknown;
    assert.deepEqual(rule.create(contextFor(pythonSourceCode, [])), { python: [{ signals: ['SIGTERM'] }] });
    assert.deepEqual(rule.create(contextFor(pythonSourceCode, [{ signals: [] }])), { python: [{ signals: [] }] });
    assert.deepEqual(rule.create(contextFor({}, [])), { ts: true });
    assert.deepEqual(withDefaults([{ a: { b: 1, c: 2 }, d: [1] }], [{ a: { b: 3 }, d: [] }]), [{ a: { b: 3, c: 2 }, d: [] }]);
  });

  it('refuses a message id that means two things', () => {
    assert.throws(() => ruleFor('x', { python, ts: { ...ts, meta: { ...ts.meta, messages: { shared: 'different' } } } }), /message id "shared"/u);
  });

  it('dispatches on the language of the file: the real plugin lints a .py and a .ts file with the same rule', () => {
    const code = "import { NodeSDK } from '@opentelemetry/sdk-node';\nnew NodeSDK().start();\n";
    const linter = new Linter({ configType: 'flat' });
    const ts = linter.verify(code, plugin.configs.recommended, { filename: 'a.ts' }).map((m) => `${m.ruleId} ${m.messageId}`);
    const py = linter.verify('import asyncio\n', plugin.configs.recommended, { filename: 'a.py' }).map((m) => `${m.ruleId} ${m.messageId}`);
    assert.deepEqual(ts, ['otel-async/require-shutdown-flush tsNoSignalHandler']);
    assert.deepEqual(py, []);
  });
});

describe('edits', () => {
  it('re-indents continuation lines and detects the indent unit', () => {
    assert.equal(reindent('a {\n  b;\n\n}', '  ', '\n'), 'a {\n    b;\n\n  }');
    const spaces: string[] = [];
    const tabs: string[] = [];
    probe('function f() {\n    g();\n}\n', 'Program', (file) => spaces.push(indentUnit(file.sourceCode)));
    probe('function f() {\n\tg();\n}\n', 'Program', (file) => tabs.push(indentUnit(file.sourceCode)));
    assert.deepEqual([spaces, tabs], [['    '], ['\t']]);
  });
});

describe('the TypeScript parser is loaded on first use', () => {
  it('importing the plugin does not load the TypeScript compiler (nor the ESLint wrappers of typescript-eslint); linting a .ts file does', () => {
    const script = `
      const { createRequire } = await import('node:module');
      const cached = () => Object.keys(createRequire(import.meta.url).cache);
      const loaded = () => cached().some((path) => /[\\\\/]typescript[\\\\/]lib[\\\\/]typescript\\.js$/.test(path));
      const { default: plugin } = await import('eslint-plugin-otel-async');
      if (cached().some((path) => /utils[\\\\/]dist[\\\\/]ts-eslint[\\\\/]/.test(path))) throw new Error('@typescript-eslint/utils/ts-eslint loaded with the plugin');
      const before = loaded();
      const { Linter } = await import('eslint');
      new Linter({ configType: 'flat' }).verify('const a = 1;', plugin.configs.recommended, { filename: 'a.ts' });
      console.log(JSON.stringify([before, loaded()]));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: TS_FIXTURES, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(output), [false, true]);
  });
});
