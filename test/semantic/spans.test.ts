import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findNode, parsePython } from '../helpers/python.js';

/** Names of the spans open at the call with the given text, innermost first. */
function spansAt(code: string, callText: string): (string | null)[] {
  const { sourceCode, model } = parsePython(code);
  return model.spans.enclosingSpans(findNode(sourceCode, 'call', callText)).map((span) => span.name);
}

const HEADER = 'from opentelemetry import trace\ntracer = trace.get_tracer(__name__)\n';

describe('span scopes', () => {
  it('with <tracer>.start_as_current_span(...) [as span]', () => {
    const code = `${HEADER}async def f():\n    with tracer.start_as_current_span("outer") as span:\n        work()\n    after()\n`;
    assert.deepEqual(spansAt(code, 'work()'), ['outer']);
    assert.deepEqual(spansAt(code, 'after()'), []);
    const { sourceCode, model } = parsePython(code);
    const [span] = model.spans.enclosingSpans(findNode(sourceCode, 'call', 'work()'));
    assert.equal(span?.variable, 'span');
    assert.equal(span?.method, 'start_as_current_span');
    assert.equal(span?.makesCurrent, true);
    assert.deepEqual(span?.node.loc, { start: { line: 4, column: 9 }, end: { line: 4, column: 54 } });
  });
  it('nested spans are listed innermost first; async with works', () => {
    const code = `${HEADER}async def f():\n    with tracer.start_as_current_span("a"):\n        async with tracer.start_as_current_span(name="b"):\n            work()\n`;
    assert.deepEqual(spansAt(code, 'work()'), ['b', 'a']);
  });
  it('trace.use_span(...) and with <tracer>.start_span(...) as s', () => {
    const code = `${HEADER}def f(s):\n    with trace.use_span(s, end_on_exit=True):\n        one()\n    with tracer.start_span("manual") as m:\n        two()\n`;
    assert.deepEqual(spansAt(code, 'one()'), ['s']);
    const { sourceCode, model } = parsePython(code);
    const [manual] = model.spans.enclosingSpans(findNode(sourceCode, 'call', 'two()'));
    assert.equal(manual?.name, 'manual');
    assert.equal(manual?.makesCurrent, false);
  });
  it('multi-item with: later items and the body run inside earlier spans', () => {
    const code = `${HEADER}def f():\n    with tracer.start_as_current_span("a"), open(path()) as fh, tracer.start_as_current_span("b"):\n        body()\n`;
    assert.deepEqual(spansAt(code, 'path()'), ['a']);
    assert.deepEqual(spansAt(code, 'body()'), ['b', 'a']);
  });
  it('a decorated function: the whole body; not a generator (measured: the span covers only generator creation)', () => {
    const code = `${HEADER}@tracer.start_as_current_span("handler")\nasync def f():\n    work()\n@tracer.start_as_current_span("rows")\nasync def g():\n    yield fetch()\n`;
    assert.deepEqual(spansAt(code, 'work()'), ['handler']);
    assert.deepEqual(spansAt(code, 'fetch()'), []);
  });
  it('tracers from get_tracer_provider(), TracerProvider(...) and inline get_tracer', () => {
    const code = [
      'from opentelemetry import trace',
      'from opentelemetry.sdk.trace import TracerProvider',
      'provider = TracerProvider()',
      't1 = trace.get_tracer_provider().get_tracer("x")',
      't2 = provider.get_tracer("y")',
      'def f():',
      '    with t1.start_as_current_span("one"):',
      '        with t2.start_as_current_span("two"):',
      '            with trace.get_tracer(__name__).start_as_current_span("three"):',
      '                work()',
      '',
    ].join('\n');
    assert.deepEqual(spansAt(code, 'work()'), ['three', 'two', 'one']);
  });
  it('nested def and lambda bodies are not inside the span around their definition', () => {
    const code = `${HEADER}def f():\n    with tracer.start_as_current_span("a"):\n        def later():\n            work()\n        cb = lambda: other()\n`;
    assert.deepEqual(spansAt(code, 'work()'), []);
    assert.deepEqual(spansAt(code, 'other()'), []);
  });
  it('non-tracer receivers: start_as_current_span on an unresolved name counts, start_span needs a tracer', () => {
    const code = 'def f(t, db):\n    with t.start_as_current_span("x"):\n        one()\n    with db.start_span("y"):\n        two()\n    with self_tracer.start_span("z"):\n        three()\n';
    assert.deepEqual(spansAt(code, 'one()'), ['x']);
    assert.deepEqual(spansAt(code, 'two()'), []);
    assert.deepEqual(spansAt(code, 'three()'), ['z']);
  });
  it('a resolved non-tracer receiver is not a span', () => {
    const code = 'import mylib\nclient = mylib.Client()\ndef f():\n    with client.start_as_current_span("x"):\n        one()\n';
    assert.deepEqual(spansAt(code, 'one()'), []);
  });
  it('a literal span name is its content as written: escapes kept, quotes and prefix left out', () => {
    const code = `${HEADER}def f():\n    with tracer.start_as_current_span("a\\tb"):\n        one()\n    with tracer.start_as_current_span(r'''raw'''):\n        two()\n    with tracer.start_as_current_span(f"plain"):\n        three()\n    with tracer.start_as_current_span(""):\n        four()\n`;
    assert.deepEqual(spansAt(code, 'one()'), ['a\\tb']);
    assert.deepEqual(spansAt(code, 'two()'), ['raw']);
    assert.deepEqual(spansAt(code, 'three()'), ['plain']);
    assert.deepEqual(spansAt(code, 'four()'), ['']);
  });
  it('an f-string span name is reported as written', () => {
    const code = `${HEADER}def f(n):\n    with tracer.start_as_current_span(f"job-{n}"):\n        one()\n`;
    assert.deepEqual(spansAt(code, 'one()'), ['f"job-{n}"']);
  });
});

describe('spans from callers in the same module', () => {
  it('names the caller span and the call chain', () => {
    const code = `${HEADER}async def handler():\n    with tracer.start_as_current_span("request"):\n        await service()\nasync def service():\n    await repo()\nasync def repo():\n    work()\n`;
    const { sourceCode, model } = parsePython(code);
    const fn = model.functionOf(findNode(sourceCode, 'call', 'work()'));
    assert.ok(fn?.type === 'function_definition');
    const found = model.spans.spanFromCallers(fn);
    assert.equal(found?.span.name, 'request');
    assert.deepEqual(found?.chain, ['handler', 'service', 'repo']);
  });
  it('returns null when no caller opens a span, and survives recursion', () => {
    const code = 'async def a():\n    await b()\nasync def b():\n    await a()\n    work()\n';
    const { sourceCode, model } = parsePython(code);
    const fn = model.functionOf(findNode(sourceCode, 'call', 'work()'));
    assert.ok(fn?.type === 'function_definition');
    assert.equal(model.spans.spanFromCallers(fn), null);
  });
  it('allSpans lists every span scope in source order', () => {
    const code = `${HEADER}@tracer.start_as_current_span("d")\ndef f():\n    with tracer.start_as_current_span("w"):\n        pass\n`;
    assert.deepEqual(parsePython(code).model.spans.allSpans().map((span) => [span.kind, span.name]), [['decorator', 'd'], ['with', 'w']]);
  });
});
