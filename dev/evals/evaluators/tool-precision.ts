import type { Evaluator } from './evaluator';
import { scored } from './evaluator';
import { countMatched, describeCalls } from './match-tool-calls';

/** Of the run's tool calls, the share that were expected: calls nobody asked for lower it. */
export const toolPrecision: Evaluator = {
  name: 'tool_precision',
  needsTrace: true,
  evaluate({ evalCase, trace }) {
    const expected = evalCase.expect.tools?.calls;
    if (!expected) return undefined;
    const actual = trace.toolCalls;
    const matched = countMatched(expected, actual);
    return scored(
      'tool_precision',
      actual.length ? matched / actual.length : 1,
      `${matched} of ${actual.length} call(s) expected (${describeCalls(actual)})`,
    );
  },
};
