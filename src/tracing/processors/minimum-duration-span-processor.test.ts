import {
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import {
  TracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import {
  MinimumDurationSpanProcessor,
  type MinimumDurationOptions,
} from './minimum-duration-span-processor';
import { TreeExporter } from '../export/tree-exporter';

/** A fixed instant, so that every duration is exact. */
const T0 = Date.UTC(2026, 0, 1);
const MIN_MS = 10;

const providers: TracerProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.shutdown()));
});

function setUp(options: Partial<MinimumDurationOptions> = {}) {
  let nowMs = 0;
  const exporter = new InMemorySpanExporter();
  const filter = new MinimumDurationSpanProcessor(new SimpleSpanProcessor({ exporter }), {
    minDurationMs: MIN_MS,
    now: () => nowMs,
    ...options,
  });
  const provider = new TracerProvider({ spanProcessors: [filter] });
  providers.push(provider);
  const tracer = provider.getTracer('filter-test');
  const exported = () => exporter.getFinishedSpans().map((span) => span.name);
  return { tracer, filter, exporter, exported, advanceClock: (ms: number) => void (nowMs += ms) };
}

/**
 * Starts a span at `startMs` (after T0) under `parent` (a span, or a context such as a remote
 * parent's).
 */
function start(tracer: Tracer, name: string, startMs: number, parent?: Span | Context): Span {
  const context =
    parent === undefined
      ? ROOT_CONTEXT
      : 'spanContext' in parent
        ? trace.setSpan(ROOT_CONTEXT, parent)
        : parent;
  return tracer.startSpan(name, { startTime: T0 + startMs }, context);
}

const end = (span: Span, atMs: number) => span.end(T0 + atMs);
const fail = (span: Span) => span.setStatus({ code: SpanStatusCode.ERROR });

/** Every exported span's parent is exported too, or is remote, or there is none. */
function orphansOf(spans: readonly ReadableSpan[]): string[] {
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  return spans
    .filter(
      (span) =>
        span.parentSpanContext &&
        !span.parentSpanContext.isRemote &&
        !ids.has(span.parentSpanContext.spanId),
    )
    .map((span) => span.name);
}

const remoteParent = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
});

describe('MinimumDurationSpanProcessor', () => {
  it('drops spans shorter than the minimum once the local root ends, and keeps the root however short', () => {
    const { tracer, filter, exported } = setUp();
    const root = start(tracer, 'root', 0);
    const long = start(tracer, 'long', 1, root);
    end(start(tracer, 'short', 2, long), 3);
    end(long, 1 + MIN_MS);
    end(start(tracer, 'quick', 20, root), 21);
    expect(exported()).toEqual([]);
    end(root, 5);
    expect(exported()).toEqual(['long', 'root']);
    expect(filter.droppedSpans).toBe(2);
  });

  it('keeps a short span in ERROR and every ancestor of it, short or not: no orphan', () => {
    const { tracer, exporter, exported } = setUp();
    const root = start(tracer, 'POST /execute', 0);
    const task = start(tracer, 'agent.task', 0, root);
    const step = start(tracer, 'agent.step.reasoning', 1, task);
    const tool = start(tracer, 'tool.calculator', 1, step);
    fail(tool);
    end(tool, 2);
    end(start(tracer, 'memory.read', 0, task), 0.5);
    end(step, 3);
    end(task, 4);
    end(root, 4);
    expect(exported()).toEqual([
      'tool.calculator',
      'agent.step.reasoning',
      'agent.task',
      'POST /execute',
    ]);
    expect(orphansOf(exporter.getFinishedSpans())).toEqual([]);
  });

  it('keeps every ancestor of a long span, even the short ones', () => {
    const { tracer, exporter, exported } = setUp();
    const root = start(tracer, 'root', 0);
    const step = start(tracer, 'step', 0, root);
    const model = start(tracer, 'llm.generate', 0, step);
    const http = start(tracer, 'POST', 0, model);
    end(http, 50);
    // The parents end "before" the child: clocks and async work make such trees.
    end(model, 1);
    end(step, 1);
    end(root, 60);
    expect(exported()).toEqual(['POST', 'llm.generate', 'step', 'root']);
    expect(orphansOf(exporter.getFinishedSpans())).toEqual([]);
  });

  it('keeps the parents of spans still running when the root ends, and passes those spans through when they end', () => {
    const { tracer, exporter, exported } = setUp();
    const root = start(tracer, 'root', 0);
    const parent = start(tracer, 'short parent', 0, root);
    const straggler = start(tracer, 'straggler', 1, parent);
    end(parent, 1);
    end(start(tracer, 'short sibling', 0, root), 1);
    end(root, 2);
    expect(exported()).toEqual(['short parent', 'root']);
    end(straggler, 3);
    expect(exported()).toEqual(['short parent', 'root', 'straggler']);
    expect(orphansOf(exporter.getFinishedSpans())).toEqual([]);
  });

  it('treats a span with a remote parent as a local root, and filters two of them in one trace apart', () => {
    const { tracer, exported } = setUp();
    const first = start(tracer, 'POST /execute (first call)', 0, remoteParent);
    const second = start(tracer, 'POST /execute (second call)', 0, remoteParent);
    end(start(tracer, 'short in first', 0, first), 1);
    end(start(tracer, 'long in second', 0, second), 20);
    end(first, 2);
    expect(exported()).toEqual(['POST /execute (first call)']);
    end(second, 30);
    expect(exported()).toEqual([
      'POST /execute (first call)',
      'long in second',
      'POST /execute (second call)',
    ]);
  });

  it('exports unfiltered, and counts, the traces over its cap on pending traces', () => {
    const { tracer, filter, exported } = setUp({ maxPendingTraces: 2 });
    const roots = [0, 1, 2].map((index) => start(tracer, `root ${index}`, 0));
    roots.forEach((root, index) => end(start(tracer, `short ${index}`, 0, root), 1));
    // The third trace is over the cap: its short span went on at once.
    expect(exported()).toEqual(['short 2']);
    roots.forEach((root) => end(root, 2));
    expect(exported()).toEqual(['short 2', 'root 0', 'root 1', 'root 2']);
    expect(filter.unfilteredTraces).toBe(1);
    expect(filter.droppedSpans).toBe(2);
  });

  it('exports unfiltered the traces pending for longer than its age limit, losing nothing', () => {
    const { tracer, filter, exported, advanceClock } = setUp({ maxPendingAgeMs: 1_000 });
    const stuck = start(tracer, 'stuck root', 0);
    end(start(tracer, 'short under stuck', 0, stuck), 1);
    advanceClock(1_500);
    // The next trace to start checks the age of the oldest pending one.
    const other = start(tracer, 'other root', 0);
    expect(exported()).toEqual(['short under stuck']);
    end(start(tracer, 'late under stuck', 0, stuck), 1);
    end(stuck, 2);
    end(other, 1);
    expect(exported()).toEqual([
      'short under stuck',
      'late under stuck',
      'stuck root',
      'other root',
    ]);
    expect(filter.unfilteredTraces).toBe(1);
  });

  it('exports what it holds on shutdown, unfiltered', async () => {
    const { tracer, filter, exporter } = setUp();
    const root = start(tracer, 'root', 0);
    end(start(tracer, 'short', 0, root), 1);
    const finished: string[] = [];
    const spy = jest.spyOn(exporter, 'export').mockImplementation((spans, done) => {
      finished.push(...spans.map((span) => span.name));
      done({ code: 0 });
    });
    await filter.shutdown();
    expect(finished).toEqual(['short']);
    spy.mockRestore();
  });

  it('lets the tree printer print every trace, with its root', () => {
    const written: string[] = [];
    const filter = new MinimumDurationSpanProcessor(
      new SimpleSpanProcessor({
        exporter: new TreeExporter({ write: (text) => void written.push(text) }),
      }),
      {
        minDurationMs: MIN_MS,
      },
    );
    const provider = new TracerProvider({ spanProcessors: [filter] });
    providers.push(provider);
    const tracer = provider.getTracer('filter-tree-test');
    const root = start(tracer, 'POST /api/v1/agent/execute', 0);
    end(start(tracer, 'memory.read', 0, root), 0.4);
    end(start(tracer, 'llm.generate', 1, root), 31);
    end(root, 40);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(
      /POST \/api\/v1\/agent\/execute\s+40\.0 ms\n└─ llm\.generate\s+30\.0 ms/,
    );
    expect(written[0]).not.toContain('memory.read');
  });
});
