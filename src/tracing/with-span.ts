import { SpanStatusCode, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from './semconv';

/**
 * A low-cardinality name for what went wrong, for `error.type`. Our own errors carry an
 * `errorType` (see `TypedError`); anything else is named by its class, as the semantic
 * conventions suggest.
 */
export function errorTypeOf(error: unknown): string {
  if (error instanceof Error) {
    const declared = (error as { errorType?: unknown }).errorType;
    if (typeof declared === 'string' && declared) return declared;
    if (error.name && error.name !== 'Error') return error.name;
    return error.constructor?.name || 'Error';
  }
  return '_OTHER';
}

export function markSpanFailed(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
  span.setAttribute(ATTR_ERROR_TYPE, errorTypeOf(error));
}

/**
 * The one way work is wrapped in a span: the span is active while `work` runs, a failure is
 * recorded on it (exception, ERROR status, `error.type`) and rethrown, and the span always ends.
 */
export async function withSpan<T>(tracer: Tracer, name: string, options: SpanOptions, work: (span: Span) => Promise<T> | T): Promise<T> {
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markSpanFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}
