import { z } from 'zod';
import { inProcessTools, type Tool } from '../../src/tools';
import { servedTools } from '../../src/toolservice/served-tools';
import { cell, type GeneratedTable } from './generated-section';

/**
 * The tables of tools in docs/tools.md, written from the tool folders themselves (a tool is its
 * file): each tool's name, its arguments as the JSON Schema the model sees, and what the model is
 * told it does. `npm run docs:generate` rewrites them; test/tools-doc.test.ts fails while the
 * committed page differs.
 */

type JsonSchema = {
  type?: string | string[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  items?: JsonSchema;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
};

const number = (value: number) => value.toLocaleString('en');

/** `1 to 10`, `≥ 1`, `≤ 500`; a bound zod gives every integer (the safe range) says nothing. */
function range(low?: number, high?: number, unit = ''): string | undefined {
  const said = (bound?: number) =>
    bound !== undefined && Math.abs(bound) !== Number.MAX_SAFE_INTEGER ? bound : undefined;
  const [from, to] = [said(low), said(high)];
  if (from !== undefined && to !== undefined) return `${number(from)} to ${number(to)}${unit}`;
  if (from !== undefined) return `≥ ${number(from)}${unit}`;
  return to === undefined ? undefined : `≤ ${number(to)}${unit}`;
}

/** `string`, `numbers` for an array of them, `string or number` for a union. */
function typeOf(schema: JsonSchema): string | undefined {
  if (schema.anyOf) return schema.anyOf.map(typeOf).filter(Boolean).join(' or ');
  if (Array.isArray(schema.type)) return schema.type.join(' or ');
  if (schema.type === 'array' && schema.items) return `${typeOf(schema.items) ?? 'value'}s`;
  return schema.type;
}

/** One argument in a few words: `limit` (integer, 1 to 10, optional): how many results. */
function describeArgument(name: string, schema: JsonSchema, required: boolean): string {
  const details = [
    typeOf(schema),
    schema.enum ? `one of ${schema.enum.map((value) => JSON.stringify(value)).join(', ')}` : '',
    range(schema.minimum, schema.maximum),
    schema.exclusiveMinimum === undefined ? undefined : `> ${number(schema.exclusiveMinimum)}`,
    schema.exclusiveMaximum === undefined ? undefined : `< ${number(schema.exclusiveMaximum)}`,
    range(schema.minLength, schema.maxLength, ' chars'),
    range(schema.minItems, schema.maxItems, ' items'),
    schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : undefined,
    !required && schema.default === undefined ? 'optional' : undefined,
  ].filter(Boolean);
  const meaning = schema.description ? `: ${schema.description}` : '';
  return `\`${name}\` (${details.join(', ')})${meaning}`;
}

/** A tool's arguments as the table shows them, from the JSON Schema the model sees. */
export function argumentsOf(tool: Tool): string {
  const schema = z.toJSONSchema(tool.argumentsSchema, { io: 'input' }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  const described = Object.entries(schema.properties ?? {}).map(([name, property]) =>
    describeArgument(name, property, schema.required?.includes(name) ?? false),
  );
  return described.join('; ') || 'none';
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
    table: () => toolTable(inProcessTools()),
  },
  {
    file: 'docs/tools.md',
    marker: 'tool-service-tools',
    table: () => toolTable(servedTools()),
  },
];
