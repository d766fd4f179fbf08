import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { idsToBytes } from './otlp-json';
import { loadTraceService } from './trace-service';
import type { DecodedExportTraceRequest } from './decode';

/** What a test may check about one export request: where it went and what it carried. */
export interface ReceivedRequest {
  /** The request path: `/v1/traces` over HTTP, the gRPC method path over gRPC. */
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

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Decodes an export with the receiver's `.proto`, through the gRPC service definition's own
 * (de)serializers: protobuf as it comes, JSON once its hex ids are bytes. One schema, one decoded
 * shape, whatever the protocol.
 */
function decode(body: Buffer, protocol: 'http/protobuf' | 'http/json'): DecodedExportTraceRequest {
  const { Export } = loadTraceService('otlp-trace');
  const bytes =
    protocol === 'http/protobuf'
      ? body
      : Export!.requestSerialize(idsToBytes(JSON.parse(body.toString('utf8'))));
  return Export!.requestDeserialize(bytes) as DecodedExportTraceRequest;
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
 * exporter chose the right one; then its spans are decoded and handed to `record`.
 */
export async function startHttpTransport(
  address: { host: string; port: number },
  onRequest: (request: ReceivedRequest) => void,
  record: (request: DecodedExportTraceRequest) => void,
): Promise<HttpTransport> {
  const server = http.createServer((request, response) => {
    const protocol = protocolOf(request.headers['content-type']);
    const answer = (status: number, body: string | Buffer, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type }).end(body);
    };
    if (request.method !== 'POST') return answer(405, '{"message":"POST only"}');
    if (!protocol) return answer(415, '{"message":"application/x-protobuf or application/json"}');
    onRequest({ path: request.url ?? '', headers: flatHeaders(request.headers), protocol });
    readBody(request)
      .then((body) => {
        record(decode(body, protocol));
        // An empty ExportTraceServiceResponse, in the request's encoding: every span accepted.
        if (protocol === 'http/json') answer(200, '{}');
        else answer(200, Buffer.alloc(0), 'application/x-protobuf');
      })
      .catch((error: unknown) =>
        answer(400, JSON.stringify({ message: `Cannot decode spans: ${String(error)}` })),
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
