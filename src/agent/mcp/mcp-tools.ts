import type { Logger } from 'pino';
import { z } from 'zod';
import { LIMITS } from '../../limits';
import type { ToolRegistry } from '../../tools';
import type { JsonObject, Tool } from '../../tools/tool';
import { withoutTracing } from '../../tracing/without-tracing';
import type { ListedTool, McpClient } from './mcp-client';

/**
 * The function names Gemini accepts; a server's tool named otherwise is left out, with a warning.
 */
const MODEL_TOOL_NAME = /^[a-zA-Z_][a-zA-Z0-9_.-]{0,63}$/;

/**
 * An MCP server's tool as one of the agent's: declared with the server's schema, run by the server.
 */
function mcpTool(client: McpClient, listed: ListedTool): Tool {
  return {
    name: listed.name,
    description:
      listed.description ?? `${listed.name}, a tool of the MCP server at ${client.endpoint.origin}`,
    parameters: listed.inputSchema as JsonObject,
    // The server validates the arguments against its own schema; here they only need to be an
    // object.
    argumentsSchema: z.record(z.string(), z.unknown()),
    run: (args, { signal }) => client.callTool(listed.name, args as JsonObject, signal),
  };
}

export interface ConnectMcpToolsOptions {
  client: McpClient;
  registry: ToolRegistry;
  logger: Pick<Logger, 'info' | 'warn' | 'debug'>;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Told after each attempt whether the tools were listed (readiness, the start-up gate). */
  onAttempt?: (listed: boolean) => void;
}

/**
 * Connects to the MCP server in the background and adds its tools to the registry once listed.
 * While the server is down the agent works without them: one warning, then retries after 1 s,
 * 2 s, 4 s … up to 30 s, logged at debug level. Untraced: it is no request's work.
 */
export function connectMcpTools({
  client,
  registry,
  logger,
  initialDelayMs = LIMITS.mcpRetryInitialDelayMs,
  maxDelayMs = LIMITS.mcpRetryMaxDelayMs,
  onAttempt = () => undefined,
}: ConnectMcpToolsOptions): { stop(): Promise<void> } {
  const url = client.endpoint.href;
  let failures = 0;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const register = (listed: ListedTool[]) => {
    const usable = listed.filter((tool) => MODEL_TOOL_NAME.test(tool.name));
    const unusable = listed.filter((tool) => !usable.includes(tool)).map((tool) => tool.name);
    const taken = registry.add(usable.map((tool) => mcpTool(client, tool)));
    const added = usable.map((tool) => tool.name).filter((name) => !taken.includes(name));
    logger.info({ url, tools: added }, 'MCP server connected: its tools are declared to the model');
    if (taken.length || unusable.length) {
      logger.warn(
        { url, nameTaken: taken, invalidName: unusable },
        'Some MCP tools were left out: their names are taken or invalid',
      );
    }
  };

  const attempt = async () => {
    try {
      register(await withoutTracing(() => client.connect()));
      onAttempt(true);
    } catch (error) {
      if (stopped) return;
      onAttempt(false);
      const delayMs = Math.min(maxDelayMs, initialDelayMs * 2 ** failures);
      failures += 1;
      const details = {
        url,
        reason: error instanceof Error ? error.message : String(error),
        retryInMs: delayMs,
      };
      if (failures === 1)
        logger.warn(
          details,
          'MCP server unavailable: starting without its tools, retrying in the background',
        );
      else logger.debug(details, 'MCP server still unavailable');
      retry = setTimeout(() => void attempt(), delayMs);
      // A retry never keeps the process alive (shutdown, tests).
      retry.unref();
    }
  };
  void attempt();

  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client.close().catch(() => undefined);
    },
  };
}
