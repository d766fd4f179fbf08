import {
  isSpanContextValid,
  trace,
  TraceFlags,
  SpanStatusCode,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
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
 * Whether a span of this process that was not sampled can only have children that are not sampled
 * either. The tracing setup says so once its sampler guarantees it (see `sampling/`); until then,
 * and with the SDK disabled, every span is started as the SDK would.
 */
let unsampledSpansHaveUnsampledChildren = false;

export function declareUnsampledSpansHaveUnsampledChildren(guaranteed: boolean): void {
  unsampledSpansHaveUnsampledChildren = guaranteed;
}

/**
 * The active span when it is one of this process's, not sampled, and its children cannot be: then
 * a child would be created, given ids, made active and ended for nothing (most requests, at a
 * low sampling ratio).
 */
function unsampledLocalParent(options: SpanOptions): Span | undefined {
  if (!unsampledSpansHaveUnsampledChildren || options.root) return undefined;
  const parent = trace.getActiveSpan();
  if (!parent || parent.isRecording()) return undefined;
  const spanContext = parent.spanContext();
  // A caller's context (remote) is decided by the caller's flag, not by ours; an invalid one is no
  // parent at all, and a new trace gets its own decision.
  return isSpanContextValid(spanContext) &&
    !spanContext.isRemote &&
    (spanContext.traceFlags & TraceFlags.SAMPLED) === 0
    ? parent
    : undefined;
}

/**
 * The one way work is wrapped in a span: the span is active while `work` runs, a failure is
 * recorded on it (exception, ERROR status, `error.type`) and rethrown, and the span always ends.
 * Under a span of this process that was not sampled, `work` runs in that span's context with that
 * span, on which nothing is recorded either: the trace is the same, none of it exported.
 */
export async function withSpan<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T> | T,
  failure: FailureOptions = {},
): Promise<T> {
  const unsampledParent = unsampledLocalParent(options);
  if (unsampledParent) return work(unsampledParent);
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
