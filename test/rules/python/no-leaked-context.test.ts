import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import plugin from 'eslint-plugin-otel-async';
import { checkFixesAndSuggestions, lintPython, pythonRuleTester, PY } from '../../helpers/rule-tester.js';
import { seedGuide } from '../../helpers/seed-guide.js';

const RULE = 'no-leaked-context';
const rule = plugin.rules[RULE];
if (!rule) throw new Error(`rule ${RULE} is not exported`);

/** Applies the first suggestion of the `index`-th problem the rule reports in `code`. */
function applySuggestion(code: string, index = 0): string {
  const message = lintPython(code, RULE)[index];
  const fix = message?.suggestions?.[0]?.fix;
  assert.ok(fix, `problem ${index} has a suggestion`);
  return code.slice(0, fix.range[0]) + fix.text + code.slice(fix.range[1]);
}

// ---------------------------------------------------------------------------------------------------
// Not reported

const valid: string[] = [
  // The pattern the guide asks for: detach in a finally right after the attach.
  `from opentelemetry import context

async def handle(msg):
    token = context.attach(msg.ctx)
    try:
        await process(msg)
    finally:
        context.detach(token)
`,
  // The attach inside the try, the detach guarded in its finally.
  `from opentelemetry import context

def handle(ctx):
    token = None
    try:
        token = context.attach(ctx)
        work()
    except ValueError:
        log()
    finally:
        if token is not None:
            context.detach(token)
`,
  // A conditional attach whose if-branch ends right before the try.
  `from opentelemetry.context import attach, detach

def handle(ctx):
    token = None
    if ctx is not None:
        token = attach(ctx)
    try:
        work()
    finally:
        if token:
            detach(token=token)
`,
  // Tokens that escape: stored on self / in a dict, returned, passed to a call, read by a closure.
  `from opentelemetry import context

class Activation:
    def __enter__(self):
        self._token = context.attach(self._ctx)
        return self

    def __exit__(self, *exc):
        context.detach(self._token)


class Processor:
    def on_start(self, span, parent_context=None):
        self._tokens[span] = context.attach(parent_context)

    def on_end(self, span):
        context.detach(self._tokens.pop(span))


def activate(ctx):
    return context.attach(ctx)


def activate_named(ctx):
    token = context.attach(ctx)
    return token


def register(stack, ctx):
    stack.append(context.attach(ctx))
    token = context.attach(ctx)
    remember(token)
    tokens = [token]


def later(loop, ctx):
    token = context.attach(ctx)
    loop.call_soon(lambda: context.detach(token))


def tuple_holder(ctx):
    token = context.attach(ctx)
    holder = {"token": token}
`,
  // Attach and detach with nothing in between: nothing can run while the context is attached.
  `import opentelemetry.context as ctx_api

def touch(ctx):
    token = ctx_api.attach(ctx)
    ctx_api.detach(token)
`,
  // Not OpenTelemetry: a user's attach, another library's, a parameter that shadows the import.
  `from opentelemetry import context
from mylib.context import attach

def attach_twice(ctx):
    attach(ctx)
    plugin.attach(ctx)

def shadowed(context):
    context.attach(1)
`,
  // @contextmanager generators with the yield inside try/finally, in both import forms.
  `import contextlib
from contextlib import asynccontextmanager
from opentelemetry import context

@contextlib.contextmanager
def activated(ctx):
    token = context.attach(ctx)
    try:
        yield
    finally:
        context.detach(token)

@asynccontextmanager
async def activated_async(ctx):
    token = context.attach(ctx)
    try:
        yield
    finally:
        context.detach(token)
`,
  // Handed on through another name: `token or None` is a value, not a test.
  `from opentelemetry import context

def handle(ctx, holder):
    token = context.attach(ctx)
    holder.token = token or None
`,
  // Only statements that cannot raise between the attach and the try; a conditional attach expression.
  `from opentelemetry import context

def handle(ctx):
    token = context.attach(ctx) if ctx else None
    result = None
    label = "handle"

    def log(message):
        print(label, message)

    try:
        result = work(log)
    finally:
        if token is not None:
            context.detach(token)
    return result
`,
  // A module-level global token, managed elsewhere.
  `from opentelemetry import context

_token = None

def install(ctx):
    global _token
    _token = context.attach(ctx)
`,
];

// ---------------------------------------------------------------------------------------------------
// Reported

const DISCARDED = `from opentelemetry import context

def handle(ctx):
    context.attach(ctx)
    work()
    return done()
`;

const DISCARDED_AT_END = `from opentelemetry import context

def install(ctx):
    if ctx:
        context.attach(ctx)
`;

const NEVER_DETACHED = `from opentelemetry import context

def handle(ctx):
    token = context.attach(ctx)
    work()  # the work
    more()
`;

const COMMENTED_DETACH = `from opentelemetry import context

def handle(ctx):
    token = context.attach(ctx)
    # do the work
    work()

    # restore the caller's context
    context.detach(token)  # always
    after()
`;

const AWAIT_IN_SPAN = `from opentelemetry import context, trace

tracer = trace.get_tracer(__name__)

async def handle(msg):
    with tracer.start_as_current_span("handle"):
        token = context.attach(msg.ctx)
        await process(msg)
        context.detach(token)
`;

const EARLY_RETURN = `from opentelemetry import context

def handle(msg):
    token = context.attach(msg.ctx)
    if msg.empty:
        return None
    result = process(msg)
    if token is not None:
        context.detach(token)
    return result
`;

const CONTEXT_MANAGER = `from contextlib import contextmanager
from opentelemetry import context

@contextmanager
def activated(ctx):
    token = context.attach(ctx)
    yield
    context.detach(token)
`;

const ASYNC_CONTEXT_MANAGER = `import contextlib
import opentelemetry.context as otel_context

@contextlib.asynccontextmanager
async def activated(ctx):
    token = otel_context.attach(ctx)
    await ready()
    yield
    otel_context.detach(token)
`;

const SEVERAL = `from opentelemetry import context

def handle(a, b):
    t1 = context.attach(a)
    t2 = context.attach(b)
    work()
    context.detach(t2)
    context.detach(t1)
`;

const IN_LOOP = `from opentelemetry import context

async def consume(queue):
    while True:
        msg = await queue.get()
        token = context.attach(msg.ctx)
        await handle(msg)
        context.detach(token)
`;

const IN_BRANCH = `from opentelemetry import context

def handle(ctx):
    if ctx is not None:
        token = context.attach(ctx)
    work()
    if ctx is not None:
        context.detach(token)
`;

const TABS_CRLF = 'from opentelemetry import context\r\n\r\nasync def f(ctx):\r\n\tif ctx:\r\n\t\ttoken = context.attach(ctx)\r\n\t\t# now work\r\n\t\tawait work()\r\n\t\tcontext.detach(token)\r\n';

const MULTI_LINE = `from opentelemetry import context, trace

def handle(msg):
    token = context.attach(
        trace.set_span_in_context(msg.span)
    )
    result = process(
        msg,
        retries=3,
    )
    context.detach(
        token
    )
    return result
`;

const LATE_TRY = `from opentelemetry import context

def handle(ctx):
    token = context.attach(ctx)
    prepare()
    # more setup
    setup()
    try:  # guarded
        work()
    finally:
        context.detach(token)
`;

const LATE_TRY_WITH_EXCEPT = `from opentelemetry import context

def handle(ctx):
    token = context.attach(ctx)
    prepare()
    try:
        work()
    except ValueError:
        pass
    finally:
        context.detach(token)
`;

const FROM_IMPORT_ONLY_ATTACH = `from opentelemetry.context import attach

def handle(ctx):
    attach(ctx)
    work()
`;

const IMPORT_OPENTELEMETRY = `import opentelemetry.context

def handle(ctx):
    token = opentelemetry.context.attach(ctx)
    work()
`;

const ALIASED_FROM = `from opentelemetry import context as otel_context

def handle(token, ctx):
    otel_context.attach(ctx)
    work(token)
`;

const TWO_DETACHES = `from opentelemetry import context

def handle(ctx):
    token = context.attach(ctx)
    if not work():
        context.detach(token)
        raise RuntimeError("failed")
    context.detach(token)
`;

const MODULE_LEVEL = `from opentelemetry import context, baggage

context.attach(baggage.set_baggage("tenant", "acme"))
main()
`;

const CALLER_SPAN = `from opentelemetry import context, trace

tracer = trace.get_tracer(__name__)

async def step(ctx):
    token = context.attach(ctx)
    await work()
    context.detach(token)

async def run(ctx):
    with tracer.start_as_current_span("pipeline"):
        await step(ctx)
`;

const invalid = [
  {
    name: 'a discarded token: bind it, then wrap the rest of the block',
    code: DISCARDED,
    errors: [
      {
        message:
          '`context.attach(ctx)` discards its token, so this context can never be detached: it stays current for whatever this task runs next.',
        line: 4,
        column: 5,
        endLine: 4,
        endColumn: 24,
        suggestions: [
          {
            messageId: 'bindAndWrapInTryFinally',
            output: `from opentelemetry import context

def handle(ctx):
    token = context.attach(ctx)
    try:
        work()
        return done()
    finally:
        context.detach(token)
`,
          },
        ],
      },
    ],
  },
  {
    name: 'a discarded token at the end of a block: reported, nothing to wrap',
    code: DISCARDED_AT_END,
    errors: [{ messageId: 'discarded', line: 5, column: 9, endLine: 5, endColumn: 28, suggestions: [] }],
  },
  {
    name: 'a bound token at the end of its block: reported, nothing to wrap',
    code: `from opentelemetry import context

def install(ctx):
    token = context.attach(ctx)
`,
    errors: [{ messageId: 'neverDetached', line: 4, column: 13, endLine: 4, endColumn: 32, suggestions: [] }],
  },
  {
    name: 'a token never detached: wrap through the end of the block, keeping a trailing comment on its line',
    code: NEVER_DETACHED,
    errors: [
      {
        message: 'The token `token` from `context.attach(ctx)` is never detached: the context stays current for whatever this task runs next.',
        line: 4,
        column: 13,
        endLine: 4,
        endColumn: 32,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `from opentelemetry import context

def handle(ctx):
    token = context.attach(ctx)
    try:
        work()  # the work
        more()
    finally:
        context.detach(token)
`,
          },
        ],
      },
    ],
  },
  {
    name: 'a detach outside finally: it moves into the finally with the comments above it',
    code: COMMENTED_DETACH,
    errors: [
      {
        message:
          '`context.detach(token)` is not in a `finally`: an exception or early `return` after `context.attach(ctx)` skips it and leaves the context attached.',
        line: 4,
        column: 13,
        endLine: 4,
        endColumn: 32,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `from opentelemetry import context

def handle(ctx):
    token = context.attach(ctx)
    # do the work
    try:
        work()
    finally:
        # restore the caller's context
        context.detach(token)  # always
    after()
`,
          },
        ],
      },
    ],
  },
  {
    name: 'an await between attach and detach, inside a span: the message says what the await does and names the span',
    code: AWAIT_IN_SPAN,
    errors: [
      {
        message:
          '`context.detach(token)` is not in a `finally`: an exception or early `return` after `context.attach(msg.ctx)` inside span "handle" skips it, and the `await` on line 8 can raise (cancellation, timeout) with the context attached, leaking it into whatever this task runs next (the code that catches the error, its next request or message, the tasks it creates).',
        line: 7,
        column: 17,
        endLine: 7,
        endColumn: 40,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `from opentelemetry import context, trace

tracer = trace.get_tracer(__name__)

async def handle(msg):
    with tracer.start_as_current_span("handle"):
        token = context.attach(msg.ctx)
        try:
            await process(msg)
        finally:
            context.detach(token)
`,
          },
        ],
      },
    ],
  },
  {
    name: 'an early return between attach and detach; the guarded detach moves whole',
    code: EARLY_RETURN,
    errors: [
      {
        messageId: 'notInFinally',
        line: 4,
        column: 13,
        endLine: 4,
        endColumn: 36,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `from opentelemetry import context

def handle(msg):
    token = context.attach(msg.ctx)
    try:
        if msg.empty:
            return None
        result = process(msg)
    finally:
        if token is not None:
            context.detach(token)
    return result
`,
          },
        ],
      },
    ],
  },
  {
    name: 'a detach guarded by a boolean test moves into the finally with its if',
    code: `from opentelemetry import context

def handle(ctx, ready):
    token = context.attach(ctx)
    work()
    if token and ready:
        context.detach(token)
`,
    errors: [
      {
        messageId: 'notInFinally',
        line: 4,
        column: 13,
        endLine: 4,
        endColumn: 32,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `from opentelemetry import context

def handle(ctx, ready):
    token = context.attach(ctx)
    try:
        work()
    finally:
        if token and ready:
            context.detach(token)
`,
          },
        ],
      },
    ],
  },
  {
    name: 'a conditional attach expression binds the token too',
    code: `from opentelemetry import context

def handle(ctx):
    token = context.attach(ctx) if ctx else None
    label = f"{ctx}"
    try:
        work(label)
    finally:
        if token:
            context.detach(token)
`,
    errors: [
      {
        messageId: 'lateTry',
        line: 4,
        column: 13,
        endLine: 4,
        endColumn: 32,
        suggestions: [
          {
            messageId: 'startTryAfterAttach',
            output: `from opentelemetry import context

def handle(ctx):
    token = context.attach(ctx) if ctx else None
    try:
        label = f"{ctx}"
        work(label)
    finally:
        if token:
            context.detach(token)
`,
          },
        ],
      },
    ],
  },
  {
    name: '@contextmanager: the yield must sit inside try/finally',
    code: CONTEXT_MANAGER,
    errors: [
      {
        message:
          'The `yield` on line 7 is not inside `try`/`finally`: an exception in the `with` body is raised at the `yield`, skips `context.detach(token)`, and leaves the context from `context.attach(ctx)` attached.',
        line: 6,
        column: 13,
        endLine: 6,
        endColumn: 32,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `from contextlib import contextmanager
from opentelemetry import context

@contextmanager
def activated(ctx):
    token = context.attach(ctx)
    try:
        yield
    finally:
        context.detach(token)
`,
          },
        ],
      },
    ],
  },
  {
    name: '@contextlib.asynccontextmanager with an aliased module import',
    code: ASYNC_CONTEXT_MANAGER,
    errors: [
      {
        message:
          'The `yield` on line 8 is not inside `try`/`finally`: an exception in the `async with` body is raised at the `yield`, skips `otel_context.detach(token)`, and leaves the context from `otel_context.attach(ctx)` attached.',
        line: 6,
        column: 13,
        endLine: 6,
        endColumn: 37,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import contextlib
import opentelemetry.context as otel_context

@contextlib.asynccontextmanager
async def activated(ctx):
    token = otel_context.attach(ctx)
    try:
        await ready()
        yield
    finally:
        otel_context.detach(token)
`,
          },
        ],
      },
    ],
  },
  {
    name: 'several attaches: each one is reported with its own wrap',
    code: SEVERAL,
    errors: [
      {
        messageId: 'notInFinally',
        line: 4,
        column: 10,
        endLine: 4,
        endColumn: 27,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `from opentelemetry import context

def handle(a, b):
    t1 = context.attach(a)
    try:
        t2 = context.attach(b)
        work()
        context.detach(t2)
    finally:
        context.detach(t1)
`,
          },
        ],
      },
      {
        messageId: 'notInFinally',
        line: 5,
        column: 10,
        endLine: 5,
        endColumn: 27,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `from opentelemetry import context

def handle(a, b):
    t1 = context.attach(a)
    t2 = context.attach(b)
    try:
        work()
    finally:
        context.detach(t2)
    context.detach(t1)
`,
          },
        ],
      },
    ],
  },
  {
    name: 'inside a loop body',
    code: IN_LOOP,
    errors: [
      {
        messageId: 'notInFinallyAwait',
        line: 6,
        column: 17,
        endLine: 6,
        endColumn: 40,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `from opentelemetry import context

async def consume(queue):
    while True:
        msg = await queue.get()
        token = context.attach(msg.ctx)
        try:
            await handle(msg)
        finally:
            context.detach(token)
`,
          },
        ],
      },
    ],
  },
  {
    name: 'attach in an if-branch, detach in another block: reported, no automatic rewrite',
    code: IN_BRANCH,
    errors: [{ messageId: 'notInFinally', line: 5, column: 17, endLine: 5, endColumn: 36, suggestions: [] }],
  },
  {
    name: 'tabs and CRLF line endings are kept',
    code: TABS_CRLF,
    errors: [
      {
        messageId: 'notInFinallyAwait',
        line: 5,
        column: 11,
        endLine: 5,
        endColumn: 30,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output:
              'from opentelemetry import context\r\n\r\nasync def f(ctx):\r\n\tif ctx:\r\n\t\ttoken = context.attach(ctx)\r\n\t\t# now work\r\n\t\ttry:\r\n\t\t\tawait work()\r\n\t\tfinally:\r\n\t\t\tcontext.detach(token)\r\n',
          },
        ],
      },
    ],
  },
  {
    name: 'multi-line statements are re-indented as a whole',
    code: MULTI_LINE,
    errors: [
      {
        message:
          '`context.detach(token)` is not in a `finally`: an exception or early `return` after `context.attach(trace.set_span_in_context(msg.span))` skips it and leaves the context attached.',
        line: 4,
        column: 13,
        endLine: 6,
        endColumn: 6,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `from opentelemetry import context, trace

def handle(msg):
    token = context.attach(
        trace.set_span_in_context(msg.span)
    )
    try:
        result = process(
            msg,
            retries=3,
        )
    finally:
        context.detach(
            token
        )
    return result
`,
          },
        ],
      },
    ],
  },
  {
    name: 'code between the attach and the try that detaches: the try moves up',
    code: LATE_TRY,
    errors: [
      {
        message:
          'Code on line 5 runs between `context.attach(ctx)` and the `try` whose `finally` detaches its token: if it raises, the context stays attached.',
        line: 4,
        column: 13,
        endLine: 4,
        endColumn: 32,
        suggestions: [
          {
            messageId: 'startTryAfterAttach',
            output: `from opentelemetry import context

def handle(ctx):
    token = context.attach(ctx)
    try:  # guarded
        prepare()
        # more setup
        setup()
        work()
    finally:
        context.detach(token)
`,
          },
        ],
      },
    ],
  },
  {
    name: 'an early return before the try: the message says so, and the try moves above it',
    code: `from opentelemetry import context, propagate

async def decorated(message, callback):
    token = context.attach(propagate.extract(message.headers))
    span = get_span(message)
    if not span:
        return await callback(message)
    try:
        return await callback(message)
    finally:
        context.detach(token)
`,
    errors: [
      {
        message:
          'Code on line 5 runs between `context.attach(propagate.extract(message.headers))` and the `try` whose `finally` detaches its token: if it raises or returns early, the context stays attached.',
        line: 4,
        column: 13,
        endLine: 4,
        endColumn: 63,
        suggestions: [
          {
            messageId: 'startTryAfterAttach',
            output: `from opentelemetry import context, propagate

async def decorated(message, callback):
    token = context.attach(propagate.extract(message.headers))
    try:
        span = get_span(message)
        if not span:
            return await callback(message)
        return await callback(message)
    finally:
        context.detach(token)
`,
          },
        ],
      },
    ],
  },
  {
    name: 'code before a try that also has except: reported, not rewritten (the except would catch more)',
    code: LATE_TRY_WITH_EXCEPT,
    errors: [{ messageId: 'lateTry', line: 4, column: 13, endLine: 4, endColumn: 32, suggestions: [] }],
  },
  {
    name: 'code after a conditional attach, before the try: reported as late, no rewrite across blocks',
    code: `from opentelemetry import context

def handle(ctx):
    token = None
    if ctx is not None:
        token = context.attach(ctx)
        prepare()
    try:
        work()
    finally:
        if token is not None:
            context.detach(token)
`,
    errors: [
      {
        message:
          'Code on line 7 runs between `context.attach(ctx)` and the `try` whose `finally` detaches its token: if it raises, the context stays attached.',
        line: 6,
        column: 17,
        endLine: 6,
        endColumn: 36,
        suggestions: [],
      },
    ],
  },
  {
    name: '`from opentelemetry.context import attach` alone: detach is added to that import',
    code: FROM_IMPORT_ONLY_ATTACH,
    errors: [
      {
        messageId: 'discarded',
        line: 4,
        column: 5,
        endLine: 4,
        endColumn: 16,
        suggestions: [
          {
            messageId: 'bindAndWrapInTryFinally',
            output: `from opentelemetry.context import attach, detach

def handle(ctx):
    token = attach(ctx)
    try:
        work()
    finally:
        detach(token)
`,
          },
        ],
      },
    ],
  },
  {
    name: '`import opentelemetry.context`: the full dotted form',
    code: IMPORT_OPENTELEMETRY,
    errors: [
      {
        messageId: 'neverDetached',
        line: 4,
        column: 13,
        endLine: 4,
        endColumn: 46,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `import opentelemetry.context

def handle(ctx):
    token = opentelemetry.context.attach(ctx)
    try:
        work()
    finally:
        opentelemetry.context.detach(token)
`,
          },
        ],
      },
    ],
  },
  {
    name: 'an aliased module, and `token` already taken: the new name avoids it',
    code: ALIASED_FROM,
    errors: [
      {
        messageId: 'discarded',
        line: 4,
        column: 5,
        endLine: 4,
        endColumn: 29,
        suggestions: [
          {
            messageId: 'bindAndWrapInTryFinally',
            output: `from opentelemetry import context as otel_context

def handle(token, ctx):
    context_token = otel_context.attach(ctx)
    try:
        work(token)
    finally:
        otel_context.detach(context_token)
`,
          },
        ],
      },
    ],
  },
  {
    name: 'two detaches, neither in a finally: reported, no rewrite (moving both would detach twice)',
    code: TWO_DETACHES,
    errors: [{ messageId: 'notInFinally', line: 4, column: 13, endLine: 4, endColumn: 32, suggestions: [] }],
  },
  {
    name: 'module level',
    code: MODULE_LEVEL,
    errors: [
      {
        messageId: 'discarded',
        line: 3,
        column: 1,
        endLine: 3,
        endColumn: 54,
        suggestions: [
          {
            messageId: 'bindAndWrapInTryFinally',
            output: `from opentelemetry import context, baggage

token = context.attach(baggage.set_baggage("tenant", "acme"))
try:
    main()
finally:
    context.detach(token)
`,
          },
        ],
      },
    ],
  },
  {
    name: 'an async def awaited inside a span by its caller: the message names that span',
    code: CALLER_SPAN,
    errors: [
      {
        message:
          '`context.detach(token)` is not in a `finally`: an exception or early `return` after `context.attach(ctx)` inside span "pipeline" skips it, and the `await` on line 7 can raise (cancellation, timeout) with the context attached, leaking it into whatever this task runs next (the code that catches the error, its next request or message, the tasks it creates).',
        line: 6,
        column: 13,
        endLine: 6,
        endColumn: 32,
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            output: `from opentelemetry import context, trace

tracer = trace.get_tracer(__name__)

async def step(ctx):
    token = context.attach(ctx)
    try:
        await work()
    finally:
        context.detach(token)

async def run(ctx):
    with tracer.start_as_current_span("pipeline"):
        await step(ctx)
`,
          },
        ],
      },
    ],
  },
];

pythonRuleTester().run(RULE, rule, {
  valid: valid.map((code) => ({ ...PY, code })),
  invalid: invalid.map((test) => ({ ...PY, ...test })),
});

describe(`${RULE}: every suggestion compiles and clears its problem`, () => {
  for (const test of invalid) {
    it(test.name, () => {
      const outputs = checkFixesAndSuggestions(test.code, RULE);
      const expected = test.errors.flatMap((error) => error.suggestions.map((suggestion) => suggestion.output));
      assert.deepEqual(outputs, expected);
    });
  }

  it('applying both suggestions for several attaches, one after the other, nests the try blocks', () => {
    const once = applySuggestion(SEVERAL, 0);
    const twice = applySuggestion(once, 0);
    assert.equal(
      twice,
      `from opentelemetry import context

def handle(a, b):
    t1 = context.attach(a)
    try:
        t2 = context.attach(b)
        try:
            work()
        finally:
            context.detach(t2)
    finally:
        context.detach(t1)
`,
    );
    assert.deepEqual(lintPython(twice, RULE), []);
  });
});


describe(`${RULE}: broken input`, () => {
  it('every line-prefix of every reported example lints without throwing, and suggestions stay inside the text', () => {
    for (const test of invalid) {
      const lines = test.code.split('\n');
      for (let count = 1; count <= lines.length; count++) {
        const prefix = `${lines.slice(0, count).join('\n')}\n`;
        for (const message of lintPython(prefix, RULE)) {
          for (const suggestion of message.suggestions ?? []) {
            assert.ok(suggestion.fix.range[0] <= suggestion.fix.range[1] && suggestion.fix.range[1] <= prefix.length, prefix);
          }
        }
      }
    }
  });
});

describe(`${RULE}: the seed guide`, () => {
  it('the guide’s rule for manual context handling: detach in a finally is clean, anything else is reported', () => {
    // "If you call context.attach() directly ..., you own the matching context.detach(token) and it
    // must run in a finally block. A missed detach leaves the span active ..."
    const guarded = `from opentelemetry import context, trace

tracer = trace.get_tracer(__name__)

async def process_item(item: dict) -> None:
    span = tracer.start_span("process_item")
    token = context.attach(trace.set_span_in_context(span))
    try:
        await asyncio.sleep(0.1)
    finally:
        context.detach(token)
        span.end()
`;
    assert.deepEqual(lintPython(guarded, RULE), []);
    const missed = guarded.replace('    try:\n        await asyncio.sleep(0.1)\n    finally:\n        context.detach(token)\n', '    await asyncio.sleep(0.1)\n    context.detach(token)\n');
    assert.deepEqual(
      lintPython(missed, RULE).map((message) => [message.messageId, message.line, message.column]),
      [['notInFinallyAwait', 7, 13]],
    );
  });

  it('the guide’s correct patterns lint clean', () => {
    assert.deepEqual(lintPython(seedGuide('correct_patterns'), RULE), []);
  });
});
