import type { Span } from '@opentelemetry/api';
import type { MemoryOperationInfo, MemoryOutcome } from '../conventions/span-info';
import * as semconv from '../semconv';
import type { SpanRecorder } from './span-recorder';

/** What a memory operation tells its span (`memory.<operation>`, or the convention's name). */
export interface MemoryRecording {
  /** Records found, written or erased; of those found, how many were given to the model. */
  outcome(outcome: MemoryOutcome): void;
  /** Content: what a search looked for, and the records given to the model. */
  recalled(query: string, records: readonly unknown[]): void;
}

/** One memory operation: read, search, write or erase, in the store in use. */
export function traceMemoryOperation<T>(
  recorder: SpanRecorder,
  info: MemoryOperationInfo,
  work: (operation: MemoryRecording) => Promise<T> | T,
): Promise<T> {
  const recorded = () => ({
    attributes: {
      [semconv.ATTR_MEMORY_TYPE]: info.memoryType,
      [semconv.ATTR_MEMORY_BACKEND]: info.backend,
    },
  });
  return recorder.run(recorder.conventions.memory(info), recorded, (span) =>
    work(memoryRecording(recorder, span, info)),
  );
}

function memoryRecording(
  recorder: SpanRecorder,
  span: Span,
  info: MemoryOperationInfo,
): MemoryRecording {
  const { conventions } = recorder;
  return {
    outcome: (outcome) =>
      recorder.set(span, { attributes: conventions.memoryOutcome(info, outcome) }),
    recalled: (query, records) =>
      recorder.set(span, { content: conventions.memoryContent(query, records) }),
  };
}
