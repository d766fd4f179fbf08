import request from '../support/contract-request';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../dev/otlp/receiver';
import { startGeminiEmulator, type GeminiEmulator } from '../../src/emulator/emulator-server';
import type { ScriptedReply } from '../../src/emulator/scripted-reply';
import { everyStringOf, completeTraceOf } from '../support/collect';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';
import { GEMINI_SDKS, type GeminiSdk } from '../../src/models/gemini-sdk';
import { LIMITS } from '../../src/limits';

/**
 * The real service, with a planted key, against an emulator this test scripts: what a client and
 * the trace see when the model misbehaves. The same code path runs against the real API.
 */
const PLANTED_KEY = 'AIzaSy-planted-test-key-0123456789abcdef';
let receiver: OtlpReceiver;
let emulator: GeminiEmulator;
/** One service through each SDK, alike but for `GEMINI_SDK`. */
let services: Record<GeminiSdk, SpawnedService>;

/**
 * The service with the planted key, talking to this test's emulator, exporting to this test's
 * receiver.
 */
const spawnAgainstEmulator = (env: Record<string, string> = {}) =>
  spawnService({
    env: {
      GEMINI_API_KEY: PLANTED_KEY,
      GEMINI_BASE_URL: emulator.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      ...env,
    },
  });

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  emulator = await startGeminiEmulator();
  // Short enough for the timeout case, long enough that a loaded machine's pause in this process
  // (the model's) does not turn an answer into a timeout.
  const spawnWith = (sdk: GeminiSdk) =>
    spawnAgainstEmulator({ MODEL_TIMEOUT_MS: '4000', LOG_LEVEL: 'debug', GEMINI_SDK: sdk });
  const [generativeAi, genai] = await Promise.all(GEMINI_SDKS.map(spawnWith));
  services = { 'generative-ai': generativeAi!, genai: genai! };
});
afterAll(async () => {
  await stopAllServices();
  await emulator.close();
  await receiver.stop();
});

const traceOf = (traceId: string) => completeTraceOf(receiver, traceId);

const executeThrough =
  (sdk: GeminiSdk) =>
  (task = 'Calculate 2 + 2', headers: Record<string, string> = {}) =>
    request(services[sdk].url).post('/api/v1/agent/execute').set(headers).send({ task });
const execute = executeThrough('generative-ai');

const error = (
  status: number,
  extra: Partial<Extract<ScriptedReply, { kind: 'error' }>> = {},
): ScriptedReply => ({
  kind: 'error',
  status,
  ...extra,
});
const times = (count: number, reply: ScriptedReply) => Array.from({ length: count }, () => reply);

function expectFailedSpans(spans: ReceivedSpan[], errorType: string) {
  for (const name of ['llm.generate', 'agent.task']) {
    const failed = spans
      .filter((span) => span.name === name && span.status.code === 'ERROR')
      .at(-1);
    expect({
      name,
      errorType: failed?.attributes['error.type'],
      exception: failed?.events.some((event) => event.name === 'exception'),
    }).toEqual({
      name,
      errorType,
      exception: true,
    });
  }
}

describe.each(GEMINI_SDKS)('through @google/%s', (sdk) => {
  const execute = executeThrough(sdk);

  describe('when the model API misbehaves, the client gets a precise answer and the trace shows why', () => {
    it('retries a 429 and a 503 with backoff; the client never knows', async () => {
      emulator.enqueue(error(429), error(503, { headers: { 'retry-after': '0' } }));
      const response = await execute().expect(200);
      expect(response.body.response).toContain('4');

      const spans = await traceOf(response.body.trace_id);
      const [firstCall] = spans
        .filter((span) => span.name === 'llm.generate')
        .sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
      expect(
        firstCall!.events
          .filter((event) => event.name === 'llm.retry')
          .map((event) => event.attributes['http.response.status_code']),
      ).toEqual([429, 503]);
      expect(
        spans.filter((span) => span.parentSpanId === firstCall!.spanId && span.name === 'POST'),
      ).toHaveLength(3);
      expect(firstCall!.status.code).not.toBe('ERROR');
    });

    it.each(
      (
        [
          ['a 5xx that persists', times(4, error(500)), 502, 'model_unavailable'],
          [
            'a 429 that persists',
            times(4, error(429, { headers: { 'retry-after': '0' } })),
            503,
            'model_rate_limited',
          ],
          ['a bad request (400)', [error(400)], 502, 'model_rejected_request'],
          ['a bad key (401)', [error(401)], 502, 'model_auth_failed'],
          ['a bad key (403)', [error(403)], 502, 'model_auth_failed'],
          ['a timeout', [{ kind: 'hang' }], 504, 'model_timeout'],
          ['a network error that persists', times(4, { kind: 'drop' }), 502, 'model_network_error'],
          [
            'a 200 whose body is not JSON',
            [{ kind: 'raw', status: 200, body: '<html>gateway</html>' }],
            502,
            'model_bad_response',
          ],
          [
            'a SAFETY block',
            [{ kind: 'turn', parts: [], finishReason: 'SAFETY' }],
            502,
            'model_blocked',
          ],
          [
            'a RECITATION block',
            [{ kind: 'turn', parts: [], finishReason: 'RECITATION' }],
            502,
            'model_blocked',
          ],
          [
            'a blocked prompt',
            [
              {
                kind: 'raw',
                status: 200,
                contentType: 'application/json',
                body: '{"promptFeedback":{"blockReason":"SAFETY"}}',
              },
            ],
            502,
            'model_blocked',
          ],
          [
            'MALFORMED_FUNCTION_CALL three times',
            times(3, { kind: 'turn', parts: [], finishReason: 'MALFORMED_FUNCTION_CALL' }),
            502,
            'model_malformed_function_call',
          ],
        ] as [string, ScriptedReply[], number, string][]
      ).map(([fault, replies, status, code]) => ({ fault, replies, status, code })),
    )('answers $fault with $status $code', async ({ replies, status, code }) => {
      emulator.enqueue(...replies);
      const response = await execute();
      expect(response.status).toBe(status);
      expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
      expectFailedSpans(await traceOf(response.headers['x-trace-id']!), code);
    });

    it("passes the API's wait on to a rate-limited client when it is longer than the request can wait", async () => {
      emulator.enqueue(
        error(429, {
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '600s' }],
        }),
      );
      const response = await execute();
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('600');
      expect(response.body.error.code).toBe('model_rate_limited');
    });

    it('recovers from one MALFORMED_FUNCTION_CALL and from a call to a tool that does not exist', async () => {
      emulator.enqueue({ kind: 'turn', parts: [], finishReason: 'MALFORMED_FUNCTION_CALL' });
      expect((await execute()).status).toBe(200);
      emulator.enqueue({ kind: 'turn', parts: [{ functionCall: { name: 'rm_rf', args: {} } }] });
      const response = await execute().expect(200);
      const spans = await traceOf(response.body.trace_id);
      const unknown = spans.find((span) => span.name === 'tool.unknown')!;
      expect(unknown.status.code).toBe('ERROR');
      expect(unknown.attributes['gen_ai.tool.name']).toBe('rm_rf');
      expect(spans.find((span) => span.name === 'agent.task')!.status.code).not.toBe('ERROR');
    });

    it('never lets the key, an Authorization or a Cookie header reach a span or a log line', async () => {
      emulator.enqueue(error(401, { message: 'API key not valid. Please pass a valid API key.' }));
      const failed = await execute('Calculate 1 + 1', {
        Authorization: 'Bearer client-secret-token-123',
        Cookie: 'session=cookie-secret-456',
      });
      expect(failed.status).toBe(502);
      const succeeded = await execute('Calculate 3 * 3', {
        Authorization: 'Bearer client-secret-token-123',
        Cookie: 'session=cookie-secret-456',
      });
      expect(succeeded.status).toBe(200);
      await traceOf(succeeded.body.trace_id);
      await traceOf(failed.headers['x-trace-id']!);

      // The key did reach the model API, as it must.
      expect(emulator.requests.at(-1)!.headers['x-goog-api-key']).toBe(PLANTED_KEY);
      const everything =
        everyStringOf(receiver.spans) +
        services[sdk].output() +
        JSON.stringify([failed.body, succeeded.body]);
      for (const secret of [PLANTED_KEY, 'client-secret-token-123', 'cookie-secret-456'])
        expect(everything).not.toContain(secret);
      expect(services[sdk].output()).toContain('"authorization":"[REDACTED]"');
    });
  });
});

describe('propagation to the model API', () => {
  it('sends the model API no trace headers and no baggage by default', async () => {
    await execute('Calculate 5 + 5', { 'X-Correlation-Id': 'not-for-google' }).expect(200);
    const headers = emulator.requests.at(-1)!.headers;
    for (const name of [
      'traceparent',
      'tracestate',
      'baggage',
      'x-b3-traceid',
      'x-b3-spanid',
      'x-b3-sampled',
      'b3',
    ])
      expect(headers).not.toHaveProperty(name);
  });

  it('sends them with PROPAGATE_TO_MODEL_API=true (a traced gateway of your own)', async () => {
    const propagating = await spawnAgainstEmulator({ PROPAGATE_TO_MODEL_API: 'true' });
    const response = await request(propagating.url)
      .post('/api/v1/agent/execute')
      .set('X-Correlation-Id', 'c-77')
      .send({ task: 'Calculate 5 + 5' })
      .expect(200);
    const headers = emulator.requests.at(-1)!.headers;
    expect(headers['x-b3-traceid']).toBe(response.body.trace_id);
    expect(headers.traceparent).toMatch(new RegExp(`^00-${response.body.trace_id}-`));
    expect(headers.baggage).toContain('correlation.id=c-77');
    await propagating.stop();
  });
});

describe('the whole-request deadline', () => {
  it('answers 504 request_timeout when the run outlives REQUEST_TIMEOUT_MS, whatever the model does', async () => {
    const impatient = await spawnAgainstEmulator({
      REQUEST_TIMEOUT_MS: '300',
      MODEL_TIMEOUT_MS: '10000',
    });
    emulator.enqueue({ kind: 'hang' });
    const response = await request(impatient.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'anything' });
    expect(response.status).toBe(504);
    expect(response.body.error.code).toBe('request_timeout');
    const spans = await traceOf(response.headers['x-trace-id']!);
    expect(spans.find((span) => span.name === 'agent.task')!.attributes['error.type']).toBe(
      'request_timeout',
    );
    await impatient.stop();
  });
});

describe('the log while the model keeps failing', () => {
  it('says so once, not once per run: execute and streamed runs alike', async () => {
    const failing = await spawnAgainstEmulator();
    try {
      // Three runs, each giving up after LIMITS.modelMaxAttempts; Retry-After 0 keeps it quick.
      const unavailable = error(503, { headers: { 'retry-after': '0' } });
      emulator.enqueue(...times(3 * LIMITS.modelMaxAttempts, unavailable));
      for (let run = 0; run < 2; run += 1)
        await request(failing.url).post('/api/v1/agent/execute').send({ task: 'hi' }).expect(502);
      const streamed = await request(failing.url)
        .post('/api/v1/agent/stream')
        .send({ task: 'hi' })
        .expect(200);
      expect(streamed.text).toContain('"code":"model_unavailable"');

      // Before: an error line with a stack for each of the three runs.
      const errorLines = failing
        .output()
        .split('\n')
        .filter((line) => line.includes('"level":50'));
      expect(errorLines).toHaveLength(1);
      expect(JSON.parse(errorLines[0]!)).toMatchObject({
        msg: 'request failed',
        operation: 'model_unavailable',
        failure: expect.stringContaining('503'),
      });
    } finally {
      await failing.stop();
    }
  });
});
