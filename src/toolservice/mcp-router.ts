import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { HttpError } from '../http/errors';
import { jsonBody } from '../http/json-body';
import type { Admission } from '../http/admission/admission';
import { LIMITS } from '../limits';
import type { ToolServerOptions } from './mcp-server';
import { createToolServer } from './mcp-server';

const MCP_PATH = '/mcp';

const jsonRpcError = (code: number, message: string) => ({
  jsonrpc: '2.0',
  id: null,
  error: { code, message },
});

export interface McpRouterOptions extends ToolServerOptions {
  /**
   * MCP requests in flight (src/http/admission/): each is admitted once its body has arrived.
   */
  admission?: Admission;
  /** How long a body may take to arrive, else 408 (`LIMITS.bodyTimeoutMs`; tests shorten it). */
  bodyTimeoutMs?: number;
}

/**
 * Stateless Streamable HTTP: a fresh server and transport per POST, as the SDK recommends for a
 * server that keeps no session. No session map to bound, any replica can answer, and a restart
 * loses nothing. Answers are plain JSON, not an SSE stream: no tool here streams progress.
 */
const handlePost =
  (options: ToolServerOptions, admission?: Admission): RequestHandler =>
  async (request, response) => {
    admission?.admit(request, response);
    const server = createToolServer(options);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, request.body);
  };

/**
 * Without sessions there is no stream to open (GET) nor session to end (DELETE); no other method
 * means anything here.
 */
const methodNotAllowed: RequestHandler = (_request, response) => {
  response
    .status(405)
    .set('allow', 'POST')
    .json(
      jsonRpcError(
        ErrorCode.ConnectionClosed,
        'Method not allowed: this server is stateless, use POST.',
      ),
    );
};

/**
 * A body that is not JSON, too large, or not UTF-8 is a JSON-RPC error too, never an HTML page or a
 * crash. The body is read by the same reader as every other route (src/http/json-body.ts).
 */
const bodyErrors: ErrorRequestHandler = (error, _request, response, next) => {
  if (!(error instanceof HttpError) || error.status >= 500) return next(error);
  const code = error.code === 'invalid_json' ? ErrorCode.ParseError : ErrorCode.InvalidRequest;
  const message =
    error.code === 'invalid_json'
      ? 'Parse error: send a JSON-RPC message as JSON (an object, or an array of them).'
      : error.message;
  response.status(error.status).set(error.headers).json(jsonRpcError(code, message));
};

export function createMcpRouter({
  admission,
  bodyTimeoutMs,
  ...options
}: McpRouterOptions): Router {
  const router = Router();
  router
    .route(MCP_PATH)
    .post(
      jsonBody({ limitBytes: LIMITS.maxBodyBytes, timeoutMs: bodyTimeoutMs }),
      handlePost(options, admission),
    )
    // Any other method, OPTIONS included (Express would answer it with a text list of methods).
    .all(methodNotAllowed);
  router.use(MCP_PATH, bodyErrors);
  return router;
}
