import { NodeSDK } from '@opentelemetry/sdk-node';
import { KnownSecrets } from '../privacy/known-secrets';
import { EnrichingSpanProcessor, processAttributes } from '../processors/enriching-span-processor';
import { filterShortSpans } from '../processors/minimum-duration-span-processor';
import { RedactingSpanProcessor } from '../processors/redacting-span-processor';
import type { IsTrustedCaller } from '../propagation/caller-trust';
import { createPropagator } from '../propagation/propagators';
import { createInstrumentations } from './instrumentations';
import { standardParts, startHardened, superviseSdk } from './sdk-hardening';
import type { TracingConfig } from './tracing-config';

/**
 * The OpenTelemetry SDK of the three services, in the order the workshop builds it. The standard
 * parts come from the `OTEL_*` variables or `OTEL_CONFIG_FILE`; the hardening (rate-limited logs,
 * start, shutdown) is composed around it in sdk-hardening.ts.
 */
export function startTracing(
  config: TracingConfig,
  { isTrustedCaller }: { isTrustedCaller?: IsTrustedCaller } = {},
): NodeSDK | undefined {
  if (config.sdkDisabled) return undefined;
  const context = superviseSdk();
  const standard = standardParts(config, context);

  // 1. Resource: who made the spans (service.name, service.version, deployment.environment.name).
  const resource = standard.resource;
  // 2. Exporters, each behind the processor that feeds it: OTLP behind a batch processor (its
  // exporter recovers when the collector comes back), the tree printer behind a simple one. Spans
  // shorter than SPAN_MIN_DURATION_MS are filtered out before them.
  const exporting = filterShortSpans(standard.exportingProcessors, config.spanMinDurationMs);
  // 3. Processors: every span is enriched (baggage, host, process) and then redacted (known
  // secrets, URL queries) before any exporter sees it.
  const spanProcessors = [
    new EnrichingSpanProcessor(processAttributes(context.serviceVersion)),
    new RedactingSpanProcessor(new KnownSecrets(config.knownSecrets)),
    ...exporting,
  ];
  // 4. Sampler: which new traces are kept; a caller's decision is followed.
  const sampler = standard.sampler;
  // 5. Propagators: B3 and W3C trace context and baggage, in and out (with
  // TRACE_CONTEXT_TRUST=internal, only trusted callers' context is continued).
  const textMapPropagator = createPropagator(standard.propagators, isTrustedCaller);
  // 6. Instrumentations: server and client spans, route names, trace ids in logs, database calls.
  const instrumentations = createInstrumentations(config.enabledInstrumentations);

  const createSdk = () =>
    new NodeSDK({
      resource,
      autoDetectResources: standard.detectResources,
      spanProcessors,
      sampler,
      textMapPropagator,
      instrumentations,
      spanLimits: standard.spanLimits,
      metricReaders: standard.metricReaders, // beside the traces: Prometheus, OTLP or the console
      logRecordProcessors: [],
    });
  return startHardened(createSdk, { standard, context, exporting });
}
