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

let loaded: readonly Tool[] | undefined;

/** The agent's own tools, read from their folder once. */
export function inProcessTools(): readonly Tool[] {
  return (loaded ??= loadToolFolder(IN_PROCESS_TOOLS_FOLDER));
}

export function createAgentToolRegistry(extraTools: readonly Tool[] = []): ToolRegistry {
  return new ToolRegistry([...inProcessTools(), ...extraTools]);
}
