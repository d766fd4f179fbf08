import {
  context as contextApi,
  createContextKey,
  isSpanContextValid,
  trace,
  type Context,
  type Span,
  type SpanContext,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { isDenyPlaceholder } from './b3-spec';

/** Reads one header of an incoming request (the first value if it came several times). */
export type ReadHeader = (name: string) => string | undefined;

/** Whether an incoming request comes from one of our own services, judged by its headers alone. */
export type IsTrustedCaller = (header: ReadHeader) => boolean;

const UNTRUSTED_PARENT = createContextKey('traced-agent untrusted parent');

/**
 * Extracts trace context only from trusted callers (`TRACE_CONTEXT_TRUST=internal`). An untrusted
 * caller's request starts a new trace, so it can neither switch tracing off (`traceparent …-00`,
 * `X-B3-Sampled: 0`, `b3: 0`) nor write into someone else's trace; its baggage is dropped, so it
 * cannot put a `user.id` on our spans. Its span context is kept aside for `linkUntrustedParent`, so
 * the two traces can still be found from each other.
 *
 * The decision must be taken here: the http instrumentation starts the server span from what the
 * propagator extracts, before any Express middleware (authentication included) runs.
 */
export class TrustCheckingPropagator implements TextMapPropagator {
  constructor(
    private readonly inner: TextMapPropagator,
    private readonly isTrustedCaller: IsTrustedCaller,
  ) {}

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    this.inner.inject(context, carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header: ReadHeader = (name) => {
      const value = getter.get(carrier, name);
      return Array.isArray(value) ? value[0] : value;
    };
    const extracted = this.inner.extract(context, carrier, getter);
    if (this.isTrustedCaller(header)) return extracted;
    const remote = trace.getSpanContext(extracted);
    if (!remote || !isSpanContextValid(remote) || isDenyPlaceholder(extracted)) return context;
    return context.setValue(UNTRUSTED_PARENT, remote);
  }

  fields(): string[] {
    return this.inner.fields();
  }
}

/** Links the server span of an untrusted request to the span context its caller sent, if any. */
export function linkUntrustedParent(
  serverSpan: Span,
  context: Context = contextApi.active(),
): void {
  const parent = context.getValue(UNTRUSTED_PARENT) as SpanContext | undefined;
  if (parent) serverSpan.addLink({ context: parent });
}
