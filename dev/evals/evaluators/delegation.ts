import type { Evaluator } from './evaluator';
import { scored } from './evaluator';

/**
 * Whether the run delegated: another service's agent run joined this trace under one of the run's
 * tool calls (the sub-agent continued the trace context it was sent). Or, for `delegated: false`,
 * that none did.
 */
export const delegation: Evaluator = {
  name: 'delegation',
  needsTrace: true,
  evaluate({ evalCase, trace }) {
    const expected = evalCase.expect.delegated;
    if (expected === undefined) return undefined;
    const joined = trace.toolCalls.filter((call) => call.joinedRuns.length);
    const services = [...new Set(joined.flatMap((call) => call.joinedRuns))];
    const happened = joined.length > 0;
    const explanation = happened
      ? `${services.join(', ')} ran under ${joined.map((call) => call.name).join(', ')} in this trace`
      : 'no other agent run joined this trace';
    return scored('delegation', happened === expected ? 1 : 0, explanation);
  },
};
