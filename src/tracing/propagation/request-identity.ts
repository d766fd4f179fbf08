import { context, trace } from '@opentelemetry/api';
import {
  BAGGAGE_CORRELATION_ID,
  BAGGAGE_USER_ID,
  readAllowedBaggage,
  withBaggage,
} from './baggage';
import { ATTR_CORRELATION_ID, ATTR_SESSION_ID, ATTR_USER_ID } from '../semconv';

/** Whose request it is, as its trace tells it: each part only when the request names it. */
export interface RequestIdentity {
  correlationId?: string;
  userId?: string;
  sessionId?: string;
}

/** The correlation id an upstream service sent in the baggage, if the allow-list lets it in. */
export function inboundCorrelationId(): string | undefined {
  return readAllowedBaggage(context.active(), [BAGGAGE_CORRELATION_ID])[BAGGAGE_CORRELATION_ID];
}

/**
 * The server span, the trace's root in this service, says whose request it is: the user and the
 * session under the general names are where LLM platforms (Langfuse's Users and Sessions views)
 * look for them. For Express middleware, where the active span is the server span the http
 * instrumentation started.
 */
export function identifyServerSpan({ correlationId, userId, sessionId }: RequestIdentity): void {
  const serverSpan = trace.getActiveSpan();
  if (!serverSpan) return;
  if (correlationId) serverSpan.setAttribute(ATTR_CORRELATION_ID, correlationId);
  if (userId) serverSpan.setAttribute(ATTR_USER_ID, userId);
  if (sessionId) serverSpan.setAttribute(ATTR_SESSION_ID, sessionId);
}

/**
 * Runs `work` with the correlation id and the user id in the baggage, so that every call it makes
 * downstream carries them (and the span processor copies them onto every span). The session stays
 * out: it is not on the baggage's allow-list. A part not given keeps the baggage's value.
 */
export function withRequestBaggage<T>(
  { correlationId, userId }: RequestIdentity,
  work: () => T,
): T {
  return withBaggage({ [BAGGAGE_CORRELATION_ID]: correlationId, [BAGGAGE_USER_ID]: userId }, work);
}
