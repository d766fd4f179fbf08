import { startOtlpReceiver, type OtlpReceiver } from '../../dev/otlp/receiver';
import request from '../support/contract-request';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';

/**
 * Standard `OTEL_*` variables that OpenTelemetry JS 3 leaves to whoever builds the pipeline: the
 * service reads them itself (src/tracing/setup/tracing-config.ts), so they are tested on what a real
 * process sends.
 */
let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await stopAllServices();
  await receiver.stop();
});

const startAgent = (env: Record<string, string>) =>
  spawnService({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, ...env } });

/** Runs one task and resolves with its trace id once its server span (the last to end) arrived. */
async function runTask(service: SpawnedService): Promise<string> {
  const response = await request(service.url)
    .post('/api/v1/agent/execute')
    .send({ task: 'Calculate 17 * 23', user_id: 'ana' })
    .expect(200);
  const traceId: string = response.body.trace_id;
  await receiver.waitFor((spans) =>
    spans.some((span) => span.traceId === traceId && span.kind === 'SERVER'),
  );
  return traceId;
}

describe('OTEL_BSP_* (the batch span processor)', () => {
  beforeEach(() => receiver.clear());

  it('sends no more spans in one export than OTEL_BSP_MAX_EXPORT_BATCH_SIZE', async () => {
    const service = await startAgent({
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    const traceId = await runTask(service);
    await service.stop();

    const spans = receiver.spansOfTrace(traceId);
    expect(spans.length).toBeGreaterThan(4);
    // The default, 512, would carry the whole trace in one export.
    expect(Math.max(...receiver.exportSizes)).toBe(2);
    expect(receiver.exportSizes.length).toBeGreaterThanOrEqual(spans.length / 2);
  });

  it('exports finished spans after OTEL_BSP_SCHEDULE_DELAY, not the default five seconds', async () => {
    const service = await startAgent({ OTEL_BSP_SCHEDULE_DELAY: '50' });
    // The first export loads the exporter's transport and opens its connection: a second run,
    // timed, measures the delay alone.
    await runTask(service);
    const started = Date.now();
    await runTask(service);
    const elapsedMs = Date.now() - started;
    await service.stop();

    // The variable is a duration, so this is about time: with the default (5000 ms) the trace
    // arrives about five seconds after its first span ends, here a few hundred milliseconds after.
    expect(elapsedMs).toBeLessThan(2_500);
  });
});

describe('OTEL_NODE_ENABLED_INSTRUMENTATIONS', () => {
  const INSTRUMENTATION = '@opentelemetry/instrumentation-';

  it('loads only the instrumentations it names, and ignores with a warning one the service does not ship', async () => {
    const service = await startAgent({
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,router',
    });
    const spans = receiver.spansOfTrace(await runTask(service));

    const server = spans.find((span) => span.kind === 'SERVER')!;
    // http is on; express (the route) and undici (the model call's HTTP span) are off.
    expect(server.attributes['http.route']).toBeUndefined();
    const instrumented = spans.filter((span) => span.scopeName.startsWith(INSTRUMENTATION));
    expect(instrumented.map((span) => span.scopeName)).toEqual([`${INSTRUMENTATION}http`]);
    expect(spans.map((span) => span.name)).toContain('llm.generate');
    const warning = service
      .output()
      .split('\n')
      .find((line) => line.includes('Unknown instrumentation'));
    expect(JSON.parse(warning!)).toMatchObject({
      unknown: ['router'],
      supported: ['http', 'express', 'undici', 'pino', 'pg'],
    });
  });
});
