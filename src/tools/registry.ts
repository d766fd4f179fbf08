import { z } from 'zod';
import type { JsonObject, Tool, ToolDeclaration } from './tool';

/** A schema JSON cannot describe (a date, a function) ends start-up naming the tool. */
function jsonSchemaOf(tool: Tool): JsonObject {
  try {
    return z.toJSONSchema(tool.argumentsSchema, { io: 'input' }) as JsonObject;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`tool ${tool.name}: its arguments cannot be told to a model: ${reason}`, {
      cause: error,
    });
  }
}

function declare(tool: Tool): ToolDeclaration {
  const parameters = tool.parameters ?? jsonSchemaOf(tool);
  return { name: tool.name, description: tool.description, parameters };
}

/**
 * The tools an agent may call, keyed by name. Tools found after start-up (those of an MCP server
 * that came up later) are `add`ed; a model call declares the tools registered at that moment.
 */
export class ToolRegistry {
  /**
   * A Map, not an object: tool names come from model output, and `__proto__` or `constructor` must
   * not resolve.
   */
  private readonly tools = new Map<string, Tool>();
  private declared: readonly ToolDeclaration[] = [];

  constructor(tools: readonly Tool[]) {
    for (const tool of tools) {
      if (this.tools.has(tool.name)) throw new Error(`Duplicate tool name: ${tool.name}`);
      this.tools.set(tool.name, tool);
    }
    this.declared = tools.map(declare);
  }

  get declarations(): readonly ToolDeclaration[] {
    return this.declared;
  }

  /**
   * Adds the tools whose names are free; returns the names already taken, which keep their tool.
   */
  add(tools: readonly Tool[]): string[] {
    const taken: string[] = [];
    for (const tool of tools) {
      if (this.tools.has(tool.name)) {
        taken.push(tool.name);
        continue;
      }
      this.tools.set(tool.name, tool);
      // A new array, not a push: a model call already under way keeps the list it was given.
      this.declared = [...this.declared, declare(tool)];
    }
    return taken;
  }

  get(name: string): Tool | undefined {
    return this.tools.get(name);
  }

  get names(): string[] {
    return [...this.tools.keys()];
  }
}
