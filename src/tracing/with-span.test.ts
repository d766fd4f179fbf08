import {
  context,
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
  type SpanKind,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TracerProvider,
  type Sampler,
  type SamplingResult,
} from '@opentelemetry/sdk-trace';
import { declareUnsampledSpansHaveUnsampledChildren, withSpan } from './with-span';

/** A sampler that counts the spans it is asked about: each is a span the SDK started. */
class CountingSampler implements Sampler {
  asked = 0;
  constructor(private readonly inner: Sampler) {}
  shouldSample(
    parent: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    this.asked += 1;
    return this.inner.shouldSample(parent, traceId, name, kind, attributes, links);
  }
}

// The root decides (nothing sampled), children follow their parent: the samplers the service builds.
const sampler = new CountingSampler(new ParentBasedSampler({ root: new AlwaysOffSampler() }));
const exporter = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(contextManager);
const tracer = new TracerProvider({
  sampler,
  spanProcessors: [new SimpleSpanProcessor({ exporter })],
}).getTracer('test');

afterAll(() => context.disable());
beforeEach(() => {
  sampler.asked = 0;
  exporter.reset();
});
afterEach(() => declareUnsampledSpansHaveUnsampledChildren(false));

/** A tracer whose new traces are kept: what a root decides, apart from any parent. */
const tracerKeepingNewTraces = () =>
  new TracerProvider({
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  }).getTracer('test');

const underUnsampledRoot = <T>(work: () => Promise<T>) =>
  tracer.startActiveSpan('root', (root) => work().finally(() => root.end()));

describe('withSpan under a span that is not sampled', () => {
  it('starts no child when the sampler keeps such children unsampled: the work gets the parent', async () => {
    declareUnsampledSpansHaveUnsampledChildren(true);
    const seen = await underUnsampledRoot(async () => {
      const parent = trace.getActiveSpan();
      return withSpan(tracer, 'child', {}, (span) => ({
        span,
        parent,
        active: trace.getActiveSpan(),
      }));
    });
    expect(sampler.asked).toBe(1);
    expect(seen.span).toBe(seen.parent);
    expect(seen.active).toBe(seen.parent);
    expect(seen.span.isRecording()).toBe(false);
  });

  it('lets a failure reach the caller', async () => {
    declareUnsampledSpansHaveUnsampledChildren(true);
    await expect(
      underUnsampledRoot(() =>
        withSpan(tracer, 'child', {}, () => {
          throw new Error('tool broke');
        }),
      ),
    ).rejects.toThrow('tool broke');
  });

  it('starts the child as the SDK would until the setup says the sampler guarantees it', async () => {
    await underUnsampledRoot(() => withSpan(tracer, 'child', {}, () => undefined));
    expect(sampler.asked).toBe(2);
  });

  it("starts the child under a caller's context: the caller's flag decides, not ours", async () => {
    declareUnsampledSpansHaveUnsampledChildren(true);
    const remote = (traceFlags: TraceFlags) =>
      trace.setSpanContext(ROOT_CONTEXT, {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags,
        isRemote: true,
      });
    await context.with(remote(TraceFlags.NONE), () =>
      withSpan(tracer, 'child', {}, () => undefined),
    );
    await context.with(remote(TraceFlags.SAMPLED), () =>
      withSpan(tracer, 'sampled-child', {}, () => undefined),
    );
    expect(sampler.asked).toBe(2);
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['sampled-child']);
  });

  it('starts a new trace under an active span whose context is invalid (no parent at all)', async () => {
    declareUnsampledSpansHaveUnsampledChildren(true);
    const rootOn = tracerKeepingNewTraces();
    const detached = trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
    await context.with(detached, () => withSpan(rootOn, 'new-trace', {}, () => undefined));
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['new-trace']);
  });

  it('starts a span that asks to be a root: a new trace gets its own decision', async () => {
    declareUnsampledSpansHaveUnsampledChildren(true);
    const rootOn = tracerKeepingNewTraces();
    await underUnsampledRoot(() => withSpan(rootOn, 'new-trace', { root: true }, () => undefined));
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['new-trace']);
  });
});
