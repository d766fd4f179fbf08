import type { Evaluator } from './evaluator';
import { scored } from './evaluator';

/**
 * How the request ended, from the answer: its HTTP status, the refusal's `error.code`, and why the
 * run stopped. Every case has an expected status (200 unless it says otherwise).
 */
export const outcome: Evaluator = {
  name: 'outcome',
  needsTrace: false,
  evaluate({ evalCase, answer }) {
    const { status, error_code: errorCode, stopped_reason: stoppedReason } = evalCase.expect;
    if (answer.status === undefined)
      return scored('outcome', 0, `no answer: ${answer.failure ?? 'unknown'}`);
    const got = [answer.status, answer.errorCode ?? answer.stoppedReason].filter(Boolean).join(' ');
    const expected = [status, errorCode ?? stoppedReason].filter(Boolean).join(' ');
    const ok =
      answer.status === status &&
      (errorCode === undefined || answer.errorCode === errorCode) &&
      (stoppedReason === undefined || answer.stoppedReason === stoppedReason);
    return scored(
      'outcome',
      ok ? 1 : 0,
      ok ? `answered ${got}` : `answered ${got}, not ${expected}`,
    );
  },
};
