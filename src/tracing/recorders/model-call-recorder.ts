import type { Span } from '@opentelemetry/api';
import type { TokenCounts } from '../agent-metrics';
import type { OutputMessage } from '../conventions/conventions';
import type { LlmCallInfo } from '../conventions/span-info';
import * as semconv from '../semconv';
import { errorTypeOf } from '../with-span';
import { measured, type SpanRecorder } from './span-recorder';

/** What the model answered, as the model-call span records it. */
export interface TurnRecord {
  responseModel?: string;
  responseId?: string;
  finishReasons: readonly string[];
  usage: TokenCounts;
  /** The answer, in the GenAI message format: content. */
  message: OutputMessage;
}

/** What the turn cost, and why it ended (in the GenAI output message format: `stop`, ...). */
export interface TurnOutcome {
  /** US dollars; undefined when the model has no price (an unknown cost is never 0). */
  costUsd: number | undefined;
  finishReason: string;
}

/** A failed attempt that is tried again. */
export interface RetryRecord {
  /** The attempt about to be made: 2 for the first retry. */
  attempt: number;
  errorType: string;
  /** The HTTP status of the failed attempt, when it had one. */
  status?: number;
  delayMs: number;
}

/** What one streamed attempt saw. */
export interface StreamRecord {
  chunks: number;
  /** Unset when no chunk came. */
  firstChunkMs?: number;
  /** Why the attempt failed, if it did. */
  failure?: unknown;
}

/** What a model call tells its span (`llm.generate`) as it goes. */
export interface ModelCallRecording {
  /** The model answered: the response, its usage and cost (on the span and in the metrics). */
  turn(turn: TurnRecord, outcome: TurnOutcome): void;
  /** An attempt failed and is retried after `delayMs`: an `llm.retry` event, and `llm.retries`. */
  retry(retry: RetryRecord): void;
  /** A streamed attempt is over: its chunks, and how long the first took (span and metric). */
  streamProgress(progress: StreamRecord): void;
}

/**
 * One model call, its retries included: its span, and `gen_ai.client.operation.duration` (or the
 * latest mode's name) with how it ended.
 */
export function traceModelCall<T>(
  recorder: SpanRecorder,
  info: LlmCallInfo,
  work: (call: ModelCallRecording) => Promise<T> | T,
): Promise<T> {
  const recorded = () => ({
    attributes: { [semconv.ATTR_AGENT_STEP_NUMBER]: info.stepNumber },
    content: {
      [semconv.ATTR_GEN_AI_INPUT_MESSAGES]: info.inputMessages,
      ...recorder.conventions.systemInstructions(info.systemInstruction),
    },
  });
  const traced = () =>
    recorder.run(recorder.conventions.inference(info), recorded, (span) =>
      work(modelCallRecording(recorder, span, info)),
    );
  return measured(traced, (seconds, outcome) =>
    recorder.metrics.recordModelCall(info, seconds, outcome),
  );
}

function modelCallRecording(
  recorder: SpanRecorder,
  span: Span,
  info: LlmCallInfo,
): ModelCallRecording {
  return {
    turn(turn, { costUsd, finishReason }) {
      recorder.set(span, {
        attributes: {
          [semconv.ATTR_GEN_AI_USAGE_COST]: costUsd,
          [semconv.ATTR_GEN_AI_RESPONSE_MODEL]: turn.responseModel,
          [semconv.ATTR_GEN_AI_RESPONSE_ID]: turn.responseId,
          [semconv.ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: turn.finishReasons,
          [semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS]: turn.usage.inputTokens,
          [semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: turn.usage.outputTokens,
        },
        content: {
          [semconv.ATTR_GEN_AI_OUTPUT_MESSAGES]: recorder.conventions.outputMessages(
            turn.message,
            finishReason,
          ),
        },
      });
      recorder.metrics.recordModelUsage(info, turn.usage, costUsd);
    },
    retry({ attempt, errorType, status, delayMs }) {
      recorder.event(span, semconv.EVENT_LLM_RETRY, {
        attributes: {
          [semconv.ATTR_LLM_RETRY_ATTEMPT]: attempt,
          [semconv.ATTR_ERROR_TYPE]: errorType,
          [semconv.ATTR_HTTP_RESPONSE_STATUS_CODE]: status ?? 0,
          [semconv.ATTR_LLM_RETRY_DELAY_MS]: delayMs,
        },
      });
      recorder.metrics.recordModelRetry(info, errorType);
    },
    // Here, so that every model adapter gets both the attributes and the metric.
    streamProgress({ chunks, firstChunkMs, failure }) {
      const firstChunkSeconds = firstChunkMs === undefined ? undefined : firstChunkMs / 1000;
      if (firstChunkSeconds !== undefined)
        recorder.metrics.recordTimeToFirstChunk(info, firstChunkSeconds, {
          errorType: failure === undefined ? undefined : errorTypeOf(failure),
        });
      recorder.set(span, {
        attributes: recorder.conventions.stream({ chunks, firstChunkSeconds }),
      });
    },
  };
}
