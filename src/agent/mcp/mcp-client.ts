import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  McpError,
  type CallToolResult,
  type JSONRPCMessage,
  type Tool as ListedTool,
} from '@modelcontextprotocol/sdk/types.js';
import { TypedError } from '../../errors';
import type { JsonObject } from '../../tools/tool';
import type { AgentTracer } from '../../tracing/agent-tracer';
import { traceContextForMeta } from '../../tracing/propagation/mcp-meta';
import { readServiceVersion } from '../../tracing/setup/service-version';
import { LIMITS } from '../../limits';
import { fetchRetryingOnce } from './mcp-retry';

export type { ListedTool };

/**
 * Why an MCP call failed, as its span's `error.type`: the JSON-RPC error code as a string
 * (`-32602`), `tool_error` for a result with `isError`, the HTTP status of a refused request
 * (`503`), or `mcp_unreachable` / `mcp_not_connected`.
 */
export class McpCallError extends TypedError<string> {
  override readonly name = 'McpCallError';
}

/** At most this many pages of `tools/list`: a server that pages forever cannot hold the agent. */
const MAX_LIST_PAGES = LIMITS.mcpMaxListPages;

/**
 * A transport that remembers the JSON-RPC id of each request it sends, keyed by the request's
 * `_meta` object, which the SDK passes through as is: the id the SDK picks is then known to the
 * caller, for `jsonrpc.request.id`, without reading the SDK's private counter.
 */
class IdRecordingTransport extends StreamableHTTPClientTransport {
  readonly sentIds = new WeakMap<object, string | number>();

  override send(
    message: JSONRPCMessage | JSONRPCMessage[],
    options?: TransportSendOptions,
  ): Promise<void> {
    const meta = (message as { params?: { _meta?: unknown } }).params?._meta;
    const id = (message as { id?: string | number }).id;
    if (meta && typeof meta === 'object' && id !== undefined) this.sentIds.set(meta, id);
    return super.send(message, options);
  }
}

export interface McpClientOptions {
  url: string;
  /** Sent as `Authorization: Bearer`, when the server requires a key. */
  apiKey?: string;
  tracer: AgentTracer;
  /** For connecting and listing; a call's limit is its tool's. */
  timeoutMs: number;
}

/**
 * The agent's connection to one MCP server over Streamable HTTP, with the SDK's own client. Each
 * `tools/call` is a CLIENT span whose context travels twice: in the HTTP headers (the undici
 * instrumentation injects them into the SDK's `fetch`) and in `params._meta`. A request that
 * failed on its connection is sent once more where that is safe (src/agent/mcp/mcp-retry.ts).
 */
export class McpClient {
  readonly endpoint: URL;
  private readonly options: McpClientOptions;
  private connection?: { client: Client; transport: IdRecordingTransport };

  constructor(options: McpClientOptions) {
    this.endpoint = new URL(options.url);
    this.options = options;
  }

  get connected(): boolean {
    return this.connection !== undefined;
  }

  /**
   * Connects (initialize) and lists the server's tools. Throws when the server cannot be reached.
   */
  async connect(): Promise<ListedTool[]> {
    const headers: Record<string, string> = this.options.apiKey
      ? { authorization: `Bearer ${this.options.apiKey}` }
      : {};
    const transport = new IdRecordingTransport(this.endpoint, {
      requestInit: { headers },
      fetch: fetchRetryingOnce(),
    });
    const client = new Client({ name: 'traced-agent', version: readServiceVersion() });
    const requestOptions = { timeout: this.options.timeoutMs };
    try {
      await client.connect(transport, requestOptions);
      const tools: ListedTool[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
        const listed = await client.listTools(cursor ? { cursor } : undefined, requestOptions);
        tools.push(...listed.tools);
        cursor = listed.nextCursor;
        if (!cursor) break;
      }
      this.connection = { client, transport };
      return tools;
    } catch (error) {
      await client.close().catch(() => undefined);
      throw this.callError(error);
    }
  }

  /** `tools/call`; the result as the model sees it. A failed call or an `isError` result throws. */
  async callTool(name: string, args: JsonObject, signal?: AbortSignal): Promise<JsonObject> {
    const connection = this.connection;
    if (!connection)
      throw new McpCallError(
        'mcp_not_connected',
        `The MCP server at ${this.endpoint.origin} is not connected yet.`,
      );
    const { client, transport } = connection;
    const info = { toolName: name, endpoint: this.endpoint };
    const result = await this.options.tracer.traceMcpClientCall(info, async (recording) => {
      // Taken inside the CLIENT span, so that the server's span is its child.
      const meta = traceContextForMeta();
      try {
        return (await client.callTool({ name, arguments: args, _meta: meta }, undefined, {
          signal,
        })) as CallToolResult;
      } catch (error) {
        throw this.callError(error);
      } finally {
        recording.request({
          requestId: transport.sentIds.get(meta),
          sessionId: transport.sessionId,
          protocolVersion: transport.protocolVersion,
        });
      }
    });
    if (result.isError)
      throw new McpCallError(
        'tool_error',
        textOf(result) || `${name} reported an error without a message.`,
      );
    return toModelResult(result);
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.client.close();
  }

  private callError(error: unknown): unknown {
    if (error instanceof McpError)
      return new McpCallError(String(error.code), error.message, { cause: error });
    if (error instanceof StreamableHTTPError)
      return new McpCallError(String(error.code ?? 'mcp_http_error'), error.message, {
        cause: error,
      });
    // fetch's "fetch failed" names its reason (ECONNREFUSED, ...) in its cause.
    const reason = (error as { cause?: { code?: unknown } })?.cause?.code;
    if (typeof reason === 'string') {
      return new McpCallError(
        'mcp_unreachable',
        `The MCP server at ${this.endpoint.origin} could not be reached (${reason}).`,
        {
          cause: error,
        },
      );
    }
    // Our own deadline or a cancelled request: the tool runner says how it stopped.
    return error;
  }
}

function textOf(result: CallToolResult): string {
  return result.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}

/** Structured content when the server gives it, else the text parts. */
function toModelResult(result: CallToolResult): JsonObject {
  if (result.structuredContent) return result.structuredContent;
  const omitted = result.content.filter((part) => part.type !== 'text').length;
  return { text: textOf(result), ...(omitted ? { omitted_parts: omitted } : {}) };
}
