/**
 * The agent service's entry point: `node --require ./dist/tracing/register.js dist/server.js`.
 */
import { SubAgentClient } from './agent/sub-agent-client';
import type { AppConfig } from './config';
import { exitOnStartFailure } from './env';
import { LIMITS } from './limits';
import { AGENT_ROUTES } from './http/routes/services';
import { startService, type Readiness, type ServiceSpec } from './service';
import { subAgentCheck } from './compose/readiness-checks';
import { AGENT_SERVICE_DEFAULTS } from './service-defaults';
import { createAgentToolRegistry, type ToolRegistry } from './tools';
import { createDelegateTool } from './agent/delegate-tool';

/** One client, shared by the delegate tool and the `/delegate` route. */
let subAgentClient: SubAgentClient | undefined;
const subAgentClientFor = ({ subAgent }: AppConfig) =>
  (subAgentClient ??= new SubAgentClient({
    baseUrl: subAgent.url,
    timeoutMs: subAgent.timeoutMs,
    apiKey: subAgent.apiKey,
  }));

/**
 * The MCP tool list: `/readyz` fails its `tools` check until it is loaded, and the API's requests
 * wait for the first attempt to load it (src/http/startup-gate.ts), so that no run starts without
 * tools that are about to be there.
 */
let mcpTools: 'loading' | 'unavailable' | 'loaded' = 'loading';
let firstMcpAttemptDone = () => {};
const firstMcpAttempt = new Promise<void>((resolve) => (firstMcpAttemptDone = resolve));
const MCP_TOOLS_REASONS = {
  loading: "The MCP tool service's tools are being loaded.",
  unavailable: 'The MCP tool service has not answered; retrying in the background.',
  loaded: undefined,
} as const;

const agentReadiness = ({ mcp, subAgent }: AppConfig): Readiness => ({
  checks: [
    ...(mcp.url ? [{ name: 'tools', check: () => MCP_TOOLS_REASONS[mcpTools] }] : []),
    subAgentCheck(subAgent.url),
  ],
  startup: mcp.url ? firstMcpAttempt : undefined,
});

/**
 * The agent's own tools now, and the MCP server's once it answers (see `connectMcpTools`). The MCP
 * SDK takes about a quarter of a second to load: it is loaded once the service listens, in the
 * background like the connection itself (requests wait for it, briefly, as said above).
 */
let connectMcp: (() => Promise<void>) | undefined;
const agentTools = (
  config: AppConfig,
  { logger, tracer }: Parameters<ServiceSpec<unknown>['tools']>[1],
): ToolRegistry => {
  const registry = createAgentToolRegistry([
    createDelegateTool(subAgentClientFor(config), config.subAgent.timeoutMs, tracer),
  ]);
  const { url, apiKey } = config.mcp;
  if (url) {
    connectMcp = async () => {
      const [{ McpClient }, { connectMcpTools }] = await Promise.all([
        import('./agent/mcp/mcp-client'),
        import('./agent/mcp/mcp-tools'),
      ]);
      connectMcpTools({
        client: new McpClient({ url, apiKey, tracer, timeoutMs: LIMITS.toolTimeoutMs }),
        registry,
        logger,
        onAttempt: (listed) => {
          if (mcpTools !== 'loaded') mcpTools = listed ? 'loaded' : 'unavailable';
          firstMcpAttemptDone();
        },
      });
    };
  }
  return registry;
};

startService({
  defaults: AGENT_SERVICE_DEFAULTS,
  agentDescription:
    'Answers tasks with a calculator, a knowledge-base search, a clock, a Markdown formatter, a research sub-agent, and the tools of an MCP tool service.',
  systemInstruction:
    'You are traced-agent, an assistant for a workshop on distributed tracing. Use the tools when they help: ' +
    'call several tools in the same turn when they do not depend on each other, and delegate self-contained research to the sub-agent. ' +
    'Answer concisely and state the tool results you used.',
  tools: agentTools,
  routes: AGENT_ROUTES,
  needs: (parts) => ({
    ...parts,
    subAgent: subAgentClientFor(parts.config),
  }),
  readiness: agentReadiness,
})
  .then(() => connectMcp?.())
  .catch(exitOnStartFailure);
