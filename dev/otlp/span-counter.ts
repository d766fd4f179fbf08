import * as grpc from '@grpc/grpc-js';
import { loadTraceService } from './trace-service';

/**
 * An OTLP/gRPC endpoint that only counts spans, per trace, for the benchmark. It decodes with the
 * reduced schema (`proto/otlp-trace-ids.proto`), which skips every field but the trace ids: the
 * counter shares the machine with the service under test, and its own CPU cost must stay small.
 */

interface TraceIdsExport {
  resourceSpans: {
    scopeSpans: {
      spans: {
        traceId: Buffer;
        name?: string;
        startTimeUnixNano?: string;
        endTimeUnixNano?: string;
      }[];
    }[];
  }[];
}

export interface SpanCounter {
  readonly endpoint: string;
  readonly port: number;
  readonly spanCount: number;
  spansOfTrace(traceId: string): number;
  /** When each span of this name (one of `timedSpans`) started, and how long it took, in ms. */
  timings(name: string): SpanTiming[];
  stop(): Promise<void>;
}

export interface SpanTiming {
  traceId: string;
  /** Epoch milliseconds. */
  startMs: number;
  durationMs: number;
}

export interface SpanCounterOptions {
  host?: string;
  port?: number;
  /** Span names to time as well (decoding each span's name and times, `otlp-span-timings`). */
  timedSpans?: readonly string[];
}

export async function startSpanCounter({
  host = '127.0.0.1',
  port = 0,
  timedSpans = [],
}: SpanCounterOptions = {}): Promise<SpanCounter> {
  const perTrace = new Map<string, number>();
  const timings = new Map<string, SpanTiming[]>(timedSpans.map((name) => [name, []]));
  let spanCount = 0;
  const server = new grpc.Server();
  const schema = timedSpans.length ? 'otlp-span-timings' : 'otlp-trace-ids';
  server.addService(loadTraceService(schema), {
    Export: (
      call: grpc.ServerUnaryCall<TraceIdsExport, object>,
      callback: grpc.sendUnaryData<object>,
    ) => {
      for (const resourceSpans of call.request.resourceSpans) {
        for (const scopeSpans of resourceSpans.scopeSpans) {
          for (const span of scopeSpans.spans) {
            const traceId = span.traceId.toString('hex');
            perTrace.set(traceId, (perTrace.get(traceId) ?? 0) + 1);
            spanCount += 1;
            const timed = span.name ? timings.get(span.name) : undefined;
            if (timed) {
              const start = BigInt(span.startTimeUnixNano!);
              timed.push({
                traceId,
                startMs: Number(start / 1_000_000n),
                durationMs: Number(BigInt(span.endTimeUnixNano!) - start) / 1e6,
              });
            }
          }
        }
      }
      // An empty ExportTraceServiceResponse: every span accepted.
      callback(null, {});
    },
  });
  const boundPort = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    endpoint: `http://${host}:${boundPort}`,
    port: boundPort,
    get spanCount() {
      return spanCount;
    },
    spansOfTrace: (traceId) => perTrace.get(traceId) ?? 0,
    timings: (name) => timings.get(name) ?? [],
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
