import { mergeHeadersConfig } from '@opentelemetry/configuration';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { ConsoleMetricExporter, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { RateLimitedLog } from '../exporter-log';
import {
  AggregationTemporalityPreference,
  createOtlpMetricExporter,
} from '../../export/otlp-metric-exporter';
import type { OtlpProtocol } from '../../../variables';
import { createOtlpTraceExporter, type OtlpSettings } from '../../export/otlp-trace-exporter';
import { RecoveringMetricExporter, RecoveringSpanExporter } from '../../export/recovering-exporter';
import { TreeExporter, type TreeExporterOptions } from '../../export/tree-exporter';
import type {
  OtlpHttpModel,
  PushMetricExporterModel,
  SpanExporterModel,
} from './config-file-schema';

/** The format's defaults, where the exporters' own would come from the environment. */
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_GRPC_ENDPOINT = 'http://localhost:4317';
const DEFAULT_HTTP_ENDPOINT = (signal: 'traces' | 'metrics') =>
  `http://localhost:4318/v1/${signal}`;

/** What the format's `otlp_grpc` and `otlp_http` entries have in common, `encoding` aside. */
interface OtlpEntry {
  grpc?: OtlpHttpModel | null;
  http?: OtlpHttpModel | null;
}

/**
 * The protocol and the settings of an `otlp_grpc` or `otlp_http` entry. Every setting is given, so
 * that the exporters' fallback to `OTEL_EXPORTER_OTLP_*` (read whatever they are given) decides as
 * little as it can: only their headers are still merged in, and certificates read
 * (docs/configuration.md, "Configuration file").
 */
function otlpExporterOf(
  { grpc, http }: OtlpEntry,
  signal: 'traces' | 'metrics',
): { protocol: OtlpProtocol; settings: OtlpSettings } {
  const model = grpc ?? http ?? {};
  const protocol: OtlpProtocol =
    grpc !== undefined ? 'grpc' : model.encoding === 'json' ? 'http/json' : 'http/protobuf';
  return {
    protocol,
    settings: {
      url:
        model.endpoint ??
        (protocol === 'grpc' ? DEFAULT_GRPC_ENDPOINT : DEFAULT_HTTP_ENDPOINT(signal)),
      headers: mergeHeadersConfig(model.headers ?? undefined, model.headers_list ?? undefined),
      compression:
        model.compression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
      timeoutMillis: model.timeout ?? DEFAULT_TIMEOUT_MS,
    },
  };
}

export interface FileExporterOptions {
  log: RateLimitedLog;
  /** What the tree printer shows (`TRACE_TREE_ATTRIBUTES`, `LOG_LEVEL`). */
  tree: Pick<TreeExporterOptions, 'showAttributes' | 'showHousekeeping'>;
}

/**
 * A span exporter of the file: OTLP behind the recovering exporter (as with the variables), or the
 * tree printer for `console`, as `OTEL_TRACES_EXPORTER=console` is.
 */
export function createFileSpanExporter(
  model: SpanExporterModel,
  { log, tree }: FileExporterOptions,
): SpanExporter {
  if (model.console !== undefined) return new TreeExporter(tree);
  const { protocol, settings } = otlpExporterOf(
    { grpc: model.otlp_grpc, http: model.otlp_http },
    'traces',
  );
  return new RecoveringSpanExporter({
    createExporter: () => createOtlpTraceExporter(protocol, settings),
    log,
  });
}

const TEMPORALITY = {
  cumulative: AggregationTemporalityPreference.CUMULATIVE,
  delta: AggregationTemporalityPreference.DELTA,
  low_memory: AggregationTemporalityPreference.LOWMEMORY,
};

/** A push metric exporter of the file: OTLP behind the recovering exporter, or the console. */
export function createFilePushMetricExporter(
  model: PushMetricExporterModel,
  log: RateLimitedLog,
): PushMetricExporter {
  if (model.console !== undefined) return new ConsoleMetricExporter();
  const otlp = model.otlp_grpc ?? model.otlp_http;
  const { protocol, settings } = otlpExporterOf(
    { grpc: model.otlp_grpc, http: model.otlp_http },
    'metrics',
  );
  const temporalityPreference = TEMPORALITY[otlp?.temporality_preference ?? 'cumulative'];
  return new RecoveringMetricExporter({
    createExporter: () =>
      createOtlpMetricExporter(protocol, { ...settings, temporalityPreference }),
    log,
  });
}
