// Tracing setup for the order service, written by hand with the current SDK API.
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';

// Mistake (no-missing-context-manager): nothing installs a context manager, so startActiveSpan
// cannot make a span current and every child span starts its own trace.
// Mistake (require-shutdown-flush): spans wait in the BatchSpanProcessor and nothing flushes them
// when the service is stopped with SIGTERM.
const provider = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor(new ConsoleSpanExporter())],
});
trace.setGlobalTracerProvider(provider);

export const tracer = trace.getTracer('order-service');
