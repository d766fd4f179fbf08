import { hostname } from 'node:os';
import type { Attributes, Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { readAllowedBaggage, SPAN_BAGGAGE_KEYS } from './baggage';
import { ATTR_HOST_NAME, ATTR_PROCESS_PID, ATTR_SERVICE_VERSION } from './semconv';

export function processAttributes(serviceVersion: string): Attributes {
  return {
    [ATTR_HOST_NAME]: hostname(),
    [ATTR_PROCESS_PID]: process.pid,
    [ATTR_SERVICE_VERSION]: serviceVersion,
  };
}

/**
 * The workshop's custom span processor, for real: every span started in this process gets the
 * allowed baggage entries (correlation id, user id) and a little process metadata. The metadata
 * repeats resource attributes on purpose, for backends and pipelines that drop the resource.
 * It runs on every span, so it does no I/O and allocates little; and it never throws.
 */
export class EnrichingSpanProcessor implements SpanProcessor {
  constructor(private readonly staticAttributes: Attributes) {}

  onStart(span: Span, parentContext: Context): void {
    try {
      span.setAttributes(this.staticAttributes);
      span.setAttributes(readAllowedBaggage(parentContext, SPAN_BAGGAGE_KEYS));
    } catch {
      // Enrichment is optional; a span without it is still a span.
    }
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
