import { context } from '@opentelemetry/api';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { runToolCall, ToolError, type ToolRegistry } from '../tools';
import type { AgentTracer } from '../tracing/agent-tracer';
import { contextFromMeta } from '../tracing/propagation/mcp-meta';
import { readServiceVersion } from '../tracing/setup/service-version';

/**
 * A JSON-RPC error whose span says its code (`error.type` = `-32602`), as the MCP conventions ask.
 */
class JsonRpcError extends McpError {
  readonly errorType: string;

  constructor(code: ErrorCode, message: string) {
    super(code, message);
    this.errorType = String(code);
  }
}

export interface ToolServerOptions {
  name: string;
  tools: ToolRegistry;
  tracer: AgentTracer;
  toolTimeoutMs: number;
}

/**
 * The MCP server of the tool service: `tools/list` declares the registry's tools, `tools/call`
 * runs one as a SERVER span `tools/call {tool}`, parented on the trace context of `params._meta`
 * when the client sent one, else on the HTTP request's (its headers). The SDK's low-level
 * `Server`, so that every call is traced, unknown tools included, and errors are ours to shape.
 */
export function createToolServer({
  name,
  tools,
  tracer,
  toolTimeoutMs,
}: ToolServerOptions): Server {
  const server = new Server(
    { name, version: readServiceVersion() },
    { capabilities: { tools: {} } },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.declarations.map((declaration) => ({
      name: declaration.name,
      description: declaration.description,
      inputSchema: declaration.parameters as { type: 'object' },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
    const { name: toolName, arguments: args = {}, _meta: meta } = request.params;
    const known = tools.get(toolName) !== undefined;
    const parent = contextFromMeta(meta, context.active());
    return tracer.traceMcpServerCall(
      { toolName, known },
      parent,
      async (recording): Promise<CallToolResult> => {
        const protocolVersion = extra.requestInfo?.headers['mcp-protocol-version'];
        recording.request({
          requestId: extra.requestId,
          sessionId: extra.sessionId,
          protocolVersion: typeof protocolVersion === 'string' ? protocolVersion : undefined,
        });
        if (!known) {
          throw new JsonRpcError(
            ErrorCode.InvalidParams,
            `Unknown tool "${toolName}". Available tools: ${tools.names.join(', ')}.`,
          );
        }
        try {
          const call = { id: String(extra.requestId), name: toolName, arguments: args };
          const result = await runToolCall(tools, call, {
            timeoutMs: toolTimeoutMs,
            signal: extra.signal,
          });
          return {
            content: [{ type: 'text', text: JSON.stringify(result) }],
            structuredContent: result,
          };
        } catch (error) {
          // Invalid arguments and failures are results with `isError`, so the model can correct
          // itself (MCP spec).
          if (error instanceof ToolError)
            return { content: [{ type: 'text', text: error.message }], isError: true };
          throw error;
        }
      },
    );
  });
  return server;
}
