/**
 * The span counter in a process of its own: a collector shares no event loop with the clients
 * that load the service, so a benchmark's own clients cannot slow its answers to the exporter.
 * Run with `fork()`: it sends `{endpoint}` once listening, answers `{traceIds}` with their span
 * counts, and stops on `{stop: true}`. `startSpanCounterProcess` is the other side.
 */
import { fork } from 'node:child_process';
import { startSpanCounter } from './span-counter';

type Request = { traceIds: string[] } | { stop: true };

/** Of each trace asked for: its spans that arrived, and how long its timed span took (ms). */
export interface TraceArrival {
  spans: number;
  timedMs?: number;
}

export interface SpanCounterProcess {
  readonly endpoint: string;
  /** What arrived of each trace, in the order asked. */
  arrivals(traceIds: readonly string[]): Promise<TraceArrival[]>;
  stop(): Promise<void>;
}

/** `timedSpan`: the name of a span whose duration is kept, per trace (e.g. the server span's). */
export async function startSpanCounterProcess(timedSpan: string): Promise<SpanCounterProcess> {
  const child = fork(__filename, [timedSpan], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      child.once('message', (message) => resolve(message as T));
      child.once('exit', (code) => reject(new Error(`the span counter exited (${code})`)));
    });
  const { endpoint } = await next<{ endpoint: string }>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    endpoint,
    arrivals: (traceIds) => {
      const answer = next<TraceArrival[]>();
      child.send({ traceIds: [...traceIds] } satisfies Request);
      return answer;
    },
    stop: async () => {
      child.send({ stop: true } satisfies Request);
      await exited;
    },
  };
}

async function serve(timedSpan: string): Promise<void> {
  const counter = await startSpanCounter({ timedSpans: [timedSpan] });
  process.on('message', (message: Request) => {
    if ('stop' in message) return void counter.stop().then(() => process.exit(0));
    const timed = new Map(
      counter.timings(timedSpan).map((timing) => [timing.traceId, timing.durationMs]),
    );
    process.send!(
      message.traceIds.map((traceId): TraceArrival => ({
        spans: counter.spansOfTrace(traceId),
        timedMs: timed.get(traceId),
      })),
    );
  });
  // Its parent gone, nothing will ask or stop it.
  process.once('disconnect', () => process.exit(0));
  process.send!({ endpoint: counter.endpoint });
}

if (require.main === module) void serve(process.argv[2]!);
