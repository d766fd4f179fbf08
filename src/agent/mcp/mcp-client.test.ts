import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { freePort } from '../../../dev/process/spawn-service';
import {
  installInMemoryTracing,
  type InMemoryTracing,
} from '../../../test/support/in-memory-tracing';
import { createAgentToolRegistry } from '../../tools';
import { AgentTracer } from '../../tracing/agent-tracer';
import { McpCallError, McpClient } from './mcp-client';
import { connectMcpTools } from './mcp-tools';

/**
 * A plain MCP server, as any third party would write it with the SDK: stateful (one session),
 * no tracing of ours. It remembers the `_meta` of each call it gets.
 */
async function startPlainMcpServer(port = 0) {
  const received: { _meta?: Record<string, unknown> }[] = [];
  const mcp = new McpServer({ name: 'plain', version: '1.0.0' });
  mcp.registerTool(
    'echo',
    { description: 'Echoes its text', inputSchema: { text: z.string() } },
    ({ text }, extra) => {
      received.push({ _meta: extra._meta });
      return { content: [{ type: 'text', text }] };
    },
  );
  mcp.registerTool('always_fails', { description: 'Fails' }, () => ({
    content: [{ type: 'text', text: 'it broke' }],
    isError: true,
  }));
  mcp.registerTool(
    'calculator',
    { description: 'Clashes with the agent’s own calculator' },
    () => ({ content: [] }),
  );
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
  await mcp.connect(transport);
  const server: Server = createServer(
    (request, response) => void transport.handleRequest(request, response),
  );
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  return {
    url,
    received,
    async stop() {
      await mcp.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let tracing: InMemoryTracing;
const tracer = new AgentTracer();
const silentLogger = () => ({ info: jest.fn(), warn: jest.fn(), debug: jest.fn() });

beforeAll(() => {
  tracing = installInMemoryTracing();
});
afterAll(() => tracing.shutdown());
beforeEach(() => tracing.reset());

describe('the agent’s MCP client, against a plain MCP server of the SDK', () => {
  let server: Awaited<ReturnType<typeof startPlainMcpServer>>;
  let client: McpClient;
  let listed: string[];

  beforeAll(async () => {
    server = await startPlainMcpServer();
    client = new McpClient({ url: server.url, tracer, timeoutMs: 5_000 });
    listed = (await client.connect()).map((tool) => tool.name);
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  it('lists the server’s tools', () => {
    expect(listed).toEqual(['echo', 'always_fails', 'calculator']);
  });

  it('calls a tool in a CLIENT span "tools/call echo", with the MCP attributes', async () => {
    await expect(client.callTool('echo', { text: 'hello' })).resolves.toEqual({ text: 'hello' });
    const span = tracing.one('tools/call echo');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'echo',
      'gen_ai.operation.name': 'execute_tool',
      'network.transport': 'tcp',
      'network.protocol.name': 'http',
      'server.address': '127.0.0.1',
      'mcp.session.id': expect.stringMatching(/^[0-9a-f-]{36}$/),
      'mcp.protocol.version': expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      'jsonrpc.request.id': expect.stringMatching(/^\d+$/),
    });
  });

  it('sends the CLIENT span’s context in params._meta, so the server can continue the trace', async () => {
    server.received.length = 0;
    await client.callTool('echo', { text: 'traced' });
    const span = tracing.one('tools/call echo');
    const { traceId, spanId } = span.spanContext();
    expect(server.received[0]?._meta).toMatchObject({ traceparent: `00-${traceId}-${spanId}-01` });
  });

  it('fails a result with isError as tool_error, on the CLIENT span too', async () => {
    await expect(client.callTool('always_fails', {})).rejects.toMatchObject({
      errorType: 'tool_error',
      message: 'it broke',
    });
    const span = tracing.one('tools/call always_fails');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('tool_error');
  });
});

describe('an MCP server that is down', () => {
  it('fails a call as mcp_unreachable, a tool error and not a crash', async () => {
    const client = new McpClient({
      url: `http://127.0.0.1:${await freePort()}/mcp`,
      tracer,
      timeoutMs: 2_000,
    });
    await expect(client.connect()).rejects.toMatchObject({ errorType: 'mcp_unreachable' });
    await expect(client.callTool('echo', {})).rejects.toBeInstanceOf(McpCallError);
  });

  it('starts the agent without its tools, warns once, and adds them when the server comes up', async () => {
    const port = await freePort();
    const registry = createAgentToolRegistry();
    const logger = silentLogger();
    const client = new McpClient({ url: `http://127.0.0.1:${port}/mcp`, tracer, timeoutMs: 2_000 });
    const connection = connectMcpTools({
      client,
      registry,
      logger,
      initialDelayMs: 10,
      maxDelayMs: 40,
    });
    try {
      await waitFor(() => logger.debug.mock.calls.length >= 3);
      expect(registry.names).not.toContain('echo');
      const server = await startPlainMcpServer(port);
      try {
        await waitFor(() => registry.names.includes('echo'));
        expect(registry.declarations.map((declaration) => declaration.name)).toContain(
          'always_fails',
        );
        expect(logger.warn.mock.calls.map(([, message]) => message)).toEqual([
          'MCP server unavailable: starting without its tools, retrying in the background',
          'Some MCP tools were left out: their names are taken or invalid',
        ]);
        // The agent's own calculator stays its own.
        expect(logger.warn.mock.calls[1]![0]).toMatchObject({ nameTaken: ['calculator'] });
        // Connecting is no request's work: no span for it.
        expect(tracing.spans()).toEqual([]);
      } finally {
        await connection.stop();
        await server.stop();
      }
    } finally {
      await connection.stop();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
