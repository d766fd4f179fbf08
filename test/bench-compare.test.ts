import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { tableAfter } from './support/markdown-table';

/**
 * `npm run bench:compare -- --quick` keeps working: variants of the service given by a variable or
 * a Node option, each paired with the first. Speed is never asserted here.
 */
const ROOT = path.join(__dirname, '..');
const COMPARE = path.join(ROOT, 'dist-dev/dev/bench/run-compare.js');

const runCompare = async (...args: string[]) =>
  promisify(execFile)(process.execPath, [COMPARE, '--quick', ...args], {
    cwd: ROOT,
    timeout: 100_000,
  });

describe('bench:compare', () => {
  it('prints each variant paired with the first, given by a variable or a Node option', async () => {
    const { stdout } = await runCompare(
      'disabled',
      'unsampled+OTEL_NODE_DISABLED_INSTRUMENTATIONS=express,LOG_LEVEL=error',
      'disabled@--max-semi-space-size=16',
    );

    const rows = tableAfter(stdout, '### CPU per answered request');
    expect(rows.map(([name]) => name)).toEqual([
      '`disabled`',
      '`unsampled+OTEL_NODE_DISABLED_INSTRUMENTATIONS=express,LOG_LEVEL=error`',
      '`disabled@--max-semi-space-size=16`',
    ]);
    expect(rows[0]?.slice(2, 5)).toEqual(['+0 µs', '1.000', '+0 µs']);
    for (const [, cpu, added, capacity, mainThread, rate] of rows) {
      expect(cpu).toMatch(/^\d+ µs$/);
      expect(added).toMatch(/^[+-]\d+ µs$/);
      expect(Number(capacity)).toBeGreaterThan(0);
      expect(mainThread).toMatch(/^[+-]\d+ µs$/);
      expect(Number(rate)).toBeGreaterThan(0);
    }
  }, 120_000);

  it('refuses a variant it does not know, naming those it does', async () => {
    await expect(runCompare('disabled', 'fastest')).rejects.toMatchObject({
      stderr: expect.stringContaining('unknown variant fastest: ceiling, disabled'),
    });
  }, 60_000);

  it('refuses a number of rounds that is not a whole number of at least one', async () => {
    await expect(runCompare('--rounds', 'many', 'disabled', 'unsampled')).rejects.toMatchObject({
      stderr: expect.stringContaining('--rounds takes a whole number ≥ 1'),
    });
  }, 60_000);
});
