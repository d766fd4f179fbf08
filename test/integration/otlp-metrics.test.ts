import request from 'supertest';
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedMetricPoint,
} from '../../dev/otlp/receiver';
import { startGeminiEmulator, type GeminiEmulator } from '../../src/emulator/emulator-server';
import type { ExecuteResponse } from '../../src/agent/execute-response';
import {
  freePort,
  spawnService,
  stopAllServices,
  type SpawnedService,
} from '../support/spawn-service';
import { until } from '../support/until';

/**
 * The real agent service pushing its metrics over OTLP/HTTP to the receiver, as it would to a
 * collector, Grafana Cloud or Dynatrace: the protocol, endpoint, headers, interval and temporality
 * come from the standard variables.
 */
const TASK = { task: 'Calculate 17 * 23 and search the knowledge base for context propagation' };
/** `pk:sk` in base64; the space is percent-encoded, as the specification asks. */
const AUTHORIZATION = 'Basic cGs6c2s=';
const HEADERS_VARIABLE = 'Authorization=Basic%20cGs6c2s=';
const TOKEN_USAGE = 'gen_ai.client.token.usage';

let emulator: GeminiEmulator;
beforeAll(async () => {
  emulator = await startGeminiEmulator();
});
afterAll(async () => {
  await stopAllServices();
  await emulator.close();
});

function serviceEnv(env: Record<string, string>): Record<string, string> {
  return {
    GEMINI_API_KEY: 'test-key-for-the-emulator',
    GEMINI_BASE_URL: emulator.url,
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_METRIC_EXPORT_INTERVAL: '100',
    ...env,
  };
}

async function runTwice(service: SpawnedService): Promise<ExecuteResponse[]> {
  const answers: ExecuteResponse[] = [];
  for (let i = 0; i < 2; i++) {
    const response = await request(service.url).post('/api/v1/agent/execute').send(TASK);
    expect(response.status).toBe(200);
    answers.push(response.body as ExecuteResponse);
  }
  return answers;
}

const usageOf = (answers: readonly ExecuteResponse[], type: 'input' | 'output') =>
  answers.reduce(
    (sum, answer) =>
      sum + (type === 'input' ? answer.usage.input_tokens : answer.usage.output_tokens),
    0,
  );

/**
 * The total a histogram counted, by token type: cumulative points each carry the total so far
 * (the last one of each series counts), delta points what is new (they add up).
 */
function tokensReceived(points: readonly ReceivedMetricPoint[], type: string): number {
  const ofType = points.filter(
    (point) => point.name === TOKEN_USAGE && point.attributes['gen_ai.token.type'] === type,
  );
  if (ofType.every((point) => point.temporality === 'DELTA'))
    return ofType.reduce((sum, point) => sum + point.sum!, 0);
  const lastOfSeries = new Map<string, number>();
  for (const point of ofType) lastOfSeries.set(JSON.stringify(point.attributes), point.sum!);
  return [...lastOfSeries.values()].reduce((sum, value) => sum + value, 0);
}

async function expectTokensOfAnswers(
  receiver: OtlpReceiver,
  answers: readonly ExecuteResponse[],
): Promise<void> {
  const expected = { input: usageOf(answers, 'input'), output: usageOf(answers, 'output') };
  expect(expected.input).toBeGreaterThan(0);
  await receiver.waitForMetrics(
    (points) =>
      tokensReceived(points, 'input') === expected.input &&
      tokensReceived(points, 'output') === expected.output,
    { description: `token sums of ${JSON.stringify(expected)}`, timeoutMs: 15_000 },
  );
}

it('posts cumulative metrics over http/protobuf to /v1/metrics under the base endpoint, with the headers; the token sums equal the answers', async () => {
  const receiver = await startOtlpReceiver({ transport: 'http' });
  const service = await spawnService({
    env: serviceEnv({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_HEADERS: HEADERS_VARIABLE,
    }),
  });
  try {
    const answers = await runTwice(service);
    await expectTokensOfAnswers(receiver, answers);

    expect(receiver.metricPoints.some((point) => point.temporality === 'CUMULATIVE')).toBe(true);
    expect(receiver.requests.length).toBeGreaterThan(0);
    for (const received of receiver.requests) {
      expect(received).toMatchObject({ path: '/v1/metrics', protocol: 'http/protobuf' });
      expect(received.headers.authorization).toBe(AUTHORIZATION);
    }
  } finally {
    await service.stop();
    await receiver.stop();
  }
});

it('takes the metrics protocol, endpoint (as given), headers and delta temporality over the general ones (http/json)', async () => {
  const receiver = await startOtlpReceiver({ transport: 'http' });
  const service = await spawnService({
    env: serviceEnv({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${receiver.endpoint}/otlp/v1/metrics`,
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: HEADERS_VARIABLE,
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
    }),
  });
  try {
    const answers = await runTwice(service);
    await expectTokensOfAnswers(receiver, answers);

    const tokenPoints = receiver.metricPoints.filter((point) => point.name === TOKEN_USAGE);
    expect(tokenPoints.every((point) => point.temporality === 'DELTA')).toBe(true);
    for (const received of receiver.requests) {
      expect(received).toMatchObject({ path: '/otlp/v1/metrics', protocol: 'http/json' });
      expect(received.headers.authorization).toBe(AUTHORIZATION);
    }
  } finally {
    await service.stop();
    await receiver.stop();
  }
});

it('answers every request while the metrics endpoint is down, says so once, and catches up when it is back', async () => {
  const port = await freePort();
  const service = await spawnService({
    env: serviceEnv({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    }),
  });
  let receiver: OtlpReceiver | undefined;
  try {
    const answers = await runTwice(service);
    await until(() => service.output().includes('Metric export is failing'), 'the failure line');
    receiver = await startOtlpReceiver({ transport: 'http', port });
    await until(() => service.output().includes('Metric export recovered'), 'the recovery line');

    // Cumulative totals: what was counted while the endpoint was down arrives with the next export.
    await expectTokensOfAnswers(receiver, answers);
    const recovered = service
      .output()
      .split('\n')
      .find((line) => line.includes('Metric export recovered'))!;
    expect(JSON.parse(recovered)).toMatchObject({ failed_batches_total: expect.any(Number) });
    expect(service.output().match(/Metric export is failing/g)).toHaveLength(1);
  } finally {
    await service.stop();
    await receiver?.stop();
  }
});
