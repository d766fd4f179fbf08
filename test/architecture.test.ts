import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.join(__dirname, '..');
const run = promisify(execFile);

/** Runs the layer check of `npm run lint` on one file; resolves with its exit code and output. */
async function checkLayers(file: string): Promise<{ code: number; output: string }> {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'depcruise');
  try {
    const { stdout } = await run(
      bin,
      [file, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
      { cwd: ROOT },
    );
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout };
  }
}

/** A throwaway module in the product's tree, removed afterwards. */
async function withProbe(
  relativePath: string,
  source: string,
  check: (file: string) => Promise<void>,
): Promise<void> {
  const file = path.join(ROOT, relativePath);
  await writeFile(file, source);
  try {
    await check(relativePath);
  } finally {
    await rm(file, { force: true });
  }
}

describe('the layers, as npm run lint enforces them', () => {
  it('refuses a tool that imports from the HTTP layer', async () => {
    await withProbe(
      'src/tools/lint-probe-upward.ts',
      "export { HttpError } from '../http/errors';\n",
      async (file) => {
        const { code, output } = await checkLayers(file);
        expect(code).not.toBe(0);
        expect(output).toContain('tools-stand-alone');
      },
    );
  }, 60_000);

  it('refuses tracing that reads the application config', async () => {
    await withProbe(
      'src/tracing/lint-probe-config.ts',
      "export { loadConfig } from '../config';\n",
      async (file) => {
        const { code, output } = await checkLayers(file);
        expect(code).not.toBe(0);
        expect(output).toContain('tracing-below-the-application');
      },
    );
  }, 60_000);

  it('accepts an import that points down', async () => {
    await withProbe(
      'src/tools/lint-probe-downward.ts',
      "export { LIMITS } from '../limits';\n",
      async (file) => {
        expect(await checkLayers(file)).toMatchObject({ code: 0 });
      },
    );
  }, 60_000);
});
