import { z } from 'zod';
import type { JsonObject, Tool, ToolDeclaration } from './tool';

/** The tools an agent may call, keyed by name. */
export class ToolRegistry {
  /** A Map, not an object: tool names come from model output, and `__proto__` or `constructor` must not resolve. */
  private readonly tools = new Map<string, Tool>();
  readonly declarations: readonly ToolDeclaration[];

  constructor(tools: readonly Tool[]) {
    for (const tool of tools) {
      if (this.tools.has(tool.name)) throw new Error(`Duplicate tool name: ${tool.name}`);
      this.tools.set(tool.name, tool);
    }
    this.declarations = tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      parameters: z.toJSONSchema(tool.argumentsSchema, { io: 'input' }) as JsonObject,
    }));
  }

  get(name: string): Tool | undefined {
    return this.tools.get(name);
  }

  get names(): string[] {
    return [...this.tools.keys()];
  }
}
