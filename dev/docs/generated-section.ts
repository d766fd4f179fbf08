/**
 * How a page holds a generated table: between `<!-- generated:<marker>:begin ... -->` and its
 * `end`, so that the prose around it stays hand-written. `npm run docs:generate` rewrites what
 * stands between the markers, and each page's test fails while the committed page differs.
 */

/** A table written into a page: the file, the name of its markers in it, and the table. */
export interface GeneratedTable {
  file: string;
  marker: string;
  table: () => string;
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
export function generatedDocuments(
  tables: readonly GeneratedTable[],
  read: (file: string) => string,
): Map<string, string> {
  const documents = new Map<string, string>();
  for (const { file, marker, table } of tables)
    documents.set(file, withGenerated(documents.get(file) ?? read(file), marker, table()));
  return documents;
}

/** A markdown table cell: a `|` in the text would end it. */
export const cell = (text: string) => text.replaceAll('|', '\\|');
