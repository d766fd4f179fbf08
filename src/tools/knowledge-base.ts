import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import MiniSearch from 'minisearch';

/** Shipped beside `src/` and `dist/`, so the same relative path works from both. */
export const KNOWLEDGE_BASE_DIR = path.join(__dirname, '..', '..', 'knowledge-base');

export interface KnowledgeSection {
  id: string;
  source: string;
  title: string;
  heading: string;
  text: string;
}

export interface KnowledgeHit {
  title: string;
  section: string;
  source: string;
  score: number;
  snippet: string;
}

const STOP_WORDS = new Set(
  'a an and are as at be by can do does for from how i in is it of on or please the this to what when where which who why with you'.split(
    ' ',
  ),
);

/** One searchable section per `##` heading, so a hit points at the paragraph that answers. */
export function splitIntoSections(source: string, markdown: string): KnowledgeSection[] {
  const title = /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() ?? source;
  const chunks = markdown.split(/^##\s+/m);
  const sections: KnowledgeSection[] = [];
  chunks.forEach((chunk, index) => {
    const [firstLine = '', ...rest] = chunk.split('\n');
    const heading = index === 0 ? title : firstLine.trim();
    const body = (index === 0 ? chunk.replace(/^#\s+.+$/m, '') : rest.join('\n')).trim();
    if (body) sections.push({ id: `${source}#${index}`, source, title, heading, text: body });
  });
  return sections;
}

function snippetOf(text: string, terms: readonly string[], length = 280): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  const firstHit = Math.min(
    ...terms.map((term) => lower.indexOf(term)).filter((index) => index >= 0),
    flat.length,
  );
  const sentenceStart = flat.lastIndexOf('. ', firstHit);
  const start = firstHit === flat.length || sentenceStart < 0 ? 0 : sentenceStart + 2;
  const snippet = flat.slice(start, start + length);
  return start + length < flat.length ? `${snippet}…` : snippet;
}

export class KnowledgeBase {
  private readonly index = new MiniSearch<KnowledgeSection>({
    fields: ['title', 'heading', 'text'],
    storeFields: ['source', 'title', 'heading', 'text'],
    processTerm: (term) => {
      const lower = term.toLowerCase();
      return STOP_WORDS.has(lower) ? null : lower;
    },
    searchOptions: { boost: { title: 3, heading: 2 }, prefix: true, fuzzy: 0.2, combineWith: 'OR' },
  });

  constructor(sections: readonly KnowledgeSection[]) {
    this.index.addAll(sections);
  }

  static fromDirectory(directory = KNOWLEDGE_BASE_DIR): KnowledgeBase {
    const files = readdirSync(directory)
      .filter((file) => file.endsWith('.md'))
      .sort();
    return new KnowledgeBase(
      files.flatMap((file) =>
        splitIntoSections(file, readFileSync(path.join(directory, file), 'utf8')),
      ),
    );
  }

  search(query: string, limit: number): KnowledgeHit[] {
    return this.index
      .search(query)
      .slice(0, limit)
      .map((result) => ({
        title: result.title as string,
        section: result.heading as string,
        source: result.source as string,
        score: Math.round(result.score * 100) / 100,
        snippet: snippetOf(result.text as string, result.terms),
      }));
  }
}
