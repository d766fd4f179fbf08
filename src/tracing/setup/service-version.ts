import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * `version` from package.json, which sits three levels up from both `src/tracing/setup` and `dist/tracing/setup`.
 */
export function readServiceVersion(): string {
  try {
    const manifest = JSON.parse(
      readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
    ) as { version?: string };
    return manifest.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
