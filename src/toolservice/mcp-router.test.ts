import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import pino from 'pino';
import { firstJsonBody, rawExchange, rawPost } from '../../test/support/raw-http';
import { createApp } from '../app';
import { listen, urlOf } from '../http/listen';
import { ToolRegistry } from '../tools';
import { AgentTracer } from '../tracing/agent-tracer';
import { createMcpRouter } from './mcp-router';

let server: Server;
let url: string;
beforeAll(async () => {
  const router = createMcpRouter({
    name: 'tool-service',
    tools: new ToolRegistry([]),
    tracer: new AgentTracer(),
    toolTimeoutMs: 1_000,
    bodyTimeoutMs: 300,
  });
  const app = createApp({ logger: pino({ level: 'silent' }), routers: [router], parseJson: false });
  server = await listen(app, 0, '127.0.0.1');
  url = urlOf(server);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the MCP endpoint', () => {
  it('answers a body still arriving at its deadline with 408 and a JSON-RPC error, and closes the connection', async () => {
    const answer = await rawExchange(url, {
      write: (socket: Socket) => {
        socket.write(
          rawPost('/mcp', '', { 'Content-Type': 'application/json', 'Content-Length': '1000' }),
        );
        socket.write('{"jsonrpc":"2.0",');
      },
    });

    expect(answer.statuses).toEqual([408]);
    expect(firstJsonBody(answer.text)).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: 'The request body did not arrive within 0.3 s.' },
    });
    expect(answer.closedByServer).toBe(true);
  });

  it.each(['OPTIONS', 'TRACE', 'PUT', 'PATCH', 'GET', 'DELETE'])(
    'answers %s /mcp with 405, Allow: POST and a JSON-RPC error',
    async (method) => {
      const answer = await rawExchange(url, {
        write: (socket: Socket) =>
          socket.write(`${method} /mcp HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`),
      });
      // Before: OPTIONS was Express's own 200 "DELETE, GET, HEAD, POST" as text, and TRACE, PUT
      // and PATCH a 404 that said the endpoint did not exist.
      expect(answer.statuses).toEqual([405]);
      expect(answer.text).toMatch(/\r\nallow: POST\r\n/i);
      expect(firstJsonBody(answer.text)).toEqual({
        jsonrpc: '2.0',
        id: null,
        error: { code: expect.any(Number), message: expect.stringContaining('use POST') },
      });
    },
  );
});
