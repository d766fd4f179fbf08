import type { Agent } from '../../src/agent/agent';
import { InMemoryStore } from '../../src/agent/memory/in-memory-store';
import type { SubAgentClient } from '../../src/agent/sub-agent-client';
import { InMemoryRecentRuns } from '../../src/http/recent-runs';
import { routerOf } from '../../src/http/routes/route';
import {
  AGENT_ROUTES,
  SUB_AGENT_ROUTES,
  type AgentServiceNeeds,
} from '../../src/http/routes/services';
import type { Admission } from '../../src/http/admission/admission';
import { AgentTracer } from '../../src/tracing/agent-tracer';

type AgentRouterOptions = Partial<
  Pick<
    AgentServiceNeeds,
    'admission' | 'recentRuns' | 'onRecentRunsFailure' | 'heartbeatMs' | 'onServerError' | 'memory'
  >
>;

/**
 * The agent service's routes as src/server.ts serves them, with what a test leaves out made up:
 * runs remembered for feedback in the process, and a memory of its own (for the erase route).
 */
export function createAgentRouter(
  agent: Agent,
  subAgent: SubAgentClient,
  tracer: AgentTracer,
  {
    recentRuns = new InMemoryRecentRuns(),
    memory = new InMemoryStore(),
    ...options
  }: AgentRouterOptions = {},
) {
  return routerOf(AGENT_ROUTES, { agent, subAgent, tracer, recentRuns, memory, ...options });
}

/** The sub-agent service's routes as src/subagent/server.ts serves them. */
export function createSubAgentRouter(agent: Agent, { admission }: { admission?: Admission } = {}) {
  return routerOf(SUB_AGENT_ROUTES, {
    agent,
    admission,
    memory: new InMemoryStore(),
    tracer: new AgentTracer(),
  });
}
