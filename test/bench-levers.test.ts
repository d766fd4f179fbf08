import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { tableAfter } from './support/markdown-table';

/**
 * `npm run bench:levers -- --quick` keeps working: it measures every contender of the table of
 * levers for a moment and prints both tables as markdown. Speed is never asserted here;
 * BENCHMARKS.md has the real figures.
 */
const ROOT = path.join(__dirname, '..');
const LEVERS = path.join(ROOT, 'dist-dev/dev/bench/run-levers.js');

const runLevers = async (...options: string[]) =>
  (
    await promisify(execFile)(process.execPath, [LEVERS, '--quick', ...options], {
      cwd: ROOT,
      timeout: 100_000,
    })
  ).stdout;

const MICROSECONDS = /^[+-]?\d+\.\d\d µs$/;

describe('the table of levers (bench:levers)', () => {
  it('prints the span pipeline part by part, each against the whole current pipeline', async () => {
    const report = await runLevers();

    const rows = tableAfter(report, '### Span pipeline');
    expect(rows.map(([name]) => name)).toEqual([
      'Current pipeline (sanitizer, enriching, redacting)',
      '… without the redacting processor',
      '… without the enriching processor',
      '… without the sanitizer',
      'The SDK alone (none of ours)',
    ]);
    expect(rows[0]?.[2]).toBe('—');
    for (const [name, median, paired] of rows.slice(1)) {
      expect({ name, median, paired }).toEqual({
        name,
        median: expect.stringMatching(MICROSECONDS),
        paired: expect.stringMatching(MICROSECONDS),
      });
    }
  }, 120_000);

  it('prints each export configuration against the service as configured, from the options given', async () => {
    const report = await runLevers('--batch', '1024', '--compression', 'gzip');

    const rows = tableAfter(report, '### Export over OTLP');
    expect(rows.map(([name]) => name)).toEqual([
      'The service as configured (gRPC, batch 512, no compression, metadata on every span)',
      'Batch size 1024',
      'Compression gzip',
      'Host, pid and version on the resource only',
      'Protocol http/protobuf',
      'Protocol http/json',
    ]);
    for (const [name, median] of rows) {
      expect({ name, median }).toEqual({ name, median: expect.stringMatching(MICROSECONDS) });
    }
    // Every span of every round (and of the warm-up round) really reached a receiver, and the
    // HTTP contenders' spans went over HTTP.
    const [, received, made, overHttp] =
      /Spans received: (\d+) of (\d+) \(\d+ over gRPC, (\d+) over HTTP\)\./.exec(report) ?? [];
    expect(Number(made)).toBeGreaterThan(0);
    expect(received).toBe(made);
    expect(Number(overHttp)).toBeGreaterThan(0);
  }, 120_000);

  it('prints what metrics cost one request: its records through the SDK against a no-op meter', async () => {
    const report = await runLevers('--only', 'metrics');

    expect(report).not.toContain('### Span pipeline');
    const rows = tableAfter(report, '### Metrics');
    expect(rows.map(([name]) => name)).toEqual([
      'Metrics off (no-op meter)',
      'Metrics on (SDK, Prometheus reader)',
    ]);
    expect(rows[1]?.[1]).toMatch(MICROSECONDS);
    expect(rows[1]?.[2]).toMatch(MICROSECONDS);
  }, 120_000);

  it('compares with another checkout built in dist/ when given one as the baseline, and measures only what is asked', async () => {
    const report = await runLevers('--baseline', ROOT, '--only', 'pipeline');

    expect(report).not.toContain('### Export over OTLP');
    const rows = tableAfter(report, '### Span pipeline');
    expect(rows.at(-1)?.[0]).toBe(`Baseline pipeline (${ROOT})`);
    expect(rows.at(-1)?.[2]).toMatch(MICROSECONDS);
  }, 120_000);
});
