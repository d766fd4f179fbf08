import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  TraceFlags,
  trace,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import * as semconv from '../../../src/tracing/semconv';
import type { Score } from '../evaluators';

export interface Experiment {
  id: string;
  name: string;
  datasetName: string;
  datasetVersion: string;
}

/** The span in a run's trace its evaluation goes under: the run's, else the request's. */
export interface EvaluatedSpan {
  traceId: string;
  spanId: string;
}

const experimentAttributes = (experiment: Experiment) => ({
  [semconv.ATTR_EVALUATION_EXPERIMENT_ID]: experiment.id,
  [semconv.ATTR_EVALUATION_EXPERIMENT_NAME]: experiment.name,
  [semconv.ATTR_EVALUATION_DATASET_NAME]: experiment.datasetName,
  [semconv.ATTR_EVALUATION_DATASET_VERSION]: experiment.datasetVersion,
});

/** `gen_ai.evaluation.result`, the way feedback records it (src/tracing/recorders/feedback-recorder.ts). */
function addScore(span: Span, score: Score): void {
  span.addEvent(semconv.EVENT_GEN_AI_EVALUATION_RESULT, {
    [semconv.ATTR_GEN_AI_EVALUATION_NAME]: score.name,
    [semconv.ATTR_GEN_AI_EVALUATION_SCORE_VALUE]: score.value,
    [semconv.ATTR_GEN_AI_EVALUATION_SCORE_LABEL]: score.label,
    [semconv.ATTR_GEN_AI_EVALUATION_EXPLANATION]: score.explanation,
  });
}

/** The experiment's span: a trace of its own, which every case's evaluation links to. */
export function startExperimentSpan(tracer: Tracer, experiment: Experiment): Span {
  return tracer.startSpan(
    semconv.SPAN_EVALUATION_EXPERIMENT,
    { kind: SpanKind.INTERNAL, attributes: experimentAttributes(experiment) },
    ROOT_CONTEXT,
  );
}

/** Each evaluator's mean over the cases, as an evaluation result of the experiment. */
export function endExperimentSpan(
  span: Span,
  { cases, passed, means }: { cases: number; passed: number; means: Score[] },
): void {
  span.setAttributes({
    [semconv.ATTR_EVALUATION_CASES]: cases,
    [semconv.ATTR_EVALUATION_CASES_PASSED]: passed,
  });
  for (const score of means) addScore(span, score);
  span.end();
}

/**
 * Runs a case's evaluators inside its `agent.evaluation` span, under the evaluated run's span in
 * the run's trace (the GenAI conventions parent an evaluation result to the operation it
 * evaluates), linked to the experiment; each score is then an event on it. The judge's model call,
 * made inside, is a child of it: in the run's trace, apart from the run's own spans and cost.
 */
export async function recordCaseEvaluation(
  tracer: Tracer,
  {
    experiment,
    experimentSpan,
    caseId,
    evaluated,
  }: {
    experiment: Experiment;
    experimentSpan: Span;
    caseId: string;
    evaluated: EvaluatedSpan | undefined;
  },
  evaluate: () => Promise<Score[]>,
): Promise<Score[]> {
  const parent = evaluated
    ? trace.setSpanContext(ROOT_CONTEXT, {
        ...evaluated,
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
      })
    : ROOT_CONTEXT;
  const span = tracer.startSpan(
    semconv.SPAN_AGENT_EVALUATION,
    {
      kind: SpanKind.INTERNAL,
      links: [{ context: experimentSpan.spanContext() }],
      attributes: {
        ...experimentAttributes(experiment),
        [semconv.ATTR_EVALUATION_CASE_ID]: caseId,
      },
    },
    parent,
  );
  try {
    const scores = await context.with(trace.setSpan(parent, span), evaluate);
    for (const score of scores) addScore(span, score);
    return scores;
  } finally {
    span.end();
  }
}
