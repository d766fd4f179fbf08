import { evaluationInput } from '../../../test/support/evaluation-input';
import { outcome } from './outcome';

describe('the outcome evaluator', () => {
  it('passes a 200 that completed, the default expectation', () => {
    expect(outcome.evaluate(evaluationInput({}))).toEqual({
      name: 'outcome',
      value: 1,
      label: 'pass',
      explanation: 'answered 200 completed',
    });
  });

  it('passes the refusal a case expects, and fails another one', () => {
    const expectRefusal = { status: 400, error_code: 'invalid_request' };
    const refused = { status: 400, errorCode: 'invalid_request', answer: undefined };
    expect(
      outcome.evaluate(evaluationInput({ expect: expectRefusal, answer: refused })),
    ).toMatchObject({
      value: 1,
      explanation: 'answered 400 invalid_request',
    });
    expect(
      outcome.evaluate(
        evaluationInput({
          expect: expectRefusal,
          answer: { ...refused, errorCode: 'invalid_json' },
        }),
      ),
    ).toMatchObject({
      value: 0,
      explanation: 'answered 400 invalid_json, not 400 invalid_request',
    });
  });

  it('fails a run that stopped for another reason than expected', () => {
    expect(
      outcome.evaluate(evaluationInput({ expect: { stopped_reason: 'max_steps' } })),
    ).toMatchObject({ value: 0, explanation: 'answered 200 completed, not 200 max_steps' });
  });

  it('fails a case that got no answer, and says why', () => {
    const noAnswer = { status: undefined, failure: 'the case deadline of 60000 ms passed' };
    expect(outcome.evaluate(evaluationInput({ answer: noAnswer }))).toMatchObject({
      value: 0,
      explanation: 'no answer: the case deadline of 60000 ms passed',
    });
  });
});
