import { storableText } from './storable-text';

describe('storableText', () => {
  it('replaces NUL and lone surrogates, one for one, with U+FFFD', () => {
    expect(storableText('hi \u0000 there\u0000')).toBe('hi \uFFFD there\uFFFD');
    expect(storableText('a\ud800b\udc00c')).toBe('a\uFFFDb\uFFFDc');
    // A low surrogate before a high one is two lone halves, not a pair.
    expect(storableText('\ude00\ud83d')).toBe('\uFFFD\uFFFD');
  });

  it('leaves other text alone, pairs, controls and U+FFFD included', () => {
    const text = 'Tortilla 🐱 \t\u0007\u200b\uFFFD é';
    expect(storableText(text)).toBe(text);
  });

  it('writes every accented letter one way (NFC), so that a search finds it however it was typed', () => {
    expect(storableText('cafe\u0301')).toBe('caf\u00e9');
    expect(storableText('caf\u00e9')).toBe('caf\u00e9');
  });
});
