import { SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import {
  NoopSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { LIMITS } from '../../limits';

export interface MinimumDurationOptions {
  /** Spans shorter than this are dropped, unless something below keeps them. */
  minDurationMs: number;
  maxPendingTraces?: number;
  maxPendingAgeMs?: number;
  /** Monotonic milliseconds; tests inject a clock they control. */
  now?: () => number;
}

/** The spans of one trace started in this process under one local root, until that root ends. */
interface PendingTrace {
  rootSpanId: string;
  startedAt: number;
  ended: ReadableSpan[];
  running: Set<ReadableSpan>;
  open: boolean;
}

const spanIdOf = (span: ReadableSpan) => span.spanContext().spanId;
const isLocalRoot = (span: ReadableSpan) =>
  !span.parentSpanContext || span.parentSpanContext.isRemote;

/**
 * The workshop's "filter spans by minimum duration" (exercise 2), without breaking traces.
 *
 * It wraps the exporting processor instead of sitting beside it: every processor sees every span,
 * so only a wrapper can keep a span from the exporter. It cannot decide span by span either,
 * because a short span may be the parent of a long or failed one. So it holds a trace's spans
 * until the trace's local root (the first span of this process in that trace) ends, then passes
 * on the root, every span at least `minDurationMs` long, every span in ERROR, and every ancestor
 * of those and of spans still running: no exported span is ever orphaned, and the `trace_id` a
 * response carries always points to a trace. Spans that end after their local root pass straight
 * through. Past its bounds (pending traces, their age) it exports unfiltered rather than lose
 * spans.
 */
export class MinimumDurationSpanProcessor implements SpanProcessor {
  /** Spans left out so far, for tests and (later) a metric. */
  droppedSpans = 0;
  /** Traces exported unfiltered because they were over a bound. */
  unfilteredTraces = 0;
  private readonly minDurationMs: number;
  private readonly maxPendingTraces: number;
  private readonly maxPendingAgeMs: number;
  private readonly now: () => number;
  /** In start order, so the oldest is first. */
  private readonly pending = new Set<PendingTrace>();
  private readonly traceOf = new WeakMap<object, PendingTrace>();

  constructor(
    private readonly next: SpanProcessor,
    {
      minDurationMs,
      maxPendingTraces = LIMITS.spanFilterMaxPendingTraces,
      maxPendingAgeMs = LIMITS.spanFilterMaxPendingAgeMs,
      now = () => performance.now(),
    }: MinimumDurationOptions,
  ) {
    this.minDurationMs = minDurationMs;
    this.maxPendingTraces = maxPendingTraces;
    this.maxPendingAgeMs = maxPendingAgeMs;
    this.now = now;
  }

  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
    const pending = isLocalRoot(span) ? this.startTrace(span) : this.traceOfParent(parentContext);
    if (!pending) return;
    this.traceOf.set(span, pending);
    pending.running.add(span);
  }

  onEnd(span: ReadableSpan): void {
    const pending = this.traceOf.get(span);
    if (!pending?.open) {
      this.next.onEnd(span);
      return;
    }
    pending.running.delete(span);
    if (spanIdOf(span) === pending.rootSpanId) this.filter(pending, span);
    else pending.ended.push(span);
  }

  /** A flush promises that every span ended so far is exported: pending traces go on unfiltered. */
  async forceFlush(): Promise<void> {
    for (const pending of [...this.pending]) this.release(pending);
    await this.next.forceFlush();
  }

  async shutdown(): Promise<void> {
    for (const pending of [...this.pending]) this.release(pending);
    await this.next.shutdown();
  }

  /** Each new trace first lets go of the oldest ones past their age: no timer needed. */
  private startTrace(root: Span): PendingTrace | undefined {
    const now = this.now();
    this.releaseOlderThan(now - this.maxPendingAgeMs);
    if (this.pending.size >= this.maxPendingTraces) {
      this.unfilteredTraces++;
      return undefined;
    }
    const pending: PendingTrace = {
      rootSpanId: spanIdOf(root),
      startedAt: now,
      ended: [],
      running: new Set(),
      open: true,
    };
    this.pending.add(pending);
    return pending;
  }

  private traceOfParent(parentContext: Context): PendingTrace | undefined {
    const parent = trace.getSpan(parentContext);
    const pending = parent && this.traceOf.get(parent);
    return pending?.open ? pending : undefined;
  }

  private filter(pending: PendingTrace, root: ReadableSpan): void {
    this.close(pending);
    const parentIds = new Map<string, string | undefined>();
    for (const span of [...pending.ended, ...pending.running])
      parentIds.set(spanIdOf(span), span.parentSpanContext?.spanId);
    const kept = new Set([pending.rootSpanId]);
    // Kept spans always have their ancestors kept, so the walk up stops at the first kept one.
    const keepWithAncestors = (spanId: string | undefined) => {
      for (let id = spanId; id !== undefined && !kept.has(id); id = parentIds.get(id)) kept.add(id);
    };
    for (const span of pending.ended) {
      const failed = span.status.code === SpanStatusCode.ERROR;
      if (failed || hrTimeToMilliseconds(span.duration) >= this.minDurationMs)
        keepWithAncestors(spanIdOf(span));
    }
    // They will pass through when they end: their parents must be there.
    for (const span of pending.running) keepWithAncestors(span.parentSpanContext?.spanId);
    for (const span of pending.ended) {
      if (kept.has(spanIdOf(span))) this.next.onEnd(span);
      else this.droppedSpans++;
    }
    this.next.onEnd(root);
    this.forget(pending);
  }

  private releaseOlderThan(startedBefore: number): void {
    for (const pending of this.pending) {
      if (pending.startedAt > startedBefore) return;
      this.unfilteredTraces++;
      this.release(pending);
    }
  }

  /** Unfiltered: what has ended goes on now, the rest passes through when it ends. */
  private release(pending: PendingTrace): void {
    this.close(pending);
    for (const span of pending.ended) this.next.onEnd(span);
    this.forget(pending);
  }

  private close(pending: PendingTrace): void {
    pending.open = false;
    this.pending.delete(pending);
  }

  /** Spans still running keep a reference to their trace until they end: let it hold nothing. */
  private forget(pending: PendingTrace): void {
    pending.ended = [];
    pending.running.clear();
  }
}

/**
 * The exporting processors, each wrapped in the filter when `minDurationMs` is above 0: beside the
 * processor that exports, a filter would filter nothing. With no exporting processor, spans are
 * still created and propagated (trace ids in responses, B3 headers downstream), only not exported.
 */
export function filterShortSpans(
  exporting: SpanProcessor[],
  minDurationMs: number,
): SpanProcessor[] {
  const processors = exporting.length ? exporting : [new NoopSpanProcessor()];
  return minDurationMs > 0
    ? processors.map((processor) => new MinimumDurationSpanProcessor(processor, { minDurationMs }))
    : processors;
}
