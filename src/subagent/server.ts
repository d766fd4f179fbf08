/**
 * The sub-agent service's entry point: `node --require ./dist/subagent/register.js
 * dist/subagent/server.js`. A research agent with its own loop and a narrower tool set; the agent
 * service delegates to it over HTTP.
 */
import { exitOnStartFailure } from '../env';
import { SUB_AGENT_OPERATIONS, createSubAgentRouter } from '../http/agent-routes';
import { createMemoryRouter, MEMORY_OPERATIONS } from '../http/memory-routes';
import { startService } from '../service';
import { SUB_AGENT_SERVICE_DEFAULTS } from '../service-defaults';
import { ToolRegistry } from '../tools';
import { calculator } from '../tools/calculator';
import { formatMarkdownTool } from '../tools/format-markdown';
import { searchKnowledgeBase } from '../tools/search-knowledge-base';
import type { Tool } from '../tools/tool';

/** Research tools only: no clock, and no delegation, so a delegated task can never bounce back. */
const subAgentTools: readonly Tool[] = [
  searchKnowledgeBase,
  calculator,
  formatMarkdownTool,
] as Tool[];

startService({
  defaults: SUB_AGENT_SERVICE_DEFAULTS,
  agentDescription:
    'A research sub-agent: searches the workshop knowledge base, calculates, and formats findings as Markdown.',
  systemInstruction:
    'You are a research sub-agent. Another agent sends you self-contained tasks. Search the knowledge base, calculate when needed, ' +
    'and answer with the findings only.',
  operations: [...SUB_AGENT_OPERATIONS, ...MEMORY_OPERATIONS],
  tools: () => new ToolRegistry(subAgentTools),
  routers: ({ agent, runSlots, memory, tracer }) => [
    createSubAgentRouter(agent, { runSlots }),
    createMemoryRouter(memory, tracer),
  ],
}).catch(exitOnStartFailure);
