import type { Evaluator } from './evaluator';
import { scored } from './evaluator';

/**
 * Memory before the answer: `recalled` when a read of the session (short-term) found earlier
 * turns, or a search of the user's other sessions (long-term) gave some to the model, before the
 * run's last model call ended (its answer); `empty` when nothing was found at all (another user's
 * session).
 */
export const memory: Evaluator = {
  name: 'memory',
  needsTrace: true,
  evaluate({ evalCase, trace }) {
    const expected = evalCase.expect.memory;
    if (!expected) return undefined;
    const lastCall = trace.modelCalls.at(-1);
    const before = trace.memory.filter(
      (operation) => lastCall !== undefined && operation.endNs <= lastCall.endNs,
    );
    const given = (operation: (typeof before)[number]) =>
      operation.operation === 'search' ? (operation.used ?? 0) : operation.found;
    const recalled = before.filter(
      (operation) => operation.operation !== 'write' && given(operation) > 0,
    );
    const found = trace.memory.filter(
      (operation) => operation.operation !== 'write' && operation.found > 0,
    );
    const described = trace.memory
      .filter((operation) => operation.operation !== 'write')
      .map((operation) => `${operation.operation} found ${operation.found}`)
      .join(', ');
    const ok = expected === 'recalled' ? recalled.length > 0 : found.length === 0;
    return scored('memory', ok ? 1 : 0, `${expected} expected: ${described || 'no memory read'}`);
  },
};
