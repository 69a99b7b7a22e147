import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RuleDefinition } from '@eslint/core';
import { Linter } from 'eslint';
import plugin from 'eslint-plugin-otel-async';
import { FIELD_KINDS, NODE_FACTORIES, PythonNode, VISITOR_KEYS, childrenInSourceOrder, type PyNode, type PyNodeOfType, type PythonSourceCode } from 'eslint-plugin-otel-async/language';
import { readFileSync } from 'node:fs';
import { sourceCodeOf } from './helpers.js';
import { mutations, pythonFiles } from '../helpers/corpus.js';

// Offsets below are counted by hand from this text (line starts: 0, 15, 58, 59, 95, 96, 97, 149, 218, 251, 291, 311, 347, 365).
const SAMPLE = [
  'import asyncio',
  'from opentelemetry import trace  # tracing',
  '',
  'tracer = trace.get_tracer(__name__)',
  '',
  '',
  'async def handler(request: Request, *args) -> None:',
  '    async with tracer.start_as_current_span("handle") as span, lock:',
  '        await asyncio.sleep(0.1)',
  '    async for item in stream():  # loop',
  '        print(item)',
  '    return [x async for x in gen()]',
  'def plain(): pass',
  '',
].join('\n');

function all(sourceCode: PythonSourceCode): PyNode[] {
  const nodes: PyNode[] = [];
  for (const step of sourceCode.traverse()) if (step.phase === 1) nodes.push(step.target);
  return nodes;
}

function ofType<T extends PyNode['type']>(sourceCode: PythonSourceCode, type: T): PyNodeOfType<T>[] {
  return all(sourceCode).filter((node): node is PyNodeOfType<T> => node.type === type);
}

function only<T>(items: readonly T[], label: string): T {
  assert.equal(items.length, 1, `exactly one ${label}`);
  return items[0] as T;
}

describe('Python nodes', () => {
  const sourceCode = sourceCodeOf(SAMPLE);
  const nodes = all(sourceCode);

  test('the root is a module spanning the whole text', () => {
    const root = sourceCode.ast;
    assert.equal(root.type, 'module');
    assert.deepEqual(root.range, [0, SAMPLE.length]);
    assert.deepEqual(root.loc, { start: { line: 1, column: 0 }, end: { line: 14, column: 0 } });
    assert.equal(root.parent, null);
    assert.deepEqual(
      root.children.map((child) => child.type),
      ['import_statement', 'import_from_statement', 'expression_statement', 'function_definition', 'function_definition'],
    );
  });

  test('call.function, call.arguments and attribute.object/attribute are grammar fields with exact ranges', () => {
    const getTracer = ofType(sourceCode, 'call')[0];
    assert.ok(getTracer);
    assert.deepEqual(getTracer.range, [68, 94]);
    assert.deepEqual(getTracer.loc, { start: { line: 4, column: 9 }, end: { line: 4, column: 35 } });
    const callee = getTracer.function;
    assert.ok(callee?.type === 'attribute');
    assert.deepEqual(callee.range, [68, 84]);
    assert.equal(callee.object?.type, 'identifier');
    assert.equal(callee.object.text, 'trace');
    assert.deepEqual(callee.object.loc, { start: { line: 4, column: 9 }, end: { line: 4, column: 14 } });
    assert.equal(callee.attribute?.text, 'get_tracer');
    assert.deepEqual(callee.attribute.loc, { start: { line: 4, column: 15 }, end: { line: 4, column: 25 } });
    const args = getTracer.arguments;
    assert.ok(args?.type === 'argument_list');
    assert.deepEqual(args.range, [84, 94]);
    assert.deepEqual(
      args.children.map((child) => [child.type, child.text]),
      [['identifier', '__name__']],
    );
    // Operators and keywords are not nodes; fields that hold them are strings.
    const assignment = only(ofType(sourceCode, 'assignment'), 'assignment');
    assert.equal(assignment.left?.type, 'identifier');
    assert.equal(assignment.right, getTracer);
    assert.equal(assignment.annotation, null);
  });

  test('with_statement items, the as-alias and the async flag', () => {
    const withStatement = only(ofType(sourceCode, 'with_statement'), 'with');
    assert.equal(withStatement.async, true);
    assert.deepEqual(withStatement.loc, { start: { line: 8, column: 4 }, end: { line: 9, column: 32 } });
    const clause = only(withStatement.children, 'with_clause');
    assert.equal(clause.type, 'with_clause');
    const items = clause.children;
    assert.deepEqual(
      items.map((item) => [item.type, item.value?.type, item.loc.start.column, item.loc.end.column]),
      [
        ['with_item', 'as_pattern', 15, 61],
        ['with_item', 'identifier', 63, 67],
      ],
    );
    const asPattern = items[0]?.value;
    assert.ok(asPattern?.type === 'as_pattern');
    assert.equal(asPattern.alias?.type, 'as_pattern_target');
    assert.equal(sourceCode.getText(asPattern.alias), 'span');
    const spanCall = asPattern.children[0];
    assert.ok(spanCall?.type === 'call');
    assert.equal(sourceCode.getText(spanCall.function ?? undefined), 'tracer.start_as_current_span');
    assert.equal(withStatement.body?.type, 'block');
  });

  test('async is set on async def, async with, async for and async comprehension clauses only', () => {
    const flagged = nodes.filter((node) => node.async === true).map((node) => [node.type, node.loc.start.line]);
    assert.deepEqual(flagged, [
      ['function_definition', 7],
      ['with_statement', 8],
      ['for_statement', 10],
      ['for_in_clause', 12],
    ]);
    const plain = ofType(sourceCode, 'function_definition')[1];
    assert.equal(plain?.name?.text, 'plain');
    assert.equal(plain.async, undefined);
  });

  test('the grammar field `type` is exposed as `annotation`; return_type and parameters are fields', () => {
    const handler = ofType(sourceCode, 'function_definition')[0];
    assert.ok(handler);
    const typed = only(ofType(sourceCode, 'typed_parameter'), 'typed parameter');
    assert.equal(typed.annotation?.type, 'type');
    assert.equal(sourceCode.getText(typed.annotation), 'Request');
    assert.deepEqual(typed.loc, { start: { line: 7, column: 18 }, end: { line: 7, column: 34 } });
    assert.equal(sourceCode.getText(handler.return_type ?? undefined), 'None');
    assert.deepEqual(
      handler.parameters?.children.map((parameter) => parameter.type),
      ['typed_parameter', 'list_splat_pattern'],
    );
  });

  test('leaves carry their text; nodes with named children do not', () => {
    for (const node of nodes) {
      const hasChildren = childrenInSourceOrder(node).length > 0;
      if (hasChildren) assert.equal(node.text, undefined, `${node.type} has children and no text`);
      else assert.equal(node.text, SAMPLE.slice(node.range[0], node.range[1]), `${node.type} text`);
    }
    const float = only(ofType(sourceCode, 'float'), 'float');
    assert.equal(float.text, '0.1');
    assert.deepEqual(float.loc, { start: { line: 9, column: 28 }, end: { line: 9, column: 31 } });
  });

  test("a string's quotes and prefix are in its own range and text, not nodes of their own", () => {
    const text = 'a = f"x{y!r}z\\n"\nb = ""\nc = rb\'\'\'raw\'\'\'\n';
    const strings = ofType(sourceCodeOf(text), 'string');
    assert.deepEqual(
      strings.map((string) => [text.slice(string.range[0], string.range[1]), string.children.map((child) => child.type), string.text]),
      [
        ['f"x{y!r}z\\n"', ['string_content', 'interpolation', 'string_content'], undefined],
        // No named children left: an empty string is a leaf, and carries its text like any leaf.
        ['""', [], '""'],
        ["rb\'\'\'raw\'\'\'", ['string_content'], undefined],
      ],
    );
    const types = new Set(all(sourceCodeOf(text)).map((node) => node.type as string));
    assert.equal(types.has('string_start') || types.has('string_end'), false);
  });

  test('every node: range inside its parent, loc computed from range, getText equals the slice', () => {
    for (const node of nodes) {
      assert.equal(sourceCode.getText(node), SAMPLE.slice(node.range[0], node.range[1]));
      assert.deepEqual(node.loc.start, sourceCode.getLocFromIndex(node.range[0]));
      assert.deepEqual(node.loc.end, sourceCode.getLocFromIndex(node.range[1]));
      if (node.parent) {
        assert.ok(node.parent.range[0] <= node.range[0] && node.range[1] <= node.parent.range[1], `${node.type} inside ${node.parent.type}`);
        assert.ok(childrenInSourceOrder(node.parent).includes(node), `${node.type} is a child of its parent`);
      }
    }
  });

  test('comments are not in the tree; they are in sourceCode.comments with value and exact positions', () => {
    assert.equal(nodes.some((node) => (node.type as string) === 'comment'), false);
    assert.deepEqual(
      sourceCode.comments.map((comment) => ({ type: comment.type, value: comment.value, range: comment.range, loc: comment.loc })),
      [
        { type: 'comment', value: ' tracing', range: [48, 57], loc: { start: { line: 2, column: 33 }, end: { line: 2, column: 42 } } },
        { type: 'comment', value: ' loop', range: [284, 290], loc: { start: { line: 10, column: 33 }, end: { line: 10, column: 39 } } },
      ],
    );
  });

  test('sourceCode.getParent agrees with node.parent', () => {
    for (const node of nodes) assert.equal(sourceCode.getParent(node), node.parent ?? undefined);
  });
});

describe('stable node identity through a real lint run', () => {
  test('the same object on every visit, through parent, and in the SourceCode ESLint kept', () => {
    const seenOnEnter = new Map<string, object>();
    const seenOnExit = new Map<string, object>();
    const parentsSeen: object[] = [];
    const identity: RuleDefinition = {
      meta: { schema: [] },
      create() {
        return {
          call(node: PyNode) {
            seenOnEnter.set(String(node.range), node);
          },
          'call:exit'(node: PyNode) {
            seenOnExit.set(String(node.range), node);
          },
          argument_list(node: PyNode) {
            if (node.parent) parentsSeen.push(node.parent);
          },
        };
      },
    };
    const linter = new Linter({ configType: 'flat' });
    linter.verify(
      SAMPLE,
      [
        {
          files: ['**/*.py'],
          plugins: { 'otel-async': plugin, id: { rules: { identity } } },
          language: 'otel-async/python',
          rules: { 'id/identity': 'error' },
        },
      ],
      { filename: 'a.py' },
    );
    const kept = linter.getSourceCode() as unknown as PythonSourceCode;
    const keptCalls = ofType(kept, 'call');
    assert.equal(seenOnEnter.size, 6);
    assert.equal(keptCalls.length, 6);
    for (const call of keptCalls) {
      assert.equal(seenOnEnter.get(String(call.range)), call);
      assert.equal(seenOnExit.get(String(call.range)), call);
      assert.ok(parentsSeen.includes(call), 'argument_list.parent is the call object itself');
      // Walking down and back up returns the same object.
      assert.equal(call.arguments?.parent, call);
    }
    // Traversing again yields the same objects, and loc is computed once and kept.
    const again = ofType(kept, 'call');
    assert.deepEqual(again, keptCalls);
    for (const [index, call] of keptCalls.entries()) {
      assert.equal(again[index], call);
      assert.equal(call.loc, call.loc);
    }
  });

  test('own enumerable properties are the grammar fields, children, namedChildren, start, end, parent and type; range and loc are derived', () => {
    const sourceCode = sourceCodeOf('f(x)\n');
    const call = ofType(sourceCode, 'call')[0];
    assert.ok(call);
    assert.deepEqual(Object.keys(call).sort(), ['arguments', 'children', 'end', 'function', 'namedChildren', 'parent', 'start', 'type']);
    assert.deepEqual([call.start, call.end], call.range);
    assert.deepEqual(call.namedChildren, [call.function, call.arguments]);
    // A type that can be a leaf has its `text` slot from the start; it is set only on a node without named children.
    assert.equal(call.arguments?.text, undefined);
    assert.equal(call.function?.text, 'f');
    assert.ok(call instanceof PythonNode);
    assert.throws(() => new (PythonNode as unknown as new () => unknown)(), /not by new PythonNode/u);
    // range is kept as two numbers in the node: equal on every read, a fresh array each time.
    assert.deepEqual(call.range, [0, 4]);
    assert.deepEqual(call.range, call.range);
    assert.equal('range' in call, true);
    // JSON shows the node with its range and without the parent cycle.
    assert.deepEqual(JSON.parse(JSON.stringify(call)), {
      type: 'call',
      range: [0, 4],
      children: [],
      function: { type: 'identifier', range: [0, 1], children: [], text: 'f' },
      arguments: { type: 'argument_list', range: [1, 4], children: [{ type: 'identifier', range: [2, 3], children: [], text: 'x' }] },
    });
  });
});

describe('the generated node factories', () => {
  test('one per node type but ERROR, each making its type with every field empty, on the node prototype', () => {
    const types = Object.keys(VISITOR_KEYS).filter((type) => type !== 'ERROR').sort();
    assert.deepEqual(Object.keys(NODE_FACTORIES).sort(), types);
    for (const type of types) {
      const make = NODE_FACTORIES[type];
      assert.ok(make, type);
      const node = make(3, 7, null);
      assert.ok(node instanceof PythonNode, type);
      assert.equal(node.type, type);
      assert.deepEqual([node.start, node.end, node.range], [3, 7, [3, 7]]);
      assert.equal(node.parent, null);
      assert.deepEqual([node.children, node.namedChildren], [[], []]);
      const expectedFields = Object.values(FIELD_KINDS[type] ?? {});
      const common = ['type', 'start', 'end', 'parent', 'children', 'namedChildren', 'text'];
      const own = Object.keys(node).filter((key) => !common.includes(key));
      assert.deepEqual(own.sort(), expectedFields.map(([property]) => property).sort(), `${type}: fields`);
      for (const [property, kind] of expectedFields) {
        const value = node[property];
        if (kind === 'node' || kind === 'token') assert.equal(value, null, `${type}.${property}`);
        else assert.deepEqual(value, [], `${type}.${property}`);
      }
      // Two nodes never share a token list (the conversion pushes onto it).
      const other = make(0, 0, null);
      for (const [property, kind] of expectedFields) if (kind === 'tokens') assert.notEqual(other[property], node[property]);
    }
  });
});

describe('childrenInSourceOrder', () => {
  /** What the list must be: every named child under the node's visitor keys, sorted by position. */
  function fromVisitorKeys(sourceCode: PythonSourceCode, node: PyNode): PyNode[] {
    const record = node as unknown as Record<string, unknown>;
    const children: PyNode[] = [];
    for (const key of sourceCode.visitorKeys[node.type] ?? ['children']) {
      const value = record[key];
      if (Array.isArray(value)) children.push(...(value as PyNode[]));
      else if (value) children.push(value as PyNode);
    }
    return children.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  }

  test('equals the children under the visitor keys in position order, for every node of the fixtures and broken variants', () => {
    const texts = pythonFiles().map((path) => readFileSync(path, 'utf8'));
    const first = texts[0] ?? '';
    texts.push(...mutations(first, 60, 7));
    let multiKeyParents = 0;
    for (const text of texts) {
      const sourceCode = sourceCodeOf(text);
      for (const node of all(sourceCode)) {
        const expected = fromVisitorKeys(sourceCode, node);
        assert.deepEqual(childrenInSourceOrder(node), expected, `${node.type} at ${node.range.join('-')}`);
        if ((sourceCode.visitorKeys[node.type]?.length ?? 0) > 1 && expected.length > 1) multiKeyParents++;
      }
    }
    assert.ok(multiKeyParents > 100, `${multiKeyParents} nodes with children under several keys`);
  });

  test('a copy of a node is refused with a clear message, not answered wrongly', () => {
    const call = ofType(sourceCodeOf(SAMPLE), 'call')[0];
    assert.ok(call);
    assert.throws(() => childrenInSourceOrder({ ...call }), {
      name: 'TypeError',
      message: "childrenInSourceOrder() takes a node of a parsed Python tree; got an object of type 'call' that is not one (a copy?).",
    });
  });
});

describe('sourceCode.traverse()', () => {
  test('every node entered then exited, in source order, each step its own object with [node, parent] args and the visit kind', () => {
    const sourceCode = sourceCodeOf(SAMPLE);
    const steps = [...sourceCode.traverse()];
    const expected: string[] = [];
    const visit = (node: PyNode): void => {
      expected.push(`>${node.type}@${node.range[0]}`);
      for (const child of childrenInSourceOrder(node)) visit(child);
      expected.push(`<${node.type}@${node.range[0]}`);
    };
    visit(sourceCode.ast);
    const shown = steps.map((step) => `${step.phase === 1 ? '>' : '<'}${(step.target).type}@${(step.target).range[0]}`);
    assert.deepEqual(shown, expected);
    assert.equal(new Set(steps).size, steps.length, 'no step object is handed out twice');
    for (const step of steps) {
      assert.equal(step.kind, 1);
      assert.equal(step.type, 'visit');
      const target = step.target;
      assert.deepEqual(step.args, [target, target.parent]);
    }
    // A second iteration starts over and gives the same steps.
    assert.deepEqual([...sourceCode.traverse()].map((step) => step.target), steps.map((step) => step.target));
  });
});
