import path from 'node:path';
import { ToolRegistry } from './registry';
import type { Tool } from './tool';
import { loadToolFolder } from './tool-folder';

export { ToolRegistry } from './registry';
export { runToolCall } from './run-tool-call';
export { ToolError } from './tool-errors';
export { loadToolFolder } from './tool-folder';
export type { Tool, ToolContext } from './tool';

/** The agent service's own tools: one file each in this folder, which is their list. */
export const IN_PROCESS_TOOLS_FOLDER = path.join(__dirname, 'in-process');

let inProcessTools: readonly Tool[] | undefined;

export function createAgentToolRegistry(extraTools: readonly Tool[] = []): ToolRegistry {
  inProcessTools ??= loadToolFolder(IN_PROCESS_TOOLS_FOLDER);
  return new ToolRegistry([...inProcessTools, ...extraTools]);
}
