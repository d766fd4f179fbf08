import type { CaseAnswer, EvaluationInput, Evaluator, Score } from '../evaluators';
import type { EvalCase } from '../dataset/case-schema';
import type { RunTrace } from '../trace/run-trace';

export interface CaseEvaluation {
  evalCase: EvalCase;
  answer: CaseAnswer;
  trace: RunTrace;
  evaluators: readonly Evaluator[];
  /** False when no spans are collected: the evaluators that read the trace are left out. */
  collectsSpans: boolean;
}

/**
 * Each evaluator's score, in order, for those the case expects something of. One that reads the
 * trace fails when the trace did not arrive, whatever it would have made of an empty one.
 */
export async function evaluateCase({
  evalCase,
  answer,
  trace,
  evaluators,
  collectsSpans,
}: CaseEvaluation): Promise<Score[]> {
  const input: EvaluationInput = { evalCase, answer, trace };
  const scores: Score[] = [];
  for (const evaluator of evaluators) {
    if (evaluator.needsTrace && !collectsSpans) continue;
    const score = await evaluator.evaluate(input);
    if (!score) continue;
    scores.push(
      evaluator.needsTrace && !trace.root
        ? { ...score, value: 0, label: 'fail', explanation: "the run's trace did not arrive" }
        : score,
    );
  }
  return scores;
}
