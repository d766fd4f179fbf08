import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The span table of docs/spans.md, read as its rows say it: which spans a row is about, the
 * attributes and events it lists for them, and the content attributes named below it. Read by
 * test/integration/span-table.test.ts (against real spans) and test/spans-doc.test.ts (against the
 * names module).
 */

export type SpanSelector =
  | { kind: 'named'; label: string; patterns: RegExp[] }
  | { kind: 'every' }
  | { kind: 'failed' }
  | { kind: 'root' };

interface DocumentedEvent {
  name: string;
  attributes: string[];
}

export interface TableRow {
  spans: SpanSelector;
  attributes: string[];
  events: DocumentedEvent[];
}

export const backticked = (text: string) =>
  [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);

/** `tool.<name>` matches `tool.calculator`; `tools/call <tool>` matches `tools/call statistics`. */
const spanNamePattern = (name: string) =>
  new RegExp(
    `^${name
      .split(/<[^>]+>/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('[^ ]+')}$`,
  );

function parseSpanCell(cell: string): SpanSelector {
  if (cell.startsWith('every span')) return { kind: 'every' };
  if (cell.startsWith('failed spans')) return { kind: 'failed' };
  if (cell.startsWith('the root of a new trace')) return { kind: 'root' };
  // Backticked settings (`X=y`) say when, not which span.
  const names = backticked(cell).filter((name) => !name.includes('='));
  return { kind: 'named', label: names.join(' / '), patterns: names.map(spanNamePattern) };
}

/**
 * `a`, `b` = `value` (a note), event `e` (`x`, `y`): attributes a and b, event e with x and y.
 * Backticked values (after `=`, or in parentheses after an attribute) are not attribute names.
 */
function parseAttributeCell(cell: string): Pick<TableRow, 'attributes' | 'events'> {
  const events: DocumentedEvent[] = [];
  const withoutEvents = cell.replace(
    /event `([^`]+)`(?:\s*\(([^)]*)\))?/g,
    (_whole, name: string, attributes = '') => {
      events.push({ name, attributes: backticked(attributes) });
      return '';
    },
  );
  const attributes = backticked(
    withoutEvents.replace(/\([^)]*\)/g, '').replace(/=\s*`[^`]*`/g, ''),
  );
  return { attributes, events };
}

function readSpanTable(page: string): { rows: TableRow[]; content: string[] } {
  const lines = page.split('\n');
  const header = lines.findIndex((line) => /^\| Span \| Attribute \|/.test(line));
  const rows: TableRow[] = [];
  let spans: SpanSelector | undefined;
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [spanCell, attributeCell] = line
      .slice(1, -1)
      .split(' | ')
      .map((cell) => cell.trim());
    // An empty span cell continues the row above.
    if (spanCell) spans = parseSpanCell(spanCell);
    rows.push({ spans: spans!, ...parseAttributeCell(attributeCell!) });
  }
  const content = backticked(/^Content \(([^)]*)\)/m.exec(page)?.[1] ?? '');
  return { rows, content };
}

/** The table of docs/spans.md, from the repository at `root`. */
export const readSpansPage = (root: string) =>
  readSpanTable(readFileSync(path.join(root, 'docs', 'spans.md'), 'utf8'));
