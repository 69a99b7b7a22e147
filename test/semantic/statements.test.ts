import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callsRunBy, enclosingStatement, isInFinally, startsItsLine, statementsAfter, statementsBefore } from 'eslint-plugin-otel-async/semantic';
import type { PyNode } from 'eslint-plugin-otel-async/language';
import { findNode, parsePython } from '../helpers/python.js';

const CODE = `import os
setup()


def stop(failed):
    flush()
    if failed:
        log()
        os._exit(1)
    else:
        other()
    after()


register(lambda: os._exit(2))
try:
    run()
finally:
    flush()

    def later():
        flush()
`;

const texts = (sourceCode: { getText(node: PyNode): string }, nodes: readonly PyNode[]): string[] => nodes.map((node) => sourceCode.getText(node));

describe('statement navigation', () => {
  const { sourceCode } = parsePython(CODE);
  const exit = findNode(sourceCode, 'call', 'os._exit(1)');

  it('enclosingStatement: the statement that runs a call; null inside a lambda', () => {
    const statement = enclosingStatement(exit);
    assert.equal(statement && sourceCode.getText(statement), 'os._exit(1)');
    assert.equal(enclosingStatement(findNode(sourceCode, 'call', 'os._exit(2)')), null);
    const register = enclosingStatement(findNode(sourceCode, 'call', 'register(lambda: os._exit(2))'));
    assert.equal(register?.type, 'expression_statement');
  });

  it('statementsBefore: earlier siblings, closest first, then those of the enclosing statements, up to the def', () => {
    const statement = enclosingStatement(exit);
    assert.ok(statement);
    assert.deepEqual(texts(sourceCode, statementsBefore(statement)), ['log()', 'flush()']);
  });

  it('statementsAfter: later siblings, then those of the enclosing statements, up to the def', () => {
    const statement = enclosingStatement(exit);
    assert.ok(statement);
    assert.deepEqual(texts(sourceCode, statementsAfter(statement)), ['after()']);
    const setup = enclosingStatement(findNode(sourceCode, 'call', 'setup()'));
    assert.ok(setup);
    assert.deepEqual(
      statementsAfter(setup).map((node) => node.type),
      ['function_definition', 'expression_statement', 'try_statement'],
    );
  });

  it('callsRunBy: calls that run with the node, not those in nested defs or lambdas', () => {
    const module = sourceCode.ast;
    assert.deepEqual(texts(sourceCode, callsRunBy(module)), ['setup()', 'register(lambda: os._exit(2))', 'run()', 'flush()']);
  });

  it('isInFinally: true in a finally block, false in a def nested in it', () => {
    const flushes = callsRunBy(sourceCode.ast).filter((call) => sourceCode.getText(call) === 'flush()');
    assert.equal(flushes.length, 1);
    assert.equal(isInFinally(flushes[0] as PyNode), true);
    assert.equal(isInFinally(findNode(sourceCode, 'call', 'flush()', 2)), false);
    assert.equal(isInFinally(exit), false);
  });

  it('startsItsLine: only indentation before the node', () => {
    assert.equal(startsItsLine(CODE, exit), true);
    assert.equal(startsItsLine(CODE, findNode(sourceCode, 'call', 'os._exit(2)')), false);
    assert.equal(startsItsLine(CODE, findNode(sourceCode, 'import_statement', 'import os')), true);
  });
});
