import type { Span } from '@opentelemetry/api';
import type { ToolCallInfo } from '../conventions/span-info';
import * as semconv from '../semconv';
import { errorTypeOf } from '../with-span';
import { measured, type SpanRecorder } from './span-recorder';

/** A tool's result as it goes back to the model: cut to a bound when it was too long. */
export interface BoundedToolResult {
  result: unknown;
  /** Characters of the whole result, as JSON. */
  size: number;
  truncated: boolean;
}

/** What a tool call tells its span (`tool.<name>`). */
export interface ToolRecording {
  /** The result the model gets: its size, whether it was cut, and (content) the result itself. */
  result(bounded: BoundedToolResult): void;
}

/**
 * One tool call: its span, whether it succeeded and how long it took, and
 * `gen_ai.execute_tool.duration`. A tool the model made up is `unknown` in the span name and the
 * metric: made-up names must multiply neither span names nor time series.
 */
export function traceToolCall<T>(
  recorder: SpanRecorder,
  info: ToolCallInfo,
  work: (call: ToolRecording) => Promise<T> | T,
): Promise<T> {
  const boundedName = info.known === false ? semconv.UNKNOWN_TOOL_NAME : info.toolName;
  const recorded = () => ({
    attributes: {
      [semconv.ATTR_GEN_AI_TOOL_CALL_ID]: info.callId,
      [semconv.ATTR_GEN_AI_TOOL_DESCRIPTION]: info.description,
    },
    content: { [semconv.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]: info.arguments },
  });
  // A tool's error message may quote its arguments: with content capture off, the span says only
  // what failed.
  const failure = recorder.capturesContent()
    ? {}
    : { describe: (error: unknown) => `${info.toolName} failed (${errorTypeOf(error)})` };
  const traced = () =>
    recorder.run(
      recorder.conventions.tool({ ...info, boundedName }),
      recorded,
      (span) => timed(recorder, span, () => work(toolRecording(recorder, span))),
      failure,
    );
  const metric = {
    toolName: boundedName,
    toolType: semconv.GEN_AI_TOOL_TYPE_FUNCTION,
    agentName: info.agentName,
  };
  return measured(traced, (seconds, outcome) =>
    recorder.metrics.recordToolCall(metric, seconds, outcome),
  );
}

/** `work`, then whether it succeeded and how long it took, in milliseconds, on the span. */
async function timed<T>(
  recorder: SpanRecorder,
  span: Span,
  work: () => Promise<T> | T,
): Promise<T> {
  const started = performance.now();
  let succeeded = false;
  try {
    const result = await work();
    succeeded = true;
    return result;
  } finally {
    recorder.set(span, {
      attributes: {
        [semconv.ATTR_TOOL_SUCCESS]: succeeded,
        [semconv.ATTR_TOOL_DURATION_MS]: Math.round((performance.now() - started) * 100) / 100,
      },
    });
  }
}

function toolRecording(recorder: SpanRecorder, span: Span): ToolRecording {
  return {
    result: ({ result, size, truncated }) =>
      recorder.set(span, {
        attributes: {
          [semconv.ATTR_TOOL_RESULT_SIZE]: size,
          [semconv.ATTR_TOOL_RESULT_TRUNCATED]: truncated,
        },
        content: { [semconv.ATTR_GEN_AI_TOOL_CALL_RESULT]: result },
      }),
  };
}
