import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../repo-root';
import { sharedConfigCopies } from './shared-configs';

/** `npm run deploy:generate`: writes the manifests' copies of the files compose and the image use. */
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

for (const [file, text] of sharedConfigCopies(read)) {
  let current = '';
  try {
    current = read(file);
  } catch {
    // Not written yet.
  }
  if (text !== current) writeFileSync(path.join(ROOT, file), text);
  console.log(`${file}: ${text !== current ? 'written' : 'unchanged'}`);
}
