import { context, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { createOtlpTraceExporter } from '../../../src/tracing/export/otlp-trace-exporter';
import * as semconv from '../../../src/tracing/semconv';
import { parseVariables } from '../../../src/variables';

/** `service.name` of the runner's own spans: the evaluations, and the judge's model calls. */
const EVALUATIONS_SERVICE = 'traced-agent-evals';

export interface EvaluationTracing {
  tracer: Tracer;
  /** The backend of `OTEL_EXPORTER_OTLP_*`, when one is set: the services' spans are relayed to it. */
  upstream: SpanExporter | undefined;
  /** Flushes every span and stops. */
  shutdown(): Promise<void>;
}

/**
 * The backend the user's `OTEL_EXPORTER_OTLP_*` variables name, read by the exporter itself as the
 * services' would be; none without an endpoint.
 */
export function upstreamExporter(env: NodeJS.ProcessEnv): SpanExporter | undefined {
  const variables = parseVariables(env, [
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    'OTEL_EXPORTER_OTLP_PROTOCOL',
    'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  ]);
  if (!variables.OTEL_EXPORTER_OTLP_ENDPOINT && !variables.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
    return undefined;
  return createOtlpTraceExporter(
    variables.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? variables.OTEL_EXPORTER_OTLP_PROTOCOL,
  );
}

/**
 * The runner's own tracing: a provider of its own (no auto-instrumentation: only the spans it
 * makes), its spans sent to the runner's receiver (beside the runs they score) and to the user's
 * backend. The context manager makes the evaluation span the judge's model call's parent.
 */
export function startEvaluationTracing({
  receiverEndpoint,
  upstream,
}: {
  receiverEndpoint: string | undefined;
  upstream: SpanExporter | undefined;
}): EvaluationTracing {
  const exporters = [
    ...(receiverEndpoint ? [createOtlpTraceExporter('grpc', { url: receiverEndpoint })] : []),
    ...(upstream ? [upstream] : []),
  ];
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [semconv.ATTR_SERVICE_NAME]: EVALUATIONS_SERVICE }),
    spanProcessors: exporters.map((exporter) => new BatchSpanProcessor({ exporter })),
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  return {
    tracer: provider.getTracer(EVALUATIONS_SERVICE),
    upstream,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
