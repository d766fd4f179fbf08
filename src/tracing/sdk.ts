import { readFileSync } from 'node:fs';
import { IncomingMessage } from 'node:http';
import path from 'node:path';
import { diag } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import {
  getNodeAutoInstrumentations,
  type InstrumentationConfigMap,
} from '@opentelemetry/auto-instrumentations-node';
import { ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  NoopSpanProcessor,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { linkUntrustedParent, type IsTrustedCaller } from './caller-trust';
import { setTracingShutdown } from './lifecycle';
import { EnrichingSpanProcessor, processAttributes } from './enriching-span-processor';
import { createSampler } from './create-sampler';
import { createDiagLogger, DIAG_LOG_LEVEL, RateLimitedLog } from './exporter-log';
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
import { isRequestUntraced } from './untraced-paths';
import { isPortUntraced } from './untraced-ports';

const HEALTH_PATH = '/healthz';
const INSTRUMENTATION_PREFIX = '@opentelemetry/instrumentation-';

/**
 * Every instrumentation the bundle holds (`@opentelemetry/instrumentation-http`, ...), from its
 * manifest: the bundle exports no list, and its `exports` map hides `package.json` from `require`.
 */
function bundledInstrumentations(): string[] {
  const main = require.resolve('@opentelemetry/auto-instrumentations-node');
  const manifest = path.join(
    main.slice(0, main.lastIndexOf(`${path.sep}build${path.sep}`)),
    'package.json',
  );
  const { dependencies } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    dependencies: Record<string, string>;
  };
  return Object.keys(dependencies).filter((name) => name.startsWith(INSTRUMENTATION_PREFIX));
}

function spanProcessorsFor(config: TracingConfig, log: RateLimitedLog): SpanProcessor[] {
  if (config.exporters.includes('none')) {
    // Spans are still created and propagated (trace ids in responses, B3 headers downstream), only
    // not exported.
    return [new NoopSpanProcessor()];
  }
  const exporting = config.exporters.map((name) =>
    name === 'otlp'
      ? // Endpoint, headers, timeout and OTEL_BSP_* come from the standard environment variables.
        new BatchSpanProcessor(
          new RecoveringSpanExporter({
            createExporter: () => createOtlpTraceExporter(config.otlpProtocol),
            log,
          }),
        )
      : new SimpleSpanProcessor(new TreeExporter({ showAttributes: config.treeAttributes })),
  );
  const minDurationMs = config.spanMinDurationMs;
  // A filter must wrap the processor that exports: beside it, it would filter nothing.
  return minDurationMs > 0
    ? exporting.map((processor) => new MinimumDurationSpanProcessor(processor, { minDurationMs }))
    : exporting;
}

/**
 * Health checks run every few seconds in a container: tracing them would bury the traces that
 * matter. The API's description and its docs page are not the API either (src/tracing/untraced-paths.ts).
 */
function isIgnoredIncomingRequest(request: IncomingMessage): boolean {
  return (
    isPortUntraced(request.socket.localPort) ||
    request.url === HEALTH_PATH ||
    isRequestUntraced(request)
  );
}

/**
 * The instrumentations, from the `@opentelemetry/auto-instrumentations-node` bundle: by default
 * only what a web service needs (`OTEL_NODE_ENABLED_INSTRUMENTATIONS`, see tracing-config.ts);
 * with Express 5 the router instrumentation duplicates every middleware span, and net, dns and fs
 * only add noise. `OTEL_NODE_DISABLED_INSTRUMENTATIONS` turns any of them off, as the bundle reads
 * it.
 */
function createInstrumentations(enabled: readonly string[]) {
  const configs: InstrumentationConfigMap = {
    '@opentelemetry/instrumentation-http': {
      ignoreIncomingRequestHook: isIgnoredIncomingRequest,
      // Called as the server span starts, in the context the propagator extracted; also for
      // outgoing requests, whose context inherits that value: only the server span gets the link.
      requestHook: (span, request) => {
        if (request instanceof IncomingMessage) linkUntrustedParent(span);
      },
    },
    // Express still names the server span after the route and sets `http.route`; its per-middleware
    // spans are dropped, so the agent's spans sit directly under the request, as in the workshop's
    // tree.
    '@opentelemetry/instrumentation-express': {
      ignoreLayersType: [
        ExpressLayerType.MIDDLEWARE,
        ExpressLayerType.ROUTER,
        ExpressLayerType.REQUEST_HANDLER,
      ],
    },
    '@opentelemetry/instrumentation-pino': { disableLogSending: true },
    // Database spans only inside a request's trace (not for the pool's own housekeeping), with the
    // statement's parameterized text and never its values: those are users' words.
    '@opentelemetry/instrumentation-pg': {
      requireParentSpan: true,
      enhancedDatabaseReporting: false,
    },
  };
  // Everything else in the bundle is off unless named in OTEL_NODE_ENABLED_INSTRUMENTATIONS.
  for (const name of bundledInstrumentations()) {
    if (!enabled.includes(name.replace(INSTRUMENTATION_PREFIX, '')))
      configs[name as keyof InstrumentationConfigMap] = { enabled: false };
  }
  return getNodeAutoInstrumentations(configs);
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
