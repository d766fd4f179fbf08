import { startPglite } from '../database/pglite-process';
import { startSpanCounter, type SpanCounter } from '../otlp/span-counter';
import { freePort, spawnService, type SpawnedService } from '../process/spawn-service';
import { runLoad } from './load';
import { median } from './paired-rounds';

/**
 * Memory in the process against memory in PostgreSQL (`DATABASE_URL`): the same service, full
 * tracing, and a request that uses memory of both kinds. PostgreSQL is PGlite (the engine compiled
 * to WebAssembly, in a process of its own) on a loopback port, reached through `pg` as a server is.
 */
export interface MemoryVariantResult {
  id: 'in_memory' | 'postgresql';
  title: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers that carried a `memory_unavailable` warning: memory failed under the load. */
  warnings: number;
  failedRequests: number;
  /** Each memory operation's span duration, median and p99, over every measured round. */
  operations: { name: MemoryOperation; count: number; p50Ms: number; p99Ms: number }[];
}

export interface MemoryBenchSettings {
  connections: number;
  rounds: number;
  roundSeconds: number;
  warmupSeconds: number;
}

export const MEMORY_OPERATIONS = ['memory.read', 'memory.search', 'memory.write'] as const;
type MemoryOperation = (typeof MEMORY_OPERATIONS)[number];

/**
 * One user, a new session per request: `memory.read` finds no earlier turn of the session,
 * `memory.search` searches the user's whole history (bounded by `LIMITS.memoryMaxSessions` in
 * memory, `LIMITS.memoryMaxTurnsPerUser` in PostgreSQL), `memory.write` adds the turn.
 */
let sessions = 0;
const memoryBenchTask = () => ({
  task: 'Calculate 2 + 2',
  user_id: 'bench-user',
  session_id: `bench-${(sessions += 1)}`,
});

const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0;
const round2 = (value: number) => Math.round(value * 100) / 100;

interface Running {
  id: MemoryVariantResult['id'];
  title: string;
  service: SpawnedService;
  counter: SpanCounter;
  rounds: { requestsPerSecond: number; p50Ms: number; p99Ms: number; failed: number }[];
  warnings: number;
  /** When its first measured round started (epoch ms): the warm-up's spans are left out. */
  measuredFromMs: number;
}

async function start(
  id: Running['id'],
  title: string,
  modelEnv: Record<string, string>,
  env: Record<string, string>,
): Promise<Running> {
  const counter = await startSpanCounter({ timedSpans: MEMORY_OPERATIONS });
  const service = await spawnService({
    port: await freePort(),
    env: { ...modelEnv, OTEL_EXPORTER_OTLP_ENDPOINT: counter.endpoint, ...env },
  });
  return { id, title, service, counter, rounds: [], warnings: 0, measuredFromMs: Infinity };
}

async function load(entry: Running, settings: MemoryBenchSettings, seconds: number) {
  return runLoad({
    url: `${entry.service.url}/api/v1/agent/execute`,
    body: memoryBenchTask(),
    bodyOf: memoryBenchTask,
    connections: settings.connections,
    durationSeconds: seconds,
    onBody: (body) => {
      if (body.includes('"memory_unavailable"')) entry.warnings += 1;
    },
  });
}

/** Both variants started at once, then loaded in turns, so drift hits both alike. */
export async function measureMemory(
  settings: MemoryBenchSettings,
  modelEnv: Record<string, string>,
  log: (message: string) => void,
): Promise<MemoryVariantResult[]> {
  const database = await startPglite();
  const entries: Running[] = [];
  try {
    entries.push(
      await start('in_memory', 'Memory in the process (default)', modelEnv, {}),
      await start('postgresql', 'Memory in PostgreSQL (PGlite on a loopback port)', modelEnv, {
        DATABASE_URL: database.url,
        // PGlite runs one statement at a time for every connection: queues are longer than a
        // server's, and a run must not give up on memory because of them.
        DATABASE_STATEMENT_TIMEOUT_MS: '20000',
        DATABASE_CONNECT_TIMEOUT_MS: '20000',
      }),
    );
    for (const entry of entries) {
      await load(entry, settings, settings.warmupSeconds);
      entry.warnings = 0;
    }
    for (let round = 1; round <= settings.rounds; round += 1) {
      for (const entry of entries) {
        if (round === 1) entry.measuredFromMs = Date.now();
        const result = await load(entry, settings, settings.roundSeconds);
        entry.rounds.push(result);
        log(
          `memory round ${round} ${entry.id}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.p99Ms} ms`,
        );
      }
    }
    const results: MemoryVariantResult[] = [];
    for (const entry of entries) {
      // SIGTERM flushes the last spans.
      await entry.service.stop('SIGTERM');
      results.push({
        id: entry.id,
        title: entry.title,
        requestsPerSecond: median(entry.rounds.map((round) => round.requestsPerSecond)),
        p50Ms: median(entry.rounds.map((round) => round.p50Ms)),
        p99Ms: median(entry.rounds.map((round) => round.p99Ms)),
        warnings: entry.warnings,
        failedRequests: entry.rounds.reduce((sum, round) => sum + round.failed, 0),
        operations: MEMORY_OPERATIONS.map((name) => {
          const measured = entry.counter
            .timings(name)
            .filter((timing) => timing.startMs >= entry.measuredFromMs)
            .map((timing) => timing.durationMs)
            .sort((a, b) => a - b);
          return {
            name,
            count: measured.length,
            p50Ms: round2(quantile(measured, 0.5)),
            p99Ms: round2(quantile(measured, 0.99)),
          };
        }),
      });
    }
    return results;
  } finally {
    for (const entry of entries) {
      await entry.service.stop();
      await entry.counter.stop();
    }
    await database.close();
  }
}
