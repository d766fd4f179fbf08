import { evaluationInput } from '../../../test/support/evaluation-input';
import type { Judge, JudgeRequest } from '../judge/judge';
import { JudgeError } from '../judge/judge';
import { createJudgeEvaluator } from './judge';

/** A judge that answers what it is told to, and remembers what it was asked. */
function scriptedJudge(answer: (request: JudgeRequest) => ReturnType<Judge['grade']>) {
  const asked: JudgeRequest[] = [];
  const judge: Judge = {
    grade: (request) => {
      asked.push(request);
      return answer(request);
    },
  };
  return { judge, asked };
}

describe('the judge evaluator', () => {
  it("asks the judge about the case's task, the answer and the reference, and keeps its verdict", async () => {
    const { judge, asked } = scriptedJudge(async () => ({
      score: 0.8,
      label: 'pass',
      explanation: 'Right, terse.',
    }));
    const score = await createJudgeEvaluator(judge).evaluate(
      evaluationInput({ expect: { reference: '391' }, answer: { answer: '17 * 23 = 391' } }),
    );
    expect(asked).toEqual([
      { task: 'Calculate 17 * 23', answer: '17 * 23 = 391', reference: '391' },
    ]);
    expect(score).toEqual({
      name: 'judge',
      value: 0.8,
      label: 'pass',
      explanation: 'Right, terse.',
    });
  });

  it('fails, without asking, a case with no answer', async () => {
    const { judge, asked } = scriptedJudge(async () => ({
      score: 1,
      label: 'pass',
      explanation: '',
    }));
    const score = await createJudgeEvaluator(judge).evaluate(
      evaluationInput({
        expect: { reference: '391' },
        answer: { status: undefined, answer: undefined },
      }),
    );
    expect(asked).toEqual([]);
    expect(score).toMatchObject({ value: 0, explanation: 'no answer to judge' });
  });

  it('fails the case, saying why, when the judge gives no verdict', async () => {
    const { judge } = scriptedJudge(async () => {
      throw new JudgeError('the judge answered no verdict: "I think so"');
    });
    const score = await createJudgeEvaluator(judge).evaluate(
      evaluationInput({ expect: { reference: '391' } }),
    );
    expect(score).toMatchObject({
      value: 0,
      label: 'fail',
      explanation: 'the judge failed: the judge answered no verdict: "I think so"',
    });
  });

  it('does not judge a case without a reference', async () => {
    const { judge } = scriptedJudge(async () => ({ score: 1, label: 'pass', explanation: '' }));
    expect(await createJudgeEvaluator(judge).evaluate(evaluationInput({}))).toBeUndefined();
  });
});
