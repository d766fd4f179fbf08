import request from 'supertest';
import { spawnService, stopAllServices } from '../support/spawn-service';

/**
 * What `npm start` prints: the tree printer (no OTLP endpoint) and the request log share stdout.
 * Outside production the trees must stay readable; production logs every request as JSON.
 */
const EXECUTE = '/api/v1/agent/execute';

afterAll(stopAllServices);

/** The request log lines (pino-http's, the ones with `responseTime`) of one trace. */
const requestLogLines = (output: string, traceId: string) =>
  output
    .split('\n')
    .filter((line) => line.includes('"responseTime"') && line.includes(traceId))
    .map((line) => JSON.parse(line) as { level: number; res: { statusCode: number } });

describe('npm start in development', () => {
  it('prints the trace trees with no JSON request line at info for a successful request, and still logs a failed one', async () => {
    const service = await spawnService({ env: { NODE_ENV: 'development' } });
    const succeeded = await request(service.url)
      .post(EXECUTE)
      .send({ task: 'Calculate 17 * 23' })
      .expect(200);
    const failed = await request(service.url)
      .post(EXECUTE)
      .set('content-type', 'application/json')
      .send('{"task":')
      .expect(400);
    await service.stop();
    const output = service.output();

    expect(output).toContain(`Trace ${succeeded.body.trace_id}`);
    expect(output).toMatch(/^└─ agent\.task +\d+\.\d ms$/m);
    expect(requestLogLines(output, succeeded.body.trace_id)).toEqual([]);
    expect(requestLogLines(output, failed.headers['x-trace-id']!)).toEqual([
      expect.objectContaining({ level: 30, res: expect.objectContaining({ statusCode: 400 }) }),
    ]);
  });

  it('logs successful requests again at LOG_LEVEL=debug', async () => {
    const service = await spawnService({ env: { NODE_ENV: 'development', LOG_LEVEL: 'debug' } });
    const response = await request(service.url)
      .post(EXECUTE)
      .send({ task: 'Calculate 2 + 2' })
      .expect(200);
    await service.stop();
    expect(requestLogLines(service.output(), response.body.trace_id)).toEqual([
      expect.objectContaining({ level: 20, res: expect.objectContaining({ statusCode: 200 }) }),
    ]);
  });
});

describe('in production', () => {
  it('logs every request as one JSON line at info, as before', async () => {
    // Every trace sampled, so that each request log line carries its trace id.
    const service = await spawnService({
      env: { NODE_ENV: 'production', OTEL_TRACES_SAMPLER: 'always_on' },
    });
    const responses = [];
    for (const task of ['Calculate 1 + 1', 'Calculate 2 + 2'])
      responses.push(await request(service.url).post(EXECUTE).send({ task }).expect(200));
    await service.stop();
    for (const response of responses)
      expect(requestLogLines(service.output(), response.body.trace_id)).toEqual([
        expect.objectContaining({ level: 30, res: expect.objectContaining({ statusCode: 200 }) }),
      ]);
  });
});
