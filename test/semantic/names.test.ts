import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freeName, importedNameAt, isNameFree, moduleBindingAt } from 'eslint-plugin-otel-async/semantic';
import { findNode, parsePython } from '../helpers/python.js';

const CODE = [
  'import asyncio as aio',
  'from opentelemetry import context as otel_ctx',
  'from opentelemetry.context import Context',
  'task = None',
  'def handler(context, Context):',
  '    marker = 1',
  'def other():',
  '    marker_2 = 2',
  '',
].join('\n');

describe('names', () => {
  const { sourceCode, model } = parsePython(CODE);
  const inHandler = findNode(sourceCode, 'expression_statement', 'marker = 1');
  const inOther = findNode(sourceCode, 'expression_statement', 'marker_2 = 2');

  it('isNameFree: bound here, in an enclosing scope, at module level or builtin means taken', () => {
    assert.equal(isNameFree(model, 'context', inHandler), false); // a parameter
    assert.equal(isNameFree(model, 'context', inOther), true);
    assert.equal(isNameFree(model, 'task', inOther), false); // module level
    assert.equal(isNameFree(model, 'marker', inHandler), false);
    assert.equal(isNameFree(model, 'marker', inOther), true);
    assert.equal(isNameFree(model, 'set', inOther), false); // builtin
  });

  it('freeName: appends the first free numeric suffix', () => {
    assert.equal(freeName(model, 'task', inOther), 'task_1');
    assert.equal(freeName(model, 'marker', inOther), 'marker');
    assert.equal(freeName(model, 'marker', inHandler), 'marker_1');
  });

  it('importedNameAt: the local name of a module-level import, unless shadowed there', () => {
    assert.equal(importedNameAt(model, 'asyncio', inHandler), 'aio');
    assert.equal(importedNameAt(model, 'opentelemetry.context', inHandler), 'otel_ctx');
    assert.equal(importedNameAt(model, 'opentelemetry.context.Context', inOther), 'Context');
    assert.equal(importedNameAt(model, 'opentelemetry.context.Context', inHandler), null); // parameter `Context`
    assert.equal(importedNameAt(model, 'time', inOther), null);
  });

  it('moduleBindingAt: the single module-level binding a name means at a place', () => {
    assert.equal(moduleBindingAt(model, 'task', inOther)?.kind, 'assignment');
    assert.equal(moduleBindingAt(model, 'context', inHandler), null);
    assert.equal(moduleBindingAt(model, 'missing', inOther), null);
  });
});
