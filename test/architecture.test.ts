import { execFile } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

  it('refuses agent code that names a span attribute itself', async () => {
    await withProbe(
      'src/agent/lint-probe-names.ts',
      "export { ATTR_TOOL_SUCCESS } from '../tracing/semconv';\n",
      async (file) => {
        const { code, output } = await checkLayers(file);
        expect(code).not.toBe(0);
        expect(output).toContain('names-stay-in-tracing');
      },
    );
  }, 60_000);
});

/** A call that changes a span: what only the recorders in src/tracing/ may do. */
const SPAN_CHANGE = /\.(setAttributes?|addEvent|recordException|setStatus|updateName)\(/;

/** The product's TypeScript files outside `src/tracing/`, tests left out. */
async function productFilesOutsideTracing(): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, 'src'), { recursive: true, withFileTypes: true });
  return entries
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .filter((file) => !file.startsWith(path.join('src', 'tracing') + path.sep));
}

describe('one owner per span kind', () => {
  it('leaves every change to our spans to the recorders in src/tracing/', async () => {
    const files = await productFilesOutsideTracing();
    expect(files.length).toBeGreaterThan(50);
    const offending: string[] = [];
    for (const file of files) {
      const lines = (await readFile(path.join(ROOT, file), 'utf8')).split('\n');
      lines.forEach((line, index) => {
        if (SPAN_CHANGE.test(line)) offending.push(`${file}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offending).toEqual([]);
  });
});

describe('the teaching SDK file', () => {
  it('reads top to bottom in at most 60 lines: resource, exporters, processors, sampler, propagators, instrumentations', async () => {
    const text = await readFile(path.join(ROOT, 'src', 'tracing', 'setup', 'sdk.ts'), 'utf8');
    expect(text.trimEnd().split('\n').length).toBeLessThanOrEqual(60);
    const steps = [
      'Resource',
      'Exporters',
      'Processors',
      'Sampler',
      'Propagators',
      'Instrumentations',
    ];
    const positions = steps.map((step, index) => text.indexOf(`// ${index + 1}. ${step}`));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});
