import { SpanStatusCode, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { redactText } from './privacy/redact-text';
import { truncate } from './privacy/sanitize';
import { ATTR_ERROR_TYPE } from './semconv';
import { LIMITS } from '../limits';

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

/** Exception messages on spans are bounded, whatever threw them. */
const MAX_EXCEPTION_MESSAGE_LENGTH = LIMITS.maxExceptionMessageLength;

export interface FailureOptions {
  /**
   * What the span says happened, instead of the error's own message: for errors whose message
   * may carry content that must not be exported (a tool's arguments, with content capture off).
   */
  describe?: (error: unknown) => string;
}

function markSpanFailed(span: Span, error: unknown, { describe }: FailureOptions = {}): void {
  const original = error instanceof Error ? error : new Error(String(error));
  // Messages may quote input or an upstream's answer: secrets in them are redacted, as in content.
  const message = truncate(
    redactText(describe ? describe(error) : original.message),
    MAX_EXCEPTION_MESSAGE_LENGTH,
  );
  // The stack's first line repeats the message: it is rewritten with the one we record.
  const frames = original.stack?.split('\n').slice(1).join('\n');
  span.recordException({
    name: original.name,
    message,
    stack: frames ? `${original.name}: ${message}\n${frames}` : undefined,
  });
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.setAttribute(ATTR_ERROR_TYPE, errorTypeOf(error));
}

/**
 * The one way work is wrapped in a span: the span is active while `work` runs, a failure is
 * recorded on it (exception, ERROR status, `error.type`) and rethrown, and the span always ends.
 */
export async function withSpan<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T> | T,
  failure: FailureOptions = {},
): Promise<T> {
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markSpanFailed(span, error, failure);
      throw error;
    } finally {
      span.end();
    }
  });
}
