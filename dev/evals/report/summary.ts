import type { CaseResult } from '../run/case-result';

/** One evaluator over the cases it judged. */
export interface EvaluatorSummary {
  name: string;
  cases: number;
  passed: number;
  /** The mean score, from 0 to 1: the number a baseline holds. */
  mean: number;
}

/** Each evaluator's mean and passes, in the order given, over the cases it judged. */
export function summarize(
  results: readonly CaseResult[],
  evaluatorNames: readonly string[],
): EvaluatorSummary[] {
  return evaluatorNames.flatMap((name) => {
    const scores = results.flatMap((result) =>
      result.scores.filter((score) => score.name === name),
    );
    if (!scores.length) return [];
    return [
      {
        name,
        cases: scores.length,
        passed: scores.filter((score) => score.label === 'pass').length,
        mean: scores.reduce((sum, score) => sum + score.value, 0) / scores.length,
      },
    ];
  });
}

/** The value below which `share` of the values fall (nearest rank); undefined for none. */
export function percentile(values: readonly number[], share: number): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}
