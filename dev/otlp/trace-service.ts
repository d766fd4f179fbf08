import path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ROOT } from '../repo-root';

const TRACE_SERVICE = 'opentelemetry.proto.collector.trace.v1.TraceService';

/**
 * The full schema (every field the receiver shows) and two reduced ones (trace ids only; and with
 * each span's name and times).
 */
export type TraceSchema = 'otlp-trace' | 'otlp-trace-ids' | 'otlp-span-timings';

const loaded = new Map<TraceSchema, grpc.ServiceDefinition>();

/**
 * The OTLP `TraceService` as a gRPC service definition, decoded by `@grpc/proto-loader` from a
 * `.proto` file in `proto/`: the one way this repository decodes OTLP.
 */
export function loadTraceService(schema: TraceSchema): grpc.ServiceDefinition {
  let service = loaded.get(schema);
  if (!service) {
    const file = path.join(ROOT, 'proto', `${schema}.proto`);
    const definition = loadSync(file, {
      keepCase: false,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    });
    const candidate = definition[TRACE_SERVICE];
    if (!candidate || !('Export' in candidate))
      throw new Error(`${TRACE_SERVICE} not found in ${file}`);
    service = candidate as grpc.ServiceDefinition;
    loaded.set(schema, service);
  }
  return service;
}
