import request from 'supertest';
import { spawnService as spawnProcess } from '../../dev/process/spawn-service';
import { spawnService, stopAllServices } from '../support/spawn-service';
import { until } from '../support/until';

/**
 * What `npm start` prints: the tree printer (no OTLP endpoint) and the request log share stdout.
 * In development (NODE_ENV unset) a person reads it: each trace's tree, then one short line for its
 * request; the probes' and MCP handshake's traces are left out, and the run's trees are counted at
 * the end. Production logs every request as a JSON line.
 */
const EXECUTE = '/api/v1/agent/execute';
const DEVELOPMENT = { NODE_ENV: 'development' };

afterAll(stopAllServices);

/** The JSON request log lines (pino-http's, the ones with `responseTime`) of one trace. */
const requestLogLines = (output: string, traceId: string) =>
  output
    .split('\n')
    .filter((line) => line.includes('"responseTime"') && line.includes(traceId))
    .map((line) => JSON.parse(line) as { level: number; res: { statusCode: number } });

describe('npm start in development', () => {
  it("prints each trace's tree, then one short line for its request, failed or not", async () => {
    const service = await spawnService({ env: DEVELOPMENT });
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
    const traceId: string = succeeded.body.trace_id;

    expect(output).not.toContain('"msg"');
    expect(output).toMatch(/^\d\d:\d\d:\d\d INFO {2}agent-service listening url=http:\S+ /m);
    const tree = output.indexOf(`Trace ${traceId}\n`);
    const line = output.search(
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d INFO  POST ${EXECUTE} 200 \\d+ ms trace_id=${traceId}$`,
        'm',
      ),
    );
    expect(tree).toBeGreaterThanOrEqual(0);
    expect(line).toBeGreaterThan(tree);
    expect(output).toMatch(/^└─ agent\.task +\d+\.\d ms$/m);
    expect(output).toMatch(
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d INFO  POST ${EXECUTE} 400 \\d+ ms trace_id=${failed.headers['x-trace-id']}`,
        'm',
      ),
    );
  });

  it('counts the trees it printed when it stops', async () => {
    const service = await spawnService({ env: DEVELOPMENT });
    for (const task of ['Calculate 1 + 1', 'Calculate 2 + 2'])
      await request(service.url).post(EXECUTE).send({ task }).expect(200);
    await service.stop();
    expect(service.output()).toMatch(/^2 trace trees printed$/m);
  });

  it("leaves the MCP handshake's traces out of the tool service's trees, and says so", async () => {
    // Spawned without the OpenAPI fetch of test/support/spawn-service.ts: only the handshake.
    const tools = await spawnProcess({
      entry: 'dist/toolservice/server.js',
      register: 'dist/toolservice/register.js',
      env: DEVELOPMENT,
    });
    const agent = await spawnService({ env: { MCP_SERVER_URL: `${tools.url}/mcp` } });
    await until(() => agent.output().includes('MCP server connected'), 'the MCP tools', 15_000);
    await agent.stop();
    await tools.stop();
    const output = tools.output();

    expect(output).toMatch(/^\d\d:\d\d:\d\d INFO {2}GET \/mcp 405 \d+ ms/m);
    expect(output).not.toContain('Trace ');
    expect(output).toMatch(
      /^0 trace trees printed \(\d+ hidden: probes and the MCP handshake; LOG_LEVEL=debug prints them\)$/m,
    );
  });

  it('prints the handshake trees too at LOG_LEVEL=debug', async () => {
    // Spawned without the OpenAPI fetch of test/support/spawn-service.ts: only the handshake.
    const tools = await spawnProcess({
      entry: 'dist/toolservice/server.js',
      register: 'dist/toolservice/register.js',
      env: { ...DEVELOPMENT, LOG_LEVEL: 'debug' },
    });
    await request(tools.url).get('/mcp').expect(405);
    await tools.stop();
    expect(tools.output()).toMatch(/^Trace [0-9a-f]{32}\nGET \/mcp +\d+\.\d ms$/m);
    expect(tools.output()).toMatch(/^1 trace tree printed$/m);
  });

  it("draws the link to an untrusted caller's context under the server span", async () => {
    const service = await spawnService({
      env: { ...DEVELOPMENT, TRACE_CONTEXT_TRUST: 'internal' },
    });
    const response = await request(service.url)
      .post(EXECUTE)
      .set('traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')
      .send({ task: 'Calculate 2 + 2' })
      .expect(200);
    await service.stop();
    expect(response.body.trace_id).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(service.output()).toMatch(
      new RegExp(
        `^Trace ${response.body.trace_id}\nPOST ${EXECUTE} +\\d+\\.\\d ms\n` +
          '│    ↪ link to trace 4bf92f3577b34da6a3ce929d0e0e4736, span 00f067aa0ba902b7\n└─ agent\\.task',
        'm',
      ),
    );
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
