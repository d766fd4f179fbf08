import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The README is the front door (CONVENTIONS.md, 15): short, and its reading order a list a student
 * gets through in one sitting. Everything else is on a page of docs/ that it links
 * (test/docs-links.test.ts).
 */
const ROOT = path.join(__dirname, '..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The first file each item of "Read in this order" names. */
const readingOrder = [
  ...(readme.split(/^## Read in this order$/m)[1] ?? '')
    .split(/^## /m)[0]!
    .matchAll(/^\d+\. `([^`]+)`/gm),
].map((match) => match[1]!);

const linesOf = (file: string) =>
  readFileSync(path.join(ROOT, file), 'utf8').replace(/\n$/, '').split('\n').length;

describe('README.md', () => {
  it('is at most 250 lines: a front door, not the house', () => {
    expect(linesOf('README.md')).toBeLessThanOrEqual(250);
  });

  it('lists at most eight files to read first, each of which exists', () => {
    expect(readingOrder.length).toBeGreaterThanOrEqual(5);
    expect(readingOrder.length).toBeLessThanOrEqual(8);
    expect(readingOrder.filter((file) => !existsSync(path.join(ROOT, file)))).toEqual([]);
  });

  it('keeps the reading order under a thousand lines together', () => {
    const total = readingOrder.reduce((sum, file) => sum + linesOf(file), 0);
    expect(total).toBeLessThanOrEqual(1_000);
  });
});
