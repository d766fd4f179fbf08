import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { tableAfter } from './support/markdown-table';

/**
 * `npm run bench:latency -- --quick` keeps working: both scenarios, small and fast, and a report of
 * the right shape. Speed is never asserted here; BENCHMARKS.md has the real figures.
 */
const ROOT = path.join(__dirname, '..');

describe('the real-latency and overload benchmark (bench:latency)', () => {
  it('runs both scenarios in quick mode and writes every goal, level and client kind into its section', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-latency-')), 'BENCHMARKS.md');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, 'dist-dev/dev/bench/run-latency.js'), '--quick', '--out', out],
      { cwd: ROOT, timeout: 110_000 },
    );
    const report = readFileSync(out, 'utf8');

    expect(report).toContain('## Real model latency and overload (issue 23)');
    const goals = tableAfter(report, '### The goals');
    expect(goals.map(([name]) => name)).toEqual([
      "Runs answered, 20 clients, against Little's law",
      'Refused, 20 clients (measured window)',
      'p99 of a run, 20 clients',
      'Peak RSS, 20 clients',
      'Spans lost, real latency',
      'p99 of a refusal as 200 flooding clients see it (connection open)',
      'p99 of a refusal in the service (its server span)',
      'Honest client during the flood',
      'Spans lost, flood',
    ]);
    // A goal is unjudged (—) when the quick run gave it nothing to judge, e.g. no refusal.
    for (const [, , , met] of goals) expect(met).toMatch(/^(yes|\*\*no\*\*|—)$/);
    const levels = tableAfter(report, '### Real latency');
    expect(levels.map(([clients, runsPerSecond]) => [clients, Number(runsPerSecond) > 0])).toEqual([
      ['10', true],
      ['20', true],
    ]);
    const clients = tableAfter(report, '### Overload');
    // The quick flood meets a small cap (MAX_CONCURRENT_RUNS=40): its refusals are counted too.
    expect(clients[0]?.[2]).toMatch(/\d+ × 503/);
    expect(clients[2]?.[2]).toBe('all 503');
    expect(clients[3]?.[2]).toMatch(/\d+ × (200|503)/);
    expect(report).toMatch(/Refused by reason: [^.]*\d `caller_runs_in_flight`/);
    expect(stdout.split('\n')[0]).toMatch(/Runs answered, 20 clients, against Little's law: /);
  }, 120_000);
});
