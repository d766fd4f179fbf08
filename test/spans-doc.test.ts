import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generatedDocuments } from '../dev/docs/generated-section';
import { describedConstants } from '../dev/docs/name-descriptions';
import { NAMES_MODULE, SPAN_TABLES } from '../dev/docs/span-docs';
import * as semconv from '../src/tracing/semconv';
import { backticked, readSpansPage } from './support/span-doc-table';

/**
 * docs/spans.md against the names module (src/tracing/semconv.ts), without a process: its span
 * table is the one `npm run docs:generate` writes from the module; every span, attribute and event
 * name the module declares has a meaning (the comment above it) and is documented (on
 * docs/spans.md, or, for the latest mode's names and the metrics' own, on
 * docs/semantic-conventions.md and docs/metrics.md); and every attribute and event the span table
 * lists is a name the module declares. The integration test test/integration/span-table.test.ts
 * holds the same table to the spans real processes send.
 */
const ROOT = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const DOCUMENTED_ON = ['docs/spans.md', 'docs/semantic-conventions.md', 'docs/metrics.md'];
/** The code spans of a page's prose (its fenced blocks left out). */
const codeSpans = (file: string) => backticked(read(file).replace(/^```[\s\S]*?^```/gm, ''));
const documented = new Set(DOCUMENTED_ON.flatMap(codeSpans));

/** The names the module declares for spans: attributes, events and span names. */
const declared = new Map(
  Object.entries(semconv as Record<string, unknown>).filter(
    (entry): entry is [string, string] =>
      /^(ATTR|EVENT|SPAN)_/.test(entry[0]) && typeof entry[1] === 'string',
  ),
);

/** Set by the OpenTelemetry API itself, when a span records an exception. */
const EXCEPTION_EVENT = [
  'exception',
  'exception.type',
  'exception.message',
  'exception.stacktrace',
];

const table = readSpansPage(ROOT);
const listed = [
  ...table.rows.flatMap((row) => [
    ...row.attributes,
    ...row.events.flatMap((event) => [event.name, ...event.attributes]),
  ]),
  ...table.content,
];

describe('docs/spans.md against the names module', () => {
  it('reads the module and the table (the checks below are not vacuous)', () => {
    expect(declared.size).toBeGreaterThan(60);
    expect(listed.length).toBeGreaterThan(60);
  });

  it('holds the span table npm run docs:generate writes from the names module', () => {
    const generated = generatedDocuments(SPAN_TABLES, read);
    expect(read('docs/spans.md')).toBe(generated.get('docs/spans.md'));
  });

  it('has a meaning for every span, attribute and event name the module declares', () => {
    const meanings = describedConstants(read(NAMES_MODULE));
    const withoutMeaning = [...declared]
      .filter(([constant]) => !meanings.get(constant))
      .map(([constant, name]) => `${constant} (${name})`);
    expect(withoutMeaning).toEqual([]);
  });

  it('documents every span, attribute and event name the module declares', () => {
    const undocumented = [...declared]
      .filter(([, name]) => !documented.has(name))
      .map(([constant, name]) => `${constant} (${name})`);
    expect(undocumented).toEqual([]);
  });

  it('lists only attributes and events the module declares', () => {
    const names = new Set([...declared.values(), ...EXCEPTION_EVENT]);
    expect([...new Set(listed)].filter((name) => !names.has(name))).toEqual([]);
  });
});
