import { evaluationInput } from '../../../test/support/evaluation-input';
import { runSpans } from '../../../test/support/run-spans';
import { delegation } from './delegation';

function delegated({ joined }: { joined: boolean }) {
  const trace = runSpans();
  const task = trace.task(trace.server());
  const tool = trace.tool(task, 'delegate_to_subagent', { ok: joined });
  const post = trace.client(tool, !joined);
  if (joined) trace.task(trace.server('sub-agent-service', post));
  return trace.spans;
}

describe('the delegation evaluator', () => {
  it("passes when the sub-agent's run joined the trace under the delegating tool call", () => {
    expect(
      delegation.evaluate(
        evaluationInput({ expect: { delegated: true }, spans: delegated({ joined: true }) }),
      ),
    ).toEqual({
      name: 'delegation',
      value: 1,
      label: 'pass',
      explanation: 'sub-agent-service ran under delegate_to_subagent in this trace',
    });
  });

  it('fails when the call was made but no run of the sub-agent joined the trace', () => {
    expect(
      delegation.evaluate(
        evaluationInput({ expect: { delegated: true }, spans: delegated({ joined: false }) }),
      ),
    ).toMatchObject({
      value: 0,
      explanation: 'no other agent run joined this trace',
    });
  });

  it('fails a delegation the case says must not happen', () => {
    expect(
      delegation.evaluate(
        evaluationInput({ expect: { delegated: false }, spans: delegated({ joined: true }) }),
      ),
    ).toMatchObject({
      value: 0,
      label: 'fail',
    });
  });

  it('does not judge a case that says nothing of delegation', () => {
    expect(
      delegation.evaluate(evaluationInput({ spans: delegated({ joined: true }) })),
    ).toBeUndefined();
  });
});
