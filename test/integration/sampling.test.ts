import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../dev/otlp/receiver';
import { runLoad } from '../../dev/bench/load';
import { ROOT, spawnService, stopAllServices } from '../support/spawn-service';

/**
 * Workshop exercise 1, on real processes: which traces a service keeps, counted on exported OTLP
 * data.
 */

const TASK = { task: 'Calculate 2 + 2' };

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(() => receiver.clear());
afterAll(async () => {
  await stopAllServices();
  await receiver.stop();
});

/**
 * Runs the service with `env`, sends `requests` tasks, stops it (which flushes every span), returns
 * the roots it exported.
 */
async function sampledRoots(env: Record<string, string>, requests: number) {
  const service = await spawnService({
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200', ...env },
  });
  const result = await runLoad({
    url: `${service.url}/api/v1/agent/execute`,
    body: TASK,
    connections: 8,
    amount: requests,
  });
  expect(result).toMatchObject({ ok: requests, failed: 0 });
  expect(await service.stop('SIGTERM')).toBe(0);
  return {
    roots: receiver.spans.filter((span) => span.parentSpanId === ''),
    output: service.output(),
  };
}

describe('head sampling by environment', () => {
  // 400 traces at 10%: 40 expected, standard deviation 6; the bounds are 4.7 and 6.7 deviations
  // away.
  it('keeps about 10% of new traces with NODE_ENV=production, and says so at start-up', async () => {
    const { roots, output } = await sampledRoots({ NODE_ENV: 'production' }, 400);
    process.stdout.write(`NODE_ENV=production: ${roots.length} of 400 traces sampled\n`);
    expect(roots.length).toBeGreaterThanOrEqual(12);
    expect(roots.length).toBeLessThanOrEqual(80);
    expect(output).toContain(
      '"sampler":"parentbased_traceidratio 0.1 (default for NODE_ENV=production)"',
    );
  });

  it('keeps every trace in development', async () => {
    const { roots, output } = await sampledRoots({ NODE_ENV: 'development' }, 400);
    expect(roots).toHaveLength(400);
    // Development's console: short lines (src/short-log-lines.ts).
    expect(output).toContain('sampler="parentbased_always_on (default)"');
  });

  it('lets OTEL_TRACES_SAMPLER win over NODE_ENV=production', async () => {
    const { roots, output } = await sampledRoots(
      { NODE_ENV: 'production', OTEL_TRACES_SAMPLER: 'parentbased_always_on' },
      50,
    );
    expect(roots).toHaveLength(50);
    expect(output).toContain('"sampler":"parentbased_always_on (OTEL_TRACES_SAMPLER)"');
  });
});

/**
 * The most roots that started in any 5-second window (sliding by 100 ms) from `fromMs` on, in ms
 * since the first.
 */
function busiestFiveSeconds(roots: readonly ReceivedSpan[], fromMs: number): number {
  const first = Math.min(...roots.map((span) => Number(span.startTimeUnixNano / 1_000_000n)));
  const times = roots.map((span) => Number(span.startTimeUnixNano / 1_000_000n) - first);
  const last = Math.max(...times);
  let most = 0;
  for (let start = fromMs; start + 5_000 <= last; start += 100) {
    most = Math.max(most, times.filter((time) => time >= start && time < start + 5_000).length);
  }
  return most;
}

describe('adaptive sampling by load', () => {
  it('keeps the sampled rate under 1.5 × the target over any 5 seconds of a load far above it, recording each probability', async () => {
    const target = 20;
    const service = await spawnService({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_TRACES_SAMPLER: 'adaptive',
        OTEL_TRACES_SAMPLER_ARG: String(target),
      },
    });
    // An invalid request is the cheapest traced request: the load stays far above the target on a
    // busy machine.
    const load = await runLoad({
      url: `${service.url}/api/v1/agent/execute`,
      body: {},
      connections: 8,
      durationSeconds: 12,
    });
    expect(await service.stop('SIGTERM')).toBe(0);
    const requests = load.ok + load.failed;
    const roots = receiver.spans.filter((span) => span.parentSpanId === '');
    const busiest = busiestFiveSeconds(roots, 2_000);
    process.stdout.write(
      `adaptive sampling: ${requests} requests (${Math.round(requests / load.durationSeconds)}/s), ${roots.length} sampled, ` +
        `busiest 5 s after the first 2: ${busiest} (target ${target * 5})\n`,
    );
    expect(requests / load.durationSeconds).toBeGreaterThan(4 * target);
    expect(busiest).toBeLessThanOrEqual(1.5 * target * 5);
    expect(roots.length).toBeGreaterThan(0.5 * target * load.durationSeconds);
    expect(service.output()).toContain('"sampler":"adaptive 20/s (OTEL_TRACES_SAMPLER)"');
    expect(service.output()).not.toMatch(/OTEL_TRACES_SAMPLER value .* invalid/);

    // Each kept root says how likely it was to be kept: 1 / p per root extrapolates the traffic.
    const probabilities = roots.map((span) => span.attributes['sampling.probability'] as number);
    expect(probabilities.every((probability) => probability > 0 && probability <= 1)).toBe(true);
    const extrapolated = probabilities.reduce((sum, probability) => sum + 1 / probability, 0);
    expect(extrapolated / requests).toBeGreaterThan(0.7);
    expect(extrapolated / requests).toBeLessThan(1.3);
  });

  it('costs a fraction of a microsecond per decision (measured in its own process, printed, not asserted)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      path.join(ROOT, 'dist-dev/dev/bench/sampler-cost.js'),
      '1000000',
    ]);
    process.stdout.write(`adaptive sampler cost: ${stdout}`);
    expect(JSON.parse(stdout)).toMatchObject({ decisions: 1_000_000 });
  });
});
