import { evaluationInput } from '../../../test/support/evaluation-input';
import { runSpans } from '../../../test/support/run-spans';
import { memory } from './memory';

type Operation = ['read' | 'search', number, number?];

/** A run whose memory found this much, then called the model (or called it first). */
function ran(operations: Operation[], { modelFirst = false } = {}) {
  const trace = runSpans();
  const task = trace.task(trace.server());
  if (modelFirst) trace.model(task);
  for (const [operation, found, used] of operations) trace.memory(task, operation, found, used);
  if (!modelFirst) trace.model(task);
  trace.memory(task, 'write', 0);
  return trace.spans;
}

const judged = (expected: string, spans: ReturnType<typeof ran>) =>
  memory.evaluate(evaluationInput({ expect: { memory: expected }, spans }));

describe('the memory evaluator', () => {
  it('passes recalled when the session read found earlier turns before the model answered', () => {
    expect(judged('recalled', ran([['read', 2]]))).toEqual({
      name: 'memory',
      value: 1,
      label: 'pass',
      explanation: 'recalled expected: read found 2',
    });
  });

  it('passes recalled when a long-term search gave records to the model', () => {
    expect(
      judged(
        'recalled',
        ran([
          ['read', 0],
          ['search', 1, 1],
        ]),
      ),
    ).toMatchObject({ value: 1 });
    expect(
      judged(
        'recalled',
        ran([
          ['read', 0],
          ['search', 3, 0],
        ]),
      ),
    ).toMatchObject({ value: 0 });
  });

  it('fails recalled when memory was read only after the model answered', () => {
    expect(judged('recalled', ran([['read', 2]], { modelFirst: true }))).toMatchObject({
      value: 0,
    });
  });

  it('passes empty only when nothing at all was found', () => {
    expect(
      judged(
        'empty',
        ran([
          ['read', 0],
          ['search', 0, 0],
        ]),
      ),
    ).toMatchObject({
      value: 1,
      explanation: 'empty expected: read found 0, search found 0',
    });
    expect(
      judged(
        'empty',
        ran([
          ['read', 0],
          ['search', 1, 0],
        ]),
      ),
    ).toMatchObject({ value: 0 });
  });

  it('does not judge a case that says nothing of memory', () => {
    expect(memory.evaluate(evaluationInput({ spans: ran([['read', 1]]) }))).toBeUndefined();
  });
});
