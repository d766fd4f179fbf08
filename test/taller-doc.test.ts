import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * docs/taller.md sends students to files and commands: every path it names must exist and every
 * npm script it names must be in package.json, so a rename cannot leave a student stranded.
 */
const ROOT = path.join(__dirname, '..');
const DOCS = path.join(ROOT, 'docs');
const guide = readFileSync(path.join(DOCS, 'taller.md'), 'utf8');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const scripts = Object.keys(
  (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: object })
    .scripts,
);

const unique = (values: string[]) => [...new Set(values)];

/** Paths of the repository (`src/…`, `test/…`, …), in backticks, prose or commands alike. */
const repositoryPaths = unique(
  [
    ...guide.matchAll(/(?<![\w/.-])((?:src|test|dev|docs|knowledge-base|taller)\/[\w./-]*[\w/])/g),
  ].map((match) => match[1]!),
);
/** Top-level files named in backticks (`README.md`, `docker-compose.tracing.yml`, ...). */
const topLevelFiles = unique(
  [...guide.matchAll(/`([\w.-]+\.(?:md|ya?ml|json|cjs))`/g)].map((match) => match[1]!),
);
/** Relative Markdown links, resolved from docs/. */
const links = unique([...guide.matchAll(/\]\((?!https?:|#)([^)#\s]+)/g)].map((match) => match[1]!));
const npmScripts = unique([
  ...[...guide.matchAll(/npm run ([\w:.-]*\w)/g)].map((match) => match[1]!),
  ...[...guide.matchAll(/npm (start|test)\b/g)].map((match) => match[1]!),
]);

describe('docs/taller.md', () => {
  it('names files and scripts (the checks below are not vacuous)', () => {
    expect(repositoryPaths.length).toBeGreaterThan(30);
    expect(npmScripts).toEqual(expect.arrayContaining(['start', 'demo', 'start:tools']));
  });

  it.each(repositoryPaths)('names %s, which exists', (name) => {
    expect(existsSync(path.join(ROOT, name))).toBe(true);
  });

  it.each(topLevelFiles)('names the top-level file %s, which exists', (name) => {
    expect(existsSync(path.join(ROOT, name))).toBe(true);
  });

  it.each(links)('links %s, which exists', (link) => {
    expect(existsSync(path.resolve(DOCS, link))).toBe(true);
  });

  it.each(npmScripts)('runs npm script "%s", which package.json has', (script) => {
    expect(scripts).toContain(script);
  });

  it('is linked from the README', () => {
    expect(readme).toContain('(docs/taller.md)');
  });
});
