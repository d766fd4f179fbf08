import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generatedDocuments } from '../dev/docs/generated-section';
import { VARIABLE_TABLES } from '../dev/docs/variable-docs';
import { VARIABLE_NAMES } from '../src/variables';
import { tableAfter } from './support/markdown-table';

/**
 * The tables of variables in docs/configuration.md and the README are the ones `npm run
 * docs:generate` writes from the one schema (src/variables.ts): a variable added, removed, made a
 * constant or given another default fails here until the pages are generated again.
 */
const ROOT = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const generated = generatedDocuments(VARIABLE_TABLES, read);

describe('the tables of variables', () => {
  it.each(VARIABLE_TABLES.map(({ file }) => [file]))(
    '%s holds the table npm run docs:generate writes from the schema',
    (file) => {
      expect(read(file)).toBe(generated.get(file));
    },
  );

  it('documents every variable of the schema in docs/configuration.md, and only those', () => {
    const rows = tableAfter(read('docs/configuration.md'), '<!-- generated:variables:begin');
    const names = rows.map(([name = '']) => name.replaceAll('`', ''));
    expect(names.sort()).toEqual([...VARIABLE_NAMES].sort());
  });
});
