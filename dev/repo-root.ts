import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository root, found by walking up to `package.json`: the tooling runs both from its
 * sources (`dev/`, under Jest) and compiled (`dist-dev/dev/`), at different depths.
 */
function findRoot(from: string): string {
  for (let directory = from; ; directory = path.dirname(directory)) {
    if (existsSync(path.join(directory, 'package.json'))) return directory;
    if (path.dirname(directory) === directory) throw new Error(`No package.json above ${from}`);
  }
}

export const ROOT = findRoot(__dirname);
