import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findNode, parsePython } from '../helpers/python.js';

test('smoke', () => {
  const code = `import time as t
from opentelemetry import trace
import requests
tracer = trace.get_tracer(__name__)
class C:
    def __init__(self):
        self.session = requests.Session()
    async def go(self):
        with tracer.start_as_current_span("go") as span:
            t.sleep(1)
            self.session.get("x")
async def outer():
    with tracer.start_as_current_span("req"):
        await inner()
async def inner():
    t.sleep(2)
`;
  const { sourceCode, model } = parsePython(code);
  const sleep = findNode(sourceCode, 'call', 't.sleep(1)');
  assert.equal(model.calleeName(sleep), 'time.sleep');
  assert.equal(model.calleeName(findNode(sourceCode, 'call', 'self.session.get("x")')), 'requests.Session().get');
  assert.equal(model.spans.enclosingSpans(sleep)[0]?.name, 'go');
  assert.equal(model.isInAsyncFunction(sleep), true);
  const sleep2 = findNode(sourceCode, 'call', 't.sleep(2)');
  assert.deepEqual(model.spans.enclosingSpans(sleep2), []);
  const fn = model.functionOf(sleep2);
  assert.ok(fn?.type === 'function_definition');
  const caller = model.spans.spanFromCallers(fn);
  assert.equal(caller?.span.name, 'req');
  assert.deepEqual(caller?.chain, ['outer', 'inner']);
});
