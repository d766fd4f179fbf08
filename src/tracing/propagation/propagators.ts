import {
  context,
  createContextKey,
  type Context,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { B3InjectEncoding } from '@opentelemetry/propagator-b3';
import { B3SpecPropagator } from './b3-spec';
import { TrustCheckingPropagator, type IsTrustedCaller } from './caller-trust';
import { writeLogLine } from '../setup/exporter-log';

/**
 * The propagators `OTEL_PROPAGATORS` names (default `b3multi,tracecontext,baggage`): outgoing
 * calls carry B3 multi-headers (`X-B3-TraceId`, `X-B3-SpanId`, `X-B3-Sampled`), `traceparent` and
 * W3C baggage; incoming B3 (single or multi header) and `traceparent` are both continued. When
 * both trace formats arrive with different ids, the last one in the list wins. B3 follows its
 * specification where the package does not (`b3-spec.ts`).
 */
export const DEFAULT_PROPAGATORS: readonly string[] = ['b3multi', 'tracecontext', 'baggage'];

const FACTORIES: Record<string, () => TextMapPropagator> = {
  tracecontext: () => new W3CTraceContextPropagator(),
  baggage: () => new W3CBaggagePropagator(),
  b3: () => new B3SpecPropagator(B3InjectEncoding.SINGLE_HEADER),
  b3multi: () => new B3SpecPropagator(B3InjectEncoding.MULTI_HEADER),
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

  extract(
    context: Context,
    carrier: unknown,
    getter: Parameters<TextMapPropagator['extract']>[2],
  ): Context {
    return this.inner.extract(context, carrier, getter);
  }

  fields(): string[] {
    return this.inner.fields();
  }
}

/**
 * `isTrustedCaller` unset: every incoming context is continued (`TRACE_CONTEXT_TRUST=all`). Set:
 * only trusted callers' context and baggage are (see `caller-trust.ts`).
 */
export function createPropagator(
  names: readonly string[] = DEFAULT_PROPAGATORS,
  isTrustedCaller?: IsTrustedCaller,
): TextMapPropagator {
  const propagators = names.includes('none')
    ? []
    : names.flatMap((name) => {
        const factory = FACTORIES[name];
        if (!factory)
          writeLogLine('warn', `Unknown propagator "${name}" in OTEL_PROPAGATORS: ignored`, {
            supported: Object.keys(FACTORIES),
          });
        return factory ? [factory()] : [];
      });
  const composite = new CompositePropagator({ propagators });
  return new ScopedPropagator(
    isTrustedCaller ? new TrustCheckingPropagator(composite, isTrustedCaller) : composite,
  );
}

/** Runs `work` so that the HTTP calls it makes carry no trace headers and no baggage. */
export function withoutPropagation<T>(work: () => T): T {
  return context.with(context.active().setValue(SKIP_INJECTION, true), work);
}
