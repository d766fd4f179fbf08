import {
  REDACTED,
  isSecretKey,
  redactQuery,
  redactSecrets,
  redactUrl,
  safeJson,
  sanitizeAttributes,
  toAttributeValue,
  truncate,
} from './sanitize';

describe('isSecretKey', () => {
  it.each([
    'password',
    'api_key',
    'apiKey',
    'X-Goog-Api-Key',
    'x-goog-api-key',
    'authorization',
    'Proxy-Authorization',
    'Cookie',
    'set-cookie',
    'client_secret',
    'csrf_token',
    'accessToken',
    'refresh_token',
    'private_key',
    'auth',
    'X-Auth-Token',
    'Api-Key',
    'X-Amz-Security-Token',
  ])('treats %s as secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each([
    'gen_ai.usage.input_tokens',
    'gen_ai.request.max_tokens',
    'tokens',
    'task',
    'session_id',
    'user_id',
    'author',
    'passport',
  ])('treats %s as not secret', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });
});

describe('truncate', () => {
  it('keeps text at the limit and marks how many characters were cut, within the limit', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('x'.repeat(100), 40)).toBe(`${'x'.repeat(18)}…[truncated 82 chars]`);
    expect(truncate('x'.repeat(100), 40).length).toBeLessThanOrEqual(40);
  });

  it('cuts plainly when the limit is too small for a marker', () => {
    expect(truncate('abcdef', 4)).toBe('abcd');
  });

  it('never exceeds the limit, whatever the lengths', () => {
    for (const length of [21, 99, 100, 101, 999, 1000, 1001, 100_000]) {
      for (const limit of [1, 5, 20, 21, 22, 30, 100, 1000])
        expect(truncate('y'.repeat(length), limit).length).toBeLessThanOrEqual(limit);
    }
  });
});

describe('redactSecrets', () => {
  it('redacts secret keys in nested objects and arrays, keeping everything else', () => {
    const input = {
      user: 'bob',
      nested: { password: 'hunter2', list: [{ apiKey: 'k-123', ok: 1 }, 'plain'] },
      headers: { Cookie: 'sid=1' },
    };
    expect(redactSecrets(input)).toEqual({
      user: 'bob',
      nested: { password: REDACTED, list: [{ apiKey: REDACTED, ok: 1 }, 'plain'] },
      headers: { Cookie: REDACTED },
    });
  });

  it('redacts a secret key whatever its value is', () => {
    expect(redactSecrets({ credentials: { user: 'u', pass: 'p' } })).toEqual({
      credentials: REDACTED,
    });
  });

  it('does not modify its input', () => {
    const input = { password: 'hunter2' };
    redactSecrets(input);
    expect(input).toEqual({ password: 'hunter2' });
  });

  it('replaces a cycle with [Circular]', () => {
    const node: Record<string, unknown> = { name: 'a' };
    node.self = node;
    node.children = [node];
    expect(redactSecrets(node)).toEqual({
      name: 'a',
      self: '[Circular]',
      children: ['[Circular]'],
    });
  });

  it('does not call a shared, non-cyclic object circular', () => {
    const shared = { v: 1 };
    expect(redactSecrets({ p: shared, q: shared })).toEqual({ p: { v: 1 }, q: { v: 1 } });
  });

  it('makes bigint, functions, symbols, undefined and non-finite numbers printable', () => {
    expect(
      redactSecrets({
        big: 10n,
        fn: () => 1,
        sym: Symbol('s'),
        nothing: undefined,
        nan: NaN,
        inf: -Infinity,
      }),
    ).toEqual({
      big: '10',
      fn: '[function]',
      sym: '[symbol]',
      nothing: null,
      nan: 'NaN',
      inf: '-Infinity',
    });
  });

  it('keeps the name and message of an Error', () => {
    expect(redactSecrets({ error: new TypeError('bad input') })).toEqual({
      error: { name: 'TypeError', message: 'bad input' },
    });
  });

  it('writes a Date as ISO text', () => {
    expect(redactSecrets(new Date('2026-01-15T12:00:00Z'))).toBe('2026-01-15T12:00:00.000Z');
  });

  it('bounds depth, replacing what is deeper with [Object]', () => {
    let deep: unknown = { leaf: true };
    for (let level = 0; level < 12; level += 1) deep = { c: deep };
    expect(JSON.stringify(redactSecrets(deep))).toBe(
      '{"c":{"c":{"c":{"c":{"c":{"c":{"c":{"c":"[Object]"}}}}}}}}',
    );
  });

  it('passes every string through redactString when given one, keys still redacted first', () => {
    const upper = (text: string) => text.toUpperCase();
    expect(
      redactSecrets(
        { a: 'x', list: ['y'], password: 'p', error: new Error('e') },
        { redactString: upper },
      ),
    ).toEqual({
      a: 'X',
      list: ['Y'],
      password: REDACTED,
      error: { name: 'Error', message: 'E' },
    });
  });

  it('can always be serialized', () => {
    const node: Record<string, unknown> = { big: 1n };
    node.loop = node;
    expect(() => JSON.stringify(redactSecrets(node))).not.toThrow();
  });
});

describe('safeJson', () => {
  it('serializes redacted JSON', () => {
    expect(safeJson({ query: 'x', api_key: 'k' })).toBe('{"query":"x","api_key":"[REDACTED]"}');
  });

  it('writes undefined as null', () => {
    expect(safeJson(undefined)).toBe('null');
  });
});

describe('toAttributeValue', () => {
  it('truncates a long string with a marker saying how many characters were cut', () => {
    expect(toAttributeValue('prompt', 'x'.repeat(60), 30)).toBe(
      `${'x'.repeat(9)}…[truncated 51 chars]`,
    );
  });

  it('keeps a string within the limit as it is', () => {
    expect(toAttributeValue('prompt', 'hello', 10)).toBe('hello');
  });

  it('keeps numbers and booleans', () => {
    expect(toAttributeValue('count', 42)).toBe(42);
    expect(toAttributeValue('ratio', 0.5)).toBe(0.5);
    expect(toAttributeValue('ok', false)).toBe(false);
  });

  it('turns NaN and Infinity into strings', () => {
    expect(toAttributeValue('n', NaN)).toBe('NaN');
    expect(toAttributeValue('n', Infinity)).toBe('Infinity');
    expect(toAttributeValue('n', -Infinity)).toBe('-Infinity');
  });

  it('keeps arrays of one primitive type, truncating their strings', () => {
    expect(toAttributeValue('tags', ['a', 'b'])).toEqual(['a', 'b']);
    expect(toAttributeValue('sizes', [1, 2, 3])).toEqual([1, 2, 3]);
    expect(toAttributeValue('flags', [true, false])).toEqual([true, false]);
    expect(toAttributeValue('tags', ['a'.repeat(50)], 30)).toEqual([
      `${'a'.repeat(9)}…[truncated 41 chars]`,
    ]);
  });

  it('serializes an array that mixes types, which exporters would drop', () => {
    expect(toAttributeValue('mixed', ['a', 1, true])).toBe('["a",1,true]');
  });

  it('serializes objects and arrays of objects as redacted JSON', () => {
    expect(toAttributeValue('args', { query: 'x', token: 't' })).toBe(
      '{"query":"x","token":"[REDACTED]"}',
    );
    expect(toAttributeValue('items', [{ a: 1 }])).toBe('[{"a":1}]');
  });

  it('truncates serialized JSON too', () => {
    expect(toAttributeValue('args', { long: 'x'.repeat(50) }, 40)).toBe(
      '{"long":"xxxxxxxxxx…[truncated 42 chars]',
    );
  });

  it('redacts by key, whatever the value', () => {
    expect(toAttributeValue('api_key', 'AIza-secret')).toBe(REDACTED);
    expect(toAttributeValue('http.request.header.authorization', ['Bearer x'])).toBe(REDACTED);
    expect(toAttributeValue('client_secret', { nested: true })).toBe(REDACTED);
  });

  it('returns undefined for null and undefined', () => {
    expect(toAttributeValue('x', null)).toBeUndefined();
    expect(toAttributeValue('x', undefined)).toBeUndefined();
    expect(toAttributeValue('password', null)).toBeUndefined();
  });
});

describe('sanitizeAttributes', () => {
  it('drops undefined and null values and sanitizes the rest', () => {
    expect(
      sanitizeAttributes(
        {
          a: 1,
          b: undefined,
          c: null,
          password: 'x',
          d: 'y',
          e: { f: 'x'.repeat(30) },
          g: 'g'.repeat(40),
        },
        30,
      ),
    ).toEqual({
      a: 1,
      password: REDACTED,
      d: 'y',
      e: '{"f":"xxx…[truncated 29 chars]',
      g: 'ggggggggg…[truncated 31 chars]',
    });
  });
});

describe('redactQuery and redactUrl', () => {
  it('redacts the values of secret-looking parameters, keeping the others readable', () => {
    expect(redactQuery('q=tracing&api_key=k1&password=p2&token=t3&page=2')).toBe(
      'q=tracing&api_key=REDACTED&password=REDACTED&token=REDACTED&page=2',
    );
  });

  it('recognises encoded names and keeps parameters without a value', () => {
    expect(redactQuery('api%5Fkey=k1&X-Amz-Security-Token=t&flag&=x')).toBe(
      'api%5Fkey=REDACTED&X-Amz-Security-Token=REDACTED&flag&=x',
    );
  });

  it('redacts only the query of a URL or a request target, keeping path and fragment', () => {
    expect(redactUrl('https://h.example/a?b=1&secret=s#frag')).toBe(
      'https://h.example/a?b=1&secret=REDACTED#frag',
    );
    expect(redactUrl('/api/v1/agent/execute?access_token=t')).toBe(
      '/api/v1/agent/execute?access_token=REDACTED',
    );
    expect(redactUrl('/no/query')).toBe('/no/query');
  });
});
