import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readGuideChanges, type GuideChange } from './support/guide-changes';

/**
 * Each "Prueba a cambiar" of docs/taller.md says what happens to the tests: a student who makes the
 * change and reruns them must find what the guide says, not conclude they did it wrong. The change
 * is made on a copy of the repository (never on this one) and only the tests the guide names are
 * run there; a change made at run time names its exercise's test, which must exist.
 */
const ROOT = path.join(__dirname, '..');
const changes = readGuideChanges(readFileSync(path.join(ROOT, 'docs', 'taller.md'), 'utf8'));
const codeChanges = changes.filter((change) => change.edits.length);
const runTimeChanges = changes.filter((change) => change.namedTest);

/** Compiled test files stay cached across runs: the copies keep the same paths. */
const JEST_CACHE = path.join(os.tmpdir(), 'traced-agent-taller-changes', 'jest-cache');

/** The repository's files (tracked and new, not ignored) in a fresh directory, node_modules linked. */
async function copyRepository(name: string): Promise<string> {
  const copy = path.join(os.tmpdir(), 'traced-agent-taller-changes', name);
  await rm(copy, { recursive: true, force: true });
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((file) => file && existsSync(path.join(ROOT, file)));
  for (const file of files) {
    await mkdir(path.dirname(path.join(copy, file)), { recursive: true });
    await cp(path.join(ROOT, file), path.join(copy, file));
  }
  await symlink(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  return copy;
}

async function applyEdits(copy: string, change: GuideChange): Promise<void> {
  for (const { file, before, after } of change.edits) {
    const target = path.join(copy, file);
    const text = await readFile(target, 'utf8');
    const occurrences = text.split(before).length - 1;
    if (occurrences !== 1)
      throw new Error(
        `${change.heading}: the guide's diff of ${file} matches ${occurrences} places, not one:\n${before}`,
      );
    await writeFile(
      target,
      text.replace(before, () => after),
    );
  }
}

interface JestReport {
  testResults: {
    name: string;
    status: string;
    message: string;
    assertionResults: { title: string; status: string }[];
  }[];
}

/** Runs jest in the copy; resolves with the titles that failed (a suite that could not run, too). */
function failingTitles(copy: string, args: readonly string[]): Promise<string[]> {
  const report = path.join(copy, 'jest-report.json');
  const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [jest, '--ci', '--json', `--outputFile=${report}`, `--cacheDirectory=${JEST_CACHE}`, ...args],
      { cwd: copy, timeout: 170_000, maxBuffer: 32 * 1024 * 1024 },
      (_error, _stdout, stderr) => {
        readFile(report, 'utf8').then(
          (text) => {
            const { testResults } = JSON.parse(text) as JestReport;
            resolve(
              testResults.flatMap((suite) =>
                suite.assertionResults.length
                  ? suite.assertionResults
                      .filter((test) => test.status === 'failed')
                      .map((test) => test.title)
                  : suite.status === 'failed'
                    ? [
                        `(${path.relative(copy, suite.name)} did not run: ${suite.message.slice(0, 300)})`,
                      ]
                    : [],
              ),
            );
          },
          () => reject(new Error(`jest wrote no report:\n${stderr}`)),
        );
      },
    );
  });
}

describe('docs/taller.md, "Prueba a cambiar"', () => {
  it('says, in every section that suggests a change, what happens to the tests', () => {
    expect(codeChanges.length).toBeGreaterThanOrEqual(4);
    expect(runTimeChanges.length).toBeGreaterThanOrEqual(8);
  });

  it.each(codeChanges.map((change, index) => [change.heading, change, index] as const))(
    '%s: made on a copy, fails exactly the tests the guide names',
    async (_heading, change, index) => {
      const copy = await copyRepository(`change-${index}`);
      try {
        await applyEdits(copy, change);
        expect((await failingTitles(copy, change.jestArguments)).sort()).toEqual(
          [...change.failingTitles!].sort(),
        );
      } finally {
        await rm(copy, { recursive: true, force: true });
      }
    },
    180_000,
  );

  it.each(runTimeChanges.map((change) => [change.heading, change] as const))(
    '%s: names a test of the exercise that exists',
    (_heading, change) => {
      const { files, title } = change.namedTest!;
      expect(files.length).toBeGreaterThan(0);
      const sources = files.map((file) => readFileSync(path.join(ROOT, file), 'utf8'));
      expect(sources.some((source) => source.includes(title))).toBe(true);
    },
  );
});
