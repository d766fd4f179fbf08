import type { Span, Tracer } from '@opentelemetry/api';
import type { EvalCase } from '../dataset/case-schema';
import type { Evaluator } from '../evaluators';
import { recordCaseEvaluation, type Experiment } from '../record/evaluation-spans';
import type { ReceivedSpan } from '../../otlp/receiver';
import { readRunTrace } from '../trace/run-trace';
import type { CaseResult } from './case-result';
import { collectTrace } from './collect-trace';
import { evaluateCase } from './evaluate-case';
import { mapBounded } from './bounded';
import { runCase } from './run-case';
import type { EvalServices } from './services';

export interface ExperimentRun {
  experiment: Experiment;
  /** A random part of the experiment's id: makes its users and sessions its own. */
  scope: string;
  experimentSpan: Span;
  tracer: Tracer;
  cases: readonly EvalCase[];
  services: EvalServices;
  evaluators: readonly Evaluator[];
  concurrency: number;
  caseTimeoutMs: number;
  apiKey?: string;
  /** Sends the services' spans on to the user's backend, if there is one. */
  relay?: (spans: readonly ReceivedSpan[]) => Promise<void>;
  onCaseDone(result: CaseResult): void;
}

/** Runs every case, a few at a time, and scores each as soon as its trace is in. */
export function runExperiment(run: ExperimentRun): Promise<CaseResult[]> {
  const { experiment, services, cases } = run;
  return mapBounded(cases, run.concurrency, async (evalCase) => {
    const { answer, traceId, durationMs } = await runCase(evalCase, {
      agentUrl: services.agentUrl,
      namespace: `${run.scope}.${evalCase.id}`,
      timeoutMs: run.caseTimeoutMs,
      apiKey: run.apiKey,
    });
    const collected =
      services.receiver && traceId ? await collectTrace(services.receiver, traceId) : undefined;
    if (collected && run.relay) await run.relay(collected.spans);
    const trace = readRunTrace(traceId ?? '', collected?.spans ?? []);
    const evaluated = trace.task ?? trace.root;
    const scores = await recordCaseEvaluation(
      run.tracer,
      {
        experiment,
        experimentSpan: run.experimentSpan,
        caseId: evalCase.id,
        evaluated: evaluated && { traceId: evaluated.traceId, spanId: evaluated.spanId },
      },
      () =>
        evaluateCase({
          evalCase,
          answer,
          trace,
          evaluators: run.evaluators,
          collectsSpans: services.receiver !== undefined,
        }),
    );
    const result: CaseResult = {
      id: evalCase.id,
      tags: evalCase.tags,
      task: evalCase.input.task ?? JSON.stringify(evalCase.input.body),
      traceId,
      traceComplete: collected?.complete,
      status: answer.status,
      answer: answer.answer,
      failure: answer.failure,
      durationMs,
      latencyMs: trace.durationMs,
      tokens:
        trace.inputTokens === undefined ? undefined : trace.inputTokens + (trace.outputTokens ?? 0),
      costUsd: trace.costUsd,
      scores,
      passed: scores.every((score) => score.label === 'pass'),
    };
    run.onCaseDone(result);
    return result;
  });
}
