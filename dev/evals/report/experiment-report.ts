import type { Comparison } from '../compare/baseline';
import type { CaseResult } from '../run/case-result';
import { percentile, summarize, type EvaluatorSummary } from './summary';

/** What the judge spent, apart from the runs it judged. */
export interface JudgeUsage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

/** Everything the three reports show: the JSON report is this object. */
export interface ExperimentReport {
  experiment: {
    id: string;
    name: string;
    dataset: { name: string; version: string; file: string };
    /** `emulator`, or the Gemini model. */
    model: string;
    /** The agent's URL; `local` when the runner started the services. */
    target: string;
    startedAt: string;
    durationMs: number;
  };
  /** Where the trace links point (`--jaeger`). */
  jaegerUrl: string;
  summary: {
    cases: number;
    passed: number;
    /** Cases left out, with why (`emulator-only` against the real API). */
    skipped: { id: string; reason: string }[];
    evaluators: EvaluatorSummary[];
  };
  /** From the runs' spans, as the metrics record them; the judge's cost is not in the runs'. */
  measures: {
    latencyMsP50: number | undefined;
    latencyMsP95: number | undefined;
    runTokens: number;
    runCostUsd: number | null;
    judge: JudgeUsage | undefined;
  };
  comparison?: Comparison;
  cases: CaseResult[];
}

export interface ReportInput {
  experiment: ExperimentReport['experiment'];
  jaegerUrl: string;
  results: CaseResult[];
  skipped: ExperimentReport['summary']['skipped'];
  evaluatorNames: readonly string[];
  judge: JudgeUsage | undefined;
}

export function buildReport({
  experiment,
  jaegerUrl,
  results,
  skipped,
  evaluatorNames,
  judge,
}: ReportInput): ExperimentReport {
  const latencies = results.flatMap((result) =>
    result.latencyMs === undefined ? [] : [result.latencyMs],
  );
  const costs = results.flatMap((result) => (result.costUsd === undefined ? [] : [result.costUsd]));
  return {
    experiment,
    jaegerUrl,
    summary: {
      cases: results.length,
      passed: results.filter((result) => result.passed).length,
      skipped,
      evaluators: summarize(results, evaluatorNames),
    },
    measures: {
      latencyMsP50: percentile(latencies, 0.5),
      latencyMsP95: percentile(latencies, 0.95),
      runTokens: results.reduce((sum, result) => sum + (result.tokens ?? 0), 0),
      runCostUsd: costs.length ? costs.reduce((sum, cost) => sum + cost, 0) : null,
      judge,
    },
    cases: results,
  };
}
