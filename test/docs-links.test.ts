import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The documentation's relative links lead somewhere: every link in README.md, BENCHMARKS.md and
 * docs/*.md names a file that exists and, with a `#fragment`, a heading of that file (GitHub's
 * anchors). And the README is the front door: it links every page of docs/.
 */
const ROOT = path.join(__dirname, '..');
const DOCS = path.join(ROOT, 'docs');
const PAGES = [
  'README.md',
  'BENCHMARKS.md',
  ...readdirSync(DOCS)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** The text a reader sees as prose: fenced blocks and inline code hold no links. */
const prose = (markdown: string) =>
  markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');

/** The anchors of a page's headings, a repeated one numbered as GitHub numbers it. */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = read(file).replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading] of withoutCode.matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const base = slug(heading!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

interface Link {
  from: string;
  target: string;
  file: string;
  anchor?: string;
}

function relativeLinks(from: string): Link[] {
  const links: Link[] = [];
  for (const [, target] of prose(read(from)).matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue;
    const [pathPart = '', anchor] = target!.split('#');
    const file = pathPart
      ? path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, from)), pathPart))
      : from;
    links.push({ from, target: target!, file, anchor });
  }
  return links;
}

const links = PAGES.flatMap(relativeLinks);

describe('the links of the documentation', () => {
  it('are found on every page (the checks below are not vacuous)', () => {
    expect(PAGES.length).toBeGreaterThan(10);
    expect(links.length).toBeGreaterThan(50);
    expect(links.filter((link) => link.anchor).length).toBeGreaterThan(10);
  });

  it('lead to files that exist', () => {
    const broken = links
      .filter((link) => !existsSync(path.join(ROOT, link.file)))
      .map((link) => `${link.from}: ${link.target}`);
    expect(broken).toEqual([]);
  });

  it('lead to headings that exist, where they name one', () => {
    const broken = links
      .filter((link) => link.anchor && link.file.endsWith('.md'))
      .filter((link) => existsSync(path.join(ROOT, link.file)))
      .filter((link) => !anchorsOf(link.file).has(link.anchor!))
      .map((link) => `${link.from}: ${link.target}`);
    expect(broken).toEqual([]);
  });

  it('include, in the README, a link to every page of docs/', () => {
    const linked = new Set(
      relativeLinks('README.md')
        .map((link) => link.file)
        .filter((file) => file.startsWith('docs/')),
    );
    const pages = PAGES.filter((page) => page.startsWith('docs/'));
    expect(pages.filter((page) => !linked.has(page))).toEqual([]);
  });
});
