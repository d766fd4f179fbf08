import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AGENT_SERVICE_DEFAULTS } from '../../../service-defaults';
import { RateLimitedLog } from '../exporter-log';
import { loadTracingConfig } from '../tracing-config';
import { pipelineFromFile } from './file-pipeline';

const ROOT = path.join(__dirname, '..', '..', '..', '..');

/** The warnings written while the pipeline of `file` is built. */
async function warningsOf(file: string): Promise<string[]> {
  const config = loadTracingConfig({ OTEL_CONFIG_FILE: file }, AGENT_SERVICE_DEFAULTS);
  const warnings: string[] = [];
  const log = new RateLimitedLog(30_000, (level, message) => {
    if (level === 'warn') warnings.push(message);
  });
  const pipeline = pipelineFromFile(config.configFile!.model, config, {
    log,
    serviceVersion: '0.1.0',
  });
  // The tree printer says how many trees it printed as it shuts down.
  const quiet = jest.spyOn(process.stdout, 'write').mockReturnValue(true);
  try {
    await Promise.all(pipeline.exportingProcessors.map((processor) => processor.shutdown()));
    await Promise.all(pipeline.metricReaders.map((reader) => reader.shutdown()));
  } finally {
    quiet.mockRestore();
  }
  return warnings;
}

describe('the pipeline of a configuration file', () => {
  let folder: string;
  beforeAll(() => void (folder = mkdtempSync(path.join(tmpdir(), 'otel-pipeline-'))));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it.each([
    ['with an endpoint', 'otlp_http:\n            endpoint: http://127.0.0.1:1/v1/traces'],
    ['bare, its defaults', 'otlp_grpc:'],
  ])(
    'warns that a simple processor with an OTLP exporter (%s) drops spans, and says to batch',
    async (_how, exporter) => {
      const file = path.join(folder, `simple-otlp-${exporter.length}.yaml`);
      writeFileSync(
        file,
        `file_format: "1.1"\ntracer_provider:\n  processors:\n    - simple:\n        exporter:\n          ${exporter}\n`,
      );
      expect(await warningsOf(file)).toEqual([expect.stringMatching(/dropped: use `batch`/)]);
    },
  );

  it.each(['otel-development.yaml', 'otel-production.yaml'])(
    'builds the shipped config/%s without a warning',
    async (name) => {
      expect(await warningsOf(path.join(ROOT, 'config', name))).toEqual([]);
    },
  );
});
