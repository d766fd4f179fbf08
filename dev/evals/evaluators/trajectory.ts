import type { Evaluator } from './evaluator';
import { scored } from './evaluator';
import { describeCalls, followsTrajectory, unmatchedReasons } from './match-tool-calls';

/**
 * The run's tool calls against the expected trajectory: `exact`, `in_order` or `any_order`, each
 * call by name, outcome and arguments. 1 when it follows it, else 0.
 */
export const trajectory: Evaluator = {
  name: 'trajectory',
  needsTrace: true,
  evaluate({ evalCase, trace }) {
    const tools = evalCase.expect.tools;
    if (!tools) return undefined;
    const actual = trace.toolCalls;
    const followed = followsTrajectory(tools.order, tools.calls, actual);
    const reasons = unmatchedReasons(tools.calls, actual);
    const extra =
      tools.order === 'exact' && actual.length !== tools.calls.length
        ? [`${actual.length} call(s) where ${tools.calls.length} were expected`]
        : [];
    const why = followed ? '' : ` (${[...reasons, ...extra].join('; ') || 'out of order'})`;
    return scored('trajectory', followed ? 1 : 0, `${tools.order}: ${describeCalls(actual)}${why}`);
  },
};
