import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { LIMITS } from '../../limits';

/**
 * What admission reads of the process. Tests give fixed figures; `monitorPressure` gives the
 * process's own.
 */
export interface Pressure {
  /** The 90th percentile of the event loop's delay over the last window, in ms. */
  readonly eventLoopDelayMs: number;
  readonly heapUsedBytes: number;
  readonly rssBytes: number;
}

/** The monitor's interval: an idle loop shows this much "delay", which is subtracted. */
const RESOLUTION_MS = 10;

/**
 * The process's pressure, sampled once a window (`LIMITS.admissionWindowMs`), so that admitting a
 * run reads three numbers and measures nothing. The event loop's delay comes from
 * `perf_hooks.monitorEventLoopDelay`, its histogram reset each window: a percentile of the last
 * second, not of the process's life. The 90th: a loop late most of the second, not one long pause
 * (a major garbage collection, the start-up), which the 99th would be over a second of 10 ms
 * samples. Not the loop's current turn either: a turn that parses a pipelined flood (refused at
 * the server's edge) is long, and would refuse the runs of the clients beside it (measured: 31 of
 * 201 normal requests of the abusive mix in test/integration/tracing-backend.test.ts). The timer
 * does not keep the process alive.
 */
export function monitorPressure(windowMs: number = LIMITS.admissionWindowMs): Pressure {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let windowStart = performance.now();
  const sample = () => {
    const { heapUsed, rss } = process.memoryUsage();
    const now = performance.now();
    const delayMs = windowDelayMs(histogram, now - windowStart) - RESOLUTION_MS;
    histogram.reset();
    windowStart = now;
    return { eventLoopDelayMs: Math.max(0, delayMs), heapUsedBytes: heapUsed, rssBytes: rss };
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
 * The later of the window's 90th percentile and its mean gap between the monitor's ticks, in ms.
 * The percentile alone reads a held loop as calm: a loop held in turns longer than half the window
 * ticks once a window or not at all, and the histogram drops the first tick after a reset (it has
 * no previous tick to measure from), so it has no sample and reads 0. The mean gap (the window's
 * length over its ticks) then says it: about 600 ms for turns of 600 ms. On a loop that ticks the
 * two agree within a few ms, and one long pause among many ticks stays a small mean.
 */
function windowDelayMs(histogram: IntervalHistogram, elapsedMs: number): number {
  const percentileMs = histogram.count ? histogram.percentile(90) / 1e6 : 0;
  const meanGapMs = elapsedMs / (histogram.count + 1);
  return Math.max(percentileMs, meanGapMs);
}
