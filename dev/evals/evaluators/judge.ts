import type { Judge } from '../judge/judge';
import type { Evaluator } from './evaluator';
import { scored } from './evaluator';

/**
 * LLM-as-judge: the answer graded against the case's reference answer by a model following the
 * rubric in evals/rubric.md (offline, the emulator's scripted judge). Its label is the judge's.
 */
export function createJudgeEvaluator(judge: Judge): Evaluator {
  return {
    name: 'judge',
    needsTrace: false,
    async evaluate({ evalCase, answer }) {
      const reference = evalCase.expect.reference;
      if (!reference) return undefined;
      if (!answer.answer) return scored('judge', 0, 'no answer to judge');
      const task = evalCase.input.task ?? JSON.stringify(evalCase.input.body);
      try {
        const verdict = await judge.grade({ task, answer: answer.answer, reference });
        return {
          name: 'judge',
          value: verdict.score,
          label: verdict.label,
          explanation: verdict.explanation,
        };
      } catch (error) {
        return scored('judge', 0, `the judge failed: ${(error as Error).message}`);
      }
    },
  };
}
