import { createKeyMatcher, presentedKey } from './api-keys';

describe('API keys', () => {
  it('reads a key from Authorization: Bearer, else from X-API-Key', () => {
    expect(presentedKey('Bearer  abc ', 'other')).toBe('abc');
    expect(presentedKey('Basic abc', 'other')).toBe('other');
    expect(presentedKey(undefined, undefined)).toBeUndefined();
  });

  it('matches only the configured keys, whole', () => {
    const isKnown = createKeyMatcher(['k1', 'k2']);
    expect([
      isKnown('k2'),
      isKnown('k'),
      isKnown('k21'),
      isKnown(undefined),
      createKeyMatcher([])('k1'),
    ]).toEqual([true, false, false, false, false]);
  });
});
