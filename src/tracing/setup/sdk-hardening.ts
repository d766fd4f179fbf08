import { diag, DiagConsoleLogger, type DiagLogLevel } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { observeDroppedSpans } from '../export/metric-readers';
import { MinimumDurationSpanProcessor } from '../processors/minimum-duration-span-processor';
import { pipelineFromFile } from './config-file/file-pipeline';
import { createDiagLogger, DIAG_LOG_LEVEL, RateLimitedLog } from './exporter-log';
import { declareUnsampledSpansHaveUnsampledChildren } from '../with-span';
import { setTracingShutdown } from './lifecycle';
import { readServiceVersion } from './service-version';
import {
  pipelineFromEnvironment,
  type PipelineContext,
  type StandardPipeline,
} from './standard-pipeline';
import type { TracingConfig } from './tracing-config';

/**
 * What keeps the SDK (sdk.ts) from hurting the service it traces, composed around it rather than
 * woven into it: its own errors reach our log rate-limited, its pipeline may come from a file, it
 * is started so that the server can flush it on shutdown.
 */

/**
 * The SDK's errors (a failed export, a bad attribute) are logged at most once per 30 s each, so an
 * unreachable collector cannot flood the logs; `serviceVersion` is the resource's.
 */
export function superviseSdk(): PipelineContext {
  const log = new RateLimitedLog();
  setGlobalErrorHandler((error) => {
    const message = error instanceof Error ? error.message : String(error);
    log.log('warn', `sdk-error:${message}`, 'OpenTelemetry SDK error', {
      error: message.slice(0, 500),
    });
  });
  return { log, serviceVersion: readServiceVersion() };
}

/**
 * The standard parts of the pipeline (resource, sampler, exporters, propagators, limits, metric
 * readers): from the `OTEL_*` variables, or from `OTEL_CONFIG_FILE`, which replaces them. Our own
 * components wrap them the same way whichever it is.
 */
export function standardParts(config: TracingConfig, context: PipelineContext): StandardPipeline {
  return config.configFile
    ? pipelineFromFile(config.configFile.model, config, context)
    : pipelineFromEnvironment(config, context);
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

/**
 * Creates and starts the SDK with our diagnostics logger around it, counts the spans the filters
 * leave out (`span_filter.dropped_spans`), and leaves its shutdown where the server finds it
 * (lifecycle.ts).
 */
export function startHardened(
  createSdk: () => NodeSDK,
  {
    standard,
    context,
    exporting,
  }: {
    standard: StandardPipeline;
    context: PipelineContext;
    exporting: SpanProcessor[];
  },
): NodeSDK {
  installDiagLogger(standard.diagLogLevel, context.log);
  const sdk = createSdk();
  // Again: the SDK's constructor installs its console logger whenever OTEL_LOG_LEVEL is set, which
  // a file replaces.
  installDiagLogger(standard.diagLogLevel, context.log);
  sdk.start();
  declareUnsampledSpansHaveUnsampledChildren(standard.unsampledSpansHaveUnsampledChildren);
  observeDroppedSpans(exporting.filter((each) => each instanceof MinimumDurationSpanProcessor));
  setTracingShutdown(() => sdk.shutdown());
  return sdk;
}
