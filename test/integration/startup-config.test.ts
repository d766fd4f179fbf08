import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startOtlpReceiver, type OtlpReceiver } from '../../dev/otlp/receiver';
import request from '../support/contract-request';
import { spawnService, stopAllServices } from '../support/spawn-service';

const ROOT = path.join(__dirname, '..', '..');

/** Starts the built agent service as `npm start` does, with `env`, and returns how it ended. */
function startAgent(env: Record<string, string>): {
  status: number | null;
  stderr: string;
  stdout: string;
} {
  const result = spawnSync(
    process.execPath,
    ['--require', path.join(ROOT, 'dist/tracing/register.js'), path.join(ROOT, 'dist/server.js')],
    {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', ...env },
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

describe('OTEL_NODE_ENABLED_INSTRUMENTATIONS', () => {
  const INSTRUMENTATION = '@opentelemetry/instrumentation-';
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await stopAllServices();
    await receiver.stop();
  });

  it('loads only the instrumentations it names, and ignores with a warning one the service does not ship', async () => {
    const service = await spawnService({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '50',
        OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,router',
      },
    });
    const response = await request(service.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'Calculate 17 * 23', user_id: 'ana' })
      .expect(200);
    const traceId: string = response.body.trace_id;
    await receiver.waitFor((spans) =>
      spans.some((span) => span.traceId === traceId && span.kind === 'SERVER'),
    );
    const spans = receiver.spansOfTrace(traceId);

    const server = spans.find((span) => span.kind === 'SERVER')!;
    // http is on; express (the route) and undici (the model call's HTTP span) are off.
    expect(server.attributes['http.route']).toBeUndefined();
    const instrumented = spans.filter((span) => span.scopeName.startsWith(INSTRUMENTATION));
    expect(instrumented.map((span) => span.scopeName)).toEqual([`${INSTRUMENTATION}http`]);
    expect(spans.map((span) => span.name)).toContain('llm.generate');
    const warning = service
      .output()
      .split('\n')
      .find((line) => line.includes('Unknown instrumentation'));
    expect(JSON.parse(warning!)).toMatchObject({
      unknown: ['router'],
      supported: ['http', 'express', 'undici', 'pino', 'pg'],
    });
  });
});
