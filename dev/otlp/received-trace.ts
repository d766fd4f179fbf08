import type { TreeSpan } from '../../src/tracing/export/render-trace-tree';
import type { ReceivedSpan } from './receiver';

export function receivedToTreeSpan(span: ReceivedSpan): TreeSpan {
  const errorType = span.attributes['error.type'];
  return {
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    serviceName: span.serviceName,
    startTimeMs: Number(span.startTimeUnixNano / 1000n) / 1000,
    durationMs: Number((span.endTimeUnixNano - span.startTimeUnixNano) / 1000n) / 1000,
    error:
      span.status.code === 'ERROR'
        ? String(errorType ?? (span.status.message || 'error'))
        : undefined,
    attributes: span.attributes,
    links: span.links,
  };
}

/**
 * True once a trace has its root, every span's parent, and a span from each expected service:
 * spans of one trace arrive in several exports, from several processes, in any order.
 */
export function isCompleteTrace(
  spans: readonly ReceivedSpan[],
  expectedServices: readonly string[] = [],
): boolean {
  const ids = new Set(spans.map((span) => span.spanId));
  const hasRoot = spans.some((span) => span.parentSpanId === '');
  const parentsPresent = spans.every(
    (span) => span.parentSpanId === '' || ids.has(span.parentSpanId),
  );
  const services = new Set(spans.map((span) => span.serviceName));
  return hasRoot && parentsPresent && expectedServices.every((service) => services.has(service));
}
