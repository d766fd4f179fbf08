import { randomBytes } from 'node:crypto';
import {
  createContextKey,
  trace,
  TraceFlags,
  type Context,
  type SpanContext,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';

/**
 * Where the package keeps an extracted debug flag. It does not export the key, but creates it with
 * `createContextKey`, which is `Symbol.for(description)`: the same description is the same key.
 * `b3-spec.test.ts` fails if a new version of the package stops using it.
 */
const PACKAGE_DEBUG_KEY = createContextKey('OpenTelemetry Context Key B3 Debug Flag');

/** Marks the stand-in parent of a deny decision: it is no caller's span, nothing may link to it. */
const DENY_PLACEHOLDER = createContextKey('traced-agent b3 deny placeholder');

const firstValue = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value)?.trim();

/**
 * A deny decision sent without identifiers, as the B3 specification allows: `b3: 0`, or
 * `X-B3-Sampled: 0` alone (the single header, when present, takes precedence).
 */
function isDenyWithoutIds(carrier: unknown, getter: TextMapGetter): boolean {
  const single = firstValue(getter.get(carrier, 'b3'));
  if (single !== undefined) return single === '0';
  return (
    firstValue(getter.get(carrier, 'x-b3-sampled')) === '0' &&
    !firstValue(getter.get(carrier, 'x-b3-traceid'))
  );
}

/**
 * OpenTelemetry's sampler hears "not sampled" only from a parent, so a deny decision without ids
 * becomes a new trace id under a stand-in parent that is not sampled. Nothing of that trace is
 * recorded, so the stand-in never shows in a backend; calls downstream carry the deny with the
 * new ids, as the specification asks ("if trace identifiers are established, propagate them").
 */
function denied(context: Context): Context {
  const parent: SpanContext = {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    traceFlags: TraceFlags.NONE,
    isRemote: true,
  };
  return trace.setSpanContext(context.setValue(DENY_PLACEHOLDER, parent), parent);
}

/** Whether the remote span in `context` is only the stand-in of a deny decision. */
export function isDenyPlaceholder(context: Context): boolean {
  // Compared by identity: a `traceparent` extracted after it replaces it, and is a real parent.
  const placeholder = context.getValue(DENY_PLACEHOLDER);
  return placeholder !== undefined && placeholder === trace.getSpanContext(context);
}

/**
 * `@opentelemetry/propagator-b3` 3.1, with the two places where it departs from the B3
 * specification (github.com/openzipkin/b3-propagation) put right:
 * - a deny without ids (`b3: 0`, `X-B3-Sampled: 0` alone) is ignored there, so the request was
 *   traced anyway; here it is honoured (see `denied`);
 * - the debug flag is extracted as `d` from the single header and as `1` from `X-B3-Flags`, but
 *   each injector recognises only its own, so `b3: …-d` went on as `X-B3-Sampled: 1` and
 *   `X-B3-Flags: 1` as `b3: …-1`. Here debug goes on as debug in either encoding.
 */
export class B3SpecPropagator implements TextMapPropagator {
  private readonly inner: B3Propagator;

  constructor(private readonly injectEncoding: B3InjectEncoding) {
    this.inner = new B3Propagator({ injectEncoding });
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const debug = context.getValue(PACKAGE_DEBUG_KEY);
    const debugAsInjected = this.injectEncoding === B3InjectEncoding.MULTI_HEADER ? '1' : 'd';
    const normalized =
      debug === 'd' || debug === '1'
        ? context.setValue(PACKAGE_DEBUG_KEY, debugAsInjected)
        : context;
    this.inner.inject(normalized, carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const extracted = this.inner.extract(context, carrier, getter);
    if (
      trace.getSpanContext(extracted) === trace.getSpanContext(context) &&
      isDenyWithoutIds(carrier, getter)
    )
      return denied(context);
    return extracted;
  }

  fields(): string[] {
    return this.inner.fields();
  }
}
