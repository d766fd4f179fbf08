import type { EvalCase } from '../dataset/case-schema';
import type { RunTrace } from '../trace/run-trace';

/** What the service answered to a case's request. */
export interface CaseAnswer {
  /** The HTTP status; undefined when no answer came (the case's deadline, the network). */
  status: number | undefined;
  /** The agent's answer (`response`), or the refusal's `error.message`. */
  answer: string | undefined;
  /** `error.code` of a refusal. */
  errorCode: string | undefined;
  stoppedReason: string | undefined;
  /** Why there is no answer, when there is none. */
  failure: string | undefined;
}

export interface EvaluationInput {
  evalCase: EvalCase;
  answer: CaseAnswer;
  /**
   * The run's trace. Evaluators that need it are left out when no spans are collected (a
   * `--target` without a receiver), and fail, without being asked, when the trace did not arrive.
   */
  trace: RunTrace;
}

/** One evaluator's verdict on one case: a `gen_ai.evaluation.result` event. */
export interface Score {
  /** `gen_ai.evaluation.name`. */
  name: string;
  /** `gen_ai.evaluation.score.value`, from 0 (worst) to 1 (best). */
  value: number;
  /** `gen_ai.evaluation.score.label`. */
  label: 'pass' | 'fail';
  /** `gen_ai.evaluation.explanation`. */
  explanation: string;
}

/**
 * One way to judge a run. `evaluate` answers undefined when the case expects nothing it checks;
 * `needsTrace` evaluators are left out when no spans are collected. Adding one is a file with an
 * object like this, and a line in `./index.ts`.
 */
export interface Evaluator {
  readonly name: string;
  readonly needsTrace: boolean;
  evaluate(input: EvaluationInput): Score | undefined | Promise<Score | undefined>;
}

/** A score that passes at `passAt` or above (1 by default: all or nothing). */
export function scored(name: string, value: number, explanation: string, passAt = 1): Score {
  return { name, value, label: value >= passAt ? 'pass' : 'fail', explanation };
}
