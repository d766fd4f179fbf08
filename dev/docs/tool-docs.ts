import path from 'node:path';
import { z } from 'zod';
import { IN_PROCESS_TOOLS_FOLDER, loadToolFolder, type Tool } from '../../src/tools';
import { cell, type GeneratedTable } from './generated-section';

/**
 * The tables of tools in docs/tools.md, written from the tool folders themselves (a tool is its
 * file): each tool's name, its arguments as the JSON Schema the model sees, and what the model is
 * told it does. `npm run docs:generate` rewrites them; test/tools-doc.test.ts fails while the
 * committed page differs.
 */

/**
 * The MCP tool service's folder, beside this file's copy of src/ (the sources under Jest, the
 * build's in dist-dev/), as its entry point finds it (src/toolservice/server.ts).
 */
const TOOL_SERVICE_TOOLS_FOLDER = path.join(__dirname, '..', '..', 'src', 'toolservice', 'tools');

type JsonSchema = {
  type?: string;
  items?: JsonSchema;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
};

const range = (low: number | undefined, high: number | undefined, unit = '') =>
  low !== undefined && high !== undefined
    ? `${low.toLocaleString('en')} to ${high.toLocaleString('en')}${unit}`
    : high !== undefined
      ? `≤ ${high.toLocaleString('en')}${unit}`
      : undefined;

/** One argument in a few words: `limit` (integer, 1 to 10, default 3). */
function describeArgument(name: string, schema: JsonSchema, required: boolean): string {
  const type =
    schema.type === 'array' && schema.items?.type ? `${schema.items.type}s` : schema.type;
  const details = [
    type,
    range(schema.minimum, schema.maximum),
    range(schema.minLength, schema.maxLength, ' chars'),
    range(schema.minItems, schema.maxItems, ' items'),
    schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : undefined,
    !required && schema.default === undefined ? 'optional' : undefined,
  ].filter(Boolean);
  return `\`${name}\` (${details.join(', ')})`;
}

function argumentsOf(tool: Tool): string {
  const schema = z.toJSONSchema(tool.argumentsSchema, { io: 'input' }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  const described = Object.entries(schema.properties ?? {}).map(([name, property]) =>
    describeArgument(name, property, schema.required?.includes(name) ?? false),
  );
  return described.join(', ') || 'none';
}

function toolTable(tools: readonly Tool[]): string {
  const rows = tools.map(
    (tool) => `| \`${tool.name}\` | ${cell(argumentsOf(tool))} | ${cell(tool.description)} |`,
  );
  return ['| Tool | Arguments | What the model is told |', '| --- | --- | --- |', ...rows].join(
    '\n',
  );
}

export const TOOL_TABLES: readonly GeneratedTable[] = [
  {
    file: 'docs/tools.md',
    marker: 'in-process-tools',
    table: () => toolTable(loadToolFolder(IN_PROCESS_TOOLS_FOLDER)),
  },
  {
    file: 'docs/tools.md',
    marker: 'tool-service-tools',
    table: () => toolTable(loadToolFolder(TOOL_SERVICE_TOOLS_FOLDER)),
  },
];
