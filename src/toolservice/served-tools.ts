import path from 'node:path';
import { loadToolFolder, type Tool } from '../tools';

/** The tools the MCP tool service serves: one file each in ./tools, which is their list. */
export const servedTools = (): Tool[] => loadToolFolder(path.join(__dirname, 'tools'));
