import { evaluationInput } from '../../../test/support/evaluation-input';
import { answerFacts } from './answer-facts';

const judged = (expect: Record<string, unknown>, answer: string) =>
  answerFacts.evaluate(evaluationInput({ expect, answer: { answer } }));

describe('the answer-facts evaluator', () => {
  it('passes an answer that states every fact, case and spacing aside', () => {
    expect(judged({ facts: ['17*23', 'EUROPE/Madrid'] }, '17 * 23 = 391 in europe/madrid')).toEqual(
      {
        name: 'answer_facts',
        value: 1,
        label: 'pass',
        explanation: 'states the 2 fact(s)',
      },
    );
  });

  it('scores the share of facts held, naming what is missing and what is forbidden', () => {
    expect(
      judged(
        { facts: ['391', { matches: '\\d{2}:\\d{2}' }], forbidden: ['system prompt'] },
        'The system prompt says 391',
      ),
    ).toEqual({
      name: 'answer_facts',
      value: 1 / 3,
      label: 'fail',
      explanation: 'missing /\\d{2}:\\d{2}/; states forbidden "system prompt"',
    });
  });

  it('passes an answer that states nothing forbidden', () => {
    expect(judged({ forbidden: ['6 * 7'] }, 'I have no earlier request of yours.')).toMatchObject({
      value: 1,
      explanation: 'states the 0 fact(s), none forbidden',
    });
  });

  it('reads a refusal by its message, and does not judge a case with no facts', () => {
    expect(
      answerFacts.evaluate(
        evaluationInput({
          expect: { facts: ['task'] },
          answer: { status: 400, answer: 'task: must not be empty' },
        }),
      ),
    ).toMatchObject({ value: 1 });
    expect(answerFacts.evaluate(evaluationInput({}))).toBeUndefined();
  });
});
