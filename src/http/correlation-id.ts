import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { isSafeBaggageValue } from '../tracing/propagation/baggage';
import { identifyServerSpan, inboundCorrelationId } from '../tracing/propagation/request-identity';

const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/**
 * Every request gets a correlation id: the caller's `X-Correlation-Id`, else the one that came as
 * baggage from an upstream service, else a new one. It is echoed in the response and set on the
 * server span, before anything can refuse the request; `requestContext` then puts it in the baggage
 * of everything a route calls downstream.
 */
export const correlationId: RequestHandler = (request, response, next) => {
  const header = request.get(CORRELATION_ID_HEADER);
  const id =
    (header && isSafeBaggageValue(header) ? header : undefined) ??
    inboundCorrelationId() ??
    randomUUID();
  response.locals.correlationId = id;
  response.setHeader(CORRELATION_ID_HEADER, id);
  identifyServerSpan({ correlationId: id });
  next();
};

/** The request's correlation id; the middleware above runs before every route. */
export function correlationIdOf(response: Response): string {
  const id = response.locals.correlationId as string | undefined;
  if (id === undefined) throw new Error('the correlationId middleware did not run');
  return id;
}
