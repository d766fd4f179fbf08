import { DiagLogLevel } from '@opentelemetry/api';
import {
  defaultResource,
  detectResources,
  hostDetector,
  osDetector,
  processDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
  serviceNameEnvDetector,
  type Resource,
  type ResourceDetector,
} from '@opentelemetry/resources';
import { PeriodicExportingMetricReader, type IMetricReader } from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import type { RateLimitedLog } from '../exporter-log';
import { createPrometheusReader } from '../../export/prometheus-reader';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '../../semconv';
import type { PipelineContext, StandardPipeline } from '../standard-pipeline';
import type { TracingConfig } from '../tracing-config';
import type {
  FileModel,
  MetricReaderModel,
  ResourceModel,
  SpanProcessorModel,
} from './config-file-schema';
import { createFilePushMetricExporter, createFileSpanExporter } from './file-exporters';
import { createFileSampler, keepsUnsampledChildrenUnsampled } from './file-sampler';
import { fileResourceAttributes, propagatorNames } from './file-settings';

/** The format's defaults for a batch span processor and a periodic reader. */
const BATCH_DEFAULTS = {
  scheduledDelayMillis: 5_000,
  exportTimeoutMillis: 30_000,
  maxQueueSize: 2_048,
  maxExportBatchSize: 512,
};
const METRIC_INTERVAL_MS = 60_000;
const METRIC_TIMEOUT_MS = 30_000;

function createSpanProcessor(
  model: SpanProcessorModel,
  config: TracingConfig,
  log: RateLimitedLog,
): SpanProcessor {
  const options = { log, tree: config.tree };
  // A bare `otlp_http:` is null, and still an exporter (with its defaults).
  const { otlp_http, otlp_grpc } = model.simple?.exporter ?? {};
  if (otlp_http !== undefined || otlp_grpc !== undefined)
    log.log(
      'warn',
      'config-file simple otlp',
      'OTEL_CONFIG_FILE: a `simple` processor sends one OTLP request per span, and spans past the exporter’s 30 requests in flight are dropped: use `batch` (with a short schedule_delay to see spans soon).',
    );
  if (model.simple)
    return new SimpleSpanProcessor({
      exporter: createFileSpanExporter(model.simple.exporter, options),
    });
  // The format allows one kind per entry: not `simple`, so `batch`.
  const batch = model.batch!;
  return new BatchSpanProcessor({
    exporter: createFileSpanExporter(batch.exporter, options),
    scheduledDelayMillis: batch.schedule_delay ?? BATCH_DEFAULTS.scheduledDelayMillis,
    exportTimeoutMillis: batch.export_timeout ?? BATCH_DEFAULTS.exportTimeoutMillis,
    maxQueueSize: batch.max_queue_size ?? BATCH_DEFAULTS.maxQueueSize,
    maxExportBatchSize: batch.max_export_batch_size ?? BATCH_DEFAULTS.maxExportBatchSize,
  });
}

function createMetricReader(
  model: MetricReaderModel,
  config: TracingConfig,
  log: RateLimitedLog,
): IMetricReader {
  if (model.periodic) {
    const interval = model.periodic.interval ?? METRIC_INTERVAL_MS;
    return new PeriodicExportingMetricReader({
      exporter: createFilePushMetricExporter(model.periodic.exporter, log),
      exportIntervalMillis: interval,
      // Never more than the interval, as with OTEL_METRIC_EXPORT_TIMEOUT: the reader refuses a
      // longer one, and the default (30 s) is longer than any interval under it.
      exportTimeoutMillis: Math.min(model.periodic.timeout ?? METRIC_TIMEOUT_MS, interval),
    });
  }
  // Not `periodic`, so `pull`. Where it listens, unset: where the service's own /metrics would
  // (HOST, and the service's own port).
  const prometheus = model.pull!.exporter['prometheus/development'] ?? {};
  return createPrometheusReader(
    {
      host: prometheus.host ?? config.prometheus.host,
      port: prometheus.port ?? config.prometheus.port,
    },
    log,
  );
}

const DETECTORS: Record<string, ResourceDetector[]> = {
  host: [hostDetector, osDetector],
  process: [processDetector],
  service: [serviceNameEnvDetector, serviceInstanceIdDetector],
};

/**
 * The SDK's defaults, then the service's identity (its name, unless the file gives one, and its
 * version), then what the detectors find, then the file's attributes: the file wins.
 */
function createResource(
  model: ResourceModel | null | undefined,
  config: TracingConfig,
  serviceVersion: string,
): Resource {
  const detectors = (model?.['detection/development']?.detectors ?? []).flatMap((entry) =>
    Object.keys(entry).flatMap((name) => DETECTORS[name] ?? []),
  );
  const resource = defaultResource()
    .merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: config.serviceName,
        [ATTR_SERVICE_VERSION]: serviceVersion,
      }),
    )
    .merge(detectors.length ? detectResources({ detectors }) : null)
    .merge(resourceFromAttributes(fileResourceAttributes(model)));
  return model?.schema_url
    ? resource.merge(resourceFromAttributes({}, { schemaUrl: model.schema_url }))
    : resource;
}

/** The format's severities (`info`, `info2`, …) in the diag logger's levels. */
const DIAG_LEVELS = {
  trace: DiagLogLevel.VERBOSE,
  debug: DiagLogLevel.DEBUG,
  info: DiagLogLevel.INFO,
  warn: DiagLogLevel.WARN,
  error: DiagLogLevel.ERROR,
  fatal: DiagLogLevel.ERROR,
};

/**
 * The pipeline the file describes, in place of the variables'. What the file leaves out is off, as
 * in every SDK: no `tracer_provider`, no span is exported; no `meter_provider`, no metrics; no
 * `propagator`, nothing is propagated.
 */
export function pipelineFromFile(
  model: FileModel,
  config: TracingConfig,
  { log, serviceVersion }: PipelineContext,
): StandardPipeline {
  const tracing = model.tracer_provider;
  const limits = tracing?.limits;
  const logLevel = model.log_level?.replace(/\d$/, '') as keyof typeof DIAG_LEVELS | undefined;
  return {
    resource: createResource(model.resource, config, serviceVersion),
    detectResources: false,
    sampler: createFileSampler(tracing?.sampler),
    unsampledSpansHaveUnsampledChildren: keepsUnsampledChildrenUnsampled(tracing?.sampler),
    exportingProcessors: (tracing?.processors ?? []).map((processor) =>
      createSpanProcessor(processor, config, log),
    ),
    propagators: propagatorNames(model.propagator),
    // Every limit given, so that none comes from the OTEL_*_LIMIT variables.
    spanLimits: {
      attributeValueLengthLimit: config.maxAttributeLength,
      attributeCountLimit:
        limits?.attribute_count_limit ?? model.attribute_limits?.attribute_count_limit ?? undefined,
      eventCountLimit: limits?.event_count_limit ?? undefined,
      linkCountLimit: limits?.link_count_limit ?? undefined,
      attributePerEventCountLimit: limits?.event_attribute_count_limit ?? undefined,
      attributePerLinkCountLimit: limits?.link_attribute_count_limit ?? undefined,
    },
    metricReaders: (model.meter_provider?.readers ?? []).map((reader) =>
      createMetricReader(reader, config, log),
    ),
    diagLogLevel: logLevel && DIAG_LEVELS[logLevel],
  };
}
