import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  KNOWLEDGE_BASE_DIR,
  type KnowledgeHit,
  type KnowledgeSection,
  splitIntoSections,
} from '../knowledge-base';
import { searchKnowledgeBase } from './search-knowledge-base';

const signal = new AbortController().signal;

interface SearchOutput {
  query: string;
  total: number;
  results: KnowledgeHit[];
}

function search(query: string, limit?: number): SearchOutput {
  const args = limit === undefined ? { query } : { query, limit };
  return searchKnowledgeBase.run(args, { signal }) as unknown as SearchOutput;
}

/** The shipped corpus, read independently of the search index. */
function shippedSections(): KnowledgeSection[] {
  return readdirSync(KNOWLEDGE_BASE_DIR)
    .filter((file) => file.endsWith('.md'))
    .flatMap((file) =>
      splitIntoSections(file, readFileSync(path.join(KNOWLEDGE_BASE_DIR, file), 'utf8')),
    );
}

describe('splitIntoSections', () => {
  const markdown = [
    '# My Title',
    '',
    'Intro text here.',
    '',
    '## First',
    '',
    'First body.',
    '',
    '## Second',
    'Second body',
    'more.',
    '',
  ].join('\n');

  it('makes one section for the intro and one per "## " heading, titled from "# "', () => {
    expect(splitIntoSections('doc.md', markdown)).toEqual([
      {
        id: 'doc.md#0',
        source: 'doc.md',
        title: 'My Title',
        heading: 'My Title',
        text: 'Intro text here.',
      },
      {
        id: 'doc.md#1',
        source: 'doc.md',
        title: 'My Title',
        heading: 'First',
        text: 'First body.',
      },
      {
        id: 'doc.md#2',
        source: 'doc.md',
        title: 'My Title',
        heading: 'Second',
        text: 'Second body\nmore.',
      },
    ]);
  });

  it('skips an intro with no text of its own', () => {
    const sections = splitIntoSections('doc.md', '# Only Sections\n\n## A\nalpha\n');
    expect(sections).toEqual([
      { id: 'doc.md#1', source: 'doc.md', title: 'Only Sections', heading: 'A', text: 'alpha' },
    ]);
  });

  it('falls back to the file name when there is no "# " title', () => {
    const sections = splitIntoSections('notes.md', 'Loose intro\n## A\nbody');
    expect(sections.map(({ title, heading }) => ({ title, heading }))).toEqual([
      { title: 'notes.md', heading: 'notes.md' },
      { title: 'notes.md', heading: 'A' },
    ]);
  });
});

describe('search_knowledge_base', () => {
  it('returns the Context Propagation document first for "context propagation"', () => {
    const output = search('context propagation');
    expect(output.query).toBe('context propagation');
    expect(output.total).toBe(3);
    expect(output.results[0]).toMatchObject({
      title: 'Context Propagation',
      section: 'Context Propagation',
      source: 'context-propagation.md',
    });
    expect(output.results.every((hit) => hit.source === 'context-propagation.md')).toBe(true);
  });

  it('finds the B3 section of the propagation notes for "B3 multi-header"', () => {
    const [best] = search('B3 multi-header').results;
    expect(best).toMatchObject({ source: 'context-propagation.md', section: 'B3 formats' });
    expect(best?.snippet).toContain('B3');
  });

  it('finds tail sampling in the sampling notes for "tail sampling errors"', () => {
    const { results } = search('tail sampling errors');
    expect(results[0]?.source).toBe('sampling.md');
    expect(results.map((hit) => hit.section)).toEqual(
      expect.arrayContaining([
        'Why "always sample errors" needs tail sampling',
        'Tail sampling in the Collector',
      ]),
    );
  });

  it('orders results by descending score', () => {
    const scores = search('jaeger ports', 5).results.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('honours limit', () => {
    expect(search('sampling', 1)).toMatchObject({
      total: 1,
      results: [expect.objectContaining({ source: 'sampling.md' })],
    });
    expect(search('sampling', 5).results).toHaveLength(5);
  });

  it('returns total 0 and no results for a nonsense query', () => {
    expect(search('zzqx flurble')).toEqual({ query: 'zzqx flurble', total: 0, results: [] });
  });

  it('returns snippets that are non-empty and start at a word boundary of the section text', () => {
    const sections = shippedSections();
    const queries = [
      'context propagation',
      'B3 multi-header',
      'tail sampling errors',
      'jaeger ports',
      'baggage',
      'token usage',
      'batch',
    ];
    const hits = queries.flatMap((query) => search(query, 10).results);
    expect(hits.length).toBeGreaterThan(20);
    for (const hit of hits) {
      const section = sections.find(
        (candidate) => candidate.source === hit.source && candidate.heading === hit.section,
      );
      const flat = section?.text.replace(/\s+/g, ' ').trim() ?? '';
      const body = hit.snippet.replace(/…$/, '');
      const start = flat.indexOf(body);
      expect(body.length).toBeGreaterThan(0);
      expect(start).toBeGreaterThanOrEqual(0);
      // The character before the snippet is a space (or there is none): it does not start mid-word.
      expect(start === 0 ? '' : flat[start - 1]).toMatch(/^ ?$/);
    }
  });

  it('starts the snippet at the sentence that mentions the query', () => {
    const [best] = search('baggage').results;
    expect(best?.section).toBe('Baggage and trust');
    expect(best?.snippet.startsWith('W3C Baggage uses a `baggage` header')).toBe(true);
  });

  it('returns 3 results by default', () => {
    expect(search('sampling').results).toHaveLength(3);
  });

  describe('arguments', () => {
    const schema = searchKnowledgeBase.argumentsSchema;

    it('trims the query', () => {
      expect(schema.parse({ query: '  sampling  ' })).toEqual({ query: 'sampling' });
    });

    it.each([
      ['a blank query', { query: '   ' }],
      ['a query of invisible format characters', { query: '\u200b\u2060 \u00ad' }],
      ['a limit of 0', { query: 'x', limit: 0 }],
      ['a limit over 10', { query: 'x', limit: 11 }],
      ['a fractional limit', { query: 'x', limit: 2.5 }],
      ['extra fields', { query: 'x', page: 2 }],
    ])('rejects %s', (_label, args) => {
      expect(schema.safeParse(args).success).toBe(false);
    });
  });
});
