import type { OtlpReceiver, ReceivedSpan } from '../../otlp/receiver';
import { isCompleteRunTrace } from '../trace/run-trace';

export interface CollectedTrace {
  spans: readonly ReceivedSpan[];
  /** False when the wait ended before the trace was whole: it is evaluated as it is. */
  complete: boolean;
}

/** A run's spans arrive within a few export intervals; longer than this, some never will. */
const TRACE_WAIT_MS = 10_000;

/** The spans of one trace, once it has arrived whole (`isCompleteRunTrace`), or when the wait ends. */
export async function collectTrace(
  receiver: OtlpReceiver,
  traceId: string,
  timeoutMs = TRACE_WAIT_MS,
): Promise<CollectedTrace> {
  try {
    await receiver.waitFor(
      (spans) => isCompleteRunTrace(spans.filter((span) => span.traceId === traceId)),
      {
        timeoutMs,
        description: `the whole trace ${traceId}`,
      },
    );
    return { spans: receiver.spansOfTrace(traceId), complete: true };
  } catch {
    return { spans: receiver.spansOfTrace(traceId), complete: false };
  }
}
