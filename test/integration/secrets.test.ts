import request from '../support/contract-request';
import { startOtlpReceiver, type OtlpReceiver } from '../../dev/otlp/receiver';
import { startGeminiEmulator, type GeminiEmulator } from '../../src/emulator/emulator-server';
import type { ScriptedReply } from '../../src/emulator/scripted-reply';
import { everyStringOf, completeTraceOf } from '../support/collect';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';

/**
 * Secrets that arrive where nobody named them (query strings, unusual headers, an upstream's error
 * text, a task's free text) on the real service: its spans as exported, its log lines as written.
 * The model key has no recognisable shape, so only the known-secret scrubbing can catch it.
 */
const MODEL_KEY = 'planted-model-key-7f3c9a1e5b2d';
const AGENT_KEY = 'planted-agent-key-0b1c2d3e4f';
const EXECUTE = '/api/v1/agent/execute';
let receiver: OtlpReceiver;
let emulator: GeminiEmulator;
let service: SpawnedService;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  emulator = await startGeminiEmulator();
  service = await spawnService({
    env: {
      GEMINI_API_KEY: MODEL_KEY,
      GEMINI_BASE_URL: emulator.url,
      AGENT_API_KEYS: AGENT_KEY,
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      // Every line a request writes, debug ones included, is checked here.
      LOG_LEVEL: 'debug',
    },
  });
});
afterAll(async () => {
  await stopAllServices();
  await emulator.close();
  await receiver.stop();
});

const traceOf = (traceId: string) => completeTraceOf(receiver, traceId);

/** The log lines of one request, once its request log line ("request completed") is written. */
async function logLinesOf(traceId: string): Promise<string> {
  const deadline = Date.now() + 5_000;
  const linesOfTrace = () =>
    service
      .output()
      .split('\n')
      .filter((line) => line.includes(traceId));
  while (!linesOfTrace().some((line) => line.includes('"responseTime"'))) {
    if (Date.now() > deadline)
      throw new Error(`no request log line for trace ${traceId}:\n${service.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return linesOfTrace().join('\n');
}

describe('secrets outside the named headers', () => {
  it('redacts secret-looking query parameters and headers in the server span and the request log, keeping the rest readable', async () => {
    const planted = [
      'planted-query-key',
      'planted-query-password',
      'planted-query-token',
      'planted-x-auth',
      'planted-api-key',
      'planted-amz',
    ];
    const response = await request(service.url)
      .post(
        `${EXECUTE}?api_key=planted-query-key&password=planted-query-password&token=planted-query-token&view=readable-param`,
      )
      .set('Authorization', `Bearer ${AGENT_KEY}`)
      .set('X-Auth-Token', 'planted-x-auth')
      .set('Api-Key', 'planted-api-key')
      .set('X-Amz-Security-Token', 'planted-amz')
      .set('X-Request-Source', 'readable-header')
      .send({ task: 'Calculate 2 + 2' })
      .expect(200);

    const spans = await traceOf(response.body.trace_id);
    const server = spans.find((span) => span.kind === 'SERVER')!;
    expect(server.attributes['url.query']).toBe(
      'api_key=REDACTED&password=REDACTED&token=REDACTED&view=readable-param',
    );
    const logs = await logLinesOf(response.body.trace_id);
    expect(logs).toContain('view=readable-param');
    expect(logs).toContain('"x-request-source":"readable-header"');
    expect(logs).toContain('"x-auth-token":"[REDACTED]"');
    for (const secret of planted) {
      expect(everyStringOf(spans)).not.toContain(secret);
      expect(service.output()).not.toContain(secret);
    }
  });
});

describe('an upstream that echoes our key', () => {
  const echo = (status: number, message: string): ScriptedReply => ({
    kind: 'error',
    status,
    message,
  });
  it.each<[string, ScriptedReply[]]>([
    ['a 400', [echo(400, `API key ${MODEL_KEY} is not valid for this model.`)]],
    [
      'a 500 that persists',
      Array.from({ length: 4 }, () => echo(500, `backend failed for key=${MODEL_KEY}`)),
    ],
  ])(
    'keeps the key out of every log line and span when it answers %s quoting it',
    async (_case, replies) => {
      emulator.enqueue(...replies);
      const response = await request(service.url)
        .post(EXECUTE)
        .set('X-API-Key', AGENT_KEY)
        .send({ task: 'Calculate 3 + 3' });
      expect(response.status).toBe(502);
      const spans = await traceOf(response.headers['x-trace-id']!);
      const logs = await logLinesOf(response.headers['x-trace-id']!);
      // The failure is logged, with the upstream's message, only without the key.
      expect(logs).toMatch(/"msg":"request failed"/);
      expect(logs).toContain('[REDACTED]');
      expect(emulator.requests.at(-1)!.headers['x-goog-api-key']).toBe(MODEL_KEY);
      expect(everyStringOf(spans)).not.toContain(MODEL_KEY);
      expect(service.output()).not.toContain(MODEL_KEY);
      expect(service.output()).not.toContain(AGENT_KEY);
    },
  );
});

describe('free-text secrets with content capture on', () => {
  it('records the task text with the secrets in it redacted', async () => {
    const task =
      'Calculate 6 * 7. My login is password=hunter2-planted and the header was Authorization: Bearer planted-bearer-tok';
    const response = await request(service.url)
      .post(EXECUTE)
      .set('X-API-Key', AGENT_KEY)
      .send({ task })
      .expect(200);
    const spans = await traceOf(response.body.trace_id);
    const recorded = everyStringOf(spans);
    expect(recorded).toContain('Calculate 6 * 7. My login is password=[REDACTED]');
    expect(recorded).not.toContain('hunter2-planted');
    expect(recorded).not.toContain('planted-bearer-tok');
  });
});
