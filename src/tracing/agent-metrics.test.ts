import { ROOT_CONTEXT } from '@opentelemetry/api';
import { histogramPointsOf, installInMemoryMetrics } from '../../test/support/in-memory-metrics';
import { installInMemoryTracing } from '../../test/support/in-memory-tracing';
import { AgentTracer } from './agent-tracer';
import { LIMITS } from '../limits';
import * as semconv from './semconv';

const tracing = installInMemoryTracing();
let recorded: ReturnType<typeof installInMemoryMetrics>;
let tracer: AgentTracer;
beforeEach(() => {
  tracing.reset();
  recorded = installInMemoryMetrics();
  tracer = new AgentTracer({ metrics: recorded.metrics });
});
afterEach(() => recorded.shutdown());
afterAll(() => tracing.shutdown());

const LLM_CALL = { requestModel: 'gemini-2.0-flash', providerName: 'gcp.gemini', stepNumber: 0 };
const timeout = Object.assign(new Error('took too long: secret text'), {
  errorType: 'model_timeout',
});

describe('AgentMetrics through AgentTracer', () => {
  it('uses the buckets the GenAI conventions recommend', async () => {
    await tracer.traceLlmCall(LLM_CALL, () => 'ok');
    await tracer.traceTask({ agentName: 'a', task: 't' }, () => 'done');
    const metrics = await recorded.collect();
    const [call] = histogramPointsOf(metrics, 'gen_ai.client.operation.duration');
    expect(call!.value.buckets.boundaries).toEqual([...semconv.GEN_AI_OPERATION_DURATION_BUCKETS]);
    const [run] = histogramPointsOf(metrics, 'gen_ai.invoke_agent.duration');
    expect(run!.value.buckets.boundaries).toEqual([
      ...semconv.GEN_AI_INVOKE_AGENT_DURATION_BUCKETS,
    ]);
  });

  it('adds error.type to a failed model call, and never its message', async () => {
    await expect(
      tracer.traceLlmCall(LLM_CALL, () => {
        throw timeout;
      }),
    ).rejects.toThrow();
    const [call] = histogramPointsOf(await recorded.collect(), 'gen_ai.client.operation.duration');
    expect(call!.attributes).toEqual({
      'gen_ai.operation.name': 'generate_content',
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.request.model': 'gemini-2.0-flash',
      'error.type': 'model_timeout',
    });
  });

  it('counts a failed run by error.type, a finished one by its stop reason', async () => {
    const task = { agentName: 'a', task: 't' };
    const usage = { inputTokens: 0, outputTokens: 0, costUsd: null };
    await tracer.traceTask(task, (run) =>
      run.finished({ stoppedReason: 'max_steps', totalSteps: 0, modelCalls: 0, usage }),
    );
    await expect(
      tracer.traceTask(task, () => {
        throw timeout;
      }),
    ).rejects.toThrow();
    const runs = (await recorded.collect())
      .filter((metric) => metric.descriptor.name === 'agent.runs')
      .flatMap((metric) => metric.dataPoints.map((point) => point.attributes));
    expect(runs).toEqual([
      expect.objectContaining({ 'agent.stopped_reason': 'max_steps' }),
      expect.objectContaining({ 'error.type': 'model_timeout' }),
    ]);
  });

  it('counts an MCP result with isError as failed (tool_error), on both sides', async () => {
    const info = { method: 'tools/call', toolName: 'convert_units' };
    await tracer.traceMcpClientCall(info, () => ({ isError: true }));
    await tracer.traceMcpServerCall(info, ROOT_CONTEXT, () => ({ isError: false }));
    const metrics = await recorded.collect();
    const [client] = histogramPointsOf(metrics, 'mcp.client.operation.duration');
    expect(client!.attributes).toEqual({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'convert_units',
      'gen_ai.operation.name': 'execute_tool',
      'error.type': 'tool_error',
    });
    const [server] = histogramPointsOf(metrics, 'mcp.server.operation.duration');
    expect(server!.attributes).not.toHaveProperty(['error.type']);
    expect(server!.value.buckets.boundaries).toEqual([...semconv.MCP_OPERATION_DURATION_BUCKETS]);
  });

  describe('feedback scores', () => {
    const RUN = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    };
    const feedback = (name: string, score?: number) =>
      tracer.recordFeedback(RUN, { agentName: 'traced-agent', name, score, label: 'x' });

    it('records each score by evaluation name and agent, and nothing for a label alone', async () => {
      feedback('user_feedback', 1);
      feedback('user_feedback', 0);
      feedback('accuracy', 4);
      feedback('label_only');
      const points = histogramPointsOf(await recorded.collect(), 'agent.feedback.score');
      expect(points.map((point) => [point.attributes, point.value.count, point.value.sum])).toEqual(
        [
          [
            { 'gen_ai.evaluation.name': 'user_feedback', 'gen_ai.agent.name': 'traced-agent' },
            2,
            1,
          ],
          [{ 'gen_ai.evaluation.name': 'accuracy', 'gen_ai.agent.name': 'traced-agent' }, 1, 4],
        ],
      );
      expect(points[0]!.value.buckets.boundaries).toEqual([...semconv.FEEDBACK_SCORE_BUCKETS]);
    });

    it('keeps at most the bound of distinct evaluation names, every later one counted as other', async () => {
      const bound = LIMITS.feedbackMetricMaxNames;
      for (let i = 0; i < bound + 5; i++) feedback(`name_${i}`, 1);
      feedback('not a name!', 1);
      const names = histogramPointsOf(await recorded.collect(), 'agent.feedback.score').map(
        (point) => point.attributes['gen_ai.evaluation.name'],
      );
      expect(names).toHaveLength(bound + 1);
      expect(names).toContain('name_0');
      expect(names).not.toContain(`name_${bound}`);
      expect(names).toContain('other');
    });
  });
});
