import { z } from 'zod';
import { defineTool } from './tool';

/** Words, lines and characters of a text, as a word processor counts them. */
export function countWords(text: string) {
  const words = text.trim() === '' ? 0 : text.trim().split(/\s+/).length;
  return { words, lines: text === '' ? 0 : text.split('\n').length, characters: text.length };
}

export const wordCount = defineTool({
  name: 'word_count',
  description: 'Counts the words, lines and characters of a text.',
  argumentsSchema: z
    .object({ text: z.string().max(20_000).describe('The text to count') })
    .strict(),
  run: ({ text }) => countWords(text),
});
