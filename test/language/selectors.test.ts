import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RuleDefinition } from '@eslint/core';
import { Linter } from 'eslint';
import plugin from 'eslint-plugin-otel-async';
import { FIELD_KINDS, VISITOR_KEYS, pythonLanguage, type PyNode, type PythonSourceCode } from 'eslint-plugin-otel-async/language';
import { sourceCodeOf } from './helpers.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Runs one rule with a handler per selector; returns, per selector, `type:text` of each node it was
 * called with, and one log of every call in the order they happened.
 */
function recordVisits(code: string, selectors: readonly string[], log: string[] = []): Map<string, string[]> {
  const seen = new Map<string, string[]>(selectors.map((selector) => [selector, []]));
  const recorder: RuleDefinition = {
    meta: { schema: [] },
    create(context) {
      const sourceCode = context.sourceCode as unknown as PythonSourceCode;
      const handlers: Record<string, (node: PyNode) => void> = {};
      for (const selector of selectors) {
        handlers[selector] = (node) => {
          seen.get(selector)?.push(`${node.type}:${sourceCode.getText(node)}`);
          log.push(`${selector} ${node.type}`);
        };
      }
      return handlers;
    },
  };
  const messages = new Linter({ configType: 'flat' }).verify(
    code,
    [
      {
        files: ['**/*.py'],
        plugins: { 'otel-async': plugin, rec: { rules: { recorder } } },
        language: 'otel-async/python',
        rules: { 'rec/recorder': 'error' },
      },
    ],
    { filename: 'a.py' },
  );
  assert.deepEqual(messages, []);
  return seen;
}

const CODE = [
  'import asyncio',
  'from opentelemetry import trace',
  'tracer = trace.get_tracer(__name__)',
  '@tracer.start_as_current_span("job")',
  'async def job(item):',
  '    with tracer.start_as_current_span("inner"):',
  '        await asyncio.sleep(0)',
  '    run(len(item))',
  'def sync_job():',
  '    print("x")',
  '',
].join('\n');

describe('esquery selectors through a real Linter run', () => {
  test('attribute paths, :exit, child, :has, regex, siblings, :not and boolean attributes', () => {
    const selectors = [
      'call[function.type="attribute"]',
      'call:exit',
      'call > argument_list > string',
      'function_definition:has(await)',
      'identifier[text=/^get_/]',
      'import_statement + import_from_statement',
      'import_statement ~ expression_statement',
      'function_definition[async=true]',
      'call:not([function.type="attribute"])',
      'call[function.object.text="tracer"]',
      'decorated_definition > decorator',
      'with_statement call',
    ];
    const seen = recordVisits(CODE, selectors);
    assert.deepEqual(Object.fromEntries(seen), {
      'call[function.type="attribute"]': [
        'call:trace.get_tracer(__name__)',
        'call:tracer.start_as_current_span("job")',
        'call:tracer.start_as_current_span("inner")',
        'call:asyncio.sleep(0)',
      ],
      // :exit runs after a node's children: the inner len(...) exits before run(...).
      'call:exit': [
        'call:trace.get_tracer(__name__)',
        'call:tracer.start_as_current_span("job")',
        'call:tracer.start_as_current_span("inner")',
        'call:asyncio.sleep(0)',
        'call:len(item)',
        'call:run(len(item))',
        'call:print("x")',
      ],
      'call > argument_list > string': ['string:"job"', 'string:"inner"', 'string:"x"'],
      'function_definition:has(await)': [`function_definition:${CODE.slice(CODE.indexOf('async def'), CODE.indexOf('\ndef sync_job'))}`],
      'identifier[text=/^get_/]': ['identifier:get_tracer'],
      'import_statement + import_from_statement': ['import_from_statement:from opentelemetry import trace'],
      'import_statement ~ expression_statement': ['expression_statement:tracer = trace.get_tracer(__name__)'],
      'function_definition[async=true]': [`function_definition:${CODE.slice(CODE.indexOf('async def'), CODE.indexOf('\ndef sync_job'))}`],
      'call:not([function.type="attribute"])': ['call:run(len(item))', 'call:len(item)', 'call:print("x")'],
      'call[function.object.text="tracer"]': ['call:tracer.start_as_current_span("job")', 'call:tracer.start_as_current_span("inner")'],
      'decorated_definition > decorator': ['decorator:@tracer.start_as_current_span("job")'],
      'with_statement call': ['call:tracer.start_as_current_span("inner")', 'call:asyncio.sleep(0)'],
    });
  });

  test('a selector with nothing to match matches nothing', () => {
    const seen = recordVisits(CODE, ['lambda', 'call[function.type="lambda"]']);
    assert.deepEqual(Object.fromEntries(seen), { lambda: [], 'call[function.type="lambda"]': [] });
  });
});

describe('traversal order', () => {
  test('enter and exit follow the source, whatever the order of the grammar fields', () => {
    // attribute's fields are (attribute, object), assignment's (left, right, annotation) and
    // decorated_definition's (definition, then decorators): the walk must still go left to right.
    const code = 'x: T = a.b(c)\n@d\ndef f(): pass\n';
    const log: string[] = [];
    const seen = recordVisits(code, ['*', '*:exit'], log);
    const events = log.map((entry) => (entry.startsWith('*:exit ') ? `<${entry.slice(7)}` : `>${entry.slice(2)}`));
    assert.deepEqual(events, [
      '>module',
      '>expression_statement',
      '>assignment',
      '>identifier',
      '<identifier',
      '>type',
      '>identifier',
      '<identifier',
      '<type',
      '>call',
      '>attribute',
      '>identifier',
      '<identifier',
      '>identifier',
      '<identifier',
      '<attribute',
      '>argument_list',
      '>identifier',
      '<identifier',
      '<argument_list',
      '<call',
      '<assignment',
      '<expression_statement',
      '>decorated_definition',
      '>decorator',
      '>identifier',
      '<identifier',
      '<decorator',
      '>function_definition',
      '>identifier',
      '<identifier',
      '>parameters',
      '<parameters',
      '>block',
      '>pass_statement',
      '<pass_statement',
      '<block',
      '<function_definition',
      '<decorated_definition',
      '<module',
    ]);
    // sourceCode.traverse() itself gives the same steps.
    const steps = [...sourceCodeOf(code).traverse()].map((step) => `${step.phase === 1 ? '>' : '<'}${(step.target).type}`);
    assert.deepEqual(steps, events);
    // Source order also within a line: identifiers are entered left to right.
    assert.deepEqual(
      seen.get('*')?.filter((entry) => entry.startsWith('identifier:')),
      ['identifier:x', 'identifier:T', 'identifier:a', 'identifier:b', 'identifier:c', 'identifier:d', 'identifier:f'],
    );
  });
});

describe('visitor keys', () => {
  const require = createRequire(import.meta.url);
  const grammarDir = dirname(createRequire(require.resolve('eslint-plugin-otel-async/package.json')).resolve('tree-sitter-python/package.json'));
  const nodeTypes = JSON.parse(readFileSync(join(grammarDir, 'src', 'node-types.json'), 'utf8')) as {
    type: string;
    named: boolean;
    subtypes?: { type: string; named: boolean }[];
    fields?: Record<string, { types: { type: string; named: boolean }[] }>;
    children?: { types: { type: string; named: boolean }[] };
  }[];

  test('the generated files are current (rules/tools/generate.mjs --check exits 0)', () => {
    // execFileSync throws (failing the test) on a non-zero exit status.
    const output = execFileSync(process.execPath, ['rules/tools/generate.mjs', '--check'], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' });
    assert.equal(output, '');
  });

  /**
   * Named grammar types that are not nodes of our tree: comments (in sourceCode.comments), line
   * continuations, and a string's delimiters (in the string's own text).
   */
  const NOT_TREE_NODES = new Set(['comment', 'line_continuation', 'string_start', 'string_end']);

  test('every named node type of node-types.json, and every alias it names, has visitor keys', () => {
    const supertypes = new Set(nodeTypes.filter((type) => type.subtypes).map((type) => type.type));
    const expected = new Set<string>();
    for (const type of nodeTypes) {
      if (type.named && !type.subtypes) expected.add(type.type);
      const referenced = [...Object.values(type.fields ?? {}).flatMap((field) => field.types), ...(type.children?.types ?? [])];
      for (const child of referenced) if (child.named && !supertypes.has(child.type)) expected.add(child.type);
    }
    for (const type of NOT_TREE_NODES) expected.delete(type);
    expected.add('ERROR');
    assert.deepEqual(Object.keys(VISITOR_KEYS).sort(), [...expected].sort());
    assert.ok(expected.has('as_pattern_target'));
    assert.equal(pythonLanguage.visitorKeys, VISITOR_KEYS);
  });

  test('visitor keys are the node-holding grammar fields (type renamed annotation) plus children', () => {
    for (const type of nodeTypes) {
      if (!type.named || type.subtypes || NOT_TREE_NODES.has(type.type)) continue;
      const nodeFields = Object.entries(type.fields ?? {})
        .filter(([, field]) => field.types.some((candidate) => candidate.named))
        .map(([name]) => (name === 'type' ? 'annotation' : name));
      assert.deepEqual(VISITOR_KEYS[type.type], [...nodeFields, 'children'], type.type);
      for (const [name, field] of Object.entries(type.fields ?? {})) {
        const kind = FIELD_KINDS[type.type]?.[name];
        assert.ok(kind, `${type.type}.${name} has a field kind`);
        assert.equal(kind[0], name === 'type' ? 'annotation' : name);
        assert.equal(kind[1].startsWith('node'), field.types.some((candidate) => candidate.named), `${type.type}.${name}`);
      }
    }
  });

  test('every node type a real tree produces has visitor keys', () => {
    const code = [
      'import a.b as c',
      'from . import d',
      'async def f(x: int = 1, *a, y, **k) -> "T":',
      '    async with g() as (h, i):',
      '        pass',
      '    match x:',
      '        case [1, *rest] if rest:',
      '            return {k: v for k, v in d.items()}',
      '        case {"a": 1, **kw} | Point(x=0):',
      '            yield lambda q: q ** 2',
      '    try:',
      '        del x[1:2]',
      '    except* ValueError as e:',
      '        raise RuntimeError() from e',
      '    finally:',
      '        nonlocal_ = f"{x!r:>10}"',
      'type Alias[T] = list[T]',
      'class K(Base, metaclass=M):',
      '    global z',
      '    assert z, "m"',
      '',
    ].join('\n');
    const sourceCode = sourceCodeOf(code);
    assert.deepEqual(sourceCode.syntaxProblems, []);
    const types = new Set<string>();
    for (const step of sourceCode.traverse()) types.add((step.target).type);
    assert.ok(types.size > 60, `many node types (${types.size})`);
    for (const type of types) assert.ok(VISITOR_KEYS[type], `visitor keys for ${type}`);
    assert.ok(types.has('as_pattern_target'));
  });
});
