import * as grpc from '@grpc/grpc-js';
import { loadTraceService } from './trace-service';

/**
 * An OTLP/gRPC endpoint that only counts spans, per trace, for the benchmark. It decodes with the
 * reduced schema (`proto/otlp-trace-ids.proto`), which skips every field but the trace ids: the
 * counter shares the machine with the service under test, and its own CPU cost must stay small.
 */

interface TraceIdsExport {
  resourceSpans: { scopeSpans: { spans: { traceId: Buffer }[] }[] }[];
}

export interface SpanCounter {
  readonly endpoint: string;
  readonly port: number;
  readonly spanCount: number;
  spansOfTrace(traceId: string): number;
  stop(): Promise<void>;
}

export async function startSpanCounter({
  host = '127.0.0.1',
  port = 0,
} = {}): Promise<SpanCounter> {
  const perTrace = new Map<string, number>();
  let spanCount = 0;
  const server = new grpc.Server();
  server.addService(loadTraceService('otlp-trace-ids'), {
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
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
