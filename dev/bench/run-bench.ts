/**
 * `npm run bench`: what tracing costs this service, measured on this machine. See BENCHMARKS.md
 * for the method and the figures, and `--quick` for a few-second run that only checks it works.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { context } from '@opentelemetry/api';
import { TraceIdRatioBasedSampler, SamplingDecision } from '@opentelemetry/sdk-trace';
import { startSpanCounter, type SpanCounter } from '../otlp/span-counter';
import { cpuTimeMs, sampleRss, type RssSampler } from '../process/process-stats';
import {
  freePort,
  ROOT,
  spawnService,
  stopAllServices,
  type SpawnedService,
} from '../process/spawn-service';
import { summarizeProfile, type CpuProfile } from './cpu-profile';
import { runLoad, type LoadResult } from './load';
import { measureMemory } from './memory-bench';
import { median } from './paired-rounds';
import { writeReport, type BenchResults, type ProfiledVariant, type VariantResult } from './report';
import { BENCH_TASK, SPANS_PER_REQUEST, VARIANTS, type Variant, type VariantId } from './variants';

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

interface Running {
  variant: Variant;
  service: SpawnedService;
  receiver?: SpanCounter;
  rss: RssSampler;
  rounds: (LoadResult & { cpuMsPerRequest: number })[];
  requestsAnswered: number;
  /** Trace ids of the answered requests the sampler kept: each must arrive with all its spans. */
  sampledTraceIds: string[];
}

function newRunning(
  variant: Variant,
  service: SpawnedService,
  receiver: SpanCounter | undefined,
  rssEveryMs: number,
): Running {
  return {
    variant,
    service,
    receiver,
    rss: sampleRss(service.child.pid!, rssEveryMs),
    rounds: [],
    requestsAnswered: 0,
    sampledTraceIds: [],
  };
}

/**
 * Spans expected (sampled answered requests × spans per request), and how many of those arrived.
 */
function spanAccounting(entry: Running) {
  const spansOf = (traceId: string) => entry.receiver?.spansOfTrace(traceId) ?? 0;
  // The adaptive sampler's decisions cannot be made again here: the traces it kept are those of
  // which at least one span arrived, and each of them must be whole.
  const sampled = entry.variant.adaptivePerSecond
    ? entry.sampledTraceIds.filter((traceId) => spansOf(traceId) > 0)
    : entry.sampledTraceIds;
  const expected = sampled.length * SPANS_PER_REQUEST;
  const received = sampled.reduce(
    (sum, traceId) => sum + Math.min(SPANS_PER_REQUEST, spansOf(traceId)),
    0,
  );
  return { expected, received };
}

function modelEnv(modelUrl: string): Record<string, string> {
  // A key makes the service use GEMINI_BASE_URL as the real API: the stand-in answers at once.
  return { GEMINI_API_KEY: 'bench-key', GEMINI_BASE_URL: modelUrl, LOG_LEVEL: 'warn' };
}

async function startVariant(
  variant: Variant,
  modelUrl: string,
  extra: { nodeArgs?: string[]; env?: Record<string, string> } = {},
) {
  const receiver = variant.sampling > 0 ? await startSpanCounter() : undefined;
  const metricsEnv: Record<string, string> = variant.metrics
    ? {
        OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()),
      }
    : {};
  const service = await spawnService({
    register: variant.register,
    port: await freePort(),
    nodeArgs: extra.nodeArgs,
    env: {
      ...modelEnv(modelUrl),
      ...variant.env,
      ...(receiver
        ? { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint }
        : { OTEL_TRACES_EXPORTER: 'none' }),
      ...metricsEnv,
      ...extra.env,
    },
  });
  return { service, receiver };
}

/**
 * Notes each answered request, and the trace ids whose spans must arrive. The ratio sampler
 * decides from the trace id alone, so the service's decision can be made again here. Requests
 * autocannon abandons at the end of a round are not counted, so neither are their spans.
 */
function recordAnswers(entry: Running): (body: string) => void {
  const { sampling } = entry.variant;
  const sampler = sampling > 0 && sampling < 1 ? new TraceIdRatioBasedSampler(sampling) : undefined;
  return (body: string) => {
    entry.requestsAnswered += 1;
    if (sampling === 0) return;
    const traceId = /"trace_id":"([0-9a-f]{32})"/.exec(body)?.[1];
    if (!traceId) return;
    if (
      !sampler ||
      sampler.shouldSample(context.active(), traceId).decision ===
        SamplingDecision.RECORD_AND_SAMPLED
    )
      entry.sampledTraceIds.push(traceId);
  };
}

const running = new Map<string, Running>();

async function load(entry: Running, settings: Settings, seconds: number, overallRate?: number) {
  const pid = entry.service.child.pid!;
  const cpuBefore = cpuTimeMs(pid);
  const result = await runLoad({
    url: `${entry.service.url}/api/v1/agent/execute`,
    body: BENCH_TASK,
    connections: settings.connections,
    durationSeconds: seconds,
    overallRate,
    onBody: recordAnswers(entry),
  });
  return { ...result, cpuMsPerRequest: (cpuTimeMs(pid) - cpuBefore) / Math.max(1, result.ok) };
}

/**
 * Starts each variant, then runs them in turns (A B C D A B C D ...), so drift hits them all alike.
 */
async function measureVariants(settings: Settings, modelUrl: string): Promise<VariantResult[]> {
  for (const variant of VARIANTS) {
    const { service, receiver } = await startVariant(variant, modelUrl);
    running.set(variant.id, newRunning(variant, service, receiver, 250));
  }
  for (const entry of running.values()) await load(entry, settings, settings.warmupSeconds);
  for (let round = 1; round <= settings.rounds; round += 1) {
    for (const entry of running.values()) {
      const result = await load(entry, settings, settings.roundSeconds);
      entry.rounds.push(result);
      log(
        `round ${round} ${entry.variant.id}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`,
      );
    }
  }
  const results: VariantResult[] = [];
  for (const entry of running.values()) {
    const exitCode = await entry.service.stop('SIGTERM');
    entry.rss.stop();
    // After the shutdown flush, everything exported has arrived or never will.
    const spans = spanAccounting(entry);
    results.push({
      id: entry.variant.id,
      title: entry.variant.title,
      adaptivePerSecond: entry.variant.adaptivePerSecond,
      requestsPerSecond: median(entry.rounds.map((round) => round.requestsPerSecond)),
      roundsRequestsPerSecond: entry.rounds.map((round) => Math.round(round.requestsPerSecond)),
      p50Ms: median(entry.rounds.map((round) => round.p50Ms)),
      p99Ms: median(entry.rounds.map((round) => round.p99Ms)),
      cpuMsPerRequest: median(entry.rounds.map((round) => round.cpuMsPerRequest)),
      peakRssMiB: entry.rss.peak,
      failedRequests: entry.rounds.reduce((sum, round) => sum + round.failed, 0),
      exitCode,
      spans: entry.receiver
        ? { ...spans, perRequest: entry.receiver.spanCount / Math.max(1, entry.requestsAnswered) }
        : undefined,
    });
    await entry.receiver?.stop();
  }
  running.clear();
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

async function measureSpanCost(settings: Settings) {
  const receiver = await startSpanCounter();
  const { stdout } = await promisify(execFile)(process.execPath, [
    path.join(__dirname, 'span-cost.js'),
    receiver.endpoint,
    String(settings.spanCostSpans),
  ]);
  await receiver.stop();
  return JSON.parse(stdout) as BenchResults['spanCost'];
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
    const spanCost = await measureSpanCost(settings);
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
    process.stdout.write(
      `${summary}\nReport written to ${path.relative(process.cwd(), settings.out) || settings.out}\n`,
    );
  } finally {
    await stopAllServices();
    await model.stop();
  }
}

main().catch(async (error: unknown) => {
  process.stderr.write(
    `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  await stopAllServices();
  process.exit(1);
});
