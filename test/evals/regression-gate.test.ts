import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ExperimentReport } from '../../dev/evals/report/experiment-report';
import { waitForMcpTools } from '../../dev/process/spawn-service';
import { startBrokenToolService } from '../fixtures/evals/broken-tool-service';
import { runEval } from '../support/run-eval';
import { freePort, spawnService, stopAllServices } from '../support/spawn-service';

/** The conversions of the dataset: the cases a broken convert_units breaks. */
const CONVERSIONS = ['--filter', 'mcp-convert', '--compare', 'baseline', '--no-judge'];

let out: string;
beforeEach(() => {
  out = mkdtempSync(path.join(tmpdir(), 'evals-gate-'));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));
afterAll(() => stopAllServices());

const reportIn = (directory: string) =>
  JSON.parse(readFileSync(path.join(directory, 'report.json'), 'utf8')) as ExperimentReport;

describe('the regression gate (npm run eval -- --compare baseline)', () => {
  it('passes the conversions with the real tool service', async () => {
    const command = await runEval([...CONVERSIONS, '--out', out]);

    expect({ code: command.code, stderr: command.stderr }).toEqual({ code: 0, stderr: '' });
    expect(command.stdout).toContain('No regression against evals/baseline.json.');
  }, 120_000);

  it('fails, with a table naming the trajectory, when a tool is broken', async () => {
    const broken = await startBrokenToolService();
    try {
      const otlpPort = await freePort();
      const agent = await spawnService({
        env: {
          OTEL_SERVICE_NAME: 'agent-service',
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${otlpPort}`,
          OTEL_BSP_SCHEDULE_DELAY: '50',
          OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
          MCP_SERVER_URL: broken.mcpUrl,
        },
      });
      await waitForMcpTools(agent);

      const command = await runEval([
        ...CONVERSIONS,
        '--target',
        agent.url,
        '--otlp-port',
        String(otlpPort),
        '--out',
        out,
      ]);

      expect(command.code).toBe(1);
      expect(command.stdout).toMatch(
        /^ {2}trajectory +1\.000 +-0\.020 +0\.250 +-0\.750 +REGRESSED$/m,
      );
      expect(command.stdout).toContain('REGRESSION: trajectory');
      const report = reportIn(out);
      expect(report.comparison?.regressed).toBe(true);
      const length = report.cases.find((result) => result.id === 'mcp-convert-length')!;
      expect(length.scores.find((score) => score.name === 'trajectory')).toMatchObject({
        value: 0,
        explanation: expect.stringContaining('convert_units failed'),
      });
      expect(length.scores.find((score) => score.name === 'outcome')).toMatchObject({ value: 1 });
    } finally {
      await broken.stop();
    }
  }, 120_000);
});
