import { context, createContextKey, type Context, type TextMapPropagator, type TextMapSetter } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { DEFAULT_PROPAGATORS } from '../config';
import { writeLogLine } from './exporter-log';

/**
 * The propagators `OTEL_PROPAGATORS` names (default `b3multi,tracecontext,baggage`): outgoing
 * calls carry B3 multi-headers (`X-B3-TraceId`, `X-B3-SpanId`, `X-B3-Sampled`), `traceparent` and
 * W3C baggage; incoming B3 (single or multi header) and `traceparent` are both continued. When
 * both trace formats arrive with different ids, the last one in the list wins.
 */
const FACTORIES: Record<string, () => TextMapPropagator> = {
  tracecontext: () => new W3CTraceContextPropagator(),
  baggage: () => new W3CBaggagePropagator(),
  b3: () => new B3Propagator(),
  b3multi: () => new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }),
};

const SKIP_INJECTION = createContextKey('traced-agent skip propagation');

/**
 * Injects nothing inside `withoutPropagation`: the trace context and baggage (the caller's user
 * id, the correlation id) are for our own services, not for a third-party API such as Gemini's.
 * Extraction is unchanged.
 */
class ScopedPropagator implements TextMapPropagator {
  constructor(private readonly inner: TextMapPropagator) {}

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    if (context.getValue(SKIP_INJECTION) !== true) this.inner.inject(context, carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: Parameters<TextMapPropagator['extract']>[2]): Context {
    return this.inner.extract(context, carrier, getter);
  }

  fields(): string[] {
    return this.inner.fields();
  }
}

export function createPropagator(names: readonly string[] = DEFAULT_PROPAGATORS): TextMapPropagator {
  const propagators = names.includes('none')
    ? []
    : names.flatMap((name) => {
        const factory = FACTORIES[name];
        if (!factory)
          writeLogLine('warn', `Unknown propagator "${name}" in OTEL_PROPAGATORS: ignored`, { supported: Object.keys(FACTORIES) });
        return factory ? [factory()] : [];
      });
  return new ScopedPropagator(new CompositePropagator({ propagators }));
}

/** Runs `work` so that the HTTP calls it makes carry no trace headers and no baggage. */
export function withoutPropagation<T>(work: () => T): T {
  return context.with(context.active().setValue(SKIP_INJECTION, true), work);
}
