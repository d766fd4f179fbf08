import { diag } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import type { IsTrustedCaller } from './caller-trust';
import { setTracingShutdown } from './lifecycle';
import { EnrichingSpanProcessor, processAttributes } from './enriching-span-processor';
import { createSampler } from './create-sampler';
import { createDiagLogger, DIAG_LOG_LEVEL, RateLimitedLog } from './exporter-log';
import { createInstrumentations } from './instrumentations';
import { KnownSecrets } from './known-secrets';
import { MinimumDurationSpanProcessor } from './minimum-duration-span-processor';
import { createOtlpTraceExporter } from './otlp-trace-exporter';
import { createMetricReaders, observeDroppedSpans } from './metric-readers';
import { createPropagator } from './propagation';
import { RecoveringSpanExporter } from './recovering-exporter';
import { RedactingSpanProcessor } from './redacting-span-processor';
import {
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
} from './semconv';
import { readServiceVersion } from './service-version';
import { TreeExporter } from './tree-exporter';
import type { TracingConfig } from './tracing-config';

function spanProcessorsFor(config: TracingConfig, log: RateLimitedLog): SpanProcessor[] {
  if (config.exporters.includes('none')) {
    // Spans are still created and propagated (trace ids in responses, B3 headers downstream), only
    // not exported.
    return [new NoopSpanProcessor()];
  }
  const exporting = config.exporters.map((name) =>
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
          exporter: new TreeExporter({ showAttributes: config.treeAttributes }),
        }),
  );
  const minDurationMs = config.spanMinDurationMs;
  // A filter must wrap the processor that exports: beside it, it would filter nothing.
  return minDurationMs > 0
    ? exporting.map((processor) => new MinimumDurationSpanProcessor(processor, { minDurationMs }))
    : exporting;
}

export interface StartTracingOptions {
  /**
   * See `createPropagator`: with `TRACE_CONTEXT_TRUST=internal`, which callers' context is
   * continued.
   */
  isTrustedCaller?: IsTrustedCaller;
}

export function startTracing(
  config: TracingConfig,
  { isTrustedCaller }: StartTracingOptions = {},
): NodeSDK | undefined {
  if (config.sdkDisabled) return undefined;
  const serviceVersion = readServiceVersion();
  const log = new RateLimitedLog();
  // The SDK's own warnings (dropped spans, failed exports) reach the logs, rate-limited, unless
  // OTEL_LOG_LEVEL asks for the SDK's own console logger.
  if (!process.env.OTEL_LOG_LEVEL) diag.setLogger(createDiagLogger(log), DIAG_LOG_LEVEL);
  setGlobalErrorHandler((error) => {
    const message = error instanceof Error ? error.message : String(error);
    log.log('warn', `sdk-error:${message}`, 'OpenTelemetry SDK error', {
      error: message.slice(0, 500),
    });
  });
  const spanProcessors = spanProcessorsFor(config, log);
  const sdk = new NodeSDK({
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: config.serviceName,
        [ATTR_SERVICE_VERSION]: serviceVersion,
        [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: config.environment,
      }),
    ),
    spanProcessors: [
      new EnrichingSpanProcessor(processAttributes(serviceVersion)),
      new RedactingSpanProcessor(new KnownSecrets(config.knownSecrets)),
      ...spanProcessors,
    ],
    // Always given, so the SDK never reads OTEL_TRACES_SAMPLER itself (sampler-setting.ts does).
    sampler: createSampler(config.sampler),
    textMapPropagator: createPropagator(config.propagators, isTrustedCaller),
    spanLimits: { attributeValueLengthLimit: config.maxAttributeLength },
    instrumentations: createInstrumentations(config.enabledInstrumentations),
    metricReaders: createMetricReaders(config, log),
    logRecordProcessors: [],
  });
  sdk.start();
  observeDroppedSpans(
    spanProcessors.filter((each) => each instanceof MinimumDurationSpanProcessor),
  );
  setTracingShutdown(() => sdk.shutdown());
  return sdk;
}
