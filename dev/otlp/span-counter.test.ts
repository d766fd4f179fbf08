import { context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { TracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { startSpanCounter, type SpanCounter } from './span-counter';

describe('the benchmark span counter', () => {
  let counter: SpanCounter;
  let provider: TracerProvider;
  beforeAll(async () => {
    counter = await startSpanCounter();
    provider = new TracerProvider({
      spanProcessors: [
        new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: counter.endpoint }) }),
      ],
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

  it('times the spans it is asked to, by name, in milliseconds', async () => {
    const timing = await startSpanCounter({ timedSpans: ['memory.read'] });
    const exporter = new OTLPTraceExporter({ url: timing.endpoint });
    const timed = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    try {
      const tracer = timed.getTracer('test');
      tracer.startSpan('memory.read', { startTime: [10, 0] }).end([10, 2_500_000]);
      tracer.startSpan('memory.write', { startTime: [10, 0] }).end([11, 0]);
      await timed.forceFlush();

      expect(timing.spanCount).toBe(2);
      expect(timing.timings('memory.read')).toEqual([
        { traceId: expect.stringMatching(/^[0-9a-f]{32}$/), startMs: 10_000, durationMs: 2.5 },
      ]);
      expect(timing.timings('memory.write')).toEqual([]);
    } finally {
      await timed.shutdown();
      await timing.stop();
    }
  });
});
