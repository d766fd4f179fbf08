import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VARIABLE_NAMES, VARIABLES, type VariableName } from '../src/variables';
import { tableAfter } from './support/markdown-table';

/**
 * The README's configuration table documents the variables of the one schema (src/variables.ts),
 * no more and no fewer, each with the default the schema gives: a variable added, removed or made
 * a constant fails here until the table says so.
 */
const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const rows = tableAfter(readme, '## Configuration').map(([names = '', byDefault = '']) => ({
  names: [...names.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1]!),
  byDefault,
}));

describe("README's configuration table", () => {
  it('documents every variable of the schema, and only those', () => {
    expect(rows.length).toBeGreaterThan(40);
    expect(rows.flatMap((row) => row.names).sort()).toEqual([...VARIABLE_NAMES].sort());
  });

  it.each(
    rows.filter((row) => row.names.length === 1).map((row) => [row.names[0]!, row.byDefault]),
  )('gives %s the default of the schema', (name, byDefault) => {
    expect(byDefault).toBe(VARIABLES[name as VariableName].default);
  });
});
