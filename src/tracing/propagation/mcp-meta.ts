import { context, propagation, type Context } from '@opentelemetry/api';

/**
 * Trace context in an MCP request's `params._meta`: the keys the MCP specification reserves for
 * it. HTTP headers carry it too, but `_meta` survives what headers may not (a proxy, another
 * transport, a server that starts its own HTTP span), so the server prefers it.
 */
const MCP_META_TRACE_KEYS = ['traceparent', 'tracestate', 'baggage'] as const;

/**
 * The active context as `_meta` entries, through the global propagators (so `OTEL_PROPAGATORS`
 * and `withoutPropagation` apply). B3 keys are left out: `_meta` has no name reserved for them.
 */
export function traceContextForMeta(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.fromEntries(
    MCP_META_TRACE_KEYS.flatMap((key) => (carrier[key] ? [[key, carrier[key]]] : [])),
  );
}

/**
 * The context a request's `_meta` carries, on top of `fallback` (the HTTP request's context,
 * which headers continued). Without a `traceparent` in `_meta`, `fallback` as it is.
 */
export function contextFromMeta(meta: unknown, fallback: Context): Context {
  if (!meta || typeof meta !== 'object') return fallback;
  const entries = meta as Record<string, unknown>;
  if (typeof entries.traceparent !== 'string') return fallback;
  const carrier = Object.fromEntries(
    MCP_META_TRACE_KEYS.flatMap((key) =>
      typeof entries[key] === 'string' ? [[key, entries[key]]] : [],
    ),
  );
  return propagation.extract(fallback, carrier);
}
