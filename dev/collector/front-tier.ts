import * as grpc from '@grpc/grpc-js';
import { toReceivedSpans, type DecodedExportTraceRequest, type ReceivedSpan } from '../otlp/decode';
import { bind, shutdown } from '../otlp/receiver';
import { loadTraceService } from '../otlp/trace-service';
import { HashRing } from './hash-ring';

type ResourceSpans = NonNullable<DecodedExportTraceRequest['resourceSpans']>[number];
type ScopeSpans = NonNullable<ResourceSpans['scopeSpans']>[number];

/**
 * One export split by backend the way the `loadbalancing` exporter with `routing_key: traceID`
 * splits it: each span goes to the backend its trace id hashes to, with its resource and scope;
 * spans of one trace are never split.
 */
export function splitByBackend(
  request: DecodedExportTraceRequest,
  ring: HashRing,
): Map<string, DecodedExportTraceRequest> {
  const parts = new Map<string, Map<ResourceSpans, ResourceSpans>>();
  const scopes = new Map<string, ScopeSpans>();
  (request.resourceSpans ?? []).forEach((resourceSpans, resourceIndex) =>
    (resourceSpans.scopeSpans ?? []).forEach((scopeSpans, scopeIndex) => {
      for (const span of scopeSpans.spans ?? []) {
        const backend = ring.endpointFor(span.traceId);
        const key = `${backend} ${resourceIndex} ${scopeIndex}`;
        let scope = scopes.get(key);
        if (!scope) {
          scope = { scope: scopeSpans.scope, spans: [] };
          scopes.set(key, scope);
          const resources = parts.get(backend) ?? new Map<ResourceSpans, ResourceSpans>();
          parts.set(backend, resources);
          const copy = resources.get(resourceSpans) ?? {
            resource: resourceSpans.resource,
            scopeSpans: [],
          };
          resources.set(resourceSpans, copy);
          copy.scopeSpans!.push(scope);
        }
        scope.spans!.push(span);
      }
    }),
  );
  return new Map(
    [...parts].map(([backend, resources]) => [backend, { resourceSpans: [...resources.values()] }]),
  );
}

/**
 * The ring a front pod builds from its resolver's list of backends. Contrib's resolvers sort what
 * they resolve before the ring is built, and the ring's first endpoint keeps a contested position,
 * so every front pod routes a trace to the same backend only because the list is sorted.
 */
export function routingRing(backends: readonly string[]): HashRing {
  return new HashRing([...backends].sort());
}

export interface FrontTier {
  /** e.g. 'http://127.0.0.1:43123': a service's OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly endpoint: string;
  /** The backend (`host:port`) this front tier routes a trace (its id in hex) to. */
  backendForTrace(traceIdHex: string): string;
  /** The spans of every export received, batch by batch, in arrival order. */
  readonly received: readonly (readonly ReceivedSpan[])[];
  stop(): Promise<void>;
}

/**
 * A front-tier collector in miniature, for a run without a collector binary: an OTLP/gRPC receiver
 * that forwards every export, split by trace id over a hash ring of `backends` (`host:port`, the
 * tail tier's receivers), and answers once every part is forwarded. Every front tier given the
 * same backends routes a trace to the same one, as the collectors of a Deployment resolving one
 * headless Service do.
 */
export async function startFrontTier({
  backends,
}: {
  backends: readonly string[];
}): Promise<FrontTier> {
  const service = loadTraceService('otlp-trace');
  const ring = routingRing(backends);
  const TraceClient = grpc.makeGenericClientConstructor(service, 'TraceService');
  const clients = new Map(
    backends.map((backend) => [
      backend,
      new TraceClient(backend, grpc.credentials.createInsecure()) as unknown as grpc.Client & {
        Export: (
          request: DecodedExportTraceRequest,
          callback: (error: Error | null) => void,
        ) => void;
      },
    ]),
  );
  const received: ReceivedSpan[][] = [];
  const forward = (backend: string, part: DecodedExportTraceRequest) =>
    new Promise<void>((resolve, reject) =>
      clients.get(backend)!.Export(part, (error) => (error ? reject(error) : resolve())),
    );
  const server = new grpc.Server();
  server.addService(service, {
    Export: (
      call: grpc.ServerUnaryCall<DecodedExportTraceRequest, object>,
      callback: grpc.sendUnaryData<object>,
    ) => {
      received.push(toReceivedSpans(call.request));
      const parts = splitByBackend(call.request, ring);
      Promise.all([...parts].map(([backend, part]) => forward(backend, part))).then(
        () => callback(null, {}),
        (error: Error) => callback({ code: grpc.status.UNAVAILABLE, details: error.message }),
      );
    },
  });
  const port = await bind(server, '127.0.0.1:0');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    backendForTrace: (traceIdHex) => ring.endpointForTrace(traceIdHex),
    received,
    async stop() {
      await shutdown(server);
      for (const client of clients.values()) client.close();
    },
  };
}
