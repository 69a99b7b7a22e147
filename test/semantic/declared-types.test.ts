import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { declaredInstanceName, unpackedValue } from 'eslint-plugin-otel-async/semantic';
import { findNode, parsePython } from '../helpers/python.js';

/** The declared instance name of the receiver of the call whose text is `callText`. */
function declaredReceiver(code: string, callText: string): string | null {
  const { sourceCode, model } = parsePython(code);
  const call = findNode(sourceCode, 'call', callText);
  const receiver = call.function?.type === 'attribute' ? call.function.object : null;
  assert.ok(receiver, `no receiver in ${callText}`);
  return declaredInstanceName(model, receiver);
}

describe('declaredInstanceName', () => {
  it('reads a parameter annotation', () => {
    assert.equal(declaredReceiver('import httpx\ndef f(c: httpx.Client):\n    c.get(1)\n', 'c.get(1)'), 'httpx.Client()');
  });
  it('unwraps X | None, None | X, Optional[X] and Union[X, None]', () => {
    const code = [
      'import httpx',
      'from typing import Optional, Union',
      'def f(a: httpx.Client | None, b: None | httpx.Client, c: Optional[httpx.Client] = None, d: Union[httpx.Client, None] = None):',
      '    a.get(1)',
      '    b.get(2)',
      '    c.get(3)',
      '    d.get(4)',
      '',
    ].join('\n');
    for (const call of ['a.get(1)', 'b.get(2)', 'c.get(3)', 'd.get(4)']) assert.equal(declaredReceiver(code, call), 'httpx.Client()', call);
  });
  it('reads an annotated assignment whose value is a placeholder', () => {
    assert.equal(declaredReceiver('import io\nf: io.TextIOWrapper = ...\nf.read()\n', 'f.read()'), 'io.TextIOWrapper()');
  });
  it('says nothing for real unions, unresolved names and unannotated names', () => {
    assert.equal(declaredReceiver('import httpx\ndef f(a: httpx.Client | int):\n    a.get(1)\n', 'a.get(1)'), null);
    assert.equal(declaredReceiver('def f(a: Client):\n    a.get(1)\n', 'a.get(1)'), null);
    assert.equal(declaredReceiver('import httpx\nc = httpx.Client()\nc.get(1)\n', 'c.get(1)'), null);
  });
  it('uses the binding that reaches the use', () => {
    const code = 'import io\ndef f(x: io.TextIOWrapper):\n    x: int = 7\n    x.read()\n';
    assert.equal(declaredReceiver(code, 'x.read()'), null);
  });
});

describe('unpackedValue', () => {
  function valueText(code: string, callText: string): string | null {
    const { sourceCode, model } = parsePython(code);
    const call = findNode(sourceCode, 'call', callText);
    const receiver = call.function?.type === 'attribute' ? call.function.object : null;
    assert.ok(receiver);
    const value = unpackedValue(model, receiver);
    return value ? sourceCode.getText(value) : null;
  }
  it('finds the value at the same position of a parallel assignment', () => {
    assert.equal(valueText('(p1, p2) = (Path("a"), Path("b"))\np2.open()\n', 'p2.open()'), 'Path("b")');
    assert.equal(valueText('a, b = x(), y()\na.go()\n', 'a.go()'), 'x()');
    assert.equal(valueText('[a, b] = [x(), y()]\nb.go()\n', 'b.go()'), 'y()');
  });
  it('gives up on starred items, unequal lengths and non-literal sources', () => {
    assert.equal(valueText('a, *b = x(), y(), z()\na.go()\n', 'a.go()'), null);
    assert.equal(valueText('a, b = x(), y(), z()\na.go()\n', 'a.go()'), null);
    assert.equal(valueText('a, b = pair()\na.go()\n', 'a.go()'), null);
    assert.equal(valueText('a = x()\na.go()\n', 'a.go()'), null);
  });
});
