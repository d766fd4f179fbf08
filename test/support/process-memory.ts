import { readFileSync } from 'node:fs';

/** Resident set size of a process, in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) / 1024 : 0;
}

/** Samples a process's RSS until stopped; reports the peak. */
export function sampleRss(pid: number, everyMs = 100) {
  let peak = 0;
  const samples: number[] = [];
  const timer = setInterval(() => {
    try {
      const value = rssMiB(pid);
      samples.push(value);
      peak = Math.max(peak, value);
    } catch {
      // The process ended.
    }
  }, everyMs);
  return {
    get peak() {
      return peak;
    },
    samples,
    stop: () => clearInterval(timer),
  };
}
