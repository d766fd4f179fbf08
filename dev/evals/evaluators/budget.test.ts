import { evaluationInput } from '../../../test/support/evaluation-input';
import { runSpans, runTotals } from '../../../test/support/run-spans';
import { budget } from './budget';

function spent(totals: Parameters<typeof runTotals>[0]) {
  const trace = runSpans();
  trace.task(trace.server(), runTotals(totals));
  return trace.spans;
}

describe('the budget evaluator', () => {
  it('passes a run within its steps, model calls and tokens', () => {
    const input = evaluationInput({
      expect: { budget: { max_steps: 2, max_model_calls: 3, max_tokens: 1000 } },
      spans: spent({ steps: 1, modelCalls: 2, inputTokens: 900, outputTokens: 50 }),
    });
    expect(budget.evaluate(input)).toEqual({
      name: 'budget',
      value: 1,
      label: 'pass',
      explanation: 'steps 1/2, model calls 2/3, tokens 950/1000',
    });
  });

  it('fails a run over any one of them', () => {
    const input = evaluationInput({
      expect: { budget: { max_tokens: 1000 } },
      spans: spent({ inputTokens: 990, outputTokens: 20 }),
    });
    expect(budget.evaluate(input)).toMatchObject({
      value: 0,
      explanation: 'over budget: tokens 1010/1000',
    });
  });

  it('fails a budget it cannot read from the trace (no run)', () => {
    const trace = runSpans();
    trace.server();
    const input = evaluationInput({ expect: { budget: { max_steps: 1 } }, spans: trace.spans });
    expect(budget.evaluate(input)).toMatchObject({
      value: 0,
      explanation: 'over budget: steps unknown/1',
    });
  });
});
