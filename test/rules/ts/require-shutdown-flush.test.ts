import { syntacticTester, tsRule, typedTester } from './helpers.js';

const rule = tsRule('require-shutdown-flush');

syntacticTester().run('require-shutdown-flush [ts]', rule, {
  valid: [
    // A SIGTERM handler that awaits the shutdown before exiting.
    `import { NodeSDK } from '@opentelemetry/sdk-node';
const sdk = new NodeSDK({});
sdk.start();
process.on('SIGTERM', async () => {
  await sdk.shutdown();
  process.exit(0);
});`,
    // The exit runs in the shutdown promise's callback.
    `const { NodeSDK } = require('@opentelemetry/sdk-node');
const sdk = new NodeSDK();
sdk.start();
process.once('SIGTERM', () => {
  sdk.shutdown().catch(console.error).finally(() => process.exit(0));
});`,
    // The handler is a function of this module that flushes.
    `import * as sdkNode from '@opentelemetry/sdk-node';
const sdk = new sdkNode.NodeSDK();
sdk.start();
async function stop() {
  await sdk.shutdown();
}
process.on('SIGTERM', stop);`,
    // The handler comes from another module: we cannot see it, so we trust it.
    `import { NodeSDK } from '@opentelemetry/sdk-node';
import { gracefulStop } from './lifecycle.js';
const sdk = new NodeSDK();
sdk.start();
process.on('SIGTERM', gracefulStop);`,
    // Only a SimpleSpanProcessor: nothing is queued.
    `import { BasicTracerProvider, SimpleSpanProcessor, ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import { trace } from '@opentelemetry/api';
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] });
trace.setGlobalTracerProvider(provider);`,
    // Only the API: the setup lives elsewhere.
    `import { trace } from '@opentelemetry/api';
const tracer = trace.getTracer('svc');
tracer.startSpan('x').end();`,
    // Built but never started.
    `import { NodeSDK } from '@opentelemetry/sdk-node';
export const sdk = new NodeSDK();`,
    // A class of the same name that is not the SDK's.
    `class NodeSDK { start() {} }
new NodeSDK().start();`,
    // A batch job (signals: []) that flushes when the event loop empties.
    {
      code: `import { NodeSDK } from '@opentelemetry/sdk-node';
const sdk = new NodeSDK();
sdk.start();
process.once('beforeExit', () => void sdk.shutdown());`,
      options: [{ signals: [] }],
    },
    // process.exit() after an awaited flush, in a nested callback of the same handler.
    `import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
provider.register();
process.on('SIGTERM', async () => {
  await provider.forceFlush();
  server.close(() => process.exit(0));
});`,
  ],
  invalid: [
    {
      code: `import { NodeSDK } from '@opentelemetry/sdk-node';
const sdk = new NodeSDK({ serviceName: 'checkout' });
sdk.start();`,
      errors: [
        {
          messageId: 'tsNoSignalHandler',
          line: 3,
          column: 1,
          endLine: 3,
          endColumn: 12,
          data: { start: 'sdk.start()', signals: 'SIGTERM', flush: 'sdk.shutdown()' },
          suggestions: [
            {
              messageId: 'tsSuggestSignalHandler',
              data: { signals: 'SIGTERM', flush: 'sdk.shutdown()' },
              output: `import { NodeSDK } from '@opentelemetry/sdk-node';
const sdk = new NodeSDK({ serviceName: 'checkout' });
sdk.start();
process.once('SIGTERM', () => {
  void sdk.shutdown().finally(() => process.exit(0));
});`,
            },
          ],
        },
      ],
    },
    {
      // Inside a function, with `node:`-less require and no variable: no suggestion (nothing to shut down by name).
      code: `const { NodeSDK } = require('@opentelemetry/sdk-node');
function initTracing() {
  new NodeSDK().start();
}`,
      errors: [{ messageId: 'tsNoSignalHandler', line: 3, column: 3, endColumn: 24, suggestions: [] }],
    },
    {
      // A provider with a BatchSpanProcessor, registered with the API: reported at the registration.
      code: `import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
export function setup(exporter) {
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
}`,
      errors: [
        {
          messageId: 'tsNoSignalHandler',
          line: 5,
          column: 3,
          data: { start: 'trace.setGlobalTracerProvider(provider)', signals: 'SIGTERM', flush: 'provider.shutdown()' },
          suggestions: [
            {
              messageId: 'tsSuggestSignalHandler',
              output: `import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
export function setup(exporter) {
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  process.once('SIGTERM', () => {
    void provider.shutdown().finally(() => process.exit(0));
  });
}`,
            },
          ],
        },
      ],
    },
    {
      // NodeTracerProvider#register(), the processor built first; a handler that does not flush.
      code: `import { NodeTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-node';
const processor = new BatchSpanProcessor(exporter);
const provider = new NodeTracerProvider({ spanProcessors: [processor] });
provider.register();
process.on('SIGTERM', () => {
  server.close();
});`,
      errors: [
        {
          messageId: 'tsHandlerWithoutFlush',
          line: 5,
          column: 1,
          endLine: 7,
          endColumn: 3,
          data: { signal: 'SIGTERM', flush: 'provider.shutdown()' },
          suggestions: [
            {
              messageId: 'tsSuggestFlushInHandler',
              output: `import { NodeTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-node';
const processor = new BatchSpanProcessor(exporter);
const provider = new NodeTracerProvider({ spanProcessors: [processor] });
provider.register();
process.on('SIGTERM', () => {
  server.close();
  void provider.shutdown();
});`,
            },
          ],
        },
      ],
    },
    {
      // process.exit() right after a shutdown that is not awaited; the handler is not async (no suggestion).
      code: `import { NodeSDK } from '@opentelemetry/sdk-node';
const sdk = new NodeSDK();
sdk.start();
process.on('SIGTERM', () => {
  sdk.shutdown();
  process.exit(0);
});`,
      errors: [{ messageId: 'tsExitWithoutFlush', line: 6, column: 3, endColumn: 18, data: { exit: 'process.exit(0)', flush: 'sdk.shutdown()' }, suggestions: [] }],
    },
    {
      // process.exit() in an async function with no flush before it: suggestion awaits the flush first.
      code: `import { NodeSDK } from '@opentelemetry/sdk-node';
const sdk = new NodeSDK();
sdk.start();
process.on('SIGTERM', () => sdk.shutdown());
export async function fail(error) {
  console.error(error);
  process.exit(1);
}`,
      errors: [
        {
          messageId: 'tsExitWithoutFlush',
          line: 7,
          column: 3,
          suggestions: [
            {
              messageId: 'tsSuggestAwaitFlush',
              data: { flush: 'sdk.shutdown()', exit: 'process.exit(1)' },
              output: `import { NodeSDK } from '@opentelemetry/sdk-node';
const sdk = new NodeSDK();
sdk.start();
process.on('SIGTERM', () => sdk.shutdown());
export async function fail(error) {
  console.error(error);
  await sdk.shutdown();
  process.exit(1);
}`,
            },
          ],
        },
      ],
    },
    {
      // The SDK 3.x spelling: TracerProvider from @opentelemetry/sdk-trace, processors take { exporter }.
      code: `import { trace } from '@opentelemetry/api';
import { TracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace';
const provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] });
trace.setGlobalTracerProvider(provider);`,
      errors: [
        {
          messageId: 'tsNoSignalHandler',
          line: 4,
          column: 1,
          data: { start: 'trace.setGlobalTracerProvider(provider)', signals: 'SIGTERM', flush: 'provider.shutdown()' },
          suggestions: [
            {
              messageId: 'tsSuggestSignalHandler',
              output: `import { trace } from '@opentelemetry/api';
import { TracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace';
const provider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter })] });
trace.setGlobalTracerProvider(provider);
process.once('SIGTERM', () => {
  void provider.shutdown().finally(() => process.exit(0));
});`,
            },
          ],
        },
      ],
    },
    {
      // `signals` option: SIGINT must be handled too.
      code: `import process from 'node:process';
import { NodeSDK } from '@opentelemetry/sdk-node';
const sdk = new NodeSDK();
sdk.start();
process.on('SIGTERM', async () => { await sdk.shutdown(); });`,
      options: [{ signals: ['SIGTERM', 'SIGINT'] }],
      errors: [
        {
          messageId: 'tsNoSignalHandler',
          line: 4,
          column: 1,
          data: { start: 'sdk.start()', signals: 'SIGINT', flush: 'sdk.shutdown()' },
          suggestions: [
            {
              messageId: 'tsSuggestSignalHandler',
              output: `import process from 'node:process';
import { NodeSDK } from '@opentelemetry/sdk-node';
const sdk = new NodeSDK();
sdk.start();
process.once('SIGINT', () => {
  void sdk.shutdown().finally(() => process.exit(0));
});
process.on('SIGTERM', async () => { await sdk.shutdown(); });`,
            },
          ],
        },
      ],
    },
    {
      // A batch job (signals: []) that never flushes: spans queued when the loop empties are dropped.
      code: `import { NodeSDK } from '@opentelemetry/sdk-node';
const sdk = new NodeSDK();
sdk.start();
await runJob();`,
      options: [{ signals: [] }],
      errors: [
        {
          messageId: 'tsNeverFlushed',
          line: 3,
          column: 1,
          suggestions: [
            {
              messageId: 'tsSuggestBeforeExit',
              output: `import { NodeSDK } from '@opentelemetry/sdk-node';
const sdk = new NodeSDK();
sdk.start();
process.once('beforeExit', () => void sdk.shutdown());
await runJob();`,
            },
          ],
        },
      ],
    },
  ],
});

typedTester().run('require-shutdown-flush [ts, typed]', rule, {
  valid: [
    `import { NodeSDK } from '@opentelemetry/sdk-node';
const sdk = new NodeSDK();
sdk.start();
process.on('SIGTERM', () => {
  sdk.shutdown().finally(() => process.exit(0));
});`,
  ],
  invalid: [
    {
      code: `import { NodeSDK } from '@opentelemetry/sdk-node';
const sdk: NodeSDK = new NodeSDK();
sdk.start();`,
      errors: [{ messageId: 'tsNoSignalHandler', line: 3, column: 1, suggestions: [{ messageId: 'tsSuggestSignalHandler', output: `import { NodeSDK } from '@opentelemetry/sdk-node';
const sdk: NodeSDK = new NodeSDK();
sdk.start();
process.once('SIGTERM', () => {
  void sdk.shutdown().finally(() => process.exit(0));
});` }] }],
    },
  ],
});
