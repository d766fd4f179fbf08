import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import request from '../support/contract-request';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../dev/otlp/receiver';
import { runLoad } from '../../dev/bench/load';
import { everyStringOf } from '../support/collect';
import {
  freePort,
  ROOT,
  spawnService,
  stopAllServices,
  type SpawnedService,
} from '../support/spawn-service';

/**
 * OTEL_CONFIG_FILE on real processes: the two example files start the service with the sampler and
 * exporters they promise, and our own components (redaction, enrichment, the minimum-duration
 * filter, trust, the adaptive sampler, the recovering exporter) keep working with a file.
 */
const DEVELOPMENT = 'config/otel-development.yaml';
const PRODUCTION = 'config/otel-production.yaml';
const EXECUTE = '/api/v1/agent/execute';
const SERVER_SPAN = `POST ${EXECUTE}`;
const QUIET_TASK = { task: 'Calculate 2 + 2' };
/** Division by zero: the calculator's span fails, the agent answers 200 anyway. */
const FAILING_TASK = { task: 'Calculate 1 / 0' };

let folder: string;
let files = 0;
beforeAll(() => void (folder = mkdtempSync(path.join(tmpdir(), 'otel-config-file-'))));
afterAll(async () => {
  await stopAllServices();
  rmSync(folder, { recursive: true, force: true });
});

function configFile(yaml: string): string {
  const file = path.join(folder, `config-${++files}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

const randomHex = (length: number) =>
  Array.from({ length }, () => Math.floor(Math.random() * 16).toString(16)).join('');

/** A caller's `traceparent`, sampled or not. */
const traceparent = (sampled: boolean) =>
  `00-${randomHex(32)}-${randomHex(16)}-0${sampled ? 1 : 0}`;

function startupLine(service: SpawnedService): Record<string, unknown> {
  const line = service
    .output()
    .split('\n')
    .find((each) => each.includes('listening"'));
  return JSON.parse(line!) as Record<string, unknown>;
}

async function execute(service: SpawnedService, task = QUIET_TASK, headers = {}) {
  const response = await request(service.url).post(EXECUTE).set(headers).send(task).expect(200);
  return response.body.trace_id as string;
}

/** Resolves once the service has written a line matching `pattern`. */
async function untilOutput(service: SpawnedService, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!pattern.test(service.output())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${service.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A file's batch processor exporting over OTLP/HTTP to `receiver`, quickly. */
const batchTo = (receiver: OtlpReceiver) => `    - batch:
        schedule_delay: 50
        exporter:
          otlp_http:
            endpoint: ${receiver.endpoint}/v1/traces`;

const rootsOf = (spans: readonly ReceivedSpan[]) =>
  spans.filter((span) => span.parentSpanId === '');

describe(`the development file (${DEVELOPMENT})`, () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => void (receiver = await startOtlpReceiver({ transport: 'http' })));
  afterAll(() => receiver.stop());

  it('keeps every trace, even under a caller that sampled it out, printing each as a tree and sending each span to the endpoint of ${OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}; serves metrics where ${OTEL_EXPORTER_PROMETHEUS_PORT} says', async () => {
    const metricsPort = await freePort();
    const service = await spawnService({
      env: {
        OTEL_CONFIG_FILE: DEVELOPMENT,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.endpoint}/v1/traces`,
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      },
    });
    const traceIds = [
      ...(await Promise.all([1, 2, 3, 4, 5].map(() => execute(service)))),
      ...(await Promise.all(
        [1, 2, 3].map(() => execute(service, QUIET_TASK, { traceparent: traceparent(false) })),
      )),
    ];
    // The file batches every 100 ms: no flush needed.
    await receiver.waitFor(
      (spans) =>
        traceIds.every((traceId) =>
          spans.some((span) => span.traceId === traceId && span.name === SERVER_SPAN),
        ),
      { description: 'the server span of every trace' },
    );
    const server = receiver.spans.find((span) => span.name === SERVER_SPAN)!;
    expect(server.resource).toMatchObject({
      'service.name': 'agent-service',
      'deployment.environment.name': 'development',
    });
    // The tree printer's output comes through the pipe on its own schedule.
    for (const traceId of traceIds) await untilOutput(service, new RegExp(`Trace ${traceId}`));
    expect(startupLine(service)).toMatchObject({
      tracesExporter: 'console,otlp_http',
      sampler: 'always_on (OTEL_CONFIG_FILE)',
    });
    // The http instrumentation's own metric: instrumentations record into the file's readers.
    const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(await scrape.text()).toContain('http_server_request_duration');
    expect(await service.stop()).toBe(0);
  });
});

describe(`the production file (${PRODUCTION})`, () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => void (receiver = await startOtlpReceiver()));
  afterEach(() => receiver.clear());
  afterAll(() => receiver.stop());

  const startProduction = async (env: Record<string, string> = {}) =>
    spawnService({
      env: {
        OTEL_CONFIG_FILE: PRODUCTION,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=workshop',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()),
        ...env,
      },
    });

  /** Half quiet, half failing requests; resolves once the service stopped (every span flushed). */
  async function runHalfFailing(service: SpawnedService, requests: number) {
    let sent = 0;
    const load = await runLoad({
      url: `${service.url}${EXECUTE}`,
      body: QUIET_TASK,
      bodyOf: () => (++sent % 2 ? QUIET_TASK : FAILING_TASK),
      connections: 8,
      amount: requests,
    });
    expect(load).toMatchObject({ ok: requests, failed: 0 });
  }

  const failedTraces = (spans: readonly ReceivedSpan[]) =>
    new Set(spans.filter((span) => span.status.code === 'ERROR').map((span) => span.traceId));

  // 400 new traces at 10%: 40 expected, standard deviation 6; the bounds are 4.7 and 6.7
  // deviations away. Of the 200 failing ones, 20 expected (deviation 4.2).
  it('keeps about 10% of new traces, failing ones too, and every trace a caller sampled; batches them over OTLP/gRPC to ${OTEL_EXPORTER_OTLP_ENDPOINT} with the resource the file gives', async () => {
    const service = await startProduction();
    const sampledByCaller = await Promise.all(
      [1, 2, 3, 4, 5].map(() => execute(service, QUIET_TASK, { traceparent: traceparent(true) })),
    );
    const sampledOutByCaller = await execute(service, QUIET_TASK, {
      traceparent: traceparent(false),
    });
    await runHalfFailing(service, 400);
    expect(await service.stop()).toBe(0);

    const roots = rootsOf(receiver.spans);
    const failed = failedTraces(receiver.spans);
    process.stdout.write(
      `production file: ${roots.length} of 400 new traces sampled, ${failed.size} of 200 failing\n`,
    );
    expect(roots.length).toBeGreaterThanOrEqual(12);
    expect(roots.length).toBeLessThanOrEqual(80);
    // Head sampling cannot know which trace will fail: errors are kept at 10% too.
    expect(failed.size).toBeGreaterThanOrEqual(3);
    expect(failed.size).toBeLessThanOrEqual(45);
    for (const traceId of sampledByCaller)
      expect(receiver.spansOfTrace(traceId).map((span) => span.name)).toContain(SERVER_SPAN);
    expect(receiver.spansOfTrace(sampledOutByCaller)).toEqual([]);
    // Batched: an export carries several spans (a simple processor sends them one by one).
    expect(Math.max(...receiver.exportSizes)).toBeGreaterThan(1);
    expect(roots[0]!.resource).toMatchObject({
      'service.name': 'agent-service',
      'deployment.environment.name': 'production',
      'service.namespace': 'workshop',
      'process.pid': expect.any(Number),
      'host.name': expect.any(String),
      'service.instance.id': expect.any(String),
    });
    expect(startupLine(service)).toMatchObject({
      tracesExporter: 'otlp_grpc',
      sampler: 'parent_based(root: trace_id_ratio_based 0.1) (OTEL_CONFIG_FILE)',
    });
  });

  it('with TRACES_SAMPLE_RATIO=1, as behind the tail-sampling collector it describes, sends every trace, failing ones with the ERROR span that collector keeps them by', async () => {
    const service = await startProduction({ TRACES_SAMPLE_RATIO: '1' });
    await runHalfFailing(service, 40);
    expect(await service.stop()).toBe(0);

    expect(rootsOf(receiver.spans)).toHaveLength(40);
    expect(failedTraces(receiver.spans).size).toBe(20);
    // The collector's policies are the ones the file's comment describes: every trace with an
    // error, every trace of 2 s or more, and the file's own 10% of the others.
    const collector = parse(readFileSync(path.join(ROOT, 'otel-collector-config.yaml'), 'utf8'));
    const policies = collector.processors.tail_sampling.policies as Record<string, unknown>[];
    expect(policies).toEqual([
      expect.objectContaining({ type: 'status_code', status_code: { status_codes: ['ERROR'] } }),
      expect.objectContaining({ type: 'latency', latency: { threshold_ms: 2000 } }),
      expect.objectContaining({ probabilistic: { sampling_percentage: 10 } }),
    ]);
    const defaultRatio = /ratio: \$\{TRACES_SAMPLE_RATIO:-([\d.]+)\}/.exec(
      readFileSync(path.join(ROOT, PRODUCTION), 'utf8'),
    )?.[1];
    expect(Number(defaultRatio) * 100).toBe(10);
  });
});

describe('our own components with a file', () => {
  const AGENT_KEY = 'planted-agent-key-5e6f7a8b9c';
  const INTERNAL_KEY = 'internal-key-for-trust-test';
  let receiver: OtlpReceiver;
  beforeAll(async () => void (receiver = await startOtlpReceiver({ transport: 'http' })));
  afterAll(() => receiver.stop());

  it('redacts known secrets, enriches spans, filters short spans, checks trust in incoming context, samples with traced_agent_adaptive, and pushes metrics from a periodic reader', async () => {
    const file = configFile(`file_format: "1.1"
propagator:
  composite:
    - tracecontext:
    - baggage:
tracer_provider:
  sampler:
    parent_based:
      root:
        traced_agent_adaptive:
          target_per_second: 1000
  processors:
    - batch:
        schedule_delay: 50
        exporter:
          otlp_http:
            endpoint: ${receiver.endpoint}/v1/traces
meter_provider:
  readers:
    - periodic:
        interval: 200
        exporter:
          otlp_http:
            endpoint: ${receiver.endpoint}/v1/metrics
`);
    const service = await spawnService({
      env: {
        OTEL_CONFIG_FILE: file,
        AGENT_API_KEYS: AGENT_KEY,
        TRACE_CONTEXT_TRUST: 'internal',
        INTERNAL_API_KEYS: INTERNAL_KEY,
        SPAN_MIN_DURATION_MS: '10000',
      },
    });
    const caller = traceparent(true);
    // The key in a query parameter whose name says nothing: only the known-secret scrub finds it.
    const response = await request(service.url)
      .post(`${EXECUTE}?note=${AGENT_KEY}`)
      .set({ 'X-API-Key': AGENT_KEY, traceparent: caller })
      .send(QUIET_TASK)
      .expect(200);
    const traceId = response.body.trace_id as string;
    await receiver.waitFor((spans) => spans.some((span) => span.traceId === traceId), {
      description: 'the trace of the request',
    });
    expect(await service.stop()).toBe(0);

    const trace = receiver.spansOfTrace(traceId);
    const server = trace.find((span) => span.name === SERVER_SPAN);
    // The filter wraps the file's processor: a quiet trace is its root alone.
    expect(trace.map((span) => span.name)).toEqual([SERVER_SPAN]);
    expect(server!.attributes['url.query']).toBe('note=[REDACTED]');
    expect(everyStringOf(receiver.spans)).not.toContain(AGENT_KEY);
    expect(server!.attributes).toMatchObject({
      'process.pid': expect.any(Number),
      'sampling.probability': 1,
    });
    // Not an internal caller: a new trace, linked to the one it sent.
    expect(traceId).not.toBe(caller.split('-')[1]);
    expect(server!.links).toEqual([
      { traceId: caller.split('-')[1], spanId: caller.split('-')[2] },
    ]);
    expect(startupLine(service)).toMatchObject({
      tracesExporter: 'otlp_http',
      sampler: 'parent_based(root: traced_agent_adaptive 1000/s) (OTEL_CONFIG_FILE)',
    });
    expect(receiver.metricPoints.map((point) => point.name)).toContain(
      'http.server.request.duration',
    );
  });

  it("starts the agent's spans under a server span it did not sample when local_parent_not_sampled keeps them", async () => {
    const file = configFile(`file_format: "1.1"
tracer_provider:
  sampler:
    parent_based:
      root:
        always_off:
      local_parent_not_sampled:
        always_on:
  processors:
${batchTo(receiver)}
`);
    const service = await spawnService({ env: { OTEL_CONFIG_FILE: file } });
    const traceId = await execute(service);
    await receiver.waitFor((spans) => spans.some((span) => span.traceId === traceId), {
      description: "the agent's spans of the request",
    });
    expect(await service.stop()).toBe(0);

    // The server span (a root: always_off) is not kept; its children are, as the file says.
    const names = receiver.spansOfTrace(traceId).map((span) => span.name);
    expect(names).not.toContain(SERVER_SPAN);
    expect(names).toEqual(expect.arrayContaining(['agent.task', 'llm.generate']));
  });

  it('recovers when the OTLP endpoint comes up after the service, reporting the failure once in a while', async () => {
    const port = await freePort();
    const file = configFile(`file_format: "1.1"
tracer_provider:
  processors:
    - batch:
        schedule_delay: 50
        exporter:
          otlp_grpc:
            endpoint: http://127.0.0.1:${port}
`);
    const service = await spawnService({ env: { OTEL_CONFIG_FILE: file } });
    await Promise.all([1, 2, 3, 4].map(() => execute(service)));
    await untilOutput(service, /Span export is failing/);

    const late = await startOtlpReceiver({ port });
    try {
      const traceIds = await Promise.all([1, 2, 3, 4].map(() => execute(service)));
      await late.waitFor(
        (spans) =>
          traceIds.every((traceId) =>
            spans.some((span) => span.traceId === traceId && span.name === SERVER_SPAN),
          ),
        { description: 'the traces made after the endpoint came up', timeoutMs: 20_000 },
      );
      expect(await service.stop()).toBe(0);
      const warnings = service.output().match(/Span export is failing/g) ?? [];
      expect(warnings.length).toBeLessThanOrEqual(2);
      expect(service.output()).toContain('Span export recovered');
    } finally {
      await late.stop();
    }
  });
});

describe('switching tracing off', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => void (receiver = await startOtlpReceiver({ transport: 'http' })));
  afterAll(() => receiver.stop());

  it.each([
    [
      'OTEL_SDK_DISABLED=true, which wins over the file',
      DEVELOPMENT,
      { OTEL_SDK_DISABLED: 'true' },
      'none (OTEL_SDK_DISABLED=true)',
    ],
    ['disabled: true in the file', 'disabled', {}, 'none (disabled in OTEL_CONFIG_FILE)'],
  ])('%s: nothing is traced or exported', async (_case, which, env, sampler) => {
    const file =
      which === 'disabled'
        ? configFile(`file_format: "1.1"
disabled: true
tracer_provider:
  processors:
    - simple:
        exporter:
          otlp_http:
            endpoint: ${receiver.endpoint}/v1/traces
`)
        : which;
    const service = await spawnService({
      env: {
        OTEL_CONFIG_FILE: file,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.endpoint}/v1/traces`,
        ...env,
      },
    });
    await execute(service);
    expect(await service.stop()).toBe(0);
    expect(startupLine(service)).toMatchObject({ sampler });
    expect(service.output()).not.toContain('Trace ');
    expect(receiver.spanCount).toBe(0);
  });
});
