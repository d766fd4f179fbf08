import { hostname } from 'node:os';
import { propagation, type Attributes, type Baggage, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { allowedEntries, SPAN_BAGGAGE_KEYS } from '../propagation/baggage';
import { ATTR_HOST_NAME, ATTR_PROCESS_PID, ATTR_SERVICE_VERSION } from '../semconv';

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
 *
 * A request's spans share one baggage object (baggage is immutable: a change makes a new one), so
 * what a baggage gives is worked out once, on its first span, and reused by the others.
 */
export class EnrichingSpanProcessor implements SpanProcessor {
  private readonly byBaggage = new WeakMap<Baggage, Attributes>();

  constructor(private readonly staticAttributes: Attributes) {}

  onStart(span: Span, parentContext: Context): void {
    try {
      span.setAttributes(this.attributesFor(propagation.getBaggage(parentContext)));
    } catch {
      // Enrichment is optional; a span without it is still a span.
    }
  }

  onEnd(_span: ReadableSpan): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}

  private attributesFor(baggage: Baggage | undefined): Attributes {
    if (!baggage) return this.staticAttributes;
    let attributes = this.byBaggage.get(baggage);
    if (!attributes) {
      attributes = { ...this.staticAttributes, ...allowedEntries(baggage, SPAN_BAGGAGE_KEYS) };
      this.byBaggage.set(baggage, attributes);
    }
    return attributes;
  }
}
