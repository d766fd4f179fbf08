import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { idsToBytes } from './otlp-json';
import { loadMetricsService, loadTraceService } from './trace-service';
import type { DecodedExportTraceRequest } from './decode';
import type { DecodedExportMetricsRequest } from './decode-metrics';

/** What a test may check about one export request: where it went and what it carried. */
export interface ReceivedRequest {
  /** The request path: `/v1/traces` or `/v1/metrics` over HTTP, the gRPC method path over gRPC. */
  path: string;
  /** Header (or gRPC metadata) names in lower case. */
  headers: Record<string, string>;
  /** `http/protobuf`, `http/json` or `grpc`. */
  protocol: 'grpc' | 'http/protobuf' | 'http/json';
}

export interface HttpTransport {
  readonly port: number;
  stop(): Promise<void>;
}

/** What the transport hands over: every request as it arrives, then its decoded export. */
export interface HttpTransportHandlers {
  onRequest(request: ReceivedRequest): void;
  recordTraces(request: DecodedExportTraceRequest): void;
  recordMetrics(request: DecodedExportMetricsRequest): void;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Exporters append this to the base endpoint for metrics; any other path carries spans. */
const METRICS_PATH_SUFFIX = '/v1/metrics';

/**
 * Decodes an export with the receiver's `.proto`, through the gRPC service definition's own
 * (de)serializers: protobuf as it comes, JSON once its hex ids are bytes (metrics carry none this
 * schema keeps). One schema per signal, one decoded shape, whatever the protocol.
 */
function decode(
  body: Buffer,
  protocol: 'http/protobuf' | 'http/json',
  signal: 'traces' | 'metrics',
): unknown {
  const { Export } = signal === 'metrics' ? loadMetricsService() : loadTraceService('otlp-trace');
  if (protocol === 'http/protobuf') return Export!.requestDeserialize(body);
  const json: unknown = JSON.parse(body.toString('utf8'));
  return Export!.requestDeserialize(
    Export!.requestSerialize(signal === 'metrics' ? json : idsToBytes(json)),
  );
}

function protocolOf(contentType: string | undefined): 'http/protobuf' | 'http/json' | undefined {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf') return 'http/protobuf';
  if (mediaType === 'application/json') return 'http/json';
  return undefined;
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, [value ?? ''].flat().join(', ')]),
  );
}

async function readBody(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

/**
 * OTLP/HTTP (`POST`, protobuf or JSON, optionally gzip), as a collector serves it on 4318: every
 * request is recorded with its path and headers, whatever the path, so a test can check that the
 * exporter chose the right one; then its metrics (a path ending in `/v1/metrics`) or spans (any
 * other path) are decoded and handed over.
 */
export async function startHttpTransport(
  address: { host: string; port: number },
  { onRequest, recordTraces, recordMetrics }: HttpTransportHandlers,
): Promise<HttpTransport> {
  const server = http.createServer((request, response) => {
    const protocol = protocolOf(request.headers['content-type']);
    const answer = (status: number, body: string | Buffer, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type }).end(body);
    };
    if (request.method !== 'POST') return answer(405, '{"message":"POST only"}');
    if (!protocol) return answer(415, '{"message":"application/x-protobuf or application/json"}');
    const path = request.url ?? '';
    const signal = path.endsWith(METRICS_PATH_SUFFIX) ? 'metrics' : 'traces';
    onRequest({ path, headers: flatHeaders(request.headers), protocol });
    readBody(request)
      .then((body) => {
        const decoded = decode(body, protocol, signal);
        if (signal === 'metrics') recordMetrics(decoded as DecodedExportMetricsRequest);
        else recordTraces(decoded as DecodedExportTraceRequest);
        // An empty export response, in the request's encoding: everything accepted.
        if (protocol === 'http/json') answer(200, '{}');
        else answer(200, Buffer.alloc(0), 'application/x-protobuf');
      })
      .catch((error: unknown) =>
        answer(400, JSON.stringify({ message: `Cannot decode ${signal}: ${String(error)}` })),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The exporters keep connections alive: close them, or close() waits for them.
        server.closeAllConnections();
      }),
  };
}
