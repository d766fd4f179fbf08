import { countWords } from './word-count';

describe('word_count', () => {
  it('counts words, lines and characters', () => {
    expect(countWords('one two\nthree')).toEqual({ words: 3, lines: 2, characters: 13 });
  });

  it('counts nothing in an empty text', () => {
    expect(countWords('')).toEqual({ words: 0, lines: 0, characters: 0 });
  });
});
