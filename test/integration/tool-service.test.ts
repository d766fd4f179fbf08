import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import request from '../support/contract-request';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../dev/otlp/receiver';
import { isCompleteTrace } from '../../dev/otlp/received-trace';
import { freePort } from '../../dev/process/spawn-service';
import { spanTree } from '../support/span-tree';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';

const AGENT = 'agent-service';
const TOOLS = 'tool-service';
const CONNECTED = 'MCP server connected';
const UNAVAILABLE = 'MCP server unavailable';
const MCP_SPAN = 'tools/call convert_units';
const CONVERT = {
  name: 'convert_units',
  arguments: { value: 100, from_unit: 'km', to_unit: 'mi' },
};

let receiver: OtlpReceiver;

const tracingEnv = (serviceName: string) => ({
  OTEL_SERVICE_NAME: serviceName,
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_BSP_SCHEDULE_DELAY: '50',
});
const startToolService = (port?: number) =>
  spawnService({
    entry: 'dist/toolservice/server.js',
    register: 'dist/toolservice/register.js',
    env: tracingEnv(TOOLS),
    port,
  });
const startAgent = (mcpUrl: string) =>
  spawnService({ env: { ...tracingEnv(AGENT), MCP_SERVER_URL: mcpUrl } });
const count = (text: string, part: string) => text.split(part).length - 1;

async function waitFor(
  condition: () => boolean,
  description: string,
  timeoutMs = 25_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The SDK's own client, as any MCP host would use it; under Jest its `fetch` carries no trace
 * header of its own.
 */
async function connectSdkClient(
  url: string,
  headers: Record<string, string> = {},
): Promise<Client> {
  const client = new Client({ name: 'test-host', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
  );
  return client;
}

const randomHex = (bytes: number) =>
  Buffer.from(Array.from({ length: bytes }, () => Math.floor(Math.random() * 256))).toString('hex');

async function serverSpanOf(traceId: string, name = MCP_SPAN): Promise<ReceivedSpan> {
  const isIt = (span: ReceivedSpan) =>
    span.traceId === traceId && span.name === name && span.kind === 'SERVER';
  const spans = await receiver.waitFor((received) => received.some(isIt), {
    description: `the ${name} SERVER span of trace ${traceId}`,
  });
  return spans.find(isIt)!;
}

const MCP_SERVER_ATTRIBUTES = {
  'mcp.method.name': 'tools/call',
  'gen_ai.tool.name': 'convert_units',
  'gen_ai.operation.name': 'execute_tool',
  'network.transport': 'tcp',
  'network.protocol.name': 'http',
  'jsonrpc.request.id': expect.any(String),
  'mcp.protocol.version': expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
};

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await stopAllServices();
  await receiver.stop();
});

describe('the tool service, an MCP server, and the agent calling it', () => {
  let tools: SpawnedService;
  let agent: SpawnedService;
  beforeAll(async () => {
    tools = await startToolService();
    agent = await startAgent(`${tools.url}/mcp`);
    await waitFor(() => agent.output().includes(CONNECTED), 'the agent to list the MCP tools');
  });
  afterAll(async () => {
    await agent.stop();
    await tools.stop();
  });

  it('makes one trace: tool.convert_units → CLIENT tools/call → HTTP client span → the tool service’s SERVER spans', async () => {
    const response = await request(agent.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'Convert 100 km to mi' })
      .expect(200);
    expect(response.body.response).toBe('100 km = 62.1371192237 mi');
    const traceId: string = response.body.trace_id;
    await receiver.waitFor(
      (spans) =>
        isCompleteTrace(
          spans.filter((span) => span.traceId === traceId),
          [AGENT, TOOLS],
        ) &&
        spans.some(
          (span) => span.traceId === traceId && span.name === MCP_SPAN && span.kind === 'SERVER',
        ),
      {
        description: `trace ${traceId} from both services`,
      },
    );
    const tree = spanTree(receiver.spansOfTrace(traceId));
    expect(tree.roots()).toEqual([tree.one('POST /api/v1/agent/execute')]);

    const tool = tree.one('tool.convert_units');
    const [mcpClient] = tree.childrenOf(tool);
    expect(mcpClient).toMatchObject({ name: MCP_SPAN, kind: 'CLIENT', serviceName: AGENT });
    expect(mcpClient!.attributes).toMatchObject({
      ...MCP_SERVER_ATTRIBUTES,
      'server.address': '127.0.0.1',
    });
    const [httpClient] = tree.childrenOf(mcpClient!);
    expect(httpClient).toMatchObject({ name: 'POST', kind: 'CLIENT', serviceName: AGENT });
    const [httpServer] = tree.childrenOf(httpClient!);
    expect(httpServer).toMatchObject({ name: 'POST /mcp', kind: 'SERVER', serviceName: TOOLS });
    // The MCP SERVER span is parented on params._meta, which the CLIENT span filled.
    const mcpServer = tree.named(MCP_SPAN).find((span) => span.kind === 'SERVER')!;
    expect(mcpServer).toMatchObject({ serviceName: TOOLS, parentSpanId: mcpClient!.spanId });
    expect(mcpServer.attributes).toMatchObject(MCP_SERVER_ATTRIBUTES);
    expect(mcpServer.attributes['jsonrpc.request.id']).toBe(
      mcpClient!.attributes['jsonrpc.request.id'],
    );
  });

  it('serves any MCP client: the SDK’s own lists both tools and converts 100 km to 62.137… mi', async () => {
    const client = await connectSdkClient(`${tools.url}/mcp`);
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual([
        'convert_units',
        'statistics',
      ]);
      const result = await client.callTool(CONVERT);
      expect(result.structuredContent).toMatchObject({
        result: 62.1371192237,
        from_unit: 'km',
        to_unit: 'mi',
      });
      const stats = await client.callTool({
        name: 'statistics',
        arguments: { values: [1, 2, 3, 4] },
      });
      expect(stats.structuredContent).toMatchObject({ mean: 2.5, median: 2.5 });
    } finally {
      await client.close();
    }
  });

  it('answers an overflow as a tool error (isError) naming the field, never a null result', async () => {
    const client = await connectSdkClient(`${tools.url}/mcp`);
    try {
      const converted = await client.callTool({
        name: 'convert_units',
        arguments: { value: 1e308, from_unit: 't', to_unit: 'mg' },
      });
      expect(converted).toMatchObject({
        isError: true,
        content: [{ type: 'text', text: expect.stringContaining('"result" is Infinity, beyond') }],
      });
      const summarized = await client.callTool({
        name: 'statistics',
        arguments: { values: [1e308, 1e308] },
      });
      expect(summarized).toMatchObject({
        isError: true,
        content: [{ type: 'text', text: expect.stringContaining('"sum" is Infinity, beyond') }],
      });
      const spread = await client.callTool({
        name: 'statistics',
        arguments: { values: [1e308, 1e308, -1e308] },
      });
      expect(spread.structuredContent).toMatchObject({ standard_deviation: 9.42809041582e307 });
    } finally {
      await client.close();
    }
  });

  it('continues a trace that a client sends only in params._meta', async () => {
    const [traceId, parentId] = [randomHex(16), randomHex(8)];
    const client = await connectSdkClient(`${tools.url}/mcp`);
    try {
      await client.callTool({ ...CONVERT, _meta: { traceparent: `00-${traceId}-${parentId}-01` } });
    } finally {
      await client.close();
    }
    const span = await serverSpanOf(traceId);
    expect(span).toMatchObject({ kind: 'SERVER', serviceName: TOOLS, parentSpanId: parentId });
    expect(span.attributes).toMatchObject(MCP_SERVER_ATTRIBUTES);
  });

  it('continues a trace that arrives only in the HTTP headers', async () => {
    const [traceId, parentId] = [randomHex(16), randomHex(8)];
    const client = await connectSdkClient(`${tools.url}/mcp`, {
      traceparent: `00-${traceId}-${parentId}-01`,
    });
    try {
      await client.callTool(CONVERT);
    } finally {
      await client.close();
    }
    const span = await serverSpanOf(traceId);
    const parent = receiver
      .spansOfTrace(traceId)
      .find((other) => other.spanId === span.parentSpanId);
    expect(parent).toMatchObject({ name: 'POST /mcp', kind: 'SERVER', parentSpanId: parentId });
  });

  it('answers bad input with JSON-RPC errors, records them as error.type, and keeps serving', async () => {
    const post = (body: string) =>
      request(tools.url)
        .post('/mcp')
        .set('content-type', 'application/json')
        .set('accept', 'application/json, text/event-stream')
        .send(body);
    const malformed = await post('{"jsonrpc": "2.0", "id": 1, "method"');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    expect((await post('{"hello": "world"}')).body).toMatchObject({ error: { code: -32700 } });

    const traceId = randomHex(16);
    const meta = { traceparent: `00-${traceId}-${randomHex(8)}-01` };
    const call = (id: number, params: object) =>
      post(
        JSON.stringify({
          jsonrpc: '2.0',
          id,
          method: 'tools/call',
          params: { ...params, _meta: meta },
        }),
      );
    expect((await call(2, { name: 'no_such_tool', arguments: {} })).body).toMatchObject({
      id: 2,
      error: { code: -32602 },
    });
    const invalid = await call(3, {
      name: 'convert_units',
      arguments: { value: 'ten', from_unit: 'km', to_unit: 'mi' },
    });
    expect(invalid.body.result).toMatchObject({
      isError: true,
      content: [
        {
          type: 'text',
          text: expect.stringMatching(/^Invalid arguments for convert_units: value/),
        },
      ],
    });
    const impossible = await call(4, {
      name: 'convert_units',
      arguments: { value: 1, from_unit: 'kg', to_unit: 'km' },
    });
    expect(impossible.body.result).toMatchObject({
      isError: true,
      content: [{ text: expect.stringContaining('Cannot convert mass (kg) to length (km)') }],
    });

    expect((await serverSpanOf(traceId, 'tools/call unknown')).attributes).toMatchObject({
      'error.type': '-32602',
      'jsonrpc.request.id': '2',
    });
    const failed = await receiver.waitFor(
      (spans) =>
        spans.filter((span) => span.traceId === traceId && span.name === MCP_SPAN).length === 2,
      {
        description: 'the two failed convert_units calls',
      },
    );
    for (const span of failed.filter((one) => one.traceId === traceId && one.name === MCP_SPAN)) {
      expect(span.status.code).toBe('ERROR');
      expect(span.attributes['error.type']).toBe('tool_error');
    }
    await request(tools.url).get('/healthz').expect(200);
  });
});

describe('an agent whose tool service is down', () => {
  let port: number;
  let agent: SpawnedService;
  let tools: SpawnedService;
  beforeAll(async () => {
    port = await freePort();
    agent = await startAgent(`http://127.0.0.1:${port}/mcp`);
  });
  afterAll(() => agent.stop());

  it('starts anyway, answers without the MCP tools, warns once, and connects when the service comes up', async () => {
    const before = await request(agent.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'Convert 100 km to mi' })
      .expect(200);
    expect(before.body.steps).toEqual([]);
    expect(count(agent.output(), UNAVAILABLE)).toBe(1);

    tools = await startToolService(port);
    await waitFor(
      () => agent.output().includes(CONNECTED),
      'the agent to connect to the tool service once it is up',
    );
    const after = await request(agent.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'Convert 100 km to mi' })
      .expect(200);
    expect(after.body.response).toBe('100 km = 62.1371192237 mi');
    expect(count(agent.output(), UNAVAILABLE)).toBe(1);
  });

  it('answers 200 when the tool service stops during a run: the failed call is a tool error for the model', async () => {
    await tools.stop();
    const response = await request(agent.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'Convert 100 km to mi' })
      .expect(200);
    expect(response.body.response).toMatch(
      /^convert_units failed: The MCP server at http:\/\/127\.0\.0\.1:\d+ could not be reached/,
    );
    const traceId: string = response.body.trace_id;
    await receiver.waitFor(
      (spans) => spans.some((span) => span.traceId === traceId && span.kind === 'SERVER'),
      {
        description: `trace ${traceId}`,
      },
    );
    const tree = spanTree(receiver.spansOfTrace(traceId));
    expect(tree.one('tool.convert_units').attributes['error.type']).toBe('tool_failed');
    expect(tree.one(MCP_SPAN)).toMatchObject({
      kind: 'CLIENT',
      attributes: expect.objectContaining({ 'error.type': 'mcp_unreachable' }),
    });
  });
});

describe('a tool service with AGENT_API_KEYS set', () => {
  it('refuses an MCP client without the key (401), serves the agent that sends MCP_API_KEY, and flushes its spans on SIGTERM', async () => {
    const tools = await spawnService({
      entry: 'dist/toolservice/server.js',
      register: 'dist/toolservice/register.js',
      // Spans are exported only by the flush at shutdown: the batch delay is longer than the test.
      env: { ...tracingEnv(TOOLS), AGENT_API_KEYS: 'tool-key', OTEL_BSP_SCHEDULE_DELAY: '600000' },
    });
    const agent = await spawnService({
      env: { ...tracingEnv(AGENT), MCP_SERVER_URL: `${tools.url}/mcp`, MCP_API_KEY: 'tool-key' },
    });
    try {
      await expect(connectSdkClient(`${tools.url}/mcp`)).rejects.toMatchObject({ code: 401 });
      await waitFor(() => agent.output().includes(CONNECTED), 'the agent to connect with its key');
      const response = await request(agent.url)
        .post('/api/v1/agent/execute')
        .send({ task: 'Convert 100 km to mi' })
        .expect(200);
      expect(response.body.response).toBe('100 km = 62.1371192237 mi');
      expect(await tools.stop('SIGTERM')).toBe(0);
      await serverSpanOf(response.body.trace_id);
    } finally {
      await agent.stop();
      await tools.stop();
    }
  });
});
