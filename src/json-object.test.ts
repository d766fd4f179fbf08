import { parseJsonObject } from './json-object';

describe('a JSON text read as an object', () => {
  it('gives the object', () => {
    expect(parseJsonObject('{"text": "one two", "n": 2}')).toEqual({ text: 'one two', n: 2 });
  });

  it.each(['[1, 2]', '"text"', '3', 'null', '{text: 1}', '{"open": ', ''])(
    'gives nothing for %j: not a JSON object',
    (text) => {
      expect(parseJsonObject(text)).toBeUndefined();
    },
  );
});
