import type { CaseResult } from '../../dev/evals/run/case-result';
import type { Score } from '../../dev/evals/evaluators';

export const score = (name: string, value: number, explanation = `${name} said so`): Score => ({
  name,
  value,
  label: value >= 1 ? 'pass' : 'fail',
  explanation,
});

/** A case's result as the runner makes it, passed unless a score says otherwise. */
export function caseResult(
  id: string,
  scores: Score[],
  overrides: Partial<CaseResult> = {},
): CaseResult {
  return {
    id,
    tags: [],
    task: `the task of ${id}`,
    traceId: '0af7651916cd43dd8448eb211c80319c',
    traceComplete: true,
    status: 200,
    answer: `the answer of ${id}`,
    failure: undefined,
    durationMs: 120,
    latencyMs: 100,
    tokens: 500,
    costUsd: 0.0001,
    scores,
    passed: scores.every((each) => each.label === 'pass'),
    ...overrides,
  };
}
