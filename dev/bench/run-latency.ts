/**
 * `npm run bench:latency`: the service in front of a model with real latency, then under a flood
 * (issue 23). See BENCHMARKS.md, "Real model latency and overload", for the method and the
 * figures; `--quick` runs both scenarios small and fast, only to check that they work.
 * Loopback only; every process it starts is stopped.
 */
import os from 'node:os';
import path from 'node:path';
import { reportWritten, runBenchmark } from './bench-entry';
import { ROOT, spawnService, stopAllServices } from '../process/spawn-service';
import { writeLatencyReport } from './latency-report';
import { overload, realLatency, type LatencySettings } from './latency-scenarios';

function settingsFrom(argv: string[]): LatencySettings & { out: string } {
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 ? path.resolve(argv[outIndex + 1]!) : path.join(ROOT, 'BENCHMARKS.md');
  return argv.includes('--quick')
    ? {
        quick: true,
        out,
        modelLatencyMs: 200,
        lowerClients: 10,
        clients: 20,
        warmupSeconds: 1,
        measureSeconds: 2,
        floodClients: 200,
        floodSeconds: 3,
        floodEnv: { MAX_CONCURRENT_RUNS: '40' },
      }
    : {
        quick: false,
        out,
        modelLatencyMs: 1_500,
        lowerClients: 300,
        clients: 600,
        warmupSeconds: 10,
        measureSeconds: 30,
        floodClients: 5_000,
        floodSeconds: 20,
        floodEnv: {},
      };
}

const log = (message: string) => process.stderr.write(`${message}\n`);

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2));
  const started = performance.now();
  const loadBefore = os.loadavg()[0]!;
  const model = await spawnService({
    entry: 'dist/emulator/main.js',
    register: null,
    env: { EMULATOR_LATENCY_MS: String(settings.modelLatencyMs) },
  });
  try {
    const real = await realLatency(settings, model.url, log);
    log(`overload: ${settings.floodClients} clients for ${settings.floodSeconds} s ...`);
    const flood = await overload(settings, model.url);
    const summary = writeLatencyReport(settings.out, {
      settings,
      date: new Date().toISOString(),
      elapsedSeconds: Math.round((performance.now() - started) / 1000),
      loadAverage: { before: loadBefore, after: os.loadavg()[0]! },
      real,
      overload: flood,
    });
    reportWritten(summary, settings.out);
  } finally {
    await stopAllServices();
    await model.stop();
  }
}

runBenchmark(main);
