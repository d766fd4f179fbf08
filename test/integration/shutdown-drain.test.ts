import { startOtlpReceiver, type OtlpReceiver } from '../../dev/otlp/receiver';
import { startGeminiEmulator, type GeminiEmulator } from '../../src/emulator/emulator-server';
import type { ScriptedReply } from '../../src/emulator/scripted-reply';
import request from '../support/contract-request';
import { readServerSentEvents } from '../support/server-sent-events';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';
import { until } from '../support/until';

/**
 * SIGTERM as a load balancer or Kubernetes sees it, from outside the process: `/readyz` says 503
 * at once, the listener goes on answering for the drain delay, then refuses connections; the runs
 * in flight finish (a stream with its last event), spans and metrics are flushed, exit 0.
 */

const EXECUTE = '/api/v1/agent/execute';
const TASK = { task: 'Calculate 2 + 2' };
const DRAIN_DELAY_MS = 2_000;
/** Longer than the drain delay: these runs are still going when the listener stops. */
const SLOW_TURN: ScriptedReply = {
  kind: 'turn',
  parts: [{ text: 'A slow answer.' }],
  delayMs: DRAIN_DELAY_MS + 500,
};

let receiver: OtlpReceiver;
let model: GeminiEmulator;
let service: SpawnedService;
beforeAll(async () => {
  [receiver, model] = await Promise.all([
    startOtlpReceiver({ transport: 'http' }),
    startGeminiEmulator(),
  ]);
  service = await spawnService({
    env: {
      GEMINI_BASE_URL: model.url,
      SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      // Nothing is exported before the shutdown: what arrives, its flush sent.
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_METRIC_EXPORT_INTERVAL: '600000',
    },
  });
});
afterAll(async () => {
  await stopAllServices();
  await Promise.all([receiver.stop(), model.close()]);
});

/** Why a new connection failed: `ECONNREFUSED` once the listener is closed. */
async function connectionRefused(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/livez`, { headers: { Connection: 'close' } });
    return false;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
  }
}

describe('SIGTERM with a drain delay', () => {
  it('says 503 on /readyz at once, answers during the delay, then refuses connections; finishes the runs in flight, streams included; flushes spans and metrics; exits 0', async () => {
    const seen: string[] = [];
    const callsBefore = model.requests.length;
    model.enqueue(SLOW_TURN);
    model.enqueue(SLOW_TURN);
    const inFlight = request(service.url).post(EXECUTE).send(TASK);
    const streamed = fetch(`${service.url}/api/v1/agent/stream`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(TASK),
    }).then((response) => readServerSentEvents(response));
    const answered = inFlight.then((response) => response);
    await until(() => model.requests.length >= callsBefore + 2, 'both runs to call the model');

    const exitCode = service.stop('SIGTERM');
    await until(() => service.output().includes('Shutting down'), 'the shutdown to begin');
    const readiness = await request(service.url).get('/readyz');
    expect(readiness.status).toBe(503);
    expect(readiness.body.checks).toContainEqual({
      name: 'shutdown',
      status: 'fail',
      reason: 'The service is shutting down.',
    });
    seen.push('readyz 503');
    // A new connection, as a client still routed here opens one: accepted, so the listener was
    // still open after the shutdown began (when the run ends does not matter).
    const duringDelay = await request(service.url).post(EXECUTE).send(TASK);
    expect(duringDelay.status).toBe(200);
    expect(duringDelay.headers.connection).toBe('close');
    seen.push('answered during the delay');
    await until(() => connectionRefused(service.url), 'connections to be refused');
    seen.push('connections refused');
    // Before: connections were refused at once, and requests still routed here failed.
    expect(seen).toEqual(['readyz 503', 'answered during the delay', 'connections refused']);

    expect((await answered).status).toBe(200);
    const { events } = await streamed;
    expect(events.at(-1)).toMatchObject({ event: 'run.finished' });
    expect(await exitCode).toBe(0);

    const traceIds = [
      (await answered).body.trace_id as string,
      duringDelay.body.trace_id as string,
      (events.at(-1)!.data as { trace_id: string }).trace_id,
    ];
    await receiver.waitFor(
      (spans) =>
        traceIds.every((traceId) =>
          spans.some((span) => span.traceId === traceId && span.kind === 'SERVER'),
        ),
      { description: 'the server spans of the three runs' },
    );
    expect(receiver.metricPoints.map((point) => point.name)).toContain(
      'http.server.request.duration',
    );
  }, 30_000);
});

describe('a stream still running at the shutdown deadline', () => {
  it('ends with an error event shutdown_timeout before its connection closes, and the exit code says 1', async () => {
    const cut = await spawnService({
      env: {
        GEMINI_BASE_URL: model.url,
        SHUTDOWN_DRAIN_DELAY_MS: '0',
        SHUTDOWN_TIMEOUT_MS: '300',
        OTEL_TRACES_EXPORTER: 'none',
      },
    });
    const callsBefore = model.requests.length;
    model.enqueue({ kind: 'hang' });
    const streamed = fetch(`${cut.url}/api/v1/agent/stream`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(TASK),
    }).then((response) => readServerSentEvents(response));
    await until(() => model.requests.length > callsBefore, 'the model call');

    const exitCode = cut.stop('SIGTERM');
    const { events } = await streamed;
    expect(events.at(-1)).toEqual({
      event: 'error',
      id: expect.any(String),
      data: { error: { code: 'shutdown_timeout', message: expect.any(String) } },
    });
    expect(await exitCode).toBe(1);
  });
});
