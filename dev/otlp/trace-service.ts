import path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ROOT } from '../repo-root';

const TRACE_SERVICE = 'opentelemetry.proto.collector.trace.v1.TraceService';
const METRICS_SERVICE = 'opentelemetry.proto.collector.metrics.v1.MetricsService';

/**
 * The full schema (every field the receiver shows) and two reduced ones (trace ids only; and with
 * each span's name and times).
 */
export type TraceSchema = 'otlp-trace' | 'otlp-trace-ids' | 'otlp-span-timings';

const loaded = new Map<string, grpc.ServiceDefinition>();

/**
 * An OTLP export service as a gRPC service definition, decoded by `@grpc/proto-loader` from a
 * `.proto` file in `proto/`: the one way this repository decodes OTLP.
 */
function loadService(schema: string, serviceName: string): grpc.ServiceDefinition {
  let service = loaded.get(schema);
  if (!service) {
    const file = path.join(ROOT, 'proto', `${schema}.proto`);
    const definition = loadSync(file, {
      keepCase: false,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
      includeDirs: [path.join(ROOT, 'proto')],
    });
    const candidate = definition[serviceName];
    if (!candidate || !('Export' in candidate))
      throw new Error(`${serviceName} not found in ${file}`);
    service = candidate as grpc.ServiceDefinition;
    loaded.set(schema, service);
  }
  return service;
}

/** The OTLP `TraceService`. */
export function loadTraceService(schema: TraceSchema): grpc.ServiceDefinition {
  return loadService(schema, TRACE_SERVICE);
}

/** The OTLP `MetricsService` (sums, gauges, explicit-bucket histograms). */
export function loadMetricsService(): grpc.ServiceDefinition {
  return loadService('otlp-metrics', METRICS_SERVICE);
}
