import request, { assertAsDocumented } from '../support/contract-request';
import { startOtlpReceiver, type OtlpReceiver } from '../../dev/otlp/receiver';
import { startGeminiEmulator, type GeminiEmulator } from '../../src/emulator/emulator-server';
import { readServerSentEvents, type ServerSentEvent } from '../support/server-sent-events';
import { until } from '../support/until';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';
import { completeTraceOf } from '../support/collect';
import { CALL_ID } from '../support/call-id';
import { GEMINI_SDKS } from '../../src/models/gemini-sdk';

/**
 * `POST /api/v1/agent/stream` on the real service, against an emulator this test scripts: the
 * events a client reads, and the trace the run leaves.
 */
const EXAMPLE_TASK = 'Calculate 17 * 23 and search the knowledge base for context propagation';
const LONG_TEXT = 'This answer is streamed slowly, in several pieces of whole words, to be left.';
let receiver: OtlpReceiver;
let emulator: GeminiEmulator;
let service: SpawnedService;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  emulator = await startGeminiEmulator();
});
afterAll(async () => {
  await stopAllServices();
  await emulator.close();
  await receiver.stop();
});

const stream = (body: unknown, signal?: AbortSignal) =>
  fetch(`${service.url}/api/v1/agent/stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });

/** A whole stream, read to its end, every event checked against the service's OpenAPI document. */
async function readDocumentedStream(response: Response) {
  const read = await readServerSentEvents(response);
  assertAsDocumented(service.url, response, read.text);
  return read;
}

const traceOf = (traceId: string) => completeTraceOf(receiver, traceId);

const dataOf = (events: ServerSentEvent[], name: string) =>
  events.filter((event) => event.event === name).map((event) => event.data);

/** The stream, its trace and its cancellation, through each SDK's streaming call. */
describe.each(GEMINI_SDKS)('POST /api/v1/agent/stream, through @google/%s', (sdk) => {
  beforeAll(async () => {
    service = await spawnService({
      env: {
        GEMINI_API_KEY: 'test-key',
        GEMINI_BASE_URL: emulator.url,
        GEMINI_SDK: sdk,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '50',
      },
    });
  });
  afterAll(() => service.stop());

  it('tells the run as numbered events in order, ending with the body execute answers', async () => {
    const response = await stream({ task: EXAMPLE_TASK });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const { events } = await readDocumentedStream(response);

    const names = events.map((event) => event.event);
    expect(names.filter((name, index) => name !== names[index - 1])).toEqual([
      'run.started',
      'step.started',
      'tool.started',
      'tool.finished',
      'text.delta',
      'run.finished',
    ]);
    expect(events.map((event) => event.id)).toEqual(events.map((_event, index) => `${index + 1}`));
    const [started] = dataOf(events, 'run.started') as { trace_id: string }[];
    expect(started).toEqual({
      trace_id: response.headers.get('x-trace-id'),
      correlation_id: response.headers.get('x-correlation-id'),
    });
    expect(dataOf(events, 'tool.finished')).toEqual(
      ['calculator', 'search_knowledge_base'].map((name) => ({
        call_id: expect.stringMatching(CALL_ID[sdk]),
        name,
        ok: true,
        duration_ms: expect.any(Number),
      })),
    );
    const [finished] = dataOf(events, 'run.finished') as { response: string; trace_id: string }[];
    const deltas = dataOf(events, 'text.delta') as { text: string }[];
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((delta) => delta.text).join('')).toBe(finished!.response);

    const executed = await request(service.url)
      .post('/api/v1/agent/execute')
      .send({ task: EXAMPLE_TASK })
      .expect(200);
    // The same body, but for its own trace and its own time to send feedback until.
    expect(finished).toEqual({
      ...executed.body,
      trace_id: started!.trace_id,
      feedback: { url: executed.body.feedback.url, expires_at: expect.any(String) },
    });
  });

  it('traces the streamed run: llm.generate marked streamed, with time to first chunk', async () => {
    const response = await stream({ task: EXAMPLE_TASK });
    const traceId = response.headers.get('x-trace-id')!;
    await readDocumentedStream(response);

    const spans = await traceOf(traceId);
    expect(spans.find((span) => span.parentSpanId === '')?.name).toBe('POST /api/v1/agent/stream');
    const calls = spans.filter((span) => span.name === 'llm.generate');
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.attributes).toMatchObject({
        'llm.streamed': true,
        'llm.time_to_first_chunk_ms': expect.any(Number),
        'gen_ai.usage.output_tokens': expect.any(Number),
      });
      expect(call.attributes['llm.stream.chunks']).toBeGreaterThan(0);
    }
  });

  it('ends with an error event carrying the code and message execute would answer', async () => {
    const rejected = { kind: 'error', status: 400, message: 'Bad argument.' } as const;
    emulator.enqueue(rejected);
    const { events } = await readDocumentedStream(await stream({ task: 'anything' }));
    emulator.enqueue(rejected);
    const executed = await request(service.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'anything' })
      .expect(502);

    expect(events.map((event) => event.event)).toEqual(['run.started', 'error']);
    expect(dataOf(events, 'error')).toEqual([executed.body]);
    expect(executed.body.error.code).toBe('model_rejected_request');
  });

  it('answers an invalid body with an ordinary JSON error, before any stream', async () => {
    const response = await stream({ task: '' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({
      error: { code: 'invalid_request', message: expect.stringContaining('task') },
    });
  });

  it('cancels the model stream when the client disconnects, and the spans say so', async () => {
    emulator.enqueue({ kind: 'turn', parts: [{ text: LONG_TEXT }], chunkDelayMs: 1_000 });
    const client = new AbortController();
    const response = await stream({ task: 'anything' }, client.signal);
    const traceId = response.headers.get('x-trace-id')!;
    await readServerSentEvents(response, (events) =>
      events.some((event) => event.event === 'text.delta'),
    );
    client.abort();

    await until(() => emulator.requests.at(-1)?.abandoned === true, 'the model call to be dropped');
    const spans = await traceOf(traceId);
    for (const name of ['llm.generate', 'agent.task']) {
      const span = spans.find((candidate) => candidate.name === name)!;
      expect({ name, status: span.status.code, errorType: span.attributes['error.type'] }).toEqual({
        name,
        status: 'ERROR',
        errorType: 'request_cancelled',
      });
    }
    expect(spans.find((span) => span.name === 'llm.generate')!.attributes).toMatchObject({
      'llm.streamed': true,
      'llm.stream.chunks': 1,
    });
  });
});
