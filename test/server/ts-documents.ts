/**
 * A TypeScript document with two mistakes in one span callback, shared by the server's TS tests and the
 * bundle test: a floating promise (`no-untracked-task`) and a `span.end()` outside `finally`.
 */
export const FLOATING_TS = [
  "import { trace } from '@opentelemetry/api';",
  "const tracer = trace.getTracer('shop');",
  'async function audit(order: string): Promise<void> {}',
  'export function handle(order: string) {',
  "  return tracer.startActiveSpan('handle', (span) => {",
  '    audit(order);',
  '    span.end();',
  '  });',
  '}',
  '',
].join('\n');
export const AUDIT_RANGE = { start: { line: 5, character: 4 }, end: { line: 5, character: 16 } };
// The same callback also ends its span outside a `finally` (no-leaked-context).
export const END_RANGE = { start: { line: 6, character: 4 }, end: { line: 6, character: 14 } };
