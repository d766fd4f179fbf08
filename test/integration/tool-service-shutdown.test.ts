import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { McpCallError, McpClient } from '../../src/agent/mcp/mcp-client';
import { AgentTracer } from '../../src/tracing/agent-tracer';
import { openRawConnection } from '../support/raw-http';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';
import { until } from '../support/until';

/**
 * SIGTERM on the tool service while the agent's MCP client calls it: the calls it has finish, the
 * calls made once it stopped listening fail as tool errors that say the service could not be
 * reached, and no call is cut by a reset that would leave its client unable to know whether it ran.
 */

const CONVERT = { value: 100, from_unit: 'km', to_unit: 'mi' };
const MODEL_TURN_MS = 20;
const CALL_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'convert_units', arguments: CONVERT },
});

const startToolService = () =>
  spawnService({
    entry: 'dist/toolservice/server.js',
    register: 'dist/toolservice/register.js',
    env: { OTEL_TRACES_EXPORTER: 'none' },
  });
const connectClient = async (service: SpawnedService) => {
  const client = new McpClient({
    url: `${service.url}/mcp`,
    tracer: new AgentTracer(),
    timeoutMs: 5_000,
  });
  await client.connect();
  return client;
};
afterAll(() => stopAllServices());

const exitCodeOf = (service: SpawnedService) =>
  service.child.exitCode !== null
    ? Promise.resolve(service.child.exitCode)
    : new Promise<number | null>((resolve) => service.child.once('exit', resolve));

/**
 * A `tools/call` the service has started (it answered `100 Continue` to its headers) and that
 * waits for its body.
 */
async function startCallInFlight(url: string) {
  const connection = await openRawConnection(url);
  connection.socket.write(
    [
      'POST /mcp HTTP/1.1',
      'Host: localhost',
      'Content-Type: application/json',
      'Accept: application/json, text/event-stream',
      `Content-Length: ${Buffer.byteLength(CALL_BODY)}`,
      'Expect: 100-continue',
      '',
      '',
    ].join('\r\n'),
  );
  await until(() => connection.text.includes('100 Continue'), 'the service to start the call');
  return {
    async finish() {
      connection.socket.write(CALL_BODY);
      await until(() => connection.closed, 'the service to close the connection');
      const answer = connection.text.slice(connection.text.indexOf('HTTP/1.1 200'));
      return { answer, body: answer.slice(answer.indexOf('\r\n\r\n') + 4) };
    },
  };
}

/** Counts the HTTP requests undici creates for `origin`, as the agent's MCP client sends them. */
function countRequestsTo(origin: string) {
  let count = 0;
  const onCreate = (message: unknown) => {
    if ((message as { request: { origin: string } }).request.origin === origin) count += 1;
  };
  subscribe('undici:request:create', onCreate);
  return {
    get count() {
      return count;
    },
    stop: () => unsubscribe('undici:request:create', onCreate),
  };
}

describe('SIGTERM on the tool service', () => {
  it('finishes the calls in flight, answered with Connection: close, and fails later calls as tool errors (refused, sent twice)', async () => {
    const tools = await startToolService();
    const client = await connectClient(tools);
    try {
      // Keep-alive connections in the client's pool, and one of ours that shows when the service
      // closes its idle connections.
      await Promise.all(Array.from({ length: 6 }, () => client.callTool('convert_units', CONVERT)));
      const idle = await openRawConnection(tools.url);
      idle.socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
      await until(() => idle.text.includes('"ok"'), 'the answer on our idle connection');
      const inFlight = await Promise.all([1, 2, 3].map(() => startCallInFlight(tools.url)));

      tools.child.kill('SIGTERM');
      await until(() => tools.output().includes('Shutting down'), 'the shutdown to start');
      await until(() => idle.closed, 'the service to close its idle connections');
      // The client's idle connections were closed with ours: it has read that too.
      for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));

      const requests = countRequestsTo(new URL(tools.url).origin);
      const later = await Promise.all(
        Array.from({ length: 6 }, () =>
          client.callTool('convert_units', CONVERT).then(
            () => 'answered',
            (error: unknown) => error,
          ),
        ),
      );
      requests.stop();
      for (const failure of later) {
        expect(failure).toBeInstanceOf(McpCallError);
        expect(failure).toMatchObject({
          errorType: 'mcp_unreachable',
          message: expect.stringMatching(/could not be reached \(ECONNREFUSED\)/),
        });
      }
      // A refused request provably never reached the service: each was sent once more.
      expect(requests.count).toBe(12);

      for (const { answer, body } of await Promise.all(inFlight.map((call) => call.finish()))) {
        expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
        expect(answer).toMatch(/\r\nConnection: close\r\n/i);
        expect(JSON.parse(body)).toMatchObject({
          result: { structuredContent: { result: 62.1371192237 } },
        });
      }
      expect(await exitCodeOf(tools)).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('cuts no call with a reset while six callers keep calling through the shutdown', async () => {
    const tools = await startToolService();
    const client = await connectClient(tools);
    let stopped = false;
    let answered = 0;
    const failures: string[] = [];
    // As an agent calls: a tool call, then the model's turn (here 20 ms) before the next.
    const caller = async () => {
      while (!stopped) {
        await client.callTool('convert_units', CONVERT).then(
          () => (answered += 1),
          (error: unknown) => failures.push((error as Error).message),
        );
        await new Promise((resolve) => setTimeout(resolve, MODEL_TURN_MS));
      }
    };
    const callers = Array.from({ length: 6 }, caller);
    try {
      await until(() => answered >= 30, 'calls to flow');
      tools.child.kill('SIGTERM');
      expect(await exitCodeOf(tools)).toBe(0);
    } finally {
      stopped = true;
      await Promise.all(callers);
      await client.close();
    }
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.filter((message) => !message.includes('(ECONNREFUSED)'))).toEqual([]);
  });
});
