import { VARIABLES, type VariableName } from '../../src/variables';
import { cell, type GeneratedTable } from './generated-section';

/**
 * The tables of environment variables in the documentation, written from the one schema
 * (src/variables.ts) so that they cannot drift from it: `npm run docs:generate` rewrites them,
 * and test/configuration-doc.test.ts fails while a committed page differs from what it writes.
 */

/** The variables most people set, in the order the README shows them. */
const README_VARIABLES: readonly VariableName[] = [
  'GEMINI_API_KEY',
  'GEMINI_MODEL',
  'PORT',
  'NODE_ENV',
  'AGENT_API_KEYS',
  'DATABASE_URL',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_TRACES_SAMPLER',
  'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT',
];

const READERS = { tracing: 'preload', app: 'application', sdk: 'SDK' } as const;

/** Where each table of variables goes: the file, and the name of its markers in it. */
export const VARIABLE_TABLES: readonly GeneratedTable[] = [
  { file: 'README.md', marker: 'variables', table: () => shortTable(README_VARIABLES) },
  {
    file: 'docs/configuration.md',
    marker: 'variables',
    table: () => fullTable(Object.keys(VARIABLES) as VariableName[]),
  },
];

function shortTable(names: readonly VariableName[]): string {
  const rows = names.map((name) => {
    const variable = VARIABLES[name];
    return `| \`${name}\` | ${cell(variable.default)} | ${cell(variable.description)} |`;
  });
  return ['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

function fullTable(names: readonly VariableName[]): string {
  const rows = names.map((name) => {
    const variable = VARIABLES[name];
    const readBy = variable.readBy.map((reader) => READERS[reader]).join(', ');
    return `| \`${name}\` | ${cell(variable.default)} | ${readBy} | ${cell(variable.description)} |`;
  });
  return ['| Variable | Default | Read by | Meaning |', '| --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}
