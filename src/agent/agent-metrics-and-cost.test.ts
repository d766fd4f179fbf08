import { createTestAgent } from '../../test/support/agent-fixture';
import { GEMINI_SDKS } from '../models/gemini-sdk';
import {
  histogramPointsOf,
  installInMemoryMetrics,
  pointsOf,
} from '../../test/support/in-memory-metrics';
import { installInMemoryTracing } from '../../test/support/in-memory-tracing';
import { startGeminiEmulator, type GeminiEmulator } from '../emulator/emulator-server';
import { ModelPricing } from '../models/model-pricing';
import { GEN_AI_OPERATION_DURATION_BUCKETS } from '../tracing/semconv';

const EXAMPLE_TASK = 'Calculate 17 * 23 and search the knowledge base for context propagation';
const PRICE = { date: '2026-11-01', source: 'test' };
// Round prices, so that the expected costs are easy to state.
const pricing = new ModelPricing({
  'gcp.gemini': {
    'gemini-2.0-flash': {
      input_usd_per_million_tokens: 1,
      output_usd_per_million_tokens: 4,
      ...PRICE,
    },
  },
});
const tracing = installInMemoryTracing();
let emulator: GeminiEmulator;
let recorded: ReturnType<typeof installInMemoryMetrics>;

beforeAll(async () => {
  emulator = await startGeminiEmulator();
});
afterAll(async () => {
  await emulator.close();
  await tracing.shutdown();
});
beforeEach(() => {
  tracing.reset();
  recorded = installInMemoryMetrics();
});
afterEach(() => recorded.shutdown());

describe.each(GEMINI_SDKS)('through @google/%s', (sdk) => {
  describe('cost of a run', () => {
    it('puts each call’s cost on its llm.generate span, the total on agent.task and in the answer', async () => {
      const result = await createTestAgent({ sdk, emulator, pricing }).run({
        task: EXAMPLE_TASK,
        maxSteps: 10,
      });

      const calls = tracing.byName('llm.generate');
      expect(calls).toHaveLength(2);
      for (const call of calls) {
        const input = call.attributes['gen_ai.usage.input_tokens'] as number;
        const output = call.attributes['gen_ai.usage.output_tokens'] as number;
        expect(call.attributes['gen_ai.usage.cost']).toBeCloseTo(
          (input * 1 + output * 4) / 1e6,
          12,
        );
      }
      const expected = (result.usage.inputTokens * 1 + result.usage.outputTokens * 4) / 1e6;
      expect(result.usage.costUsd).toBeCloseTo(expected, 12);
      expect(tracing.one('agent.task').attributes['gen_ai.usage.cost']).toBeCloseTo(expected, 12);
    });

    it('gives no cost, never 0, for a model the table has no price for', async () => {
      const result = await createTestAgent({ sdk, emulator, pricing: new ModelPricing({}) }).run({
        task: EXAMPLE_TASK,
        maxSteps: 10,
      });
      expect(result.usage.costUsd).toBeNull();
      for (const span of [...tracing.byName('llm.generate'), tracing.one('agent.task')])
        expect(span.attributes).not.toHaveProperty(['gen_ai.usage.cost']);
    });
  });

  describe('metrics of a run', () => {
    it('records tokens, cost and one duration per model call and per tool call, as the answer says', async () => {
      const result = await createTestAgent({
        sdk,
        emulator,
        pricing,
        metrics: recorded.metrics,
      }).run({
        task: EXAMPLE_TASK,
        maxSteps: 10,
        userId: 'ana',
        sessionId: 's1',
      });
      const metrics = await recorded.collect();

      const tokens = histogramPointsOf(metrics, 'gen_ai.client.token.usage');
      const tokensOf = (type: string) =>
        tokens.find((point) => point.attributes['gen_ai.token.type'] === type)!.value;
      expect(tokensOf('input')).toMatchObject({ count: 2, sum: result.usage.inputTokens });
      expect(tokensOf('output')).toMatchObject({ count: 2, sum: result.usage.outputTokens });
      expect(tokens[0]!.attributes).toEqual({
        'gen_ai.operation.name': 'generate_content',
        'gen_ai.provider.name': 'gcp.gemini',
        'gen_ai.request.model': 'gemini-2.0-flash',
        'gen_ai.token.type': expect.any(String),
      });

      const [cost] = pointsOf(metrics, 'llm.cost.usd');
      expect(cost!.value as number).toBeCloseTo(result.usage.costUsd!, 12);

      const [modelCalls] = histogramPointsOf(metrics, 'gen_ai.client.operation.duration');
      expect(modelCalls!.value.count).toBe(2);
      const tools = histogramPointsOf(metrics, 'gen_ai.execute_tool.duration');
      expect(
        tools.map((point) => [point.attributes['gen_ai.tool.name'], point.value.count]),
      ).toEqual([
        ['calculator', 1],
        ['search_knowledge_base', 1],
      ]);
      const [run] = pointsOf(metrics, 'agent.runs');
      expect(run!.value).toBe(1);
      expect(run!.attributes['agent.stopped_reason']).toBe('completed');
      expect(histogramPointsOf(metrics, 'gen_ai.invoke_agent.duration')[0]!.value.count).toBe(1);
    });

    it('never carries a user, session or task on a metric', async () => {
      await createTestAgent({ sdk, emulator, pricing, metrics: recorded.metrics }).run({
        task: EXAMPLE_TASK,
        maxSteps: 10,
        userId: 'ana',
        sessionId: 's1',
      });
      const values = (await recorded.collect()).flatMap((metric) =>
        metric.dataPoints.flatMap((point) => Object.values(point.attributes)),
      );
      for (const personal of ['ana', 's1', EXAMPLE_TASK]) expect(values).not.toContain(personal);
    });

    it('counts a model retry by its reason, and still one duration for the call', async () => {
      emulator.enqueue({ kind: 'error', status: 503 }, { kind: 'turn', parts: [{ text: 'ok' }] });
      await createTestAgent({ sdk, emulator, metrics: recorded.metrics }).run({
        task: 'hi',
        maxSteps: 1,
      });
      const metrics = await recorded.collect();
      const [retry] = pointsOf(metrics, 'llm.retries');
      expect(retry!.value).toBe(1);
      expect(retry!.attributes['error.type']).toBe('model_unavailable');
      expect(histogramPointsOf(metrics, 'gen_ai.client.operation.duration')[0]!.value.count).toBe(
        1,
      );
    });

    it('names a tool the model made up unknown, so made-up names add no time series', async () => {
      emulator.enqueue(
        { kind: 'turn', parts: [{ functionCall: { name: 'rm_rf_everything', args: {} } }] },
        { kind: 'turn', parts: [{ text: 'sorry' }] },
      );
      await createTestAgent({ sdk, emulator, metrics: recorded.metrics }).run({
        task: 'x',
        maxSteps: 2,
      });
      const [tool] = histogramPointsOf(await recorded.collect(), 'gen_ai.execute_tool.duration');
      expect(tool!.attributes).toEqual({
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'unknown',
        'error.type': 'tool_not_found',
      });
    });
  });

  it('records the time to the first chunk of every streamed model call, and of no other', async () => {
    const observer = {
      onStepStarted: () => {},
      onToolStarted: () => {},
      onToolFinished: () => {},
      onTextDelta: () => {},
    };
    const agent = createTestAgent({ emulator, metrics: recorded.metrics });
    await agent.run({ task: EXAMPLE_TASK, maxSteps: 10 });
    expect(
      histogramPointsOf(await recorded.collect(), 'gen_ai.client.operation.time_to_first_chunk'),
    ).toEqual([]);

    const streamed = await agent.run({ task: EXAMPLE_TASK, maxSteps: 10, observer });
    const metrics = await recorded.collect();
    const [firstChunk, ...others] = histogramPointsOf(
      metrics,
      'gen_ai.client.operation.time_to_first_chunk',
    );
    expect(others).toEqual([]);
    expect(firstChunk!.attributes).toEqual({
      'gen_ai.operation.name': 'generate_content',
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.request.model': 'gemini-2.0-flash',
    });
    // One per streamed model call: a run asks once, then once more after each step of tools.
    expect(firstChunk!.value.count).toBe(streamed.totalSteps + 1);
    expect(firstChunk!.value.buckets.boundaries).toEqual([...GEN_AI_OPERATION_DURATION_BUCKETS]);
    const [duration] = histogramPointsOf(metrics, 'gen_ai.client.operation.duration');
    expect(firstChunk!.value.sum).toBeLessThanOrEqual(duration!.value.sum!);
  });
});
