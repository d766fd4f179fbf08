import { startOtlpReceiver, type OtlpReceiver } from '../../dev/otlp/receiver';
import { startGeminiEmulator, type GeminiEmulator } from '../../src/emulator/emulator-server';
import { parsePrometheusText, sumOf } from '../support/prometheus-text';
import { rawExchange, rawPost } from '../support/raw-http';
import {
  freePort,
  spawnService,
  stopAllServices,
  type SpawnedService,
} from '../support/spawn-service';
import { until } from '../support/until';

/**
 * Admission in the real service (src/http/admission/): who is refused, with what, and what the
 * trace and the metrics say of it. Four runs in flight at most (`MAX_CONCURRENT_RUNS`), two per
 * caller; callers are told apart by their API keys; the model answers each call after 1.5 s, so
 * that runs stay in flight while the test asks for more.
 */

const EXECUTE = '/api/v1/agent/execute';
const REASON = 'agent.admission.refusal_reason';

let slowModel: GeminiEmulator;
let receiver: OtlpReceiver;
let service: SpawnedService;
let metricsUrl: string;
beforeAll(async () => {
  slowModel = await startGeminiEmulator({ latencyMs: 1_500 });
  receiver = await startOtlpReceiver();
  const metricsPort = await freePort();
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  service = await spawnService({
    env: {
      GEMINI_BASE_URL: slowModel.url,
      AGENT_API_KEYS: 'key-a,key-b,key-c',
      MAX_CONCURRENT_RUNS: '4',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    },
  });
});
afterAll(async () => {
  await stopAllServices();
  await receiver.stop();
  await slowModel.close();
});

const execute = (key: string) =>
  fetch(`${service.url}${EXECUTE}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': key },
    body: JSON.stringify({ task: 'Calculate 2 + 2' }),
  });

const scrape = async () => parsePrometheusText(await (await fetch(metricsUrl)).text());

/** Starts runs for these keys, and resolves once the model has been asked by each. */
async function inFlight(keys: string[]): Promise<Promise<number>[]> {
  const before = slowModel.requests.length;
  const answered: string[] = [];
  const running = keys.map((key) =>
    execute(key).then(async (response) => {
      answered.push(`${response.status} ${await response.clone().text()}`);
      return response.status;
    }),
  );
  await until(
    () => slowModel.requests.length >= before + keys.length || answered.length > 0,
    `${keys.length} runs in flight`,
  );
  // Answered already: refused, where every run should be in flight.
  expect(answered).toEqual([]);
  return running;
}

/** The server span of the refused request, by its `X-Trace-Id`, once exported. */
async function serverSpanOf(traceId: string | null | undefined) {
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  await receiver.waitFor((spans) => spans.some((span) => span.traceId === traceId), {
    description: 'the span of the refused request',
  });
  return receiver.spansOfTrace(traceId!).find((span) => span.kind === 'SERVER');
}

describe('admission in the real service', () => {
  it('refuses a caller past its share of the runs in flight, admits another beside it, and says why in the trace and the metrics', async () => {
    const running = await inFlight(['key-a', 'key-a']);

    const refused = await execute('key-a');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({
      error: { code: 'overloaded', message: expect.stringContaining('one caller') },
    });
    // Another caller is admitted while the first holds its share.
    expect((await execute('key-b')).status).toBe(200);
    expect(await Promise.all(running)).toEqual([200, 200]);

    expect(await serverSpanOf(refused.headers.get('x-trace-id'))).toMatchObject({
      status: { code: 'ERROR' },
      attributes: { 'http.response.status_code': 503, [REASON]: 'caller_runs_in_flight' },
    });
    const samples = await scrape();
    expect(
      sumOf(samples, 'agent_admission_refusals_total', {
        agent_admission_refusal_reason: 'caller_runs_in_flight',
      }),
    ).toBe(1);
  });

  it('refuses every caller once the process holds its cap of runs, and shows the runs in flight and the event-loop delay as metrics', async () => {
    const running = await inFlight(['key-a', 'key-a', 'key-b', 'key-b']);
    const whileFull = await scrape();

    const refused = await execute('key-c');
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({
      error: { code: 'overloaded', message: expect.stringContaining('4 agent runs') },
    });
    expect(await Promise.all(running)).toEqual([200, 200, 200, 200]);
    // The places are given back as the answers go out.
    expect((await execute('key-c')).status).toBe(200);

    expect((await serverSpanOf(refused.headers.get('x-trace-id')))?.attributes[REASON]).toBe(
      'runs_in_flight',
    );
    expect(
      sumOf(await scrape(), 'agent_admission_refusals_total', {
        agent_admission_refusal_reason: 'runs_in_flight',
      }),
    ).toBe(1);
    expect(sumOf(whileFull, 'agent_admission_in_flight')).toBe(4);
    const delay = whileFull.find((sample) => sample.name === 'nodejs_eventloop_delay_p90');
    expect(delay?.value).toBeGreaterThanOrEqual(0);
  });

  it('counts a request pipelined behind a run on its connection as refused at the edge, by a reason of its own, in the trace and the metrics', async () => {
    const run = rawPost(EXECUTE, JSON.stringify({ task: 'Calculate 2 + 2' }), {
      'Content-Type': 'application/json',
      'X-API-Key': 'key-a',
    });
    const answer = await rawExchange(service.url, {
      write: (socket) => socket.write(run + run),
      timeoutMs: 15_000,
    });
    expect(answer.statuses).toEqual([200, 503]);

    const traceId = [...answer.text.matchAll(/x-trace-id: ([0-9a-f]{32})/gi)][1]?.[1];
    expect((await serverSpanOf(traceId))?.attributes[REASON]).toBe('connection_requests_in_flight');
    // Before: a 503 overloaded of the edge's was counted by no metric.
    expect(
      sumOf(await scrape(), 'agent_admission_refusals_total', {
        agent_admission_refusal_reason: 'connection_requests_in_flight',
      }),
    ).toBe(1);
  });
});
