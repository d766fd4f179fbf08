import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generatedDocuments } from '../dev/docs/generated-section';
import { TOOL_TABLES } from '../dev/docs/tool-docs';
import { createAgentToolRegistry } from '../src/tools';
import { tableAfter } from './support/markdown-table';

/**
 * docs/tools.md's tables of tools are the ones `npm run docs:generate` writes from the tool folders:
 * a tool added, removed, renamed or given other arguments fails here until the page is generated
 * again.
 */
const ROOT = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

describe('the tables of tools', () => {
  it('docs/tools.md holds the tables npm run docs:generate writes from the tool folders', () => {
    expect(read('docs/tools.md')).toBe(generatedDocuments(TOOL_TABLES, read).get('docs/tools.md'));
  });

  it("lists the agent's own tools and the tool service's, each with its arguments", () => {
    const page = read('docs/tools.md');
    const names = (marker: string) =>
      tableAfter(page, `<!-- generated:${marker}:begin`).map(([name = '']) => name.slice(1, -1));
    expect(names('in-process-tools')).toEqual(createAgentToolRegistry().names);
    expect(names('tool-service-tools')).toEqual(['convert_units', 'statistics']);
    const search = tableAfter(page, '<!-- generated:in-process-tools:begin').find(
      ([name]) => name === '`search_knowledge_base`',
    );
    expect(search?.[1]).toBe(
      '`query` (string, 1 to 500 chars): What to look for, in a few words; `limit` (integer, ' +
        '1 to 10, optional): How many results to return (default 3)',
    );
  });
});
