/**
 * `npm run bench`: what tracing costs this service, measured on this machine. See BENCHMARKS.md
 * for the method and the figures, and `--quick` for a few-second run that only checks it works.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { reportWritten, runBenchmark } from './bench-entry';
import { startSpanCounter } from '../otlp/span-counter';
import { freePort, ROOT, spawnService, stopAllServices } from '../process/spawn-service';
import { summarizeProfile, type CpuProfile } from './cpu-profile';
import { measureMemory } from './memory-bench';
import { median } from './paired-rounds';
import { writeReport, type BenchResults, type ProfiledVariant, type VariantResult } from './report';
import { measureSpanCost } from './span-cost-process';
import {
  finishVariant,
  interleavedRounds,
  load,
  modelEnv,
  newRunning,
  spanAccounting,
  startVariant,
  type Running,
} from './variant-rounds';
import { VARIANTS, type VariantId } from './variants';

interface Settings {
  quick: boolean;
  out: string;
  connections: number;
  roundSeconds: number;
  rounds: number;
  warmupSeconds: number;
  sustainedSeconds: number;
  startupSamples: number;
  spanCostSpans: number;
}

function settingsFrom(argv: string[]): Settings {
  const quick = argv.includes('--quick');
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 ? path.resolve(argv[outIndex + 1]!) : path.join(ROOT, 'BENCHMARKS.md');
  return quick
    ? {
        quick,
        out,
        connections: 4,
        roundSeconds: 1,
        rounds: 2,
        warmupSeconds: 1,
        sustainedSeconds: 3,
        startupSamples: 2,
        spanCostSpans: 2_000,
      }
    : {
        quick,
        out,
        connections: 8,
        roundSeconds: 8,
        rounds: 5,
        warmupSeconds: 3,
        sustainedSeconds: 60,
        startupSamples: 7,
        spanCostSpans: 20_000,
      };
}

const log = (message: string) => process.stderr.write(`${message}\n`);
const BENCH_DIR = path.join(ROOT, '.bench');

/**
 * Starts each variant, then runs them in turns (A B C D A B C D ...), so drift hits them all alike.
 */
async function measureVariants(settings: Settings, modelUrl: string): Promise<VariantResult[]> {
  const entries: Running[] = [];
  for (const variant of VARIANTS) {
    const { service, receiver } = await startVariant(variant, modelUrl);
    entries.push(newRunning(variant, service, receiver, 250));
  }
  await interleavedRounds(entries, settings, log);
  const disabled = entries.find((entry) => entry.variant.id === 'disabled');
  const results: VariantResult[] = [];
  for (const entry of entries) results.push(await finishVariant(entry, disabled));
  return results;
}

/** Process start to the first 200 from /healthz, with and without tracing. */
async function measureStartup(settings: Settings, modelUrl: string) {
  const receiver = await startSpanCounter();
  const timings: Record<'withoutTracing' | 'withTracing', number[]> = {
    withoutTracing: [],
    withTracing: [],
  };
  for (let sample = 0; sample < settings.startupSamples; sample += 1) {
    for (const [key, register] of [
      ['withoutTracing', null],
      ['withTracing', 'dist/tracing/register.js'],
    ] as const) {
      const started = performance.now();
      const service = await spawnService({
        register,
        port: await freePort(),
        env: { ...modelEnv(modelUrl), OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
      });
      timings[key].push(performance.now() - started);
      await service.stop();
    }
  }
  await receiver.stop();
  return {
    withoutTracingMs: median(timings.withoutTracing),
    withTracingMs: median(timings.withTracing),
    samples: settings.startupSamples,
  };
}

/**
 * Full tracing at 80% of its measured maximum: after a warm-up at that rate, no span may be lost,
 * through a SIGTERM at the end, and RSS must stay flat.
 */
async function measureSustained(
  settings: Settings,
  modelUrl: string,
  maxRequestsPerSecond: number,
) {
  const variant = VARIANTS.find((candidate) => candidate.id === 'full')!;
  const { service, receiver } = await startVariant(variant, modelUrl);
  const rate = Math.max(1, Math.round(maxRequestsPerSecond * 0.8));
  const warmup = newRunning(variant, service, receiver, 1_000);
  await load(warmup, settings, settings.warmupSeconds * 2, rate);
  warmup.rss.stop();
  const entry = newRunning(variant, service, receiver, 500);
  const result = await load(entry, settings, settings.sustainedSeconds, rate);
  const exitCode = await service.stop('SIGTERM');
  entry.rss.stop();
  const samples = entry.rss.samples.map((sample) => sample.rssMiB);
  const third = Math.max(1, Math.floor(samples.length / 3));
  const mean = (values: number[]) =>
    values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  const spans = spanAccounting(entry);
  const sustained = {
    targetRequestsPerSecond: rate,
    achievedRequestsPerSecond: result.requestsPerSecond,
    seconds: settings.sustainedSeconds,
    requests: entry.requestsAnswered,
    failedRequests: result.failed,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    spansExpected: spans.expected,
    spansReceived: spans.received,
    exitCode,
    rssFirstThirdMiB: mean(samples.slice(0, third)),
    rssLastThirdMiB: mean(samples.slice(-third)),
    peakRssMiB: entry.rss.peak,
  };
  await receiver!.stop();
  return sustained;
}

/**
 * A CPU profile of one variant under the same load as the rounds, warm-up excluded: where its time
 * goes, per request.
 */
async function profileVariant(
  settings: Settings,
  modelUrl: string,
  id: VariantId,
): Promise<ProfiledVariant> {
  const directory = path.join(BENCH_DIR, `profile-${id}`);
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const variant = VARIANTS.find((candidate) => candidate.id === id)!;
  const spawnedAt = performance.now();
  const { service, receiver } = await startVariant(variant, modelUrl, {
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${directory}`],
  });
  await load(newRunning(variant, service, receiver, 1_000), settings, settings.warmupSeconds);
  const measuredFromMs = performance.now() - spawnedAt;
  const measured = newRunning(variant, service, receiver, 1_000);
  await load(measured, settings, settings.roundSeconds);
  await service.stop('SIGTERM');
  measured.rss.stop();
  await receiver?.stop();
  const [file] = readdirSync(directory).filter((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`the ${id} service wrote no CPU profile`);
  const profile = JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as CpuProfile;
  return {
    ...summarizeProfile(profile, { fromMs: measuredFromMs }),
    requests: measured.requestsAnswered,
  };
}

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2));
  const started = performance.now();
  log(
    `benchmark (${settings.quick ? 'quick' : 'full'}): ${settings.rounds} rounds of ${settings.roundSeconds} s per variant, ${settings.connections} connections`,
  );
  const model = await spawnService({ entry: 'dist/emulator/main.js', register: null });
  try {
    const variants = await measureVariants(settings, model.url);
    const full = variants.find((variant) => variant.id === 'full')!;
    log('start-up ...');
    const startup = await measureStartup(settings, model.url);
    log('span cost ...');
    const spanCost = await measureSpanCost({ spans: settings.spanCostSpans });
    log(
      `sustained run at 80% of ${full.requestsPerSecond.toFixed(0)} req/s for ${settings.sustainedSeconds} s ...`,
    );
    const sustained = await measureSustained(settings, model.url, full.requestsPerSecond);
    log('memory: in the process and in PostgreSQL (PGlite) ...');
    const memory = await measureMemory(settings, modelEnv(model.url), log);
    log('profile ...');
    const profile = {
      disabled: await profileVariant(settings, model.url, 'disabled'),
      sampled: await profileVariant(settings, model.url, 'sampled'),
      full: await profileVariant(settings, model.url, 'full'),
    };
    const results: BenchResults = {
      quick: settings.quick,
      date: new Date().toISOString(),
      connections: settings.connections,
      rounds: settings.rounds,
      roundSeconds: settings.roundSeconds,
      variants,
      startup,
      spanCost,
      sustained,
      profile,
      memory,
      elapsedSeconds: Math.round((performance.now() - started) / 1000),
    };
    const summary = writeReport(settings.out, results);
    reportWritten(summary, settings.out);
  } finally {
    await stopAllServices();
    await model.stop();
  }
}

runBenchmark(main);
