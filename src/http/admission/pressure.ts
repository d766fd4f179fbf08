import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LIMITS } from '../../limits';

/**
 * What admission reads of the process. Tests give fixed figures; `monitorPressure` gives the
 * process's own.
 */
export interface Pressure {
  /**
   * How late the event loop runs, in ms: the 90th percentile of its delay over the last window, or
   * how long the loop has now been busy, if that is more.
   */
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
 * samples. A window is slow to see a burst, though: thousands of requests that arrive at once are
 * read in one turn of the loop, and each run admitted makes that turn longer. So the loop's current
 * turn counts too: how long since a 10 ms timer last ran. The timers do not keep the process alive.
 */
export function monitorPressure(windowMs: number = LIMITS.admissionWindowMs): Pressure {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  const sample = () => {
    const { heapUsed, rss } = process.memoryUsage();
    const delayMs = histogram.count ? histogram.percentile(90) / 1e6 - RESOLUTION_MS : 0;
    histogram.reset();
    return { eventLoopDelayMs: Math.max(0, delayMs), heapUsedBytes: heapUsed, rssBytes: rss };
  };
  let latest = sample();
  setInterval(() => (latest = sample()), windowMs).unref();
  let tickedAt = performance.now();
  setInterval(() => (tickedAt = performance.now()), RESOLUTION_MS).unref();
  return {
    get eventLoopDelayMs() {
      const busyMs = performance.now() - tickedAt - RESOLUTION_MS;
      return Math.max(latest.eventLoopDelayMs, busyMs);
    },
    get heapUsedBytes() {
      return latest.heapUsedBytes;
    },
    get rssBytes() {
      return latest.rssBytes;
    },
  };
}
