/**
 * The sub-agent service's entry point: `node --require ./dist/subagent/register.js
 * dist/subagent/server.js`. A research agent with its own loop and a narrower tool set; the agent
 * service delegates to it over HTTP.
 */
import { exitOnStartFailure } from '../env';
import { SUB_AGENT_ROUTES } from '../http/routes/services';
import { startService } from '../service';
import { SUB_AGENT_SERVICE_DEFAULTS } from '../service-defaults';
import { ToolRegistry } from '../tools';
import { calculator } from '../tools/in-process/calculator';
import { formatMarkdownTool } from '../tools/in-process/format-markdown';
import { searchKnowledgeBase } from '../tools/in-process/search-knowledge-base';
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
  tools: () => new ToolRegistry(subAgentTools),
  routes: SUB_AGENT_ROUTES,
  needs: (parts) => parts,
}).catch(exitOnStartFailure);
