import type { OtlpReceiver, ReceivedSpan } from '../../dev/otlp/receiver';
import { isCompleteTrace } from '../../dev/otlp/received-trace';

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

/**
 * The spans of one trace, once it has arrived whole: its root and every span under it (and, when
 * named, a span of each of `services`).
 */
export async function completeTraceOf(
  receiver: OtlpReceiver,
  traceId: string,
  services: readonly string[] = [],
): Promise<ReceivedSpan[]> {
  const mine = (spans: readonly ReceivedSpan[]) => spans.filter((span) => span.traceId === traceId);
  return mine(
    await receiver.waitFor((received) => isCompleteTrace(mine(received), services), {
      description: `the whole trace ${traceId}`,
    }),
  );
}
