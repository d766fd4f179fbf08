/**
 * The tool service's entry point: `node --require ./dist/toolservice/register.js
 * dist/toolservice/server.js`. An MCP server (Streamable HTTP at `/mcp`) whose tools any MCP client
 * can call; the agent is one.
 */
import { exitOnStartFailure } from '../env';
import { createAdmission } from '../compose/create-admission';
import { LIMITS } from '../limits';
import { createTracer, loadService, serve } from '../service';
import { TOOL_SERVICE_DEFAULTS } from '../service-defaults';
import { ToolRegistry } from '../tools';
import { createMcpRouter } from './mcp-router';
import { servedTools } from './served-tools';

async function startToolService(): Promise<void> {
  const { config, logger } = loadService(TOOL_SERVICE_DEFAULTS);
  const toolServiceTools = servedTools();
  const admission = createAdmission(config.maxConcurrentRuns);
  const router = createMcpRouter({
    name: config.tracing.serviceName,
    tools: new ToolRegistry(toolServiceTools),
    tracer: createTracer(config),
    toolTimeoutMs: LIMITS.toolTimeoutMs,
    admission,
  });
  // The MCP router reads its own bodies, to answer a malformed one with a JSON-RPC parse error.
  await serve(config, logger, {
    routers: [router],
    admission,
    parseJson: false,
    details: { tools: toolServiceTools.map((tool) => tool.name) },
  });
}

startToolService().catch(exitOnStartFailure);
