import type { Evaluator } from './evaluator';
import { scored } from './evaluator';

/** Steps, model calls and tokens of the run within the case's budget, read from the run's span. */
export const budget: Evaluator = {
  name: 'budget',
  needsTrace: true,
  evaluate({ evalCase, trace }) {
    const limits = evalCase.expect.budget;
    if (!limits) return undefined;
    const tokens =
      trace.inputTokens === undefined ? undefined : trace.inputTokens + (trace.outputTokens ?? 0);
    const measured = [
      ['steps', trace.steps, limits.max_steps],
      ['model calls', trace.modelCallCount, limits.max_model_calls],
      ['tokens', tokens, limits.max_tokens],
    ] as const;
    const checked = measured.filter(([, , limit]) => limit !== undefined);
    const over = checked.filter(([, used, limit]) => used === undefined || used > limit!);
    const line = checked
      .map(([what, used, limit]) => `${what} ${used ?? 'unknown'}/${limit}`)
      .join(', ');
    return scored('budget', over.length ? 0 : 1, over.length ? `over budget: ${line}` : line);
  },
};
