import { VARIABLES, type VariableName } from '../../src/variables';

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

/** Where each generated table goes: the file, and the name of its markers in it. */
export const GENERATED_TABLES = [
  { file: 'README.md', marker: 'variables', table: () => shortTable(README_VARIABLES) },
  {
    file: 'docs/configuration.md',
    marker: 'variables',
    table: () => fullTable(Object.keys(VARIABLES) as VariableName[]),
  },
] as const;

const cell = (text: string) => text.replaceAll('|', '\\|');

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

/**
 * `document` with what stands between `<!-- generated:<marker>:begin -->` and its `end` replaced
 * by `content`. Throws when the markers are missing, rather than write a page without its table.
 */
function withGenerated(document: string, marker: string, content: string): string {
  const begin = `<!-- generated:${marker}:begin (npm run docs:generate) -->`;
  const end = `<!-- generated:${marker}:end -->`;
  const start = document.indexOf(begin);
  const stop = document.indexOf(end);
  if (start === -1 || stop < start) throw new Error(`No ${begin} ... ${end} in the document`);
  return `${document.slice(0, start + begin.length)}\n${content}\n${document.slice(stop)}`;
}

/** Each file with a generated table, as it reads once its tables are written again. */
export function generatedDocuments(read: (file: string) => string): Map<string, string> {
  const documents = new Map<string, string>();
  for (const { file, marker, table } of GENERATED_TABLES)
    documents.set(file, withGenerated(documents.get(file) ?? read(file), marker, table()));
  return documents;
}
