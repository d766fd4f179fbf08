import type { DiagLogLevel } from '@opentelemetry/api';
import { diagLogLevelFromString } from '@opentelemetry/core';
import { defaultResource, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type Sampler,
  type SpanLimits,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { createSampler, keepsUnsampledChildrenUnsampled } from '../sampling/create-sampler';
import type { RateLimitedLog } from './exporter-log';
import { createMetricReaders } from '../export/metric-readers';
import { createOtlpTraceExporter } from '../export/otlp-trace-exporter';
import { RecoveringSpanExporter } from '../export/recovering-exporter';
import {
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
} from '../semconv';
import type { TracingConfig } from './tracing-config';
import { TreeExporter } from '../export/tree-exporter';

/**
 * What the standard configuration decides: the `OTEL_*` variables (here), or the file of
 * `OTEL_CONFIG_FILE` (config-file/file-pipeline.ts), which replaces them. Our own components
 * (enrichment, redaction, the minimum-duration filter, trust in incoming context) wrap it the same
 * way whichever it comes from (sdk.ts).
 */
export interface StandardPipeline {
  resource: Resource;
  /** Whether the SDK's resource detectors run too (host, process, `OTEL_RESOURCE_ATTRIBUTES`). */
  detectResources: boolean;
  sampler: Sampler;
  /**
   * Whether the sampler leaves every child of a span of this process it did not sample unsampled,
   * so that such children need not be started at all (`withSpan`).
   */
  unsampledSpansHaveUnsampledChildren: boolean;
  /** Each ends in an exporter. None: spans are created and propagated, not exported. */
  exportingProcessors: SpanProcessor[];
  /** The names `createPropagator` takes; empty: nothing is propagated. */
  propagators: readonly string[];
  spanLimits: SpanLimits;
  metricReaders: IMetricReader[];
  /** The SDK's own console logger at this level; unset, its warnings reach ours, rate-limited. */
  diagLogLevel: DiagLogLevel | undefined;
}

export interface PipelineContext {
  log: RateLimitedLog;
  serviceVersion: string;
}

function spanProcessorsFor(config: TracingConfig, log: RateLimitedLog): SpanProcessor[] {
  // `none`: spans are still created and propagated (trace ids in responses, B3 headers
  // downstream), only not exported.
  if (config.exporters.includes('none')) return [];
  return config.exporters.map((name) =>
    name === 'otlp'
      ? // Endpoint, headers and timeout come from the standard variables, read by the exporter;
        // OTEL_BSP_* from our configuration, since a processor built by hand reads none of them.
        new BatchSpanProcessor({
          exporter: new RecoveringSpanExporter({
            createExporter: () => createOtlpTraceExporter(config.otlpProtocol),
            log,
          }),
          ...config.batch,
        })
      : new SimpleSpanProcessor({
          exporter: new TreeExporter(config.tree),
        }),
  );
}

/** The pipeline the `OTEL_*` variables describe (see tracing-config.ts). */
export function pipelineFromEnvironment(
  config: TracingConfig,
  { log, serviceVersion }: PipelineContext,
): StandardPipeline {
  return {
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: config.serviceName,
        [ATTR_SERVICE_VERSION]: serviceVersion,
        [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: config.environment,
      }),
    ),
    detectResources: true,
    // Always given, so the SDK never reads OTEL_TRACES_SAMPLER itself (sampler-setting.ts does).
    sampler: createSampler(config.sampler),
    unsampledSpansHaveUnsampledChildren: keepsUnsampledChildrenUnsampled(config.sampler),
    exportingProcessors: spanProcessorsFor(config, log),
    propagators: config.propagators,
    spanLimits: { attributeValueLengthLimit: config.maxAttributeLength },
    metricReaders: createMetricReaders(config, log),
    diagLogLevel: diagLogLevelFromString(config.sdkLogLevel),
  };
}
