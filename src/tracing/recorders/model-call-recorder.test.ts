import { INVALID_SPAN_CONTEXT, trace, type Span, type Tracer } from '@opentelemetry/api';
import {
  histogramPointsOf,
  installInMemoryMetrics,
  pointsOf,
} from '../../../test/support/in-memory-metrics';
import { installInMemoryTracing } from '../../../test/support/in-memory-tracing';
import { traceModelCall, type TurnRecord } from './model-call-recorder';
import { SpanRecorder, type SpanRecorderOptions } from './span-recorder';

const tracing = installInMemoryTracing();
let recorded: ReturnType<typeof installInMemoryMetrics>;
beforeEach(() => {
  tracing.reset();
  recorded = installInMemoryMetrics();
});
afterEach(() => recorded.shutdown());
afterAll(() => tracing.shutdown());

const CALL = { requestModel: 'gemini-2.0-flash', providerName: 'gcp.gemini', stepNumber: 1 };
const MODEL = {
  'gen_ai.operation.name': 'generate_content',
  'gen_ai.provider.name': 'gcp.gemini',
  'gen_ai.request.model': 'gemini-2.0-flash',
};
const TURN: TurnRecord = {
  responseModel: 'gemini-2.0-flash-001',
  responseId: 'response-1',
  finishReasons: ['STOP'],
  usage: { inputTokens: 120, outputTokens: 30 },
  message: { role: 'assistant', parts: [{ type: 'text', content: 'my password=hunter2' }] },
};

const recorderWith = (options: SpanRecorderOptions = {}) =>
  new SpanRecorder({ metrics: recorded.metrics, ...options });

describe('the model-call recorder', () => {
  it('records what the model answered on the span, and its tokens and cost in the metrics', async () => {
    await traceModelCall(recorderWith(), CALL, (call) =>
      call.turn(TURN, { costUsd: 0.002, finishReason: 'stop' }),
    );
    expect(tracing.one('llm.generate').attributes).toMatchObject({
      ...MODEL,
      'agent.step.number': 1,
      'gen_ai.response.model': 'gemini-2.0-flash-001',
      'gen_ai.response.id': 'response-1',
      'gen_ai.response.finish_reasons': ['STOP'],
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 30,
      'gen_ai.usage.cost': 0.002,
    });
    const metrics = await recorded.collect();
    expect(pointsOf(metrics, 'llm.cost.usd')).toEqual([
      expect.objectContaining({ value: 0.002, attributes: MODEL }),
    ]);
    expect(histogramPointsOf(metrics, 'gen_ai.client.token.usage')).toHaveLength(2);
  });

  it('records the answer as content only with capture on, redacted', async () => {
    await traceModelCall(recorderWith(), CALL, (call) =>
      call.turn(TURN, { costUsd: undefined, finishReason: 'stop' }),
    );
    const withoutCapture = tracing.one('llm.generate').attributes;
    expect(withoutCapture).not.toHaveProperty(['gen_ai.output.messages']);
    expect(withoutCapture).not.toHaveProperty(['gen_ai.usage.cost']);
    tracing.reset();

    await traceModelCall(recorderWith({ captureContent: true }), CALL, (call) =>
      call.turn(TURN, { costUsd: undefined, finishReason: 'stop' }),
    );
    const output = tracing.one('llm.generate').attributes['gen_ai.output.messages'];
    expect(output).toContain('password=[REDACTED]');
    expect(output).not.toContain('hunter2');
  });

  it('records each retry as an llm.retry event and in llm.retries', async () => {
    await traceModelCall(recorderWith(), CALL, (call) =>
      call.retry({ attempt: 2, errorType: 'model_rate_limited', status: 429, delayMs: 250 }),
    );
    expect(tracing.one('llm.generate').events).toEqual([
      expect.objectContaining({
        name: 'llm.retry',
        attributes: {
          'llm.retry.attempt': 2,
          'error.type': 'model_rate_limited',
          'http.response.status_code': 429,
          'llm.retry.delay_ms': 250,
        },
      }),
    ]);
    expect(pointsOf(await recorded.collect(), 'llm.retries')).toEqual([
      expect.objectContaining({
        value: 1,
        attributes: { ...MODEL, 'error.type': 'model_rate_limited' },
      }),
    ]);
  });

  it('records a streamed attempt: its chunks on the span, the time to its first chunk as a metric', async () => {
    await traceModelCall(recorderWith(), CALL, (call) =>
      call.streamProgress({ chunks: 3, firstChunkMs: 120 }),
    );
    expect(tracing.one('llm.generate').attributes).toMatchObject({
      'llm.streamed': true,
      'llm.stream.chunks': 3,
      'llm.time_to_first_chunk_ms': 120,
    });
    const [firstChunk] = histogramPointsOf(
      await recorded.collect(),
      'gen_ai.client.operation.time_to_first_chunk',
    );
    expect(firstChunk).toMatchObject({ attributes: MODEL, value: { sum: 0.12, count: 1 } });
  });

  it('reads no content of a call that is sampled out, capture on or not', async () => {
    const dropped = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const tracer = {
      startActiveSpan: (_name: string, _options: unknown, work: (span: Span) => unknown) =>
        work(dropped),
    } as unknown as Tracer;
    let reads = 0;
    const message = {
      role: 'assistant',
      get parts() {
        reads += 1;
        return [];
      },
    };
    await traceModelCall(
      recorderWith({ tracer, captureContent: true }),
      { ...CALL, inputMessages: [message] },
      (call) => call.turn({ ...TURN, message }, { costUsd: undefined, finishReason: 'stop' }),
    );
    expect(reads).toBe(0);
    // The metrics still count the call: they are recorded for every request, sampled or not.
    expect(
      histogramPointsOf(await recorded.collect(), 'gen_ai.client.operation.duration'),
    ).toHaveLength(1);
  });
});
