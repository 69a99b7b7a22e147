import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
