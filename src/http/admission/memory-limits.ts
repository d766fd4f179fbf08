import os from 'node:os';
import v8 from 'node:v8';
import type { MemoryLimits } from './admission-bounds';

/**
 * This process's memory limits. The container's comes from `process.constrainedMemory()`, which
 * reads the cgroup's limit (v2 `memory.max`, or v1); without one it is 0, or a huge number where
 * a cgroup says "unlimited", so the machine's memory bounds it.
 */
export function processMemoryLimits(): MemoryLimits {
  const constrained = process.constrainedMemory();
  const machine = os.totalmem();
  return {
    heapLimitBytes: v8.getHeapStatistics().heap_size_limit,
    memoryLimitBytes: constrained > 0 ? Math.min(constrained, machine) : machine,
  };
}
