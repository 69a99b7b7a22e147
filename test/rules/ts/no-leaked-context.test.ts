import { syntacticTester, tsRule, typedTester } from './helpers.js';

const rule = tsRule('no-leaked-context');

const header = `import { AsyncLocalStorage } from 'node:async_hooks';
import { trace } from '@opentelemetry/api';
const tracer = trace.getTracer('shop');
const requestStore = new AsyncLocalStorage();
`;

syntacticTester().run('no-leaked-context [ts]', rule, {
  valid: [
    `${header}export function handle(req, next) {
  return requestStore.run({ id: req.id }, () => next());
}`,
    // end() in finally.
    `${header}export async function load() {
  const span = tracer.startSpan('load');
  try {
    return await db.query();
  } finally {
    span.end();
  }
}`,
    // Nothing between start and end can throw (only calls on the span itself).
    `${header}export function mark() {
  const span = tracer.startSpan('mark');
  span.setAttribute('k', 1);
  span.end();
}`,
    // The span is handed off: someone else ends it.
    `${header}export function begin() {
  const span = tracer.startSpan('begin');
  register(span);
  work();
  span.end();
}`,
    // startActiveSpan with end() in finally.
    `${header}tracer.startActiveSpan('a', async (span) => {
  try { await work(); } finally { span.end(); }
});`,
    // A method named enterWith on something typed as not a store is not reported (see the typed suite); an attach on anything else neither.
    `const manager = makeManager(); manager.attach(ctx);`,
  ],
  invalid: [
    {
      code: `${header}export function middleware(req, res, next) {
  requestStore.enterWith({ id: req.id });
  next();
}`,
      errors: [
        {
          messageId: 'tsEnterWith',
          line: 6,
          column: 3,
          endColumn: 41,
          data: { call: 'requestStore.enterWith()', receiver: 'requestStore' },
          suggestions: [
            {
              messageId: 'tsSuggestRun',
              output: `${header}export function middleware(req, res, next) {
  return requestStore.run({ id: req.id }, () => {
    next();
  });
}`,
            },
          ],
        },
      ],
    },
    {
      // In an async function: the callback becomes async.
      code: `${header}export async function handle(req) {
  requestStore.enterWith(new Map());
  const user = await loadUser(req);
  return render(user);
}`,
      errors: [
        {
          messageId: 'tsEnterWith',
          line: 6,
          column: 3,
          suggestions: [
            {
              messageId: 'tsSuggestRun',
              output: `${header}export async function handle(req) {
  return requestStore.run(new Map(), async () => {
    const user = await loadUser(req);
    return render(user);
  });
}`,
            },
          ],
        },
      ],
    },
    {
      // At module level: no suggestion.
      code: `${header}requestStore.enterWith({});`,
      errors: [{ messageId: 'tsEnterWith', line: 5, column: 1, suggestions: [] }],
    },
    {
      code: `import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
const manager = new AsyncLocalStorageContextManager().enable();
export async function f(ctx) {
  manager.attach(ctx);
  await work();
}`,
      errors: [{ messageId: 'tsAttach', line: 4, column: 3, data: { call: 'manager.attach()' } }],
    },
    {
      code: `${header}export async function load(id) {
  const span = tracer.startSpan('load');
  const row = await db.query(id);
  span.end();
  return row;
}`,
      errors: [
        {
          messageId: 'tsEndNotInFinally',
          line: 8,
          column: 3,
          endColumn: 13,
          data: { end: 'span.end()', risk: 'await db.query()', span: '"load"' },
          suggestions: [
            {
              messageId: 'tsSuggestFinally',
              data: { end: 'span.end();' },
              output: `${header}export async function load(id) {
  const span = tracer.startSpan('load');
  try {
    const row = await db.query(id);
    return row;
  } finally {
    span.end();
  }
}`,
            },
          ],
        },
      ],
    },
    {
      // startActiveSpan callback, the OpenTelemetry docs' shape; trace.setSpan is not a hand-off.
      code: `${header}export function handle(req) {
  return tracer.startActiveSpan('handle', (span) => {
    const ctx = trace.setSpan(req.ctx, span);
    validate(req, ctx);
    span.end();
  });
}`,
      errors: [
        {
          messageId: 'tsEndNotInFinally',
          line: 9,
          column: 5,
          data: { end: 'span.end()', risk: 'trace.setSpan()', span: '"handle"' },
          suggestions: [
            {
              messageId: 'tsSuggestFinally',
              output: `${header}export function handle(req) {
  return tracer.startActiveSpan('handle', (span) => {
    try {
      const ctx = trace.setSpan(req.ctx, span);
      validate(req, ctx);
    } finally {
      span.end();
    }
  });
}`,
            },
          ],
        },
      ],
    },
  ],
});

typedTester().run('no-leaked-context [ts, typed]', rule, {
  valid: [
    `declare const recorder: { enterWith(value: number): void };
recorder.enterWith(1);`,
  ],
  invalid: [
    {
      code: `import { AsyncLocalStorage } from 'node:async_hooks';
const store = new AsyncLocalStorage<number>();
store.enterWith(1);`,
      errors: [{ messageId: 'tsEnterWith', line: 3, column: 1, suggestions: [] }],
    },
  ],
});
