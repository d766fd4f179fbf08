import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface InMemoryTracing {
  spans(): ReadableSpan[];
  byName(name: string): ReadableSpan[];
  one(name: string): ReadableSpan;
  reset(): void;
  shutdown(): Promise<void>;
}

/**
 * Spans we create ourselves, collected in memory. Auto-instrumentation does not work under Jest
 * (its module system bypasses require hooks), so anything about HTTP spans is tested on a real
 * process instead (test/integration).
 */
export function installInMemoryTracing(): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
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
