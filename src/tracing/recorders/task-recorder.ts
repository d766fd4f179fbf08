import { isSpanContextValid, type Span, type SpanContext } from '@opentelemetry/api';
import type { TaskSpanInfo } from '../conventions/span-info';
import * as semconv from '../semconv';
import { measured, type SpanRecorder } from './span-recorder';

/** What a run came to, once its loop is over. */
export interface RunTotals {
  /** How the run ended (`completed`, `max_steps`): also what the runs counter counts it by. */
  stoppedReason: string;
  totalSteps: number;
  /** Model calls made, retries included. */
  modelCalls: number;
  /** Tokens summed over the run, and their cost in US dollars (null: the model has no price). */
  usage: { inputTokens: number; outputTokens: number; costUsd: number | null };
}

/** What the agent loop tells the run's span (`agent.task`) as it goes. */
export interface TaskRecording {
  /** The run's span, when there is one, for what is recorded about the run later (feedback). */
  readonly spanContext: SpanContext | undefined;
  /** The model could not form a function call and is asked again: correction number `count`. */
  malformedCallCorrected(count: number): void;
  /** The loop is over: an `agent.finished` event, and the run's totals. */
  finished(totals: RunTotals): void;
  /** Content: the run's answer, ended for `finishReason` (GenAI output message format). */
  answer(text: string, finishReason: string): void;
}

/**
 * The run: its span, its duration and outcome in `gen_ai.invoke_agent.duration` and `agent.runs`
 * (by how it stopped, or why it failed). The calls it makes to our other services carry our
 * content-capture decision when it is off.
 */
export function traceTask<T>(
  recorder: SpanRecorder,
  info: TaskSpanInfo,
  work: (run: TaskRecording) => Promise<T> | T,
): Promise<T> {
  let stoppedReason: string | undefined;
  const recorded = () => ({
    attributes: {
      [semconv.ATTR_GEN_AI_AGENT_DESCRIPTION]: info.agentDescription,
      [semconv.ATTR_GEN_AI_CONVERSATION_ID]: info.sessionId,
      [semconv.ATTR_USER_ID]: info.userId,
      [semconv.ATTR_AGENT_MAX_STEPS]: info.maxSteps,
    },
    content: {
      [semconv.ATTR_GEN_AI_INPUT_MESSAGES]: [
        { role: 'user', parts: [{ type: 'text', content: info.task }] },
      ],
      ...recorder.conventions.systemInstructions(info.systemInstruction),
    },
  });
  const recording = (span: Span) =>
    taskRecording(recorder, span, (totals) => (stoppedReason = totals.stoppedReason));
  const traced = () =>
    recorder.run(
      recorder.conventions.task(info),
      recorded,
      recorder.passingContentDecision((span: Span) => work(recording(span))),
    );
  return measured(traced, (seconds, outcome) =>
    recorder.metrics.recordRun(seconds, {
      ...outcome,
      agentName: info.agentName,
      requestModel: info.requestModel,
      // A run that fails after its loop is over is counted by why it failed.
      stoppedReason: outcome.errorType === undefined ? stoppedReason : undefined,
    }),
  );
}

function taskRecording(
  recorder: SpanRecorder,
  span: Span,
  onFinished: (totals: RunTotals) => void,
): TaskRecording {
  const spanContext = span.spanContext();
  return {
    spanContext: isSpanContextValid(spanContext) ? spanContext : undefined,
    malformedCallCorrected: (count) =>
      recorder.event(span, semconv.EVENT_AGENT_MALFORMED_FUNCTION_CALL, {
        attributes: { [semconv.ATTR_AGENT_CORRECTION]: count },
      }),
    finished: (totals) => {
      onFinished(totals);
      recorder.event(span, semconv.EVENT_AGENT_FINISHED, {
        attributes: {
          [semconv.ATTR_AGENT_STOPPED_REASON]: totals.stoppedReason,
          [semconv.ATTR_AGENT_TOTAL_STEPS]: totals.totalSteps,
        },
      });
      recorder.set(span, {
        attributes: {
          [semconv.ATTR_AGENT_TOTAL_STEPS]: totals.totalSteps,
          [semconv.ATTR_AGENT_STOPPED_REASON]: totals.stoppedReason,
          [semconv.ATTR_AGENT_MODEL_CALLS]: totals.modelCalls,
          [semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS]: totals.usage.inputTokens,
          [semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: totals.usage.outputTokens,
          [semconv.ATTR_GEN_AI_USAGE_COST]: totals.usage.costUsd ?? undefined,
        },
      });
    },
    answer: (text, finishReason) =>
      recorder.set(span, {
        content: {
          [semconv.ATTR_GEN_AI_OUTPUT_MESSAGES]: recorder.conventions.outputMessages(
            { role: 'assistant', parts: [{ type: 'text', content: text }] },
            finishReason,
          ),
        },
      }),
  };
}
