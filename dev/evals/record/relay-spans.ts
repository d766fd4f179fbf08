import {
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Attributes,
  type HrTime,
} from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { ReceivedSpan } from '../../otlp/receiver';

const KINDS: Record<ReceivedSpan['kind'], SpanKind> = {
  UNSPECIFIED: SpanKind.INTERNAL,
  INTERNAL: SpanKind.INTERNAL,
  SERVER: SpanKind.SERVER,
  CLIENT: SpanKind.CLIENT,
  PRODUCER: SpanKind.PRODUCER,
  CONSUMER: SpanKind.CONSUMER,
};
const STATUS: Record<ReceivedSpan['status']['code'], SpanStatusCode> = {
  UNSET: SpanStatusCode.UNSET,
  OK: SpanStatusCode.OK,
  ERROR: SpanStatusCode.ERROR,
};
const NANOS_PER_SECOND = 1_000_000_000n;
const hrTime = (nanos: bigint): HrTime => [
  Number(nanos / NANOS_PER_SECOND),
  Number(nanos % NANOS_PER_SECOND),
];

/** A received span as the SDK's exporters take it: the same ids, times, attributes and resource. */
function toReadableSpan(
  span: ReceivedSpan,
  resourceOf: (span: ReceivedSpan) => Resource,
): ReadableSpan {
  const context = (traceId: string, spanId: string) => ({
    traceId,
    spanId,
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
  return {
    name: span.name,
    kind: KINDS[span.kind],
    spanContext: () => context(span.traceId, span.spanId),
    parentSpanContext: span.parentSpanId ? context(span.traceId, span.parentSpanId) : undefined,
    startTime: hrTime(span.startTimeUnixNano),
    endTime: hrTime(span.endTimeUnixNano),
    duration: hrTime(span.endTimeUnixNano - span.startTimeUnixNano),
    status: { code: STATUS[span.status.code], message: span.status.message || undefined },
    attributes: span.attributes as Attributes,
    links: span.links.map((link) => ({ context: context(link.traceId, link.spanId) })),
    events: span.events.map((event) => ({
      name: event.name,
      time: hrTime(event.timeUnixNano),
      attributes: event.attributes as Attributes,
    })),
    ended: true,
    resource: resourceOf(span),
    instrumentationScope: { name: span.scopeName },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/**
 * Sends spans the runner's receiver got on to another exporter: the services the runner starts
 * export to it (it needs their spans to score them), and a backend needs them too, to show the
 * scores on the runs they are about.
 */
export function relaySpans(exporter: SpanExporter) {
  const resources = new Map<string, Resource>();
  const resourceOf = (span: ReceivedSpan) => {
    const key = JSON.stringify(span.resource);
    let resource = resources.get(key);
    if (!resource)
      resources.set(key, (resource = resourceFromAttributes(span.resource as Attributes)));
    return resource;
  };
  return (spans: readonly ReceivedSpan[]): Promise<void> =>
    new Promise((resolve, reject) =>
      exporter.export(
        spans.map((span) => toReadableSpan(span, resourceOf)),
        (result) =>
          result.code === ExportResultCode.SUCCESS
            ? resolve()
            : reject(result.error ?? new Error('the export failed')),
      ),
    );
}
