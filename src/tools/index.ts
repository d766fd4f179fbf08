import { calculator } from './calculator';
import { formatMarkdownTool } from './format-markdown';
import { getCurrentTime } from './get-current-time';
import { ToolRegistry } from './registry';
import { searchKnowledgeBase } from './search-knowledge-base';
import type { Tool } from './tool';

export { ToolRegistry } from './registry';
export { runToolCall } from './run-tool-call';
export { ToolError } from './tool-errors';
export type { Tool, ToolContext } from './tool';

/** The agent service's tools. */
const agentTools: readonly Tool[] = [
  calculator,
  searchKnowledgeBase,
  getCurrentTime,
  formatMarkdownTool,
] as Tool[];

export function createAgentToolRegistry(extraTools: readonly Tool[] = []): ToolRegistry {
  return new ToolRegistry([...agentTools, ...extraTools]);
}
