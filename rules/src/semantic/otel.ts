/**
 * Which qualified names are OpenTelemetry tracers and span-making calls. Kept apart from the model so
 * the list is easy to review and extend.
 */

/** Methods of a tracer that make a span, and whether the span becomes current. */
export const SPAN_METHODS: Readonly<Record<string, { makesCurrent: boolean }>> = {
  start_as_current_span: { makesCurrent: true },
  start_span: { makesCurrent: false },
};

export const USE_SPAN = 'opentelemetry.trace.use_span';

/** Tracer instances: `trace.get_tracer(...)`, `<provider>.get_tracer(...)`, an annotated `Tracer`. */
export function isTracerName(qualifiedName: string | null): boolean {
  if (!qualifiedName?.startsWith('opentelemetry.')) return false;
  return qualifiedName.endsWith('.get_tracer()') || /\.(?:\w*Tracer)\(\)$/u.test(qualifiedName);
}

/** Tracer providers: `TracerProvider(...)`, `trace.get_tracer_provider()`. */
export function isTracerProviderName(qualifiedName: string | null): boolean {
  if (!qualifiedName?.startsWith('opentelemetry.')) return false;
  return qualifiedName.endsWith('.get_tracer_provider()') || /\.\w*TracerProvider\(\)$/u.test(qualifiedName);
}

/**
 * Receivers we cannot resolve (an unannotated parameter, an attribute of another object) still count
 * as tracers for `start_as_current_span`, a name only OpenTelemetry uses. `start_span` is a common name
 * in other tracing libraries, so an unresolved receiver must at least be called like a tracer.
 */
export function looksLikeTracerText(receiverText: string): boolean {
  return /tracer/iu.test(receiverText);
}
