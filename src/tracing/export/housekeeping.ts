import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { ATTR_URL_PATH } from '../semconv';

/**
 * Requests that are not the API, each a trace of one server span: the probes (`/healthz`,
 * `/readyz`, `/livez`, untraced when they are plain GETs) and the MCP endpoint's handshake
 * (`initialize`, `notifications/initialized`, `tools/list`, and the `GET /mcp` stream the client
 * tries first, answered 405). A `tools/call` on `/mcp` has a span of its own under the request, so
 * it is never housekeeping.
 */
const HOUSEKEEPING_PATHS = new Set(['/healthz', '/readyz', '/livez', '/mcp']);

/**
 * Whether a finished local root is housekeeping: a server span that began this trace (no parent,
 * not even a remote one), on one of those paths, with no span under it. The console's tree
 * printer leaves such traces out; exporters to a backend still get them.
 */
export function isHousekeepingTrace(root: ReadableSpan, spansInTrace: number): boolean {
  const path = root.attributes[ATTR_URL_PATH];
  return (
    spansInTrace === 1 &&
    root.kind === SpanKind.SERVER &&
    !root.parentSpanContext &&
    typeof path === 'string' &&
    HOUSEKEEPING_PATHS.has(path)
  );
}
