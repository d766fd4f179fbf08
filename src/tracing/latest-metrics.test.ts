import {
  histogramPointsOf,
  installInMemoryMetrics,
  pointsOf,
} from '../../test/support/in-memory-metrics';
import { AgentTracer } from './agent-tracer';
import { LATEST_CONVENTIONS } from './conventions/latest';

const LLM_CALL = { requestModel: 'gemini-2.0-flash', providerName: 'gcp.gemini', stepNumber: 0 };
const MODEL = {
  'gen_ai.operation.name': 'generate_content',
  'gen_ai.provider.name': 'gcp.gemini',
  'gen_ai.request.model': 'gemini-2.0-flash',
};

let recorded: ReturnType<typeof installInMemoryMetrics>;
let tracer: AgentTracer;
beforeEach(() => {
  recorded = installInMemoryMetrics(LATEST_CONVENTIONS.metrics);
  tracer = new AgentTracer({ metrics: recorded.metrics, conventions: LATEST_CONVENTIONS });
});
afterEach(() => recorded.shutdown());

describe('metrics in the latest mode (semantic-conventions-genai v0.1.0)', () => {
  it('records model calls as gen_ai.client.inference.duration, not the v1.41 name', async () => {
    await tracer.traceLlmCall(LLM_CALL, () => 'ok');
    const metrics = await recorded.collect();
    expect(histogramPointsOf(metrics, 'gen_ai.client.inference.duration')).toHaveLength(1);
    expect(pointsOf(metrics, 'gen_ai.client.operation.duration')).toEqual([]);
  });

  it('counts tokens by modality and per call, instead of gen_ai.client.token.usage', async () => {
    recorded.metrics.recordModelUsage(LLM_CALL, { inputTokens: 120, outputTokens: 30 }, undefined);
    const metrics = await recorded.collect();
    const byModality = { ...MODEL, 'gen_ai.token.modality': 'text' };
    expect(pointsOf(metrics, 'gen_ai.client.inference.usage.input_tokens')).toEqual([
      expect.objectContaining({ value: 120, attributes: byModality }),
    ]);
    expect(pointsOf(metrics, 'gen_ai.client.inference.usage.output_tokens')).toEqual([
      expect.objectContaining({ value: 30, attributes: byModality }),
    ]);
    const [perCall] = histogramPointsOf(metrics, 'gen_ai.client.inference.operation.input_tokens');
    expect(perCall).toMatchObject({ attributes: MODEL, value: { sum: 120, count: 1 } });
    expect(
      histogramPointsOf(metrics, 'gen_ai.client.inference.operation.output_tokens'),
    ).toHaveLength(1);
    expect(pointsOf(metrics, 'gen_ai.client.token.usage')).toEqual([]);
  });

  it('gives tool and run durations the attributes v0.1.0 defines for them', async () => {
    await tracer.traceToolCall(
      { toolName: 'calculator', callId: 'c1', agentName: 'traced-agent' },
      () => 'ok',
    );
    await tracer.traceTask(
      { agentName: 'traced-agent', task: 't', requestModel: 'gemini-2.0-flash' },
      () => 'done',
    );
    const metrics = await recorded.collect();
    expect(histogramPointsOf(metrics, 'gen_ai.execute_tool.duration')[0]!.attributes).toEqual({
      'gen_ai.tool.name': 'calculator',
      'gen_ai.tool.type': 'function',
      'gen_ai.agent.name': 'traced-agent',
    });
    expect(histogramPointsOf(metrics, 'gen_ai.invoke_agent.duration')[0]!.attributes).toEqual({
      'gen_ai.agent.name': 'traced-agent',
      'gen_ai.request.model': 'gemini-2.0-flash',
    });
  });
});
