import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { BODY_LIMIT } from '../app';
import type { ToolServerOptions } from './mcp-server';
import { createToolServer } from './mcp-server';

const MCP_PATH = '/mcp';

const jsonRpcError = (code: number, message: string) => ({ jsonrpc: '2.0', id: null, error: { code, message } });

/**
 * Stateless Streamable HTTP: a fresh server and transport per POST, as the SDK recommends for a
 * server that keeps no session. No session map to bound, any replica can answer, and a restart
 * loses nothing. Answers are plain JSON, not an SSE stream: no tool here streams progress.
 */
const handlePost =
  (options: ToolServerOptions): RequestHandler =>
  async (request, response) => {
    const server = createToolServer(options);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, request.body);
  };

/** Without sessions there is no stream to open (GET) nor session to end (DELETE). */
const methodNotAllowed: RequestHandler = (_request, response) => {
  response
    .status(405)
    .set('allow', 'POST')
    .json(jsonRpcError(ErrorCode.ConnectionClosed, 'Method not allowed: this server is stateless, use POST.'));
};

/** A body that is not JSON, or too large, is a JSON-RPC error too, never an HTML page or a crash. */
const bodyErrors: ErrorRequestHandler = (error, _request, response, next) => {
  const { type, status } = (error ?? {}) as { type?: string; status?: number };
  if (type === 'entity.parse.failed')
    response
      .status(400)
      .json(jsonRpcError(ErrorCode.ParseError, 'Parse error: send a JSON-RPC message as JSON (an object, or an array of them).'));
  else if (type === 'entity.too.large') response.status(413).json(jsonRpcError(ErrorCode.InvalidRequest, 'The request body is too large.'));
  else if (status && status >= 400 && status < 500)
    response.status(status).json(jsonRpcError(ErrorCode.InvalidRequest, 'The request could not be read.'));
  else next(error);
};

export function createMcpRouter(options: ToolServerOptions): Router {
  const router = Router();
  router
    .route(MCP_PATH)
    .post(express.json({ limit: BODY_LIMIT }), handlePost(options))
    .get(methodNotAllowed)
    .delete(methodNotAllowed);
  router.use(MCP_PATH, bodyErrors);
  return router;
}
