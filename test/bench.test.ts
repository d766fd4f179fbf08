import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * `npm run bench -- --quick` keeps working: it runs every measurement for a few seconds and writes
 * a report of the right shape. Speed is never asserted here; BENCHMARKS.md has the real figures.
 */
const ROOT = path.join(__dirname, '..');

describe('the benchmark', () => {
  it('runs in quick mode and writes a report with every section, every variant and every goal', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'BENCHMARKS.md');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, 'dist-dev/dev/bench/run-bench.js'), '--quick', '--out', out],
      {
        cwd: ROOT,
        timeout: 230_000,
      },
    );
    const report = readFileSync(out, 'utf8');

    for (const heading of [
      '### The goals',
      '### Throughput, latency, CPU and memory',
      '### Start-up',
      '### The cost of one span',
      '### Sustained run',
      '### Where the CPU goes',
      '### Memory: in the process or in PostgreSQL (PGlite on a loopback port)',
    ]) {
      expect(report).toContain(heading);
    }
    const rowOf = (label: string) =>
      report.split('\n').find((line) => line.startsWith(`| ${label}`));
    for (const variant of [
      'No OpenTelemetry loaded',
      'OTEL_SDK_DISABLED=true',
      'Full tracing, 100% sampling',
      'Full tracing, 10% sampling',
      'Full tracing at 100% with metrics',
      'Adaptive sampling, 50 traces/s',
    ]) {
      const cells = rowOf(variant)?.split(' | ') ?? [];
      expect({
        variant,
        requestsPerSecond: Number(cells[1]) > 0,
        p50: /\d+ ms/.test(cells[3] ?? ''),
      }).toEqual({
        variant,
        requestsPerSecond: true,
        p50: true,
      });
    }
    expect(rowOf('Full tracing, 100% sampling')).toMatch(/\| \d+ \/ \d+ \|/);
    // The adaptive sampler's traces are counted too: the ones it kept arrive whole.
    expect(rowOf('Adaptive sampling, 50 traces/s')).toMatch(/\| \d+ \/ \d+ \|/);
    for (const goal of [
      'CPU added to a request that is not sampled',
      'CPU per recorded span',
      'Capacity at 10% sampling',
      'Capacity at 100% sampling',
      'Metrics on vs off',
      'Spans lost at 80% of maximum',
      'Ready after process start',
      'RSS over the sustained run',
    ]) {
      expect(rowOf(goal)).toMatch(/\| (yes|\*\*no\*\*) \|$/);
    }
    expect(rowOf('Create, set attributes, end')).toMatch(/\d+(\.\d+)? µs/);
    // Memory in PostgreSQL against the default: throughput, p99, and each memory operation's
    // span, median / p99 (count).
    for (const memory of ['Memory in the process', 'Memory in PostgreSQL (PGlite']) {
      const cells = rowOf(memory)?.split(' | ') ?? [];
      expect({
        memory,
        requestsPerSecond: Number(cells[1]) > 0,
        ratio: /^\d+\.\d%$/.test(cells[2] ?? ''),
        p99: /^\d+ ms$/.test(cells[4] ?? ''),
        operations: cells
          .slice(5, 8)
          .map((cell) => /^\d+(\.\d+)? \/ \d+(\.\d+)? ms \([1-9]\d*\)$/.test(cell)),
      }).toEqual({
        memory,
        requestsPerSecond: true,
        ratio: true,
        p99: true,
        operations: [true, true, true],
      });
    }
    // The console summary puts the ratios first.
    expect(stdout.split('\n')[0]).toMatch(
      /CPU added to a request that is not sampled .*: [+-]\d+ µs/,
    );
    // Each variant paired with OTEL_SDK_DISABLED=true, round by round: CPU added and capacity.
    expect(rowOf('SDK on, nothing sampled (always_off)')).toMatch(/\| [+-]\d+ µs \| \d\.\d\d \|/);
  }, 240_000);
});
