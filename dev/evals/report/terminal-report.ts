import { comparisonTable } from '../compare/comparison-table';
import type { ExperimentReport } from './experiment-report';
import { textTable } from './text-table';

const milliseconds = (value: number | undefined) =>
  value === undefined
    ? 'unknown'
    : value >= 1000
      ? `${(value / 1000).toFixed(1)} s`
      : `${Math.round(value)} ms`;
const dollars = (value: number | null | undefined) =>
  value === null || value === undefined ? 'unknown' : `$${value.toFixed(6)}`;

/**
 * The report for a terminal or a CI log: a table per evaluator, what the runs spent, every failed
 * score with its explanation and trace id, and the comparison with the baseline.
 */
export function terminalReport(report: ExperimentReport): string {
  const { experiment, summary, measures } = report;
  const header =
    `Experiment ${experiment.id}: dataset ${experiment.dataset.name} (version ${experiment.dataset.version}), ` +
    `${summary.cases} case(s) on ${experiment.model}, ${summary.passed} passed, in ${milliseconds(experiment.durationMs)}`;
  const evaluators = textTable([
    ['evaluator', 'cases', 'passed', 'failed', 'mean'],
    ...summary.evaluators.map((evaluator) => [
      evaluator.name,
      String(evaluator.cases),
      String(evaluator.passed),
      String(evaluator.cases - evaluator.passed),
      evaluator.mean.toFixed(3),
    ]),
  ]);
  const judge = measures.judge
    ? `; the judge apart: ${measures.judge.calls} call(s), ${measures.judge.inputTokens + measures.judge.outputTokens} tokens, ${dollars(measures.judge.costUsd)}`
    : '';
  const spent = `Runs: latency p50 ${milliseconds(measures.latencyMsP50)}, p95 ${milliseconds(measures.latencyMsP95)}; ${measures.runTokens} tokens, ${dollars(measures.runCostUsd)}${judge}`;
  const failures = report.cases.filter((result) => !result.passed);
  const failureLines = failures.flatMap((result) => [
    `  ${result.id}${result.traceId ? `  trace ${result.traceId}` : ''}${result.failure ? `  (${result.failure})` : ''}`,
    ...result.scores
      .filter((score) => score.label === 'fail')
      .map((score) => `    ${score.name} ${score.value.toFixed(2)}: ${score.explanation}`),
  ]);
  return [
    header,
    '',
    evaluators,
    '',
    spent,
    ...(summary.skipped.length
      ? [`Skipped: ${summary.skipped.map((skip) => `${skip.id} (${skip.reason})`).join(', ')}`]
      : []),
    '',
    ...(failures.length
      ? [`Failures (${failures.length} case(s)):`, ...failureLines]
      : ['No failure.']),
    ...(report.comparison ? ['', comparisonTable(report.comparison)] : []),
  ].join('\n');
}
