import { z } from 'zod';
import { ToolRegistry } from './registry';
import { defineTool } from './tool';

const tool = (name: string, argumentsSchema: z.ZodType) =>
  defineTool({ name, description: `The ${name} tool.`, argumentsSchema, run: () => ({}) });

describe('a tool registry', () => {
  it('declares each tool with the JSON Schema of its arguments', () => {
    const registry = new ToolRegistry([tool('echo', z.object({ text: z.string().max(10) }))]);

    expect(registry.declarations[0]?.parameters).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string', maxLength: 10 } },
    });
  });

  it('names the tool whose arguments JSON Schema cannot describe', () => {
    expect(() => new ToolRegistry([tool('remind', z.object({ at: z.date() }))])).toThrow(
      /^tool remind: its arguments cannot be told to a model: .*Date/,
    );
  });
});
