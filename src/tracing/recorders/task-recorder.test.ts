import { histogramPointsOf, installInMemoryMetrics } from '../../../test/support/in-memory-metrics';
import { installInMemoryTracing } from '../../../test/support/in-memory-tracing';
import { SpanRecorder } from './span-recorder';
import { traceTask, type RunTotals } from './task-recorder';

const tracing = installInMemoryTracing();
let recorded: ReturnType<typeof installInMemoryMetrics>;
let recorder: SpanRecorder;
beforeEach(() => {
  tracing.reset();
  recorded = installInMemoryMetrics();
  recorder = new SpanRecorder({ metrics: recorded.metrics });
});
afterEach(() => recorded.shutdown());
afterAll(() => tracing.shutdown());

const TASK = { agentName: 'test-agent', task: 'Add 2 and 2' };
const TOTALS: RunTotals = {
  stoppedReason: 'max_steps',
  totalSteps: 2,
  modelCalls: 3,
  usage: { inputTokens: 100, outputTokens: 20, costUsd: null },
};

const runsCounted = async () =>
  (await recorded.collect())
    .filter((metric) => metric.descriptor.name === 'agent.runs')
    .flatMap((metric) => metric.dataPoints.map((point) => point.attributes));

describe('the task recorder', () => {
  it("records the end of the loop as agent.finished, and the run's totals on its span", async () => {
    await traceTask(recorder, TASK, (run) => {
      run.malformedCallCorrected(1);
      run.finished(TOTALS);
    });
    const span = tracing.one('agent.task');
    expect(span.events.map((event) => [event.name, event.attributes])).toEqual([
      ['agent.malformed_function_call', { 'agent.correction': 1 }],
      ['agent.finished', { 'agent.stopped_reason': 'max_steps', 'agent.total_steps': 2 }],
    ]);
    expect(span.attributes).toMatchObject({
      'agent.total_steps': 2,
      'agent.stopped_reason': 'max_steps',
      'agent.model_calls': 3,
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 20,
    });
    // An unknown cost is no cost, never 0.
    expect(span.attributes).not.toHaveProperty(['gen_ai.usage.cost']);
  });

  it('counts a run by how it stopped, or by error.type when it fails after its loop', async () => {
    await traceTask(recorder, TASK, (run) => run.finished(TOTALS));
    await expect(
      traceTask(recorder, TASK, (run) => {
        run.finished({ ...TOTALS, stoppedReason: 'completed' });
        throw Object.assign(new Error('late'), { errorType: 'memory_unavailable' });
      }),
    ).rejects.toThrow('late');
    const runs = await runsCounted();
    expect(runs).toEqual([
      expect.objectContaining({ 'agent.stopped_reason': 'max_steps' }),
      expect.objectContaining({ 'error.type': 'memory_unavailable' }),
    ]);
    expect(runs[1]).not.toHaveProperty(['agent.stopped_reason']);
    expect(
      histogramPointsOf(await recorded.collect(), 'gen_ai.invoke_agent.duration'),
    ).toHaveLength(2);
  });

  it("records the run's answer as content only with capture on", async () => {
    const answer = (capture: boolean) =>
      traceTask(new SpanRecorder({ captureContent: capture }), TASK, (run) => {
        run.answer('It is 4.', 'stop');
        return run.spanContext;
      });
    const withoutCapture = await answer(false);
    expect(tracing.one('agent.task').attributes).not.toHaveProperty(['gen_ai.output.messages']);
    tracing.reset();
    const withCapture = await answer(true);
    expect(tracing.one('agent.task').attributes['gen_ai.output.messages']).toContain('It is 4.');
    // The loop gets the run's span context, for what is recorded about the run later.
    expect(withCapture?.traceId).toBe(tracing.one('agent.task').spanContext().traceId);
    expect(withoutCapture?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});
