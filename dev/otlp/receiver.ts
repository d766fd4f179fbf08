// In-process OTLP receiver (gRPC, or HTTP with protobuf and JSON) for integration tests, demos
// and benchmarks: point a real OTLPTraceExporter at `endpoint` and inspect what arrived, without
// running a collector. Over HTTP it takes metrics too (`/v1/metrics`).
import * as grpc from '@grpc/grpc-js';
import { startHttpTransport, type ReceivedRequest } from './http-transport';
import { loadTraceService } from './trace-service';
import {
  countSpans,
  toReceivedSpans,
  type DecodedExportTraceRequest,
  type ReceivedSpan,
} from './decode';

import {
  toReceivedMetricPoints,
  type DecodedExportMetricsRequest,
  type ReceivedMetricPoint,
} from './decode-metrics';

export type { AttributeType, AttributeValue, ReceivedSpan } from './decode';
export type { ReceivedMetricPoint } from './decode-metrics';
export type { ReceivedRequest } from './http-transport';
export { toReceivedSpans } from './decode';

export interface OtlpReceiverOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: the OS picks a free port. */
  port?: number;
  /** Default true; false only counts spans, so benchmarks do not grow memory. */
  keepSpans?: boolean;
  /**
   * Default `grpc`; `http` serves OTLP/HTTP, protobuf and JSON, on any path (`endpoint` is then
   * the base URL the exporter appends `/v1/traces` or `/v1/metrics` to), metrics as well as spans.
   */
  transport?: 'grpc' | 'http';
  /**
   * Told of the spans of each trace export as they arrive, e.g. a `TailSampler` (tail-sampling/):
   * the collector's tail sampling, applied locally.
   */
  onSpans?: (spans: readonly ReceivedSpan[]) => void;
}

export interface WaitForOptions {
  /** Default 10000. */
  timeoutMs?: number;
  /** Named in the timeout error, e.g. 'the checkout span'. */
  description?: string;
}

export interface OtlpReceiver {
  /** e.g. 'http://127.0.0.1:43123'; usable as OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly endpoint: string;
  readonly port: number;
  /** Live view of the kept spans, in arrival order. */
  readonly spans: readonly ReceivedSpan[];
  /** Counted even when keepSpans is false. */
  readonly spanCount: number;
  readonly exportCount: number;
  /** How many spans each trace export carried, in arrival order (counted when not kept too). */
  readonly exportSizes: readonly number[];
  /** Every export request, with its path and headers (gRPC: metadata), in arrival order. */
  readonly requests: readonly ReceivedRequest[];
  /** Live view of the metric data points received over HTTP, in arrival order. */
  readonly metricPoints: readonly ReceivedMetricPoint[];
  /** Resolves as soon as the predicate holds: now, or after a later export. */
  waitFor(
    predicate: (spans: readonly ReceivedSpan[]) => boolean,
    options?: WaitForOptions,
  ): Promise<readonly ReceivedSpan[]>;
  /** Resolves as soon as the predicate holds on the metric points received so far. */
  waitForMetrics(
    predicate: (points: readonly ReceivedMetricPoint[]) => boolean,
    options?: WaitForOptions,
  ): Promise<readonly ReceivedMetricPoint[]>;
  spansOfTrace(traceId: string): ReceivedSpan[];
  /** Forgets kept spans, metric points, requests and export sizes, and resets both counters. */
  clear(): void;
  /** Frees the port so a new receiver can bind it again. */
  stop(): Promise<void>;
}

const DEFAULT_WAIT_TIMEOUT_MS = 10_000;
const GRACEFUL_SHUTDOWN_MS = 2_000;

export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const host = options.host ?? '127.0.0.1';
  const state = new ReceiverState(options.keepSpans ?? true, options.onSpans);
  const address = { host, port: options.port ?? 0 };
  const transport =
    options.transport === 'http'
      ? await startHttpTransport(address, {
          onRequest: (request) => state.requests.push(request),
          recordTraces: (request) => state.record(request),
          recordMetrics: (request) => state.recordMetrics(request),
        })
      : await startGrpcTransport(address, state);

  let stopping: Promise<void> | undefined;
  return {
    endpoint: `http://${hostForUrl(host)}:${transport.port}`,
    port: transport.port,
    get spans() {
      return state.spans;
    },
    get spanCount() {
      return state.spanCount;
    },
    get exportCount() {
      return state.exportCount;
    },
    get exportSizes() {
      return state.exportSizes;
    },
    get requests() {
      return state.requests;
    },
    get metricPoints() {
      return state.metricPoints;
    },
    waitFor: (predicate, waitOptions) => state.waitFor(predicate, waitOptions),
    waitForMetrics: async (predicate, waitOptions) => {
      await state.waitFor(() => predicate(state.metricPoints), {
        description: 'metric points matching the predicate',
        ...waitOptions,
      });
      return [...state.metricPoints];
    },
    spansOfTrace: (traceId) => state.spans.filter((span) => span.traceId === traceId),
    clear: () => state.clear(),
    stop: () => {
      stopping ??= transport
        .stop()
        .finally(() => state.rejectWaiters('the OTLP receiver was stopped'));
      return stopping;
    },
  };
}

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

async function startGrpcTransport(
  address: { host: string; port: number },
  state: ReceiverState,
): Promise<{ port: number; stop(): Promise<void> }> {
  const server = new grpc.Server();
  server.addService(loadTraceService('otlp-trace'), {
    Export: (
      call: grpc.ServerUnaryCall<DecodedExportTraceRequest, object>,
      callback: grpc.sendUnaryData<object>,
    ) => {
      const headers = Object.entries(call.metadata.getMap()).map(([name, value]) => [
        name,
        String(value),
      ]);
      state.requests.push({
        path: EXPORT_PATH,
        headers: Object.fromEntries(headers),
        protocol: 'grpc',
      });
      try {
        state.record(call.request);
      } catch (error) {
        callback({
          code: grpc.status.INVALID_ARGUMENT,
          details: `Cannot decode spans: ${String(error)}`,
        });
        return;
      }
      // An empty response (no partial_success) means "all spans accepted".
      callback(null, {});
    },
  });
  const port = await bind(server, `${hostForUrl(address.host)}:${address.port}`);
  return { port, stop: () => shutdown(server) };
}

interface Waiter {
  check(): void;
  fail(reason: string): void;
}

class ReceiverState {
  spans: ReceivedSpan[] = [];
  requests: ReceivedRequest[] = [];
  metricPoints: ReceivedMetricPoint[] = [];
  spanCount = 0;
  exportCount = 0;
  exportSizes: number[] = [];
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly keepSpans: boolean,
    private readonly onSpans?: (spans: readonly ReceivedSpan[]) => void,
  ) {}

  record(request: DecodedExportTraceRequest): void {
    this.exportCount++;
    let size: number;
    if (this.keepSpans || this.onSpans) {
      const received = toReceivedSpans(request);
      // push(...received) could overflow the stack on very large batches.
      if (this.keepSpans) for (const span of received) this.spans.push(span);
      this.onSpans?.(received);
      size = received.length;
    } else {
      size = countSpans(request);
    }
    this.spanCount += size;
    this.exportSizes.push(size);
    for (const waiter of [...this.waiters]) waiter.check();
  }

  recordMetrics(request: DecodedExportMetricsRequest): void {
    for (const point of toReceivedMetricPoints(request)) this.metricPoints.push(point);
    for (const waiter of [...this.waiters]) waiter.check();
  }

  clear(): void {
    // A fresh array keeps snapshots already handed out by waitFor intact.
    this.spans = [];
    this.requests = [];
    this.metricPoints = [];
    this.spanCount = 0;
    this.exportCount = 0;
    this.exportSizes = [];
  }

  waitFor(
    predicate: (spans: readonly ReceivedSpan[]) => boolean,
    {
      timeoutMs = DEFAULT_WAIT_TIMEOUT_MS,
      description = 'spans matching the predicate',
    }: WaitForOptions = {},
  ): Promise<readonly ReceivedSpan[]> {
    return new Promise((resolve, reject) => {
      const finish = (outcome: () => void): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        outcome();
      };
      const waiter: Waiter = {
        check: () => {
          let satisfied: boolean;
          try {
            satisfied = predicate(this.spans);
          } catch (error) {
            finish(() => reject(error));
            return;
          }
          if (satisfied) finish(() => resolve([...this.spans]));
        },
        fail: (reason) =>
          finish(() =>
            reject(new Error(`Stopped waiting for ${description}: ${reason}; ${this.summary()}`)),
          ),
      };
      const timer = setTimeout(() => waiter.fail(`timed out after ${timeoutMs} ms`), timeoutMs);
      this.waiters.add(waiter);
      waiter.check();
    });
  }

  rejectWaiters(reason: string): void {
    for (const waiter of [...this.waiters]) waiter.fail(reason);
  }

  private summary(): string {
    const kept = this.keepSpans ? '' : ' (keepSpans is false, so none were kept)';
    const points = this.metricPoints.length;
    return `received ${this.spanCount} span(s) in ${this.exportCount} export(s)${kept} and ${points} metric point(s)`;
  }
}

function bind(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    );
  });
}

function shutdown(server: grpc.Server): Promise<void> {
  return new Promise((resolve) => {
    // tryShutdown waits for in-flight calls; an exporter that never finishes
    // its stream must not hang a test's afterAll, hence the forced fallback.
    const forceTimer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, GRACEFUL_SHUTDOWN_MS);
    server.tryShutdown(() => {
      clearTimeout(forceTimer);
      resolve();
    });
  });
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
