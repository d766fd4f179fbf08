import { evalCaseSchema } from '../../dev/evals/dataset/case-schema';
import type { CaseAnswer, EvaluationInput } from '../../dev/evals/evaluators';
import { readRunTrace } from '../../dev/evals/trace/run-trace';
import type { ReceivedSpan } from '../../dev/otlp/receiver';
import { TRACE_ID } from './run-spans';

/** An evaluator's input: a case as a dataset line would give it, an answer, and a run's spans. */
export function evaluationInput({
  expect = {},
  input = { task: 'Calculate 17 * 23' },
  answer = {},
  spans = [],
}: {
  expect?: Record<string, unknown>;
  input?: Record<string, unknown>;
  answer?: Partial<CaseAnswer>;
  spans?: readonly ReceivedSpan[];
}): EvaluationInput {
  return {
    evalCase: evalCaseSchema.parse({ id: 'case', input, expect }),
    answer: {
      status: 200,
      answer: '17 * 23 = 391',
      errorCode: undefined,
      stoppedReason: 'completed',
      failure: undefined,
      ...answer,
    },
    trace: readRunTrace(TRACE_ID, spans),
  };
}
