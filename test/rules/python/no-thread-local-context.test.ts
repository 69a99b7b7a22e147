import plugin from 'eslint-plugin-otel-async';
import { describe, it } from 'node:test';
import { checkFixesAndSuggestions, PY, pythonRuleTester } from '../../helpers/rule-tester.js';

const rule = plugin.rules['no-thread-local-context'];
if (!rule) throw new Error('rule no-thread-local-context is not exported');
const lines = (...parts: string[]): string => `${parts.join('\n')}\n`;

const holder = lines(
  'import threading',
  'from opentelemetry import trace, context',
  '',
  'tracer = trace.get_tracer(__name__)',
  '_state = threading.local()',
  '',
  'async def handle(request):',
  '    with tracer.start_as_current_span("handle") as span:',
  '        _state.span = span',
  '        _state.token = context.attach(context.get_current())',
  '        await process(request)',
  '',
  'async def process(request):',
  '    current = _state.span',
  '    context.detach(_state.token)',
);
const holderFixed = lines(
  'import threading',
  'from opentelemetry import trace, context',
  'import contextvars',
  '',
  'tracer = trace.get_tracer(__name__)',
  '_span_var: contextvars.ContextVar = contextvars.ContextVar("span", default=None)',
  '_token_var: contextvars.ContextVar = contextvars.ContextVar("token", default=None)',
  '',
  'async def handle(request):',
  '    with tracer.start_as_current_span("handle") as span:',
  '        _span_var.set(span)',
  '        _token_var.set(context.attach(context.get_current()))',
  '        await process(request)',
  '',
  'async def process(request):',
  '    current = _span_var.get()',
  '    context.detach(_token_var.get())',
);

pythonRuleTester().run('no-thread-local-context', rule, {
  valid: [
    // No async code: thread-local state is per thread, which is what sync code wants.
    { code: lines('import threading', 'from opentelemetry import trace', '_state = threading.local()', 'def f():', '    _state.span = trace.get_current_span()'), ...PY },
    // Thread-local state that is not tracing state.
    { code: lines('import threading', '_cache = threading.local()', 'async def f():', '    _cache.buffer = bytearray(10)'), ...PY },
    // Already a ContextVar.
    { code: lines('import contextvars', 'from opentelemetry import trace', '_span = contextvars.ContextVar("span")', 'async def f():', '    _span.set(trace.get_current_span())'), ...PY },
    // A local `threading` name that is not the module.
    { code: lines('from opentelemetry import trace', 'class threading:', '    local = dict', '_state = threading.local()', 'async def f():', '    _state.span = trace.get_current_span()'), ...PY },
  ],
  invalid: [
    {
      code: holder,
      ...PY,
      errors: [
        {
          messageId: 'threadLocalHolder',
          line: 5,
          column: 10,
          endLine: 5,
          endColumn: 27,
          suggestions: [{ messageId: 'useContextVar', output: holderFixed }],
        },
        { messageId: 'threadLocalWrite', line: 9, column: 9, endLine: 9, endColumn: 20 },
        { messageId: 'threadLocalWrite', line: 10, column: 9, endLine: 10, endColumn: 21 },
      ],
    },
    {
      // A trace id, any import form; not mechanical (getattr), so no suggestion.
      code: lines('from threading import local', 'from opentelemetry.trace import get_current_span', 'ids = local()', 'async def f():', '    ids.current = get_current_span().get_span_context().trace_id', 'def g():', '    return getattr(ids, "current", None)'),
      ...PY,
      errors: [
        { messageId: 'threadLocalHolder', line: 3, column: 7, suggestions: [] },
        { messageId: 'threadLocalWrite', line: 5, column: 5 },
      ],
    },
  ],
});

describe('no-thread-local-context suggestion compiles and re-lints clean', () => {
  it('module-level holder with span and token', () => {
    checkFixesAndSuggestions(holder, 'no-thread-local-context');
  });
});
