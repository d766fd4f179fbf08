import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../repo-root';
import { generatedDocuments } from './variable-docs';

/** `npm run docs:generate`: writes the documentation's tables of variables from the schema. */
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

for (const [file, text] of generatedDocuments(read)) {
  const changed = text !== read(file);
  if (changed) writeFileSync(path.join(ROOT, file), text);
  console.log(`${file}: ${changed ? 'written' : 'unchanged'}`);
}
