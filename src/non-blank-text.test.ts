import { isBlank, nonBlankText } from './non-blank-text';

const text = nonBlankText();

describe('nonBlankText', () => {
  it.each([
    ['nothing', ''],
    ['spaces', '   '],
    ['zero-width spaces (U+200B)', '\u200b\u200b'],
    ['a byte-order mark (U+FEFF)', '\ufeff'],
    ['word joiners (U+2060)', '\u2060\u2060'],
    ['soft hyphens (U+00AD)', '\u00ad'],
    ['bidirectional marks (U+200E, U+202E)', '\u200e\u202e'],
    ['no-break and em spaces (U+00A0, U+2003)', '\u00a0\u2003'],
    ['format characters among whitespace', ' \u200b\t\u00a0\u2060\n\u00ad\u2003\ufeff '],
  ])('refuses text made only of %s, as empty', (_case, value) => {
    const parsed = text.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message)).toEqual(['must not be empty']);
    expect(isBlank(value)).toBe(true);
  });

  it('takes text with one character that shows, trimming only whitespace around it', () => {
    expect(text.parse('  hi  ')).toBe('hi');
    expect(text.parse('\u200bx\u200b')).toBe('\u200bx\u200b');
    expect(text.parse('\u00ad7')).toBe('\u00ad7');
    expect(isBlank('\u2060a')).toBe(false);
  });
});
