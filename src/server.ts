/**
 * The agent service's entry point: `node --require ./dist/tracing/register.js dist/server.js`.
 */
import { SubAgentClient } from './agent/sub-agent-client';
import { AGENT_SERVICE_DEFAULTS, type AppConfig } from './config';
import { createAgentRouter } from './http/agent-routes';
import { exitOnStartFailure, startService } from './service';
import { createAgentToolRegistry } from './tools';
import { createDelegateTool } from './agent/delegate-tool';

/** One client, shared by the delegate tool and the `/delegate` route. */
let subAgentClient: SubAgentClient | undefined;
const subAgentClientFor = ({ subAgent }: AppConfig) =>
  (subAgentClient ??= new SubAgentClient({ baseUrl: subAgent.url, timeoutMs: subAgent.timeoutMs, apiKey: subAgent.apiKey }));

startService({
  defaults: AGENT_SERVICE_DEFAULTS,
  agentDescription: 'Answers tasks with a calculator, a knowledge-base search, a clock, a Markdown formatter and a research sub-agent.',
  systemInstruction:
    'You are traced-agent, an assistant for a workshop on distributed tracing. Use the tools when they help: ' +
    'call several tools in the same turn when they do not depend on each other, and delegate self-contained research to the sub-agent. ' +
    'Answer concisely and state the tool results you used.',
  tools: (config) => createAgentToolRegistry([createDelegateTool(subAgentClientFor(config), config.subAgent.timeoutMs)]),
  routers: ({ agent, config, tracer }) => [createAgentRouter(agent, subAgentClientFor(config), tracer)],
}).catch(exitOnStartFailure);
