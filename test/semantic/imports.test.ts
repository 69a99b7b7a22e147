import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findNode, parsePython } from '../helpers/python.js';

/** The qualified name of the callee of the call whose source text is `callText`. */
function calleeOf(code: string, callText: string, occurrence = 0): string | null {
  const { sourceCode, model } = parsePython(code);
  return model.calleeName(findNode(sourceCode, 'call', callText, occurrence));
}

describe('import resolution to qualified names', () => {
  it('import time', () => {
    assert.equal(calleeOf('import time\ntime.sleep(1)\n', 'time.sleep(1)'), 'time.sleep');
  });
  it('import time as t', () => {
    assert.equal(calleeOf('import time as t\nt.sleep(1)\n', 't.sleep(1)'), 'time.sleep');
  });
  it('from time import sleep as nap', () => {
    assert.equal(calleeOf('from time import sleep as nap\nnap(1)\n', 'nap(1)'), 'time.sleep');
  });
  it('import opentelemetry.context as ctx', () => {
    assert.equal(calleeOf('import opentelemetry.context as ctx\nctx.attach(c)\n', 'ctx.attach(c)'), 'opentelemetry.context.attach');
  });
  it('from opentelemetry import trace, context', () => {
    const code = 'from opentelemetry import trace, context\ntrace.get_tracer(__name__)\ncontext.detach(t)\n';
    assert.equal(calleeOf(code, 'trace.get_tracer(__name__)'), 'opentelemetry.trace.get_tracer');
    assert.equal(calleeOf(code, 'context.detach(t)'), 'opentelemetry.context.detach');
  });
  it('import a.b.c binds the top package and attribute access walks down', () => {
    assert.equal(calleeOf('import opentelemetry.context\nopentelemetry.context.attach(c)\n', 'opentelemetry.context.attach(c)'), 'opentelemetry.context.attach');
  });
  it('parenthesised multi-name from-imports with aliases', () => {
    const code = 'from asyncio import (\n    create_task as spawn,\n    gather,\n)\nspawn(x())\ngather(a)\n';
    assert.equal(calleeOf(code, 'spawn(x())'), 'asyncio.create_task');
    assert.equal(calleeOf(code, 'gather(a)'), 'asyncio.gather');
  });
  it('relative imports keep their dots and never match library names', () => {
    assert.equal(calleeOf('from .time import sleep\nsleep(1)\n', 'sleep(1)'), '.time.sleep');
  });
  it('unresolved names are builtins', () => {
    assert.equal(calleeOf('open("f")\n', 'open("f")'), 'builtins.open');
    assert.equal(calleeOf('input()\n', 'input()'), 'builtins.input');
  });
  it('an import inside a function binds in that function only', () => {
    const code = 'def f():\n    import time\n    time.sleep(1)\ntime.sleep(2)\n';
    assert.equal(calleeOf(code, 'time.sleep(1)'), 'time.sleep');
    assert.equal(calleeOf(code, 'time.sleep(2)'), 'builtins.time.sleep');
  });
});

describe('shadowing', () => {
  it('a parameter that shadows an import is not the import', () => {
    assert.equal(calleeOf('import time\nasync def f(time):\n    time.sleep(1)\n', 'time.sleep(1)'), null);
  });
  it('a local def that shadows an imported name is not the import', () => {
    const code = 'from time import sleep\ndef sleep(x):\n    pass\nasync def f():\n    sleep(1)\n';
    assert.equal(calleeOf(code, 'sleep(1)'), null);
  });
  it('a local assignment in the function shadows the module import in the whole function', () => {
    const code = 'import requests\nasync def f():\n    requests = FakeClient()\n    requests.get(u)\n';
    assert.equal(calleeOf(code, 'requests.get(u)'), 'builtins.FakeClient().get');
  });
  it('a nested function sees the enclosing function binding, not the module one', () => {
    const code = 'import time\ndef outer(time):\n    def inner():\n        time.sleep(1)\n';
    assert.equal(calleeOf(code, 'time.sleep(1)'), null);
  });
  it('class bodies are not visible from methods', () => {
    const code = 'import time\nclass C:\n    time = None\n    def m(self):\n        time.sleep(1)\n';
    assert.equal(calleeOf(code, 'time.sleep(1)'), 'time.sleep');
  });
  it('global declarations resolve to the module binding', () => {
    const code = 'import time\ndef f():\n    global time\n    time.sleep(1)\n';
    assert.equal(calleeOf(code, 'time.sleep(1)'), 'time.sleep');
  });
  it('except-as, for targets and comprehension variables shadow', () => {
    const code = 'import time\nfor time in xs:\n    time.sleep(1)\n[time.sleep(2) for time in xs]\n';
    assert.equal(calleeOf(code, 'time.sleep(1)'), null);
    assert.equal(calleeOf(code, 'time.sleep(2)'), null);
  });
});
