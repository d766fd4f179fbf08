import type { ReceivedSpan } from '../../dev/otlp/receiver';

/** Lookups over the spans of one received trace, failing with the names that were there. */
export function spanTree(spans: readonly ReceivedSpan[]) {
  const named = (name: string) => spans.filter((span) => span.name === name);
  return {
    spans,
    named,
    one(name: string): ReceivedSpan {
      const found = named(name);
      if (found.length !== 1)
        throw new Error(
          `expected one "${name}" span, found ${found.length} among: ${spans.map((span) => span.name).join(', ')}`,
        );
      return found[0]!;
    },
    childrenOf(parent: ReceivedSpan): ReceivedSpan[] {
      return spans
        .filter((span) => span.parentSpanId === parent.spanId)
        .sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
    },
    roots: () =>
      spans.filter(
        (span) =>
          span.parentSpanId === '' || !spans.some((other) => other.spanId === span.parentSpanId),
      ),
  };
}

export const overlap = (a: ReceivedSpan, b: ReceivedSpan): boolean =>
  a.startTimeUnixNano < b.endTimeUnixNano && b.startTimeUnixNano < a.endTimeUnixNano;
