import { syntacticTester, tsRule, typedTester } from './helpers.js';

const rule = tsRule('no-missing-context-manager');

syntacticTester().run('no-missing-context-manager [ts]', rule, {
  valid: [
    // register() installs the AsyncLocalStorage context manager.
    `import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
const provider = new NodeTracerProvider();
provider.register();
provider.getTracer('t').startActiveSpan('x', (span) => span.end());`,
    // A context manager registered by hand.
    `import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider());`,
    // NodeSDK registers one itself.
    `import { NodeSDK } from '@opentelemetry/sdk-node';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
new NodeSDK().start();
const provider = new BasicTracerProvider();
provider.getTracer('t').startActiveSpan('x', (span) => span.end());`,
    // A provider used only for its tracer's startSpan (no span is made current): a unit test, say.
    `import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
const provider = new BasicTracerProvider();
provider.getTracer('t').startSpan('x').end();`,
  ],
  invalid: [
    {
      code: `import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);`,
      errors: [
        {
          messageId: 'tsNoContextManager',
          line: 4,
          column: 18,
          endLine: 4,
          endColumn: 97,
          data: { construction: 'new BasicTracerProvider(…)', variable: 'provider' },
          suggestions: [
            {
              messageId: 'tsSuggestContextManager',
              output: `import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(provider);`,
            },
          ],
        },
      ],
    },
    {
      // NodeTracerProvider without register(), in CommonJS; the module's own \`context\` name is taken.
      code: `const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const context = { user: 'x' };
const provider = new NodeTracerProvider();
const tracer = provider.getTracer('t');
tracer.startActiveSpan('parent', (span) => span.end());`,
      errors: [
        {
          messageId: 'tsNoContextManager',
          line: 3,
          column: 18,
          data: { construction: 'new NodeTracerProvider(…)', variable: 'provider' },
          suggestions: [
            {
              messageId: 'tsSuggestRegister',
              data: { variable: 'provider' },
              output: `const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const context = { user: 'x' };
const provider = new NodeTracerProvider();
provider.register();
const tracer = provider.getTracer('t');
tracer.startActiveSpan('parent', (span) => span.end());`,
            },
            {
              messageId: 'tsSuggestContextManager',
              output: `const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { context: otelContext } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const context = { user: 'x' };
const provider = new NodeTracerProvider();
otelContext.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracer = provider.getTracer('t');
tracer.startActiveSpan('parent', (span) => span.end());`,
            },
          ],
        },
      ],
    },
    {
      // The SDK 3.x spelling: TracerProvider from @opentelemetry/sdk-trace (no register() there).
      code: `import { trace } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
trace.setGlobalTracerProvider(new TracerProvider());`,
      errors: [
        {
          messageId: 'tsNoContextManager',
          line: 3,
          column: 31,
          data: { construction: 'new TracerProvider(…)', variable: 'provider' },
          suggestions: [
            {
              messageId: 'tsSuggestContextManager',
              output: `import { trace } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
trace.setGlobalTracerProvider(new TracerProvider());
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());`,
            },
          ],
        },
      ],
    },
    {
      // The module's api namespace import is reused.
      code: `import * as api from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
export function setup() {
  const provider = new BasicTracerProvider();
  api.trace.setGlobalTracerProvider(provider);
}`,
      errors: [
        {
          messageId: 'tsNoContextManager',
          line: 4,
          column: 20,
          suggestions: [
            {
              messageId: 'tsSuggestContextManager',
              output: `import * as api from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
export function setup() {
  const provider = new BasicTracerProvider();
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.trace.setGlobalTracerProvider(provider);
}`,
            },
          ],
        },
      ],
    },
  ],
});

typedTester().run('no-missing-context-manager [ts, typed]', rule, {
  valid: [],
  invalid: [
    {
      code: `import { trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
const provider: BasicTracerProvider = new BasicTracerProvider();
trace.setGlobalTracerProvider(provider);`,
      errors: [{ messageId: 'tsNoContextManager', line: 3, column: 39, suggestions: [{ messageId: 'tsSuggestContextManager', output: `import { trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
const provider: BasicTracerProvider = new BasicTracerProvider();
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(provider);` }] }],
    },
  ],
});
