import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import type { RequestHandler } from 'express';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';

export interface InMemoryTracing {
  spans(): ReadableSpan[];
  byName(name: string): ReadableSpan[];
  one(name: string): ReadableSpan;
  reset(): void;
  shutdown(): Promise<void>;
}

export interface InMemoryTracingOptions {
  /** Processors that see each span before it is collected, e.g. our enriching processor. */
  processors?: SpanProcessor[];
}

/**
 * What a service's SDK installs, less the exporters: the provider, an AsyncLocalStorage context
 * manager and the W3C trace-context and baggage propagators (OpenTelemetry JS 3 has no
 * `NodeTracerProvider.register()` doing it for us).
 */
function registerGlobally(provider: TracerProvider): void {
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
}

/**
 * Spans we create ourselves, collected in memory. Auto-instrumentation does not work under Jest
 * (its module system bypasses require hooks), so anything about HTTP spans is tested on a real
 * process instead (test/integration).
 */
export function installInMemoryTracing({
  processors = [],
}: InMemoryTracingOptions = {}): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [...processors, new SimpleSpanProcessor({ exporter })],
  });
  registerGlobally(provider);
  const spans = () => exporter.getFinishedSpans();
  const byName = (name: string) => spans().filter((span) => span.name === name);
  return {
    spans,
    byName,
    one(name) {
      const found = byName(name);
      if (found.length !== 1)
        throw new Error(
          `expected one "${name}" span, found ${found.length}: ${spans()
            .map((span) => span.name)
            .join(', ')}`,
        );
      return found[0]!;
    },
    reset: () => exporter.reset(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

export const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
export const idOf = (span: ReadableSpan): string => span.spanContext().spanId;

/**
 * Stands in for the http instrumentation under Jest, where it never patches anything: runs each
 * request inside a SERVER span, so the app sees the active span it would see in a real process.
 */
export const serverSpanMiddleware: RequestHandler = (request, response, next) => {
  const span = trace
    .getTracer('test-http-server')
    .startSpan(`${request.method} ${request.path}`, { kind: SpanKind.SERVER });
  response.once('close', () => span.end());
  const requestContext = trace.setSpan(context.active(), span);
  // As the instrumentation does: listeners on the request and response run in its context too.
  context.bind(requestContext, request);
  context.bind(requestContext, response);
  context.with(requestContext, next);
};
