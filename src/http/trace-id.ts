import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';

export const TRACE_ID_HEADER = 'X-Trace-Id';

/**
 * The id of the trace the current request belongs to (its server span's), or null when tracing is
 * off.
 */
export function currentTraceId(): string | null {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : null;
}

/**
 * Every response, errors included, names its trace, so a user can find it in Jaeger. The one place
 * the trace id is read for a response: from the server span the http instrumentation started.
 */
export const traceIdHeader: RequestHandler = (_request, response, next) => {
  const traceId = currentTraceId();
  if (traceId) response.setHeader(TRACE_ID_HEADER, traceId);
  next();
};
