import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { LIMITS } from '../../limits';

/**
 * What admission reads of the process. Tests give fixed figures; `monitorPressure` gives the
 * process's own.
 */
export interface Pressure {
  /** The event loop's delay over the last window, in ms (`EventLoopDelayWindows` says how). */
  readonly eventLoopDelayMs: number;
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
}

/** The monitor's interval: an idle loop shows this much "delay", which is subtracted. */
const RESOLUTION_MS = 10;

/**
 * The process's pressure, sampled once a window (`LIMITS.admissionWindowMs`), so that admitting a
 * run reads three numbers and measures nothing. The timer does not keep the process alive.
 */
export function monitorPressure(windowMs: number = LIMITS.admissionWindowMs): Pressure {
  const loop = new EventLoopDelayWindows();
  const sample = () => {
    const { heapUsed, rss } = process.memoryUsage();
    return { eventLoopDelayMs: loop.endWindow(), heapUsedBytes: heapUsed, rssBytes: rss };
  };
  let latest = sample();
  setInterval(() => (latest = sample()), windowMs).unref();
  return {
    get eventLoopDelayMs() {
      return latest.eventLoopDelayMs;
    },
    get heapUsedBytes() {
      return latest.heapUsedBytes;
    },
    get rssBytes() {
      return latest.rssBytes;
    },
  };
}

/**
 * The event loop's delay, one figure per window, from `perf_hooks.monitorEventLoopDelay` (a tick
 * every 10 ms, its histogram reset each window): the last second's, not the process's life's.
 *
 * The 90th percentile of the window's ticks: a loop late most of the second, not one long pause (a
 * major garbage collection, the start-up), which the 99th would be over a second of 10 ms ticks.
 * Not the loop's current turn either: a turn that parses a pipelined flood (refused at the
 * server's edge) is long, and would refuse the runs of the clients beside it (measured: 31 of 201
 * normal requests of the abusive mix in test/integration/tracing-backend.test.ts).
 *
 * A percentile reads a loop held in turns longer than half the window as calm: it ticks once a
 * window or not at all, and the histogram drops the first tick after a reset (no previous tick to
 * measure from), so it has no sample and reads 0. The window's mean gap between ticks (its length
 * over its ticks) says it: about 600 ms for turns of 600 ms. It counts when two windows in a row
 * say so: one pause, however long, ends in one window (the sampling timer waits for it too), and a
 * start-up or a frozen process is one pause. On a loop that ticks, percentile and mean agree.
 */
class EventLoopDelayWindows {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({
    resolution: RESOLUTION_MS,
  });
  private start = performance.now();
  private lastMeanGapMs = 0;

  constructor() {
    this.histogram.enable();
  }

  /** The delay over the window that ends now, in ms past the monitor's interval; starts the next. */
  endWindow(): number {
    const now = performance.now();
    const { count } = this.histogram;
    const percentileMs = count ? this.histogram.percentile(90) / 1e6 : 0;
    const meanGapMs = (now - this.start) / (count + 1);
    const heldMs = Math.min(meanGapMs, this.lastMeanGapMs);
    this.histogram.reset();
    this.start = now;
    this.lastMeanGapMs = meanGapMs;
    return Math.max(0, Math.max(percentileMs, heldMs) - RESOLUTION_MS);
  }
}
