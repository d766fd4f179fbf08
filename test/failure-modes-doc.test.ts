import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * docs/failure-modes.md names, for every row, the test that proves it: a file in backticks and
 * text in double quotes that stands in that file. A row whose test is renamed or deleted fails
 * here.
 */
const ROOT = path.join(__dirname, '..');
const doc = readFileSync(path.join(ROOT, 'docs', 'failure-modes.md'), 'utf8');

interface Reference {
  row: string;
  file: string;
  quoted: string[];
}

/** The rows of the tables whose header starts with "Case" (not the figures table). */
function caseRows(markdown: string): string[] {
  const rows: string[] = [];
  let inCaseTable = false;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) inCaseTable = false;
    else if (line.startsWith('| Case |')) inCaseTable = true;
    else if (inCaseTable && !line.startsWith('| ---')) rows.push(line);
  }
  return rows;
}

function referencesOf(markdown: string): Reference[] {
  return caseRows(markdown).flatMap((line) => {
    const cells = line.split(' | ');
    const testCell = cells.at(-1) ?? '';
    return testCell.split(/; (?=`)/).flatMap((part) => {
      const file = /`([^`]+\.test\.ts)`/.exec(part)?.[1];
      if (!file) return [];
      return [
        {
          row: cells[0]!.replace(/^\| /, ''),
          file,
          quoted: [...part.matchAll(/"([^"]+)"/g)].map((match) => match[1]!),
        },
      ];
    });
  });
}

const references = referencesOf(doc);

describe('docs/failure-modes.md', () => {
  it('names a test for every row of every table', () => {
    const tableRows = caseRows(doc);
    const rowsWithTests = new Set(references.map((reference) => reference.row));
    for (const line of tableRows)
      expect(rowsWithTests).toContain(line.split(' | ')[0]!.replace(/^\| /, ''));
    expect(references.length).toBeGreaterThan(40);
  });

  it.each(references.map((reference) => [reference.row, reference]))(
    'row "%s" points at a test that exists',
    (_row, reference) => {
      const source = readFileSync(path.join(ROOT, (reference as Reference).file), 'utf8');
      expect((reference as Reference).quoted.length).toBeGreaterThan(0);
      for (const text of (reference as Reference).quoted)
        expect({ file: (reference as Reference).file, text, found: source.includes(text) }).toEqual(
          {
            file: (reference as Reference).file,
            text,
            found: true,
          },
        );
    },
  );
});
