import { z } from 'zod';
import { defineTool } from '../tool';
import { LIMITS } from '../../limits';

export const MAX_MARKDOWN_LENGTH = LIMITS.maxMarkdownLength;

const FENCE = /^\s*(`{3,}|~{3,})/;
const HEADING = /^(#{1,6})\s*(\S.*)$/;
const BULLET = /^(\s*)[*+•·]\s+(.*)$/;
const NUMBERED = /^(\s*)(\d+)[.)]\s+(.*)$/;

type LineKind = 'blank' | 'heading' | 'list' | 'text' | 'code';

function normalizeLine(line: string): { kind: LineKind; text: string } {
  if (line.trim() === '') return { kind: 'blank', text: '' };
  const heading = HEADING.exec(line);
  if (heading) return { kind: 'heading', text: `${heading[1]} ${heading[2]?.trim()}` };
  const bullet = BULLET.exec(line) ?? /^(\s*)-\s+(.*)$/.exec(line);
  if (bullet) return { kind: 'list', text: `${bullet[1]}- ${bullet[2]?.trim()}` };
  const numbered = NUMBERED.exec(line);
  if (numbered)
    return { kind: 'list', text: `${numbered[1]}${numbered[2]}. ${numbered[3]?.trim()}` };
  // Not /\s+$/: it tries every space of a run inside the line as the start of the trailing ones.
  return { kind: 'text', text: line.trimEnd() };
}

/**
 * Tidies Markdown without changing what it says: `#Title` becomes `# Title`, `*`, `+` and `•`
 * bullets become `-`, `1)` becomes `1.`, headings and lists get the blank lines renderers need,
 * runs of blank lines collapse, and fenced code is left exactly as written.
 */
export function formatMarkdown(text: string) {
  const output: string[] = [];
  const counts = { headings: 0, list_items: 0, code_blocks: 0 };
  let previous: LineKind = 'blank';
  /**
   * The fence that opened the current code block: only the same kind, at least as long, closes it.
   */
  let openFence: string | undefined;

  const separate = (kind: LineKind) => {
    const needsGap =
      kind === 'heading' || previous === 'heading' || (kind === 'list') !== (previous === 'list');
    if (needsGap && previous !== 'blank' && output.length > 0) output.push('');
  };

  for (const rawLine of text.replace(/\r\n?/g, '\n').split('\n')) {
    const fence = FENCE.exec(rawLine)?.[1];
    if (
      fence &&
      (openFence === undefined || (fence[0] === openFence[0] && fence.length >= openFence.length))
    ) {
      if (openFence === undefined) {
        separate('code');
        counts.code_blocks += 1;
      }
      openFence = openFence === undefined ? fence : undefined;
      output.push(rawLine.trimEnd());
      previous = 'code';
      continue;
    }
    if (openFence !== undefined) {
      output.push(rawLine);
      continue;
    }
    const line = normalizeLine(rawLine);
    if (line.kind === 'blank') {
      if (previous !== 'blank') output.push('');
      previous = 'blank';
      continue;
    }
    separate(line.kind);
    if (line.kind === 'heading') counts.headings += 1;
    if (line.kind === 'list') counts.list_items += 1;
    output.push(line.text);
    previous = line.kind;
  }

  const markdown = output.join('\n').trim();
  return {
    markdown,
    ...counts,
    words: markdown.split(/\s+/).filter((word) => /\w/.test(word)).length,
  };
}

export const formatMarkdownTool = defineTool({
  name: 'format_markdown',
  description:
    'Tidies a Markdown text for display: consistent headings, "-" bullets, numbered lists, blank lines where renderers need them. ' +
    'Returns the formatted Markdown and counts of headings, list items, code blocks and words.',
  argumentsSchema: z
    .object({
      text: z
        .string()
        .min(1)
        .max(MAX_MARKDOWN_LENGTH)
        .describe('The Markdown (or plain) text to format'),
    })
    .strict(),
  example: {
    task: 'Tidy up my notes as Markdown.',
    args: { text: '#Plan\n* one\n* two' },
    facts: ['# Plan', '- one', '- two'],
  },
  run: ({ text }) => formatMarkdown(text),
});
