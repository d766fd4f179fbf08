import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../repo-root';

const run = promisify(execFile);

/** Kept between runs: `.bench/` is ignored by git. */
const RUNTIMES_DIR = path.join(ROOT, '.bench', 'runtimes');

const PACKAGE = `node-${process.platform}-${process.arch}`;

/** Where `version`'s node is kept once provisioned. */
export function provisionedNode(version: string): string {
  return path.join(RUNTIMES_DIR, `${PACKAGE}-${version}`, 'bin', 'node');
}

/**
 * The official Node.js binary of `version` for this machine, from the npm registry's
 * `node-<platform>-<arch>` package (the build nodejs.org ships), fetched once with `npm pack` and
 * kept in `.bench/runtimes/`. Resolves with the path of its `node`.
 */
export async function provisionNode(version: string): Promise<string> {
  const node = provisionedNode(version);
  if (existsSync(node)) return node;
  const directory = path.dirname(path.dirname(node));
  mkdirSync(RUNTIMES_DIR, { recursive: true });
  const scratch = mkdtempSync(path.join(RUNTIMES_DIR, '.download-'));
  try {
    // npm pack prints the tarball's name last.
    const { stdout } = await run('npm', ['pack', `${PACKAGE}@${version}`], { cwd: scratch });
    const tarball = stdout.trim().split('\n').at(-1)!;
    await run('tar', ['-xzf', path.join(scratch, tarball), '-C', scratch]);
    // Moved into place only when whole, so an interrupted download leaves no half runtime.
    renameSync(path.join(scratch, 'package'), directory);
  } catch (error) {
    // Another run may have provisioned the same version meanwhile.
    if (!existsSync(node)) throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return node;
}
