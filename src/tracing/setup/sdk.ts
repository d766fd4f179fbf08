import { diag, DiagConsoleLogger, type DiagLogLevel } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';
import type { IsTrustedCaller } from '../propagation/caller-trust';
import { pipelineFromFile } from './config-file/file-pipeline';
import { setTracingShutdown } from './lifecycle';
import { EnrichingSpanProcessor, processAttributes } from '../processors/enriching-span-processor';
import { createDiagLogger, DIAG_LOG_LEVEL, RateLimitedLog } from './exporter-log';
import { createInstrumentations } from './instrumentations';
import { KnownSecrets } from '../privacy/known-secrets';
import { MinimumDurationSpanProcessor } from '../processors/minimum-duration-span-processor';
import { observeDroppedSpans } from '../export/metric-readers';
import { createPropagator } from '../propagation/propagators';
import { RedactingSpanProcessor } from '../processors/redacting-span-processor';
import { readServiceVersion } from './service-version';
import { pipelineFromEnvironment, type StandardPipeline } from './standard-pipeline';
import type { TracingConfig } from './tracing-config';

/**
 * A filter must wrap the processor that exports: beside it, it would filter nothing. With no
 * exporting processor, spans are still created and propagated (trace ids in responses, B3 headers
 * downstream), only not exported.
 */
function withMinimumDuration(exporting: SpanProcessor[], minDurationMs: number): SpanProcessor[] {
  const processors = exporting.length ? exporting : [new NoopSpanProcessor()];
  return minDurationMs > 0
    ? processors.map((processor) => new MinimumDurationSpanProcessor(processor, { minDurationMs }))
    : processors;
}

/**
 * The SDK's own warnings (dropped spans, failed exports) reach the logs, rate-limited, unless
 * OTEL_LOG_LEVEL (or the file's `log_level`) asks for the SDK's console logger.
 */
function installDiagLogger(level: DiagLogLevel | undefined, log: RateLimitedLog): void {
  if (level === undefined)
    diag.setLogger(createDiagLogger(log), {
      logLevel: DIAG_LOG_LEVEL,
      suppressOverrideMessage: true,
    });
  else diag.setLogger(new DiagConsoleLogger(), { logLevel: level, suppressOverrideMessage: true });
}

export interface StartTracingOptions {
  /**
   * See `createPropagator`: with `TRACE_CONTEXT_TRUST=internal`, which callers' context is
   * continued.
   */
  isTrustedCaller?: IsTrustedCaller;
}

/**
 * Starts the SDK: the standard pipeline, from the `OTEL_*` variables or from `OTEL_CONFIG_FILE`,
 * with our own components around it, whichever it came from: enrichment and redaction see every
 * span before any exporter does, the minimum-duration filter wraps every exporting processor, the
 * propagators check trust in incoming context, and OTLP exporters recover and log rate-limited.
 */
export function startTracing(
  config: TracingConfig,
  { isTrustedCaller }: StartTracingOptions = {},
): NodeSDK | undefined {
  if (config.sdkDisabled) return undefined;
  const serviceVersion = readServiceVersion();
  const log = new RateLimitedLog();
  setGlobalErrorHandler((error) => {
    const message = error instanceof Error ? error.message : String(error);
    log.log('warn', `sdk-error:${message}`, 'OpenTelemetry SDK error', {
      error: message.slice(0, 500),
    });
  });
  const context = { log, serviceVersion };
  const pipeline: StandardPipeline = config.configFile
    ? pipelineFromFile(config.configFile.model, config, context)
    : pipelineFromEnvironment(config, context);
  installDiagLogger(pipeline.diagLogLevel, log);
  const exporting = withMinimumDuration(pipeline.exportingProcessors, config.spanMinDurationMs);
  const sdk = new NodeSDK({
    resource: pipeline.resource,
    autoDetectResources: pipeline.detectResources,
    spanProcessors: [
      new EnrichingSpanProcessor(processAttributes(serviceVersion)),
      new RedactingSpanProcessor(new KnownSecrets(config.knownSecrets)),
      ...exporting,
    ],
    sampler: pipeline.sampler,
    textMapPropagator: createPropagator(pipeline.propagators, isTrustedCaller),
    spanLimits: pipeline.spanLimits,
    instrumentations: createInstrumentations(config.enabledInstrumentations),
    metricReaders: pipeline.metricReaders,
    logRecordProcessors: [],
  });
  // Again: the SDK's constructor installs its console logger whenever OTEL_LOG_LEVEL is set, which
  // a file replaces.
  installDiagLogger(pipeline.diagLogLevel, log);
  sdk.start();
  observeDroppedSpans(exporting.filter((each) => each instanceof MinimumDurationSpanProcessor));
  setTracingShutdown(() => sdk.shutdown());
  return sdk;
}
