import type { Evaluator } from './evaluator';
import { scored } from './evaluator';
import { countMatched, unmatchedReasons } from './match-tool-calls';

/** Of the expected tool calls, the share the run made (name, outcome and arguments), in any order. */
export const toolRecall: Evaluator = {
  name: 'tool_recall',
  needsTrace: true,
  evaluate({ evalCase, trace }) {
    const expected = evalCase.expect.tools?.calls;
    if (!expected) return undefined;
    const matched = countMatched(expected, trace.toolCalls);
    const missing = unmatchedReasons(expected, trace.toolCalls);
    return scored(
      'tool_recall',
      expected.length ? matched / expected.length : 1,
      `${matched} of ${expected.length} expected call(s) made${missing.length ? `: ${missing.join('; ')}` : ''}`,
    );
  },
};
