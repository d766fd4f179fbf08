import type { Judge } from '../judge/judge';
import { answerFacts } from './answer-facts';
import { budget } from './budget';
import { delegation } from './delegation';
import type { Evaluator } from './evaluator';
import { createJudgeEvaluator } from './judge';
import { memory } from './memory';
import { outcome } from './outcome';
import { toolPrecision } from './tool-precision';
import { toolRecall } from './tool-recall';
import { trajectory } from './trajectory';

export type { CaseAnswer, EvaluationInput, Evaluator, Score } from './evaluator';

/** Every evaluator, in the order the reports list them; the judge only when there is one. */
export function createEvaluators(judge: Judge | undefined): Evaluator[] {
  return [
    outcome,
    trajectory,
    toolRecall,
    toolPrecision,
    delegation,
    memory,
    budget,
    answerFacts,
    ...(judge ? [createJudgeEvaluator(judge)] : []),
  ];
}
