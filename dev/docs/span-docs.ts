import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as semconv from '../../src/tracing/semconv';
import type { CarriedAttribute, CarriedEvent, SpanContents } from '../../src/tracing/semconv';
import { ROOT } from '../repo-root';
import { cell, type GeneratedTable } from './generated-section';
import { describedConstants } from './name-descriptions';

/**
 * The span table of docs/spans.md, written from the names module (src/tracing/semconv.ts): which
 * spans carry which attributes and events (`WHAT_EACH_SPAN_CARRIES`), and what each name means
 * (the comment above its constant). `npm run docs:generate` rewrites it; test/spans-doc.test.ts
 * fails while the committed page differs, and test/integration/span-table.test.ts holds the
 * table to the spans real processes send.
 */

export const NAMES_MODULE = 'src/tracing/semconv.ts';

/** What each name of the names module means, by the name (`llm.generate`), from its source. */
function meaningsOf(source: string): Map<string, string> {
  const values = semconv as Record<string, unknown>;
  const meanings = new Map<string, string>();
  for (const [constant, description] of describedConstants(source)) {
    const name = values[constant];
    if (typeof name === 'string' && description) meanings.set(name, description);
  }
  return meanings;
}

const code = (name: string) => `\`${name}\``;

/** `| a | b |`, with an empty cell as `| |` as the hand-written tables have it. */
const row = (cells: readonly string[]) =>
  `|${cells.map((text) => (text ? ` ${cell(text)} ` : ' ')).join('|')}|`;

function spansCell({ spans, about }: SpanContents): string {
  const names = typeof spans === 'string' ? spans : spans.map(code).join(', ');
  return about ? `${names} (${about})` : names;
}

/**
 * The span table: a row per attribute and per event of each span, its meaning the name's
 * description and then what it says on that span. Throws for a name without either, rather than
 * write a row that says nothing.
 */
export function spanTable(
  contents: readonly SpanContents[],
  meanings: ReadonlyMap<string, string>,
): string {
  const meaning = (name: string, note: string | undefined) => {
    const text = [meanings.get(name), note].filter(Boolean).join(' ');
    if (!text) throw new Error(`${name}: no description in ${NAMES_MODULE}, and no note`);
    return text;
  };
  const attributeRow = (carried: string | CarriedAttribute) => {
    const attribute: CarriedAttribute = typeof carried === 'string' ? { name: carried } : carried;
    const { name, value, workshopName, note } = attribute;
    const named = value === undefined ? code(name) : `${code(name)} = ${code(value)}`;
    return [named, workshopName ? code(workshopName) : '', meaning(name, note)];
  };
  const eventRow = ({ event, attributes, note }: CarriedEvent) => {
    const listed = attributes.length > 0 ? ` (${attributes.map(code).join(', ')})` : '';
    return [`event ${code(event)}${listed}`, '', meaning(event, note)];
  };
  const rows = contents.flatMap((span) => {
    const carried = [...span.attributes.map(attributeRow), ...(span.events ?? []).map(eventRow)];
    if (carried.length === 0) throw new Error(`${spansCell(span)}: carries nothing`);
    return carried.map((cells, index) => row([index === 0 ? spansCell(span) : '', ...cells]));
  });
  return [
    '| Span | Attribute | Workshop name | Meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export const SPAN_TABLES: readonly GeneratedTable[] = [
  {
    file: 'docs/spans.md',
    marker: 'spans',
    table: () =>
      spanTable(
        semconv.WHAT_EACH_SPAN_CARRIES,
        meaningsOf(readFileSync(path.join(ROOT, NAMES_MODULE), 'utf8')),
      ),
  },
];
