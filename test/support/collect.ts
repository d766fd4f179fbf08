import type { ReceivedSpan } from '../../dev/otlp/receiver';

/**
 * Every string a span carries (name, attribute values, events, status, resource), for searching for
 * leaks.
 */
export function everyStringOf(spans: readonly ReceivedSpan[]): string {
  return JSON.stringify(
    spans.map((span) => [
      span.name,
      span.attributes,
      span.events.map((event) => [event.name, event.attributes]),
      span.status,
      span.resource,
    ]),
  );
}
