import { context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startSpanCounter, type SpanCounter } from './span-counter';

describe('the benchmark span counter', () => {
  let counter: SpanCounter;
  let provider: BasicTracerProvider;
  beforeAll(async () => {
    counter = await startSpanCounter();
    provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: counter.endpoint }))],
    });
  });
  afterAll(async () => {
    await provider.shutdown();
    await counter.stop();
  });

  it('counts the spans a real exporter sends, per trace, decoding only their trace ids', async () => {
    const tracer = provider.getTracer('test');
    const root = tracer.startSpan('root', {
      attributes: { 'a.string': 'x'.repeat(300), 'a.number': 42 },
    });
    const child = tracer.startSpan('child', {}, trace.setSpan(context.active(), root));
    child.addEvent('something', { detail: 1 });
    child.end();
    root.end();
    const other = tracer.startSpan('other');
    other.end();
    await provider.forceFlush();

    expect(counter.spanCount).toBe(3);
    expect(counter.spansOfTrace(root.spanContext().traceId)).toBe(2);
    expect(counter.spansOfTrace(other.spanContext().traceId)).toBe(1);
    expect(counter.spansOfTrace('0'.repeat(32))).toBe(0);
  });
});
