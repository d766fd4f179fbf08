import { readFileSync, readlinkSync } from 'node:fs';

/** Linux only: what /proc says of a process. */

/** Resident set size, in MiB. */
export function rssMiB(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) / 1024 : 0;
}

/** The binary the process runs, and the arguments it was started with (the binary's name first). */
export function commandOf(pid: number): { executable: string; argv: string[] } {
  return {
    executable: readlinkSync(`/proc/${pid}/exe`),
    argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1),
  };
}

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time the process has used, in milliseconds. */
export function cpuTimeMs(pid: number): number {
  return cpuTimeOfStat(`/proc/${pid}/stat`);
}

/**
 * The same for the process's main thread alone (the JavaScript thread; the others are V8's and
 * libuv's workers).
 */
export function mainThreadCpuTimeMs(pid: number): number {
  return cpuTimeOfStat(`/proc/${pid}/task/${pid}/stat`);
}

function cpuTimeOfStat(file: string): number {
  const stat = readFileSync(file, 'utf8');
  // The command name may contain spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return ((userTicks + systemTicks) * 1000) / CLOCK_TICKS_PER_SECOND;
}

export interface RssSampler {
  readonly peak: number;
  readonly samples: readonly { atMs: number; rssMiB: number }[];
  stop(): void;
}

/** Samples a process's RSS until stopped. */
export function sampleRss(pid: number, everyMs = 100): RssSampler {
  const started = performance.now();
  let peak = 0;
  const samples: { atMs: number; rssMiB: number }[] = [];
  const timer = setInterval(() => {
    try {
      const value = rssMiB(pid);
      samples.push({ atMs: performance.now() - started, rssMiB: value });
      peak = Math.max(peak, value);
    } catch {
      // The process has ended.
    }
  }, everyMs);
  timer.unref();
  return {
    get peak() {
      return peak;
    },
    samples,
    stop: () => clearInterval(timer),
  };
}
