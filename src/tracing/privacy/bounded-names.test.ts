import { BoundedNames } from './bounded-names';

const bounded = () => new BoundedNames({ max: 2, pattern: /^[a-z_]{1,8}$/, other: 'other' });

describe('BoundedNames', () => {
  it('keeps the first names seen, up to the bound, and calls every later one other', () => {
    const names = bounded();
    expect(['thumbs', 'stars', 'thumbs', 'accuracy', 'tone'].map((name) => names.of(name))).toEqual(
      ['thumbs', 'stars', 'thumbs', 'other', 'other'],
    );
  });

  it('calls a name that does not match the pattern other, without spending the bound on it', () => {
    const names = bounded();
    expect(names.of('user id 12345')).toBe('other');
    expect(names.of('thumbs')).toBe('thumbs');
    expect(names.of('stars')).toBe('stars');
  });
});
