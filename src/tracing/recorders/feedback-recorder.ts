import { context, SpanKind, trace, type SpanContext } from '@opentelemetry/api';
import * as semconv from '../semconv';
import type { SpanRecorder } from './span-recorder';

/** A user's verdict on a run, as the GenAI convention's evaluation result. */
export interface FeedbackInfo {
  /** The agent that made the run, for the score metric. */
  agentName: string;
  name: string;
  score?: number;
  label?: string;
  /** Free text: recorded only with content capture, redacted. */
  comment?: string;
}

/**
 * Records feedback on an earlier run as a span in that run's trace, parented on its `agent.task`
 * (`run`; the run's server span when it was not sampled), so the feedback shows with the run; the
 * span links the current span (the feedback request's), which is in a trace of its own. Sampled as
 * the run was: a run not kept gets no feedback span either; the score is counted in the score
 * metric (by evaluation name and agent) all the same.
 */
export function recordFeedback(
  recorder: SpanRecorder,
  run: SpanContext,
  feedback: FeedbackInfo,
): void {
  if (feedback.score !== undefined)
    recorder.metrics.recordFeedbackScore(feedback.agentName, feedback.name, feedback.score);
  const current = trace.getActiveSpan()?.spanContext();
  const span = recorder.tracer.startSpan(
    semconv.SPAN_AGENT_FEEDBACK,
    { kind: SpanKind.INTERNAL, links: current ? [{ context: current }] : [] },
    // Under the run's span, with the baggage of the current request (correlation id, user).
    trace.setSpanContext(context.active(), run),
  );
  recorder.event(span, semconv.EVENT_GEN_AI_EVALUATION_RESULT, {
    attributes: {
      [semconv.ATTR_GEN_AI_EVALUATION_NAME]: feedback.name,
      [semconv.ATTR_GEN_AI_EVALUATION_SCORE_VALUE]: feedback.score,
      [semconv.ATTR_GEN_AI_EVALUATION_SCORE_LABEL]: feedback.label,
    },
    content: { [semconv.ATTR_GEN_AI_EVALUATION_EXPLANATION]: feedback.comment },
  });
  span.end();
}
