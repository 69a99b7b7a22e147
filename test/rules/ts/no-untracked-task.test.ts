import { syntacticTester, tsRule, typedTester } from './helpers.js';

const rule = tsRule('no-untracked-task');

const header = `import { context, trace } from '@opentelemetry/api';
const tracer = trace.getTracer('shop');
async function audit(order) {}
`;

syntacticTester().run('no-untracked-task [ts]', rule, {
  valid: [
    // Awaited, returned, stored, passed on.
    `${header}tracer.startActiveSpan('a', async (span) => {
  await audit(1);
  const pending = audit(2);
  await Promise.all([pending, audit(3)]);
  queue.push(audit(4));
  span.end();
  return audit(5).catch(report);
});`,
    // Outside any span.
    `${header}export function handle(order) { audit(order); }`,
    // A callback that runs later is not inside the span.
    `${header}tracer.startActiveSpan('a', (span) => {
  setTimeout(() => audit(1), 10);
  span.end();
});`,
    // After the span ended.
    `${header}function job() {
  const span = tracer.startSpan('job');
  span.end();
  audit(1);
}`,
    // Not a promise (without types: not an async function of this module, not a known promise API).
    `${header}tracer.startActiveSpan('a', (span) => {
  track(1);
  span.end();
});`,
    // span.end() in finally after the awaits.
    `${header}tracer.startActiveSpan('a', async (span) => {
  try { await audit(1); } finally { span.end(); }
});`,
    // Some other module's context.with.
    `import { context } from './store.js';
async function audit() {}
context.with(store, () => { audit(); });`,
  ],
  invalid: [
    {
      code: `${header}export function handle(order) {
  return tracer.startActiveSpan('handle', (span) => {
    audit(order);
    span.end();
  });
}`,
      errors: [{ messageId: 'tsFloatingPromise', line: 6, column: 5, endLine: 6, endColumn: 17, data: { call: 'audit()', span: '"handle"' }, suggestions: [] }],
    },
    {
      code: `${header}async function sendReceipt(order) {}
tracer.startActiveSpan('checkout', async (span) => {
  try {
    void sendReceipt(order);
    await charge(order);
  } finally {
    span.end();
  }
});`,
      errors: [
        {
          messageId: 'tsFloatingPromise',
          line: 7,
          column: 10,
          data: { call: 'sendReceipt()', span: '"checkout"' },
          suggestions: [
            {
              messageId: 'tsSuggestAwait',
              output: `${header}async function sendReceipt(order) {}
tracer.startActiveSpan('checkout', async (span) => {
  try {
    await sendReceipt(order);
    await charge(order);
  } finally {
    span.end();
  }
});`,
            },
          ],
        },
      ],
    },
    {
      code: `${header}context.with(trace.setSpan(context.active(), parent), () => {
  fetch(url);
});`,
      errors: [
        {
          messageId: 'tsFloatingPromise',
          line: 5,
          column: 3,
          data: { call: 'fetch()', span: 'parent' },
          suggestions: [
            {
              messageId: 'tsSuggestReturn',
              output: `${header}context.with(trace.setSpan(context.active(), parent), () => {
  return fetch(url);
});`,
            },
          ],
        },
      ],
    },
    {
      // Between startSpan and end; a .then() chain that is not awaited is not handled.
      code: `${header}async function job() {
  const span = tracer.startSpan('job');
  fetch(url).then((r) => r.json());
  span.end();
}`,
      errors: [
        {
          messageId: 'tsFloatingPromise',
          line: 6,
          column: 3,
          endColumn: 35,
          data: { call: 'fetch()', span: '"job"' },
          suggestions: [
            {
              messageId: 'tsSuggestAwait',
              output: `${header}async function job() {
  const span = tracer.startSpan('job');
  await fetch(url).then((r) => r.json());
  span.end();
}`,
            },
          ],
        },
      ],
    },
    {
      // An async method of the same class, in a forEach callback inside the span.
      code: `${header}class Orders {
  async save(item) {}
  run(items) {
    tracer.startActiveSpan('batch', (span) => {
      items.forEach((item) => this.save(item));
      span.end();
    });
  }
}`,
      errors: [{ messageId: 'tsFloatingPromise', line: 8, column: 31, data: { call: 'this.save()', span: '"batch"' }, suggestions: [] }],
    },
    {
      code: `${header}tracer.startActiveSpan('load', async (span) => {
  const rows = await db.query();
  span.end();
  await cache.put(rows);
  log('done');
});`,
      errors: [
        {
          messageId: 'tsEndedBeforeAwait',
          line: 6,
          column: 3,
          endColumn: 13,
          data: { span: '"load"', next: 'cache.put()' },
          suggestions: [
            {
              messageId: 'tsSuggestMoveEnd',
              output: `${header}tracer.startActiveSpan('load', async (span) => {
  const rows = await db.query();
  await cache.put(rows);
  log('done');
  span.end();
});`,
            },
          ],
        },
      ],
    },
    {
      code: `${header}tracer.startActiveSpan('load', (span) => {
  const pending = audit(1);
  span.end();
  return pending;
});`,
      errors: [{ messageId: 'tsEndedBeforeReturn', line: 6, column: 3, data: { span: '"load"', next: 'pending' }, suggestions: [] }],
    },
  ],
});

typedTester().run('no-untracked-task [ts, typed]', rule, {
  valid: [
    // A tracer look-alike that is not an OpenTelemetry Tracer opens no span.
    `declare const fake: { startActiveSpan(name: string, fn: (s: { end(): void }) => void): void };
declare function remote(): Promise<void>;
fake.startActiveSpan('x', (s) => { remote(); s.end(); });`,
    // Typed as not a promise, whatever its name says.
    `import { trace } from '@opentelemetry/api';
declare function fetchLater(): number;
trace.getTracer('t').startActiveSpan('x', (span) => { fetchLater(); span.end(); });`,
  ],
  invalid: [
    {
      // A promise by type only: declared elsewhere, not async in this module.
      code: `import { trace } from '@opentelemetry/api';
declare function remote(): Promise<void>;
trace.getTracer('t').startActiveSpan('x', (span) => {
  remote();
  span.end();
});`,
      errors: [{ messageId: 'tsFloatingPromise', line: 4, column: 3, data: { call: 'remote()', span: '"x"' }, suggestions: [] }],
    },
  ],
});
