import { MAX_MARKDOWN_LENGTH, formatMarkdown, formatMarkdownTool } from './format-markdown';

const lines = (...text: string[]) => text.join('\n');
const markdownOf = (...text: string[]) => formatMarkdown(lines(...text)).markdown;

describe('formatMarkdown', () => {
  describe('headings', () => {
    it('puts a space after the hashes: #Title becomes # Title', () => {
      expect(markdownOf('#Title')).toBe('# Title');
      expect(markdownOf('###Deep   ')).toBe('### Deep');
    });

    it('leaves a well-formed heading alone', () => {
      expect(markdownOf('## Section')).toBe('## Section');
    });
  });

  describe('lists', () => {
    it('turns *, + and • bullets into "- "', () => {
      expect(markdownOf('* one', '+ two', '• three')).toBe(lines('- one', '- two', '- three'));
    });

    it('keeps the indentation of nested bullets', () => {
      expect(markdownOf('- a', '  * nested', '- b')).toBe(lines('- a', '  - nested', '- b'));
    });

    it('turns "1)" into "1."', () => {
      expect(markdownOf('1) first', '2) second')).toBe(lines('1. first', '2. second'));
    });

    it('does not mistake bold or emphasis for a bullet', () => {
      expect(markdownOf('**bold** text', '*emphasis* here')).toBe(
        lines('**bold** text', '*emphasis* here'),
      );
    });
  });

  describe('blank lines', () => {
    it('inserts a blank line between a paragraph and a following list', () => {
      expect(markdownOf('Intro paragraph', '- a', '- b')).toBe(
        lines('Intro paragraph', '', '- a', '- b'),
      );
    });

    it('inserts blank lines around a heading that follows a paragraph', () => {
      expect(markdownOf('Paragraph', '## Heading', 'More')).toBe(
        lines('Paragraph', '', '## Heading', '', 'More'),
      );
    });

    it('collapses three or more blank lines into one', () => {
      expect(markdownOf('a', '', '', '', '', 'b')).toBe(lines('a', '', 'b'));
    });

    it('trims blank lines at the start and end', () => {
      expect(markdownOf('', '', 'text', '', '')).toBe('text');
    });

    it('normalizes CRLF line endings', () => {
      expect(formatMarkdown('#A\r\n* b\r\n').markdown).toBe(lines('# A', '', '- b'));
    });
  });

  describe('fenced code', () => {
    it('leaves the inside of a fence untouched', () => {
      const input = lines('Text', '```', '* x', '#notheading', '', '', '', '```', 'after');
      expect(formatMarkdown(input)).toMatchObject({
        markdown: input,
        headings: 0,
        list_items: 0,
        code_blocks: 1,
      });
    });

    it('treats ~~~ fences the same way', () => {
      expect(markdownOf('~~~', '* y', '~~~')).toBe(lines('~~~', '* y', '~~~'));
    });

    it('does not close a ``` block on a ~~~ line inside it', () => {
      const input = lines('```', '~~~', '* x', '~~~', '```');
      expect(formatMarkdown(input)).toMatchObject({
        markdown: input,
        code_blocks: 1,
        list_items: 0,
      });
    });

    it('does not close a ```` block on a shorter ``` line inside it', () => {
      const input = lines('````md', '```', '* x', '```', '````');
      expect(formatMarkdown(input)).toMatchObject({
        markdown: input,
        code_blocks: 1,
        list_items: 0,
      });
    });

    it('formats again after the fence closes', () => {
      expect(markdownOf('```', '* kept', '```', '* changed')).toBe(
        lines('```', '* kept', '```', '', '- changed'),
      );
    });
  });

  it('drops trailing spaces in one pass, however many spaces a line holds inside', () => {
    // Before, /\s+$/ tried every space of a run as the start of the trailing ones, quadratic in
    // the run: a 20,000-character line (the most the tool takes) held the event loop 0.23 s, and
    // this one 27 s. Not a measure of speed: a bound a thousand times what one pass takes.
    const inner = ' '.repeat(200_000);
    const started = performance.now();
    expect(markdownOf(`a${inner}b   `)).toBe(`a${inner}b`);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('counts headings, list items, code blocks and words', () => {
    const result = formatMarkdown(
      lines('# T', '', 'Some words here.', '', '* a', '* b', '', '```js', 'const x = 1;', '```'),
    );
    expect(result).toEqual({
      markdown: lines(
        '# T',
        '',
        'Some words here.',
        '',
        '- a',
        '- b',
        '',
        '```js',
        'const x = 1;',
        '```',
      ),
      headings: 1,
      list_items: 2,
      code_blocks: 1,
      // T, Some, words, here., a, b, ```js, const, x, 1; ("-", "=" and a bare fence have no word
      // character)
      words: 10,
    });
  });
});

describe('format_markdown tool', () => {
  const signal = new AbortController().signal;

  it('returns the formatted markdown with its counts', () => {
    expect(formatMarkdownTool.run({ text: '#Hi\n* a' }, { signal })).toEqual({
      markdown: '# Hi\n\n- a',
      headings: 1,
      list_items: 1,
      code_blocks: 0,
      words: 2,
    });
  });

  it('rejects empty text, text over the maximum length and extra fields', () => {
    const schema = formatMarkdownTool.argumentsSchema;
    expect(schema.safeParse({ text: '' }).success).toBe(false);
    expect(schema.safeParse({ text: 'x'.repeat(MAX_MARKDOWN_LENGTH + 1) }).success).toBe(false);
    expect(schema.safeParse({ text: 'x', style: 'gfm' }).success).toBe(false);
    expect(schema.safeParse({ text: 'x'.repeat(MAX_MARKDOWN_LENGTH) }).success).toBe(true);
  });
});
