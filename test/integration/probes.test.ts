import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGeminiEmulator, type GeminiEmulator } from '../../src/emulator/emulator-server';
import request from '../support/contract-request';
import { startHeldRelay, type HeldRelay } from '../support/held-relay';
import {
  freePort,
  spawnService,
  stopAllServices,
  type SpawnedService,
} from '../support/spawn-service';
import { until } from '../support/until';

/**
 * `/livez` and `/readyz` on real processes: the agent with an MCP tool service slow to answer at
 * start, a sub-agent that comes and goes, and dependencies whose URLs carry passwords.
 */

const EXECUTE = '/api/v1/agent/execute';
const TASK = JSON.stringify({ task: 'Calculate 2 + 2' });

interface Probe {
  status: number;
  body: {
    status?: string;
    error?: { code: string };
    checks?: { name: string; status: string; reason?: string }[];
  };
  text: string;
}

/** A probe's answer, checked against the service's own OpenAPI document as it is read. */
async function probe(service: SpawnedService, path: '/livez' | '/readyz'): Promise<Probe> {
  const response = await request(service.url).get(path);
  return { status: response.status, body: response.body as Probe['body'], text: response.text };
}

const failing = ({ body }: Probe) =>
  Object.fromEntries(
    (body.checks ?? [])
      .filter((check) => check.status === 'fail')
      .map((check) => [check.name, check.reason]),
  );

/** A sub-agent stand-in whose `/livez` answers `status`. */
async function startSubAgentStandIn() {
  let status = 200;
  const server = http.createServer((request, response) => {
    response.statusCode = request.url === '/livez' ? status : 404;
    response.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answer: (next: number) => void (status = next),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

afterAll(() => stopAllServices());

describe('an agent whose MCP tool service is slow to answer at its start', () => {
  let tools: SpawnedService;
  let relay: HeldRelay;
  let model: GeminiEmulator;
  let subAgent: Awaited<ReturnType<typeof startSubAgentStandIn>>;
  let agent: SpawnedService;
  beforeAll(async () => {
    [tools, model, subAgent] = await Promise.all([
      spawnService({
        entry: 'dist/toolservice/server.js',
        register: 'dist/toolservice/register.js',
        env: { OTEL_TRACES_EXPORTER: 'none' },
      }),
      startGeminiEmulator(),
      startSubAgentStandIn(),
    ]);
    // The agent's first attempt to list the tools waits here until released (up to its 10 s
    // timeout): the window in which a run would have started without them.
    relay = await startHeldRelay(tools.url);
    agent = await spawnService({
      env: {
        MCP_SERVER_URL: `${relay.url}/mcp`,
        GEMINI_BASE_URL: model.url,
        SUB_AGENT_URL: subAgent.url,
        OTEL_TRACES_EXPORTER: 'none',
      },
    });
  }, 30_000);
  afterAll(async () => {
    await relay.close();
    await Promise.all([model.close(), subAgent.close()]);
  });

  const execute = () =>
    fetch(`${agent.url}${EXECUTE}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: TASK,
    });

  it('answers /livez 200 and /readyz 503 naming the tools while their list is not loaded', async () => {
    expect(await probe(agent, '/livez')).toMatchObject({
      status: 200,
      body: { status: 'ok' },
    });
    const readiness = await probe(agent, '/readyz');
    expect(readiness.status).toBe(503);
    expect(readiness.body.error).toMatchObject({ code: 'not_ready' });
    // Before: /healthz said 200 here, and a run started now ran without the MCP tools.
    expect(failing(readiness)).toEqual({
      tools: "The MCP tool service's tools are being loaded.",
    });
  });

  it('answers a run that waited 3 s for the tools 503 not_ready with Retry-After', async () => {
    const callsBefore = model.requests.length;
    const response = await execute();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toEqual({
      error: { code: 'not_ready', message: expect.stringContaining('still starting') },
    });
    expect(model.requests.length).toBe(callsBefore);
  });

  it('holds a run that arrives before the tools are loaded, and runs it with them', async () => {
    const callsBefore = model.requests.length;
    const running = execute();
    relay.release();
    expect((await running).status).toBe(200);
    const declared = JSON.stringify(model.requests[callsBefore]!.body.tools);
    expect(declared).toContain('convert_units');
    expect(declared).toContain('calculator');
    await until(async () => (await probe(agent, '/readyz')).status === 200, 'readiness');
  });

  it('fails sub_agent on /readyz, saying how, while the sub-agent does not answer well', async () => {
    subAgent.answer(503);
    await until(
      async () => failing(await probe(agent, '/readyz')).sub_agent !== undefined,
      'the sub-agent check to fail',
    );
    expect(failing(await probe(agent, '/readyz'))).toEqual({
      sub_agent: 'The sub-agent answered 503.',
    });
    subAgent.answer(200);
    await until(async () => (await probe(agent, '/readyz')).status === 200, 'readiness');
    // Told once each way, in the log.
    expect(agent.output()).toMatch(/"msg":"Not ready: sub_agent"/);
    expect(agent.output()).toMatch(/"msg":"Ready"/);
  });
});

describe('dependencies whose URLs carry a password', () => {
  it('names the failing checks on /readyz with the error code only: no URL, no password, in the body or the log', async () => {
    const [databasePort, subAgentPort] = await Promise.all([freePort(), freePort()]);
    const agent = await spawnService({
      env: {
        DATABASE_URL: `postgres://agent:db-password-123@127.0.0.1:${databasePort}/memory`,
        SUB_AGENT_URL: `http://127.0.0.1:${subAgentPort}`,
        SUB_AGENT_API_KEY: 'sub-agent-key-456',
        OTEL_TRACES_EXPORTER: 'none',
      },
    });
    const readiness = await probe(agent, '/readyz');
    expect(readiness.status).toBe(503);
    expect(failing(readiness)).toEqual({
      memory: 'The memory database could not be reached (ECONNREFUSED).',
      sub_agent: 'The sub-agent could not be reached (ECONNREFUSED).',
    });
    for (const secret of ['db-password-123', 'sub-agent-key-456']) {
      expect(readiness.text).not.toContain(secret);
      expect(agent.output()).not.toContain(secret);
    }
    expect(readiness.text).not.toContain(String(databasePort));
    await agent.stop();
  });
});
