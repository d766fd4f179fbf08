import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../repo-root';
import { generatedDocuments } from './generated-section';
import { SPAN_TABLES } from './span-docs';
import { TOOL_TABLES } from './tool-docs';
import { VARIABLE_TABLES } from './variable-docs';

/**
 * `npm run docs:generate`: writes the documentation's generated tables, the variables from the
 * schema, the spans from the names module and the tools from their folders.
 */
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

for (const [file, text] of generatedDocuments(
  [...VARIABLE_TABLES, ...SPAN_TABLES, ...TOOL_TABLES],
  read,
)) {
  const changed = text !== read(file);
  if (changed) writeFileSync(path.join(ROOT, file), text);
  console.log(`${file}: ${changed ? 'written' : 'unchanged'}`);
}
