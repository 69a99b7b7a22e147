import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findNode, parsePython } from '../helpers/python.js';

function nameOf(code: string, callText: string, occurrence = 0): string | null {
  const { sourceCode, model } = parsePython(code);
  return model.calleeName(findNode(sourceCode, 'call', callText, occurrence));
}

describe('simple value tracking: what a name was bound to', () => {
  it('tracer = trace.get_tracer(__name__)', () => {
    const code = 'from opentelemetry import trace\ntracer = trace.get_tracer(__name__)\nasync def f():\n    tracer.start_as_current_span("x")\n';
    assert.equal(nameOf(code, 'tracer.start_as_current_span("x")'), 'opentelemetry.trace.get_tracer().start_as_current_span');
  });
  it('loop = asyncio.get_running_loop()', () => {
    const code = 'import asyncio\nasync def f():\n    loop = asyncio.get_running_loop()\n    loop.run_in_executor(None, g)\n';
    assert.equal(nameOf(code, 'loop.run_in_executor(None, g)'), 'asyncio.get_running_loop().run_in_executor');
  });
  it('provider = TracerProvider(...)', () => {
    const code = 'from opentelemetry.sdk.trace import TracerProvider\nprovider = TracerProvider(resource=r)\nprovider.add_span_processor(p)\n';
    assert.equal(nameOf(code, 'provider.add_span_processor(p)'), 'opentelemetry.sdk.trace.TracerProvider().add_span_processor');
  });
  it('session = requests.Session() and values derived from it', () => {
    const code = 'import requests\nasync def f():\n    session = requests.Session()\n    resp = session.get(u)\n    resp.json()\n';
    assert.equal(nameOf(code, 'session.get(u)'), 'requests.Session().get');
    assert.equal(nameOf(code, 'resp.json()'), 'requests.Session().get().json');
  });
  it('connections and cursors bound from a connect call', () => {
    const code = 'import sqlite3\nasync def f():\n    conn = sqlite3.connect("db")\n    cur = conn.cursor()\n    cur.execute("select 1")\n';
    assert.equal(nameOf(code, 'cur.execute("select 1")'), 'sqlite3.connect().cursor().execute');
  });
  it('with X as name binds the context manager value', () => {
    const code = 'import httpx\nasync def f():\n    with httpx.Client() as client:\n        client.get(u)\n';
    assert.equal(nameOf(code, 'client.get(u)'), 'httpx.Client().get');
  });
  it('await passes the value through, parentheses too', () => {
    const code = 'import aiohttp\nasync def f():\n    s = (aiohttp.ClientSession())\n    r = await s.get(u)\n    r.json()\n';
    assert.equal(nameOf(code, 'r.json()'), 'aiohttp.ClientSession().get().json');
  });
  it('the last assignment before a use wins in straight-line code', () => {
    const code = 'import requests\nasync def f():\n    s = requests.Session()\n    s.get(a)\n    s = Other()\n    s.get(b)\n';
    assert.equal(nameOf(code, 's.get(a)'), 'requests.Session().get');
    assert.equal(nameOf(code, 's.get(b)'), 'builtins.Other().get');
  });
  it('from a nested scope, bindings must agree; None placeholders are ignored', () => {
    const agree = 'import requests\n_s = None\n_s = requests.Session()\nasync def f():\n    _s.get(u)\n';
    assert.equal(nameOf(agree, '_s.get(u)'), 'requests.Session().get');
    const disagree = 'import requests\n_s = requests.Session()\n_s = Other()\nasync def f():\n    _s.get(u)\n';
    assert.equal(nameOf(disagree, '_s.get(u)'), null);
  });
  it('annotated parameters hold an instance of their annotation', () => {
    const code = 'import requests\nasync def f(session: requests.Session, n: int = 1):\n    session.get(u)\n';
    assert.equal(nameOf(code, 'session.get(u)'), 'requests.Session().get');
  });
  it('self attributes assigned in the class', () => {
    const code = 'import requests\nclass Api:\n    def __init__(self):\n        self.http = requests.Session()\n    async def go(self):\n        self.http.get(u)\n';
    assert.equal(nameOf(code, 'self.http.get(u)'), 'requests.Session().get');
  });
  it('chained and walrus assignments', () => {
    const code = 'import time\nnap = alias = time.sleep\nnap(1)\nif (z := time.sleep):\n    z(2)\n';
    assert.equal(nameOf(code, 'nap(1)'), 'time.sleep');
    assert.equal(nameOf(code, 'z(2)'), 'time.sleep');
  });
  it('unpacking assignments have no tracked value', () => {
    assert.equal(nameOf('import requests\na, b = requests.Session(), 1\na.get(u)\n', 'a.get(u)'), null);
  });
  it('self-referential assignments terminate', () => {
    assert.equal(nameOf('x = x.child\nx.go()\n', 'x.go()'), null);
  });
});
