import * as grpc from '@grpc/grpc-js';

/**
 * An OTLP/gRPC endpoint that only counts spans, per trace, for the benchmark. It reads the
 * protobuf wire format directly (ExportTraceServiceRequest → ResourceSpans → ScopeSpans → Span →
 * trace_id) instead of decoding every span into objects: the receiver shares the machine with the
 * service under test, and its own CPU cost must stay small.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

function readVarint(buffer: Buffer, offset: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let position = offset;
  for (;;) {
    const byte = buffer[position]!;
    position += 1;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, position];
    shift += 7;
  }
}

/** Calls `visit` with each length-delimited field of a message; skips the others. */
function forEachLengthDelimited(
  buffer: Buffer,
  start: number,
  end: number,
  visit: (field: number, from: number, to: number) => void,
): void {
  let position = start;
  while (position < end) {
    const [key, afterKey] = readVarint(buffer, position);
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === WIRE_LENGTH_DELIMITED) {
      const [length, afterLength] = readVarint(buffer, afterKey);
      visit(field, afterLength, afterLength + length);
      position = afterLength + length;
    } else if (wireType === WIRE_VARINT) position = readVarint(buffer, afterKey)[1];
    else if (wireType === WIRE_FIXED64) position = afterKey + 8;
    else if (wireType === WIRE_FIXED32) position = afterKey + 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}

/** Trace ids (hex) of the spans of one ExportTraceServiceRequest. */
export function traceIdsOfExport(request: Buffer): string[] {
  const traceIds: string[] = [];
  forEachLengthDelimited(request, 0, request.length, (field, from, to) => {
    if (field !== 1) return; // resource_spans
    forEachLengthDelimited(request, from, to, (field2, from2, to2) => {
      if (field2 !== 2) return; // scope_spans
      forEachLengthDelimited(request, from2, to2, (field3, from3, to3) => {
        if (field3 !== 2) return; // spans
        let traceId = '';
        forEachLengthDelimited(request, from3, to3, (spanField, idFrom, idTo) => {
          if (spanField === 1) traceId = request.toString('hex', idFrom, idTo);
        });
        traceIds.push(traceId);
      });
    });
  });
  return traceIds;
}

export interface SpanCounter {
  readonly endpoint: string;
  readonly port: number;
  readonly spanCount: number;
  spansOfTrace(traceId: string): number;
  stop(): Promise<void>;
}

export async function startSpanCounter({ host = '127.0.0.1', port = 0 } = {}): Promise<SpanCounter> {
  const perTrace = new Map<string, number>();
  let spanCount = 0;
  const identity = (value: Buffer) => value;
  const server = new grpc.Server();
  server.addService(
    {
      Export: {
        path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    },
    {
      Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        for (const traceId of traceIdsOfExport(call.request)) {
          perTrace.set(traceId, (perTrace.get(traceId) ?? 0) + 1);
          spanCount += 1;
        }
        // An empty ExportTraceServiceResponse: every span accepted.
        callback(null, Buffer.alloc(0));
      },
    },
  );
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
