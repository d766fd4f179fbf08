/**
 * The two scenarios of `npm run bench:latency` (issue 23): the service in front of a model that
 * takes its time (the emulator in its own process, each call answered after a delay), loaded by
 * closed-loop clients with tracing at 100%; then the same service flooded by thousands of clients
 * while one honest client asks as it should.
 */
import { startSpanCounterProcess, type SpanCounterProcess } from '../otlp/span-counter-process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { cpuTimeMs, rssMiB, sampleRss } from '../process/process-stats';
import { freePort, spawnService, type SpawnedService } from '../process/spawn-service';
import { closedLoop, percentile, type Answer } from './closed-loop';
import { refusalsBetween, refusalsByReason, sampleServiceMetrics } from './service-metrics';
import { BENCH_TASK, SPANS_PER_REQUEST } from './variants';

export interface LatencySettings {
  quick: boolean;
  /** The model's delay per call; a run makes two calls. */
  modelLatencyMs: number;
  /** Clients of the real-latency scenario, and of the level below it (memory per run). */
  clients: number;
  lowerClients: number;
  warmupSeconds: number;
  measureSeconds: number;
  floodClients: number;
  floodSeconds: number;
  /** Variables of the flooded service beside the defaults (quick: a small cap, to see refusals). */
  floodEnv: Record<string, string>;
}

const EXECUTE = '/api/v1/agent/execute';
/** One API key per kind of client: admission counts runs per caller. */
const KEYS = { clients: 'bench-clients', flood: 'bench-flood', honest: 'bench-honest' };

interface Stack {
  service: SpawnedService;
  counter: SpanCounterProcess;
  metricsUrl: string;
}

async function startStack(modelUrl: string, env: Record<string, string> = {}): Promise<Stack> {
  // The span counter times the server span of each request: a refusal's is what it cost.
  const counter = await startSpanCounterProcess(`POST ${EXECUTE}`);
  const metricsPort = await freePort();
  const service = await spawnService({
    port: await freePort(),
    env: {
      GEMINI_API_KEY: 'bench-key',
      GEMINI_BASE_URL: modelUrl,
      LOG_LEVEL: 'warn',
      AGENT_API_KEYS: Object.values(KEYS).join(','),
      OTEL_EXPORTER_OTLP_ENDPOINT: counter.endpoint,
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      ...env,
    },
  });
  return { service, counter, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}

/**
 * Stops the service (SIGTERM: it flushes its spans), then counts, for every answer, the spans of
 * its trace that arrived: a run's ten, a refusal's one (its server span).
 */
async function stopAndCountSpans({ service, counter }: Stack, answers: readonly Answer[]) {
  const exitCode = await service.stop('SIGTERM');
  if (process.env.BENCH_SERVICE_OUTPUT) process.stderr.write(service.output());
  const traced = answers.filter(
    ({ status, traceId }) => traceId && (status === 200 || status === 503),
  );
  const arrived = await counter.arrivals(traced.map(({ traceId }) => traceId!));
  let expected = 0;
  let received = 0;
  const refusalServerMs: number[] = [];
  traced.forEach(({ status }, index) => {
    const spans = status === 200 ? SPANS_PER_REQUEST : 1;
    expected += spans;
    received += Math.min(spans, arrived[index]!.spans);
    const timedMs = arrived[index]!.timedMs;
    if (status === 503 && timedMs !== undefined) refusalServerMs.push(timedMs);
  });
  await counter.stop();
  return {
    exitCode,
    spansExpected: expected,
    spansReceived: received,
    /** How long the service took over each refusal (its server span), sorted. */
    refusalServerMs: refusalServerMs.sort((a, b) => a - b),
  };
}

const median = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
const latencies = (answers: readonly Answer[]) =>
  answers.map((answer) => answer.endMs - answer.startMs).sort((a, b) => a - b);
const countStatuses = (answers: readonly Answer[]) =>
  answers.reduce<Record<string, number>>(
    (counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }),
    {},
  );

export interface LevelResult {
  clients: number;
  runsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  medianRssMiB: number;
  peakRssMiB: number;
  eventLoopDelayMs: { median: number; max: number };
  /** Refusals while the clients arrived and the process warmed up, and in the measured window. */
  refusedWarmingUp: number;
  refused: number;
  refusedByReason: Record<string, number>;
  cpuMsPerRun: number;
}

/**
 * `clients` closed-loop clients for a warm-up, then a measured window: runs answered in the
 * window, the latency of those, and the service's memory, event loop and CPU meanwhile.
 */
async function measureLevel(
  stack: Stack,
  clients: number,
  { warmupSeconds, measureSeconds }: LatencySettings,
  loneRunMs: number,
): Promise<{ result: LevelResult; answers: Answer[] }> {
  const pid = stack.service.child.pid!;
  const started = performance.now();
  const measureFrom = started + warmupSeconds * 1000;
  const end = measureFrom + measureSeconds * 1000;
  const rss = sampleRss(pid, 200);
  const metrics = sampleServiceMetrics(stack.metricsUrl);
  const refusedBefore = await refusalsByReason(stack.metricsUrl);
  const cpu = { from: 0, to: 0 };
  setTimeout(() => (cpu.from = cpuTimeMs(pid)), measureFrom - performance.now());
  setTimeout(() => (cpu.to = cpuTimeMs(pid)), end - performance.now());
  const answers = await closedLoop({
    url: `${stack.service.url}${EXECUTE}`,
    body: BENCH_TASK,
    clients,
    untilMs: end,
    headers: { 'x-api-key': KEYS.clients },
    // Clients arrive spread over one run's time, so that their runs are spread over its cycle
    // rather than in waves; told 503, they wait as `Retry-After` asks, as a client library that
    // retries does.
    rampMs: loneRunMs,
    honourRetryAfter: true,
  });
  rss.stop();
  metrics.stop();
  const inWindow = (atMs: number) => atMs >= measureFrom - started && atMs < end - started;
  const measured = answers.filter((answer) => answer.endMs >= measureFrom && answer.endMs < end);
  const answered = measured.filter((answer) => answer.status === 200);
  const times = latencies(answered);
  const delays = metrics.samples
    .filter((sample) => inWindow(sample.atMs))
    .map((sample) => sample.eventLoopDelayMs);
  const refused = answers.filter((answer) => answer.status === 503);
  const refusedMeasured = measured.filter((answer) => answer.status === 503).length;
  return {
    answers,
    result: {
      clients,
      runsPerSecond: answered.length / measureSeconds,
      p50Ms: percentile(times, 0.5),
      p99Ms: percentile(times, 0.99),
      medianRssMiB: median(rss.samples.filter((s) => inWindow(s.atMs)).map((s) => s.rssMiB)),
      peakRssMiB: rss.peak,
      eventLoopDelayMs: { median: median(delays), max: Math.max(0, ...delays) },
      refusedWarmingUp: refused.length - refusedMeasured,
      refused: refusedMeasured,
      refusedByReason: refusalsBetween(refusedBefore, await refusalsByReason(stack.metricsUrl)),
      cpuMsPerRun: (cpu.to - cpu.from) / Math.max(1, answered.length),
    },
  };
}

export interface RealLatencyResult {
  /** One run alone: what the model's two calls and the service take. */
  loneRunMs: number;
  idleRssMiB: number;
  levels: LevelResult[];
  /** RSS per run in flight, from the two levels' medians. */
  rssPerRunMiB: number;
  spansExpected: number;
  spansReceived: number;
  exitCode: number | null;
}

export async function realLatency(
  settings: LatencySettings,
  modelUrl: string,
  log: (message: string) => void,
): Promise<RealLatencyResult> {
  const stack = await startStack(modelUrl);
  const idleRssMiB = rssMiB(stack.service.child.pid!);
  // Five runs one after the other; the first two warm the process up.
  const alone: number[] = [];
  for (let run = 0; run < 5; run++) {
    const answers = await closedLoop({
      url: `${stack.service.url}${EXECUTE}`,
      body: BENCH_TASK,
      clients: 1,
      // One request: the client stops once it is past.
      untilMs: performance.now() + 1,
      headers: { 'x-api-key': KEYS.clients },
    });
    if (run >= 2) alone.push(...latencies(answers));
  }
  const allAnswers: Answer[] = [];
  const levels: LevelResult[] = [];
  for (const clients of [settings.lowerClients, settings.clients]) {
    log(`real latency: ${clients} clients ...`);
    const { result, answers } = await measureLevel(stack, clients, settings, median(alone));
    levels.push(result);
    allAnswers.push(...answers);
    log(
      `  ${result.runsPerSecond.toFixed(1)} runs/s, p50 ${result.p50Ms.toFixed(0)} ms, p99 ${result.p99Ms.toFixed(0)} ms, RSS ${result.medianRssMiB.toFixed(0)} MiB, refused ${result.refusedWarmingUp} + ${result.refused}`,
    );
  }
  const [lower, upper] = levels as [LevelResult, LevelResult];
  const { exitCode, spansExpected, spansReceived } = await stopAndCountSpans(stack, allAnswers);
  return {
    loneRunMs: median(alone),
    idleRssMiB,
    levels,
    rssPerRunMiB: (upper.medianRssMiB - lower.medianRssMiB) / (upper.clients - lower.clients),
    spansExpected,
    spansReceived,
    exitCode,
  };
}

export interface OverloadResult {
  floodClients: number;
  seconds: number;
  flood: {
    sent: number;
    statuses: Record<string, number>;
    /** A refusal on a connection already open: what the service's answer takes. */
    refusalP50Ms: number;
    refusalP99Ms: number;
    /** A client's first request: opening its connection under the flood, then its answer. */
    firstP50Ms: number;
    firstP99Ms: number;
  };
  /** The time the service spent on a refusal: its server span, p50 and p99. */
  refusalServerP50Ms: number;
  refusalServerP99Ms: number;
  honest: { sent: number; statuses: Record<string, number>; p50Ms: number; p99Ms: number };
  refusedByReason: Record<string, number>;
  peakRssMiB: number;
  eventLoopDelayMs: { median: number; max: number };
  maxInFlight: number;
  cpuMsPerRequest: number;
  /** The same clients against a bare server that refuses everything: requests, refusal p50, p99. */
  bare: { requests: number; p50Ms: number; p99Ms: number };
  spansExpected: number;
  spansReceived: number;
  exitCode: number | null;
}

/** A refusal's p50 and p99 as the flood's clients see it, on connections already open. */
function refusalTimes(flood: readonly Answer[]): { p50Ms: number; p99Ms: number } {
  const times = latencies(
    flood.filter((answer) => answer.status === 503 && answer.reusedConnection),
  );
  return { p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99) };
}

/**
 * The same flood against a bare Node server that refuses everything at once (`bare-refuser.ts`):
 * the floor of what those clients can see of a refusal on this machine.
 */
async function bareRefusals(clients: number, seconds: number) {
  const child = spawn(process.execPath, [path.join(__dirname, 'bare-refuser.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [port] = (await once(child.stdout!, 'data')) as [Buffer];
    const flood = await closedLoop({
      url: `http://127.0.0.1:${port.toString().trim()}${EXECUTE}`,
      body: BENCH_TASK,
      clients,
      untilMs: performance.now() + seconds * 1000,
      rampMs: 1_000,
    });
    return { requests: flood.length, ...refusalTimes(flood) };
  } finally {
    child.kill('SIGTERM');
  }
}

/**
 * `floodClients` clients that ask again as soon as they are answered, `Retry-After` or not, with
 * one API key; beside them, one honest client (a key of its own) that waits as `Retry-After` asks.
 * Then the same clients against a bare server that only refuses, for the floor.
 */
export async function overload(
  settings: LatencySettings,
  modelUrl: string,
): Promise<OverloadResult> {
  const stack = await startStack(modelUrl, settings.floodEnv);
  const pid = stack.service.child.pid!;
  const rss = sampleRss(pid, 200);
  const metrics = sampleServiceMetrics(stack.metricsUrl);
  const refusedBefore = await refusalsByReason(stack.metricsUrl);
  const cpuBefore = cpuTimeMs(pid);
  const untilMs = performance.now() + settings.floodSeconds * 1000;
  const url = `${stack.service.url}${EXECUTE}`;
  const [flood, honest] = await Promise.all([
    closedLoop({
      url,
      body: BENCH_TASK,
      clients: settings.floodClients,
      untilMs,
      headers: { 'x-api-key': KEYS.flood },
      rampMs: 1_000,
    }),
    closedLoop({
      url,
      body: BENCH_TASK,
      clients: 1,
      untilMs,
      headers: { 'x-api-key': KEYS.honest },
      honourRetryAfter: true,
    }),
  ]);
  const cpuMs = cpuTimeMs(pid) - cpuBefore;
  rss.stop();
  metrics.stop();
  const refusals = refusalTimes(flood);
  const firsts = latencies(flood.filter((answer) => !answer.reusedConnection));
  const honestTimes = latencies(honest.filter((answer) => answer.status === 200));
  const delays = metrics.samples.map((sample) => sample.eventLoopDelayMs);
  const refusedByReason = refusalsBetween(refusedBefore, await refusalsByReason(stack.metricsUrl));
  const { refusalServerMs, ...spans } = await stopAndCountSpans(stack, [...flood, ...honest]);
  const bare = await bareRefusals(settings.floodClients, settings.floodSeconds / 2);
  return {
    floodClients: settings.floodClients,
    seconds: settings.floodSeconds,
    flood: {
      sent: flood.length,
      statuses: countStatuses(flood),
      refusalP50Ms: refusals.p50Ms,
      refusalP99Ms: refusals.p99Ms,
      firstP50Ms: percentile(firsts, 0.5),
      firstP99Ms: percentile(firsts, 0.99),
    },
    refusalServerP50Ms: percentile(refusalServerMs, 0.5),
    refusalServerP99Ms: percentile(refusalServerMs, 0.99),
    honest: {
      sent: honest.length,
      statuses: countStatuses(honest),
      p50Ms: percentile(honestTimes, 0.5),
      p99Ms: percentile(honestTimes, 0.99),
    },
    refusedByReason,
    peakRssMiB: rss.peak,
    eventLoopDelayMs: { median: median(delays), max: Math.max(0, ...delays) },
    maxInFlight: Math.max(0, ...metrics.samples.map((sample) => sample.inFlight)),
    cpuMsPerRequest: cpuMs / Math.max(1, flood.length + honest.length),
    bare,
    ...spans,
  };
}
