import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AGENT_SERVICE_DEFAULTS } from '../../src/service-defaults';
import { holdPort, type HeldPort } from '../support/hold-port';

const ROOT = path.join(__dirname, '..', '..');

// The agent's own metrics port, held as a running `npm start` would hold it: these start-ups must
// not need it (metrics are off, as in every test that does not set a free port for them).
let metricsPort: HeldPort;
beforeAll(async () => void (metricsPort = await holdPort(AGENT_SERVICE_DEFAULTS.prometheusPort)));
afterAll(() => metricsPort.release());

/**
 * Starts the built agent service as `npm start` does (without metrics), with `env`, and returns how
 * it ended.
 */
function startAgent(env: Record<string, string>): {
  status: number | null;
  stderr: string;
  stdout: string;
} {
  const result = spawnSync(
    process.execPath,
    ['--require', path.join(ROOT, 'dist/tracing/register.js'), path.join(ROOT, 'dist/server.js')],
    {
      env: {
        PATH: process.env.PATH,
        LOG_LEVEL: 'silent',
        PORT: '0',
        HOST: '127.0.0.1',
        OTEL_METRICS_EXPORTER: 'none',
        ...env,
      },
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe('a bad variable at start-up', () => {
  it.each([
    ['PORT=abc', { PORT: 'abc' }, 'PORT: must be a whole number from 0 to 65535'],
    [
      'PORT=abc with OTEL_SDK_DISABLED=true',
      { PORT: 'abc', OTEL_SDK_DISABLED: 'true' },
      'PORT: must be a whole number from 0 to 65535',
    ],
    [
      'a bad tracing variable, read by the preload',
      { OTEL_TRACES_SAMPLER: 'sometimes' },
      'OTEL_TRACES_SAMPLER',
    ],
    [
      'a bad tracing variable with OTEL_SDK_DISABLED=true',
      { TRACE_CONTEXT_TRUST: 'everyone', OTEL_SDK_DISABLED: 'true' },
      'TRACE_CONTEXT_TRUST: must be one of all, internal',
    ],
    ['an SDK it does not know', { GEMINI_SDK: 'vertex' }, 'GEMINI_SDK: must be one of'],
    [
      'a batch span processor setting that is not a whole number',
      { OTEL_BSP_SCHEDULE_DELAY: '50ms' },
      'OTEL_BSP_SCHEDULE_DELAY: must be a whole number from 1 to',
    ],
  ])('ends start-up with exit code 1 and one line naming it: %s', (_case, env, expected) => {
    const { status, stderr, stdout } = startAgent(env);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^failed to start: Invalid configuration: /);
    expect(lines[0]).toContain(expected);
  });
});

describe('a bad OTEL_CONFIG_FILE at start-up', () => {
  let folder: string;
  beforeAll(() => void (folder = mkdtempSync(path.join(tmpdir(), 'bad-otel-config-'))));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  // Valid for the format's own parser, which reads what it can of broken YAML: here one processor
  // and no sampler, a silent start without the file's 10%.
  const BROKEN_YAML = `file_format: "1.1"
tracer_provider:
  sampler:
    parent_based:
      root:
        trace_id_ratio_based:
          ratio: 0.1
  processors: [ {simple: {exporter: {console: }}
`;
  const UNSUPPORTED = `file_format: "1.1"
tracer_provider:
  sampler:
    jaeger_remote/development:
      endpoint: http://localhost:14250
      initial_sampler:
        always_on:
  processors:
    - simple:
        exporter:
          console:
`;

  it.each([
    [
      'YAML that does not parse',
      BROKEN_YAML,
      {},
      'is not valid YAML: Flow map in block collection',
    ],
    [
      'a component the service does not apply',
      UNSUPPORTED,
      {},
      '/tracer_provider/sampler/jaeger_remote/development: not supported by this service',
    ],
    [
      'the same with OTEL_SDK_DISABLED=true',
      UNSUPPORTED,
      { OTEL_SDK_DISABLED: 'true' },
      '/tracer_provider/sampler/jaeger_remote/development: not supported by this service',
    ],
  ])(
    'ends start-up with exit code 1 and one line naming the file: %s',
    (_case, yaml, env, expected) => {
      const file = path.join(folder, `${_case.replaceAll(' ', '-')}.yaml`);
      writeFileSync(file, yaml);
      const { status, stderr, stdout } = startAgent({ OTEL_CONFIG_FILE: file, ...env });
      expect(status).toBe(1);
      expect(stdout).toBe('');
      expect(
        stderr.startsWith(`failed to start: Invalid configuration: OTEL_CONFIG_FILE ${file}: `),
      ).toBe(true);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toContain(expected);
    },
  );
});
