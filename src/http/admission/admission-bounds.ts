import { LIMITS } from '../../limits';

/** How much memory this process may use: what its bounds are derived from. */
export interface MemoryLimits {
  /** V8's heap limit (`v8.getHeapStatistics().heap_size_limit`). */
  heapLimitBytes: number;
  /** The container's memory limit (cgroup), else the machine's memory. */
  memoryLimitBytes: number;
}

/** Past any of these, a run is refused. */
export interface AdmissionBounds {
  maxEventLoopDelayMs: number;
  maxHeapUsedBytes: number;
  maxRssBytes: number;
  maxRunsInFlight: number;
  maxRunsPerCaller: number;
}

/**
 * The bounds of a process with these limits. The cap on runs in flight is what a share of its
 * memory holds at the measured memory per run (`LIMITS.admissionBytesPerRun`), unless
 * `maxRunsInFlight` (`MAX_CONCURRENT_RUNS`) sets it; one caller may hold a share of it, at least
 * one run.
 */
export function admissionBounds(
  { heapLimitBytes, memoryLimitBytes }: MemoryLimits,
  maxRunsInFlight?: number,
): AdmissionBounds {
  const runMemory = Math.min(heapLimitBytes, memoryLimitBytes) * LIMITS.admissionRunMemoryShare;
  const cap = maxRunsInFlight ?? Math.max(1, Math.floor(runMemory / LIMITS.admissionBytesPerRun));
  return {
    maxEventLoopDelayMs: LIMITS.admissionMaxEventLoopDelayMs,
    maxHeapUsedBytes: heapLimitBytes * LIMITS.admissionMaxHeapShare,
    maxRssBytes: memoryLimitBytes * LIMITS.admissionMaxRssShare,
    maxRunsInFlight: cap,
    maxRunsPerCaller: Math.max(1, Math.floor(cap * LIMITS.admissionCallerShare)),
  };
}
