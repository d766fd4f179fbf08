/**
 * Variants of the service started side by side and loaded in turns (A B C D A B C D ...), so that
 * drift on the machine hits them all alike: `npm run bench` runs its variants this way, and
 * `npm run bench:runtimes` the same variants on several Node versions.
 */
import { context } from '@opentelemetry/api';
import { TraceIdRatioBasedSampler, SamplingDecision } from '@opentelemetry/sdk-trace';
import { startSpanCounter, type SpanCounter } from '../otlp/span-counter';
import {
  cpuTimeMs,
  mainThreadCpuTimeMs,
  sampleRss,
  type RssSampler,
} from '../process/process-stats';
import { freePort, spawnService, type SpawnedService } from '../process/spawn-service';
import { runLoad, type LoadResult } from './load';
import { median } from './paired-rounds';
import type { VariantResult } from './report';
import { BENCH_TASK, SPANS_PER_REQUEST, type Variant } from './variants';

export interface Running {
  variant: Variant;
  service: SpawnedService;
  receiver?: SpanCounter;
  rss: RssSampler;
  rounds: (LoadResult & {
    cpuMsPerRequest: number;
    /** The main thread's share of it (the JavaScript thread; the rest is V8's and libuv's). */
    mainThreadCpuMsPerRequest: number;
  })[];
  requestsAnswered: number;
  /** Trace ids of the answered requests the sampler kept: each must arrive with all its spans. */
  sampledTraceIds: string[];
}

export interface RoundSettings {
  connections: number;
  warmupSeconds: number;
  rounds: number;
  roundSeconds: number;
}

export function newRunning(
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
export function spanAccounting(entry: Running) {
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

export function modelEnv(modelUrl: string): Record<string, string> {
  // A key makes the service use GEMINI_BASE_URL as the real API: the stand-in answers at once.
  return { GEMINI_API_KEY: 'bench-key', GEMINI_BASE_URL: modelUrl, LOG_LEVEL: 'warn' };
}

export async function startVariant(
  variant: Variant,
  modelUrl: string,
  extra: { nodeExecutable?: string; nodeArgs?: string[]; env?: Record<string, string> } = {},
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
    nodeExecutable: extra.nodeExecutable,
    nodeArgs: extra.nodeArgs,
    // Start-up is not what is measured, and several services start at once on a busy machine.
    readyTimeoutMs: 60_000,
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

export async function load(
  entry: Running,
  settings: { connections: number },
  seconds: number,
  overallRate?: number,
) {
  const pid = entry.service.child.pid!;
  const cpuBefore = cpuTimeMs(pid);
  const mainThreadBefore = mainThreadCpuTimeMs(pid);
  const result = await runLoad({
    url: `${entry.service.url}/api/v1/agent/execute`,
    body: BENCH_TASK,
    connections: settings.connections,
    durationSeconds: seconds,
    overallRate,
    onBody: recordAnswers(entry),
  });
  const answered = Math.max(1, result.ok);
  return {
    ...result,
    cpuMsPerRequest: (cpuTimeMs(pid) - cpuBefore) / answered,
    mainThreadCpuMsPerRequest: (mainThreadCpuTimeMs(pid) - mainThreadBefore) / answered,
  };
}

/** A warm-up for each, then the rounds in turns; each entry keeps its rounds. */
export async function interleavedRounds(
  entries: readonly Running[],
  settings: RoundSettings,
  log: (message: string) => void,
  nameOf: (entry: Running) => string = (entry) => entry.variant.id,
): Promise<void> {
  for (const entry of entries) await load(entry, settings, settings.warmupSeconds);
  for (let round = 1; round <= settings.rounds; round += 1) {
    for (const entry of entries) {
      const result = await load(entry, settings, settings.roundSeconds);
      entry.rounds.push(result);
      log(
        `round ${round} ${nameOf(entry)}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`,
      );
    }
  }
}

type Round = Running['rounds'][number];

/**
 * What a variant costs against a reference loaded in the same rounds: each round against the
 * reference's round of the same turn, so that what the machine did during a turn (another process,
 * a slower minute) cancels out; medians over the rounds. `cpuMsOf` reads a round's CPU per request
 * (the whole process's, unless told).
 */
export function pairedAgainst(
  entry: Running,
  reference: Running,
  cpuMsOf: (round: Round) => number = (round) => round.cpuMsPerRequest,
) {
  const pairs = entry.rounds.map((round, index) => {
    const referenceRound = reference.rounds[index];
    return {
      own: cpuMsOf(round),
      reference: referenceRound ? cpuMsOf(referenceRound) : Number.NaN,
    };
  });
  return {
    cpuUsAdded: median(pairs.map((pair) => (pair.own - pair.reference) * 1000)),
    capacity: median(pairs.map((pair) => pair.reference / pair.own)),
  };
}

/** Stops the service with a SIGTERM and sums up its rounds: medians, and the spans that arrived. */
export async function finishVariant(entry: Running, reference?: Running): Promise<VariantResult> {
  const exitCode = await entry.service.stop('SIGTERM');
  entry.rss.stop();
  // After the shutdown flush, everything exported has arrived or never will.
  const spans = spanAccounting(entry);
  const result: VariantResult = {
    id: entry.variant.id,
    title: entry.variant.title,
    adaptivePerSecond: entry.variant.adaptivePerSecond,
    requestsPerSecond: median(entry.rounds.map((round) => round.requestsPerSecond)),
    roundsRequestsPerSecond: entry.rounds.map((round) => Math.round(round.requestsPerSecond)),
    p50Ms: median(entry.rounds.map((round) => round.p50Ms)),
    p99Ms: median(entry.rounds.map((round) => round.p99Ms)),
    cpuMsPerRequest: median(entry.rounds.map((round) => round.cpuMsPerRequest)),
    againstDisabled: reference ? pairedAgainst(entry, reference) : undefined,
    peakRssMiB: entry.rss.peak,
    failedRequests: entry.rounds.reduce((sum, round) => sum + round.failed, 0),
    exitCode,
    spans: entry.receiver
      ? { ...spans, perRequest: entry.receiver.spanCount / Math.max(1, entry.requestsAnswered) }
      : undefined,
  };
  await entry.receiver?.stop();
  return result;
}
