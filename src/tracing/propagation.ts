import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import type { TextMapPropagator } from '@opentelemetry/api';

/**
 * Our default, the same as `OTEL_PROPAGATORS=b3multi,tracecontext,baggage`: outgoing calls carry
 * B3 multi-headers (`X-B3-TraceId`, `X-B3-SpanId`, `X-B3-Sampled`) and `traceparent`; incoming
 * B3 (single or multi header) and `traceparent` are both continued; baggage travels as W3C baggage.
 * When both trace formats arrive with different ids, the last one in the list wins.
 */
export function createDefaultPropagator(): TextMapPropagator {
  return new CompositePropagator({
    propagators: [
      new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
      new W3CTraceContextPropagator(),
      new W3CBaggagePropagator(),
    ],
  });
}
