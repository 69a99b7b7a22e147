import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { ownBodyYields } from 'eslint-plugin-otel-async/semantic';
import { findNode, parsePython } from '../helpers/python.js';

describe('function facts', () => {
  const code = [
    'import functools',
    'class Worker:',
    '    @functools.cache',
    '    @staticmethod',
    '    async def run(x):',
    '        yield x',
    '    def sync(self):',
    '        def inner():',
    '            yield 1',
    '        return inner',
    '',
  ].join('\n');

  it('async, generator, decorators and enclosing class', () => {
    const { sourceCode, model } = parsePython(code);
    const run = findNode(sourceCode, 'function_definition', 'async def run(x):\n        yield x');
    const facts = model.facts(run);
    assert.equal(facts.name, 'run');
    assert.equal(facts.isAsync, true);
    assert.equal(facts.isGenerator, true);
    assert.deepEqual(facts.decorators.map((decorator) => sourceCode.getText(decorator)), ['@functools.cache', '@staticmethod']);
    assert.equal(facts.enclosingClass?.name?.text, 'Worker');
  });

  it('a yield in a nested def does not make the outer function a generator', () => {
    const { sourceCode, model } = parsePython(code);
    const sync = findNode(sourceCode, 'function_definition', sourceCode.text.slice(sourceCode.text.indexOf('def sync'), sourceCode.text.lastIndexOf('inner') + 5));
    assert.equal(model.facts(sync).isGenerator, false);
    assert.equal(model.facts(sync).isAsync, false);
  });
});

describe('which functions are generators', () => {
  // Each function's name says whether it is a generator, as CPython decides (checked below with
  // inspect.isgeneratorfunction): a yield counts in the function's own body, and the defaults,
  // annotations and decorators of a nested def are part of that body.
  const code = [
    'def gen_plain():',
    '    yield 1',
    'def gen_in_call():',
    '    print((yield))',
    'def gen_deep():',
    '    if True:',
    '        with open("f") as f:',
    '            x = yield from f',
    'def not_gen_nested():',
    '    def gen_inner():',
    '        yield 1',
    '    return gen_inner',
    'def not_gen_lambda():',
    '    return lambda: (yield)',
    'def not_gen_class():',
    '    class Inner:',
    '        x = 1',
    '    return Inner',
    'def not_gen_genexp():',
    '    return (x for x in range(3))',
    'def gen_outer(default=None):',
    '    def not_gen_default(x=(yield)):',
    '        return x',
    '    return not_gen_default',
    'def gen_annotation():',
    '    def not_gen_annotated() -> (yield):',
    '        pass',
    'def gen_decorator():',
    '    @print((yield))',
    '    def not_gen_decorated():',
    '        pass',
    'def gen_lambda_default():',
    '    return lambda x=(yield): x',
    'async def gen_async():',
    '    yield 1',
    'async def not_gen_async():',
    '    await f()',
    '',
  ].join('\n');

  it('tells generators by a yield in their own body, and agrees with ownBodyYields', () => {
    const { sourceCode, model } = parsePython(code);
    const functions = model.nodesOfType('function_definition');
    assert.equal(functions.length, 17);
    for (const fn of functions) {
      const name = fn.name?.text ?? '';
      assert.equal(model.facts(fn).isGenerator, name.startsWith('gen_'), name);
      assert.equal(ownBodyYields(fn), name.startsWith('gen_'), `ownBodyYields(${name})`);
    }
    assert.ok(sourceCode.text.includes('yield from'));
    // CPython agrees with every name.
    const check = `${code}\nimport inspect\nfor name, value in list(globals().items()):\n    if callable(value) and name.startswith(('gen_', 'not_gen_')):\n        assert (inspect.isgeneratorfunction(value) or inspect.isasyncgenfunction(value)) == name.startswith('gen_'), name\nprint('ok')\n`;
    assert.equal(execFileSync('python3', ['-c', check], { encoding: 'utf8' }).trim(), 'ok');
  });
});

describe('where code runs', () => {
  const code = [
    'import time',
    'async def handler(cb=time.sleep(0)):',
    '    time.sleep(1)',
    '    def later():',
    '        time.sleep(2)',
    '    f = lambda: time.sleep(3)',
    '    class Local:',
    '        x = time.sleep(4)',
    '    [time.sleep(5) for _ in range(2)]',
    'def sync():',
    '    time.sleep(6)',
    '',
  ].join('\n');

  it('the async def body runs in the async function, with exact positions', () => {
    const { sourceCode, model } = parsePython(code);
    const call = findNode(sourceCode, 'call', 'time.sleep(1)');
    assert.deepEqual(call.loc, { start: { line: 3, column: 4 }, end: { line: 3, column: 17 } });
    assert.deepEqual(call.range, [53, 66]);
    assert.equal(model.isInAsyncFunction(call), true);
    assert.equal(model.functionOf(call)?.type, 'function_definition');
  });
  it('nested def and lambda bodies run later, not in the async function', () => {
    const { sourceCode, model } = parsePython(code);
    assert.equal(model.isInAsyncFunction(findNode(sourceCode, 'call', 'time.sleep(2)')), false);
    assert.equal(model.isInAsyncFunction(findNode(sourceCode, 'call', 'time.sleep(3)')), false);
    assert.equal(model.functionOf(findNode(sourceCode, 'call', 'time.sleep(3)'))?.type, 'lambda');
  });
  it('class bodies and comprehensions run now, in the enclosing function', () => {
    const { sourceCode, model } = parsePython(code);
    assert.equal(model.isInAsyncFunction(findNode(sourceCode, 'call', 'time.sleep(4)')), true);
    assert.equal(model.isInAsyncFunction(findNode(sourceCode, 'call', 'time.sleep(5)')), true);
  });
  it('default values run where the def is, not in the function', () => {
    const { sourceCode, model } = parsePython(code);
    const call = findNode(sourceCode, 'call', 'time.sleep(0)');
    assert.equal(model.functionOf(call), null);
    assert.equal(model.isInAsyncFunction(call), false);
  });
  it('sync functions are not async', () => {
    const { sourceCode, model } = parsePython(code);
    assert.equal(model.isInAsyncFunction(findNode(sourceCode, 'call', 'time.sleep(6)')), false);
  });
  it('moduleAlias finds the local name of a module import', () => {
    assert.equal(parsePython('import asyncio as aio\n').model.moduleAlias('asyncio'), 'aio');
    assert.equal(parsePython('import asyncio\n').model.moduleAlias('asyncio'), 'asyncio');
    assert.equal(parsePython('from asyncio import sleep\n').model.moduleAlias('asyncio'), null);
  });
  it('resolveFunction finds module functions and self methods', () => {
    const text = 'async def helper():\n    pass\nclass A:\n    async def m(self):\n        await self.n()\n        await helper()\n    async def n(self):\n        pass\n';
    const { sourceCode, model } = parsePython(text);
    assert.equal(model.resolveFunction(findNode(sourceCode, 'call', 'helper()').function)?.name?.text, 'helper');
    assert.equal(model.resolveFunction(findNode(sourceCode, 'call', 'self.n()').function)?.name?.text, 'n');
  });
});
