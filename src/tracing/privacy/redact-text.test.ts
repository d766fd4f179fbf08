import { redactContent, redactText } from './redact-text';
import { REDACTED } from './sanitize';

describe('redactText', () => {
  it.each([
    [
      'a bearer token',
      'call it with Bearer abc.DEF-123_~+/xyz= please',
      `call it with Bearer ${REDACTED} please`,
    ],
    [
      'an Authorization header',
      'Authorization: Basic dXNlcjpwYXNz',
      `Authorization: Basic ${REDACTED}`,
    ],
    [
      'an Authorization header with a bearer token',
      'Authorization: Bearer abc123',
      `Authorization: Bearer ${REDACTED}`,
    ],
    [
      'a password=value pair',
      'log in with user=ana password=hunter2 now',
      `log in with user=ana password=${REDACTED} now`,
    ],
    ['an api_key: value pair', 'api_key: k-12345, region: eu', `api_key: ${REDACTED}, region: eu`],
    [
      'a token in a query string',
      'GET /v1?q=tracing&token=t0ps3cret&page=2',
      `GET /v1?q=tracing&token=${REDACTED}&page=2`,
    ],
    [
      'a quoted JSON secret',
      '{"user":"ana","client_secret":"s3cr3t value"}',
      `{"user":"ana","client_secret":"${REDACTED}"}`,
    ],
    [
      'a Google API key',
      'key AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW in text',
      `key ${REDACTED} in text`,
    ],
    ['an OpenAI key', 'use sk-proj-abcdefghijklmnopqrstuvwx123 here', `use ${REDACTED} here`],
    ['a GitHub classic token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', REDACTED],
    [
      'a GitHub fine-grained token',
      'github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789',
      REDACTED,
    ],
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE is the id', `${REDACTED} is the id`],
    ['a Slack token', 'xoxb-123456789012-abcdefABCDEF', REDACTED],
    [
      'a JWT',
      'session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok',
      `session ${REDACTED} ok`,
    ],
    [
      'a PEM private key',
      'key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----\ndone',
      `key:\n${REDACTED}\ndone`,
    ],
    [
      'a PEM private key cut off by truncation',
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
      REDACTED,
    ],
  ])('redacts %s', (_case, text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it.each([
    [
      'ordinary prose',
      'Search the knowledge base for context propagation and summarise it in two lines.',
    ],
    ['arithmetic', 'Calculate 17 * 23 and then 391 / 17'],
    ['a UUID correlation id', 'correlation 3f2b8c1e-9d4a-4e7b-a1c2-5d6e7f8a9b0c'],
    ['a time and a URL', 'At 12:30 see https://example.com/docs?page=2&sort=asc'],
    ['token counts', 'max_tokens: 512, input_tokens=1393'],
    ['a key that is not secret-looking', 'key: value, keyboard: qwerty, monkey=business'],
    ['prose about passwords', 'Never share your password with anyone.'],
    ['text already redacted', `password=${REDACTED}`],
  ])('leaves %s as it is', (_case, text) => {
    expect(redactText(text)).toBe(text);
  });

  it('returns the very same string when nothing could be a secret (the fast path)', () => {
    const text = 'x'.repeat(10_000);
    expect(redactText(text)).toBe(text);
  });
});

describe('redactContent', () => {
  it('redacts secret-looking keys and secrets inside every string of captured content', () => {
    const content = [
      { role: 'user', parts: [{ type: 'text', content: 'my password=hunter2, compute 2+2' }] },
      { api_key: 'k', n: 1 },
    ];
    expect(JSON.stringify(redactContent(content))).toBe(
      JSON.stringify([
        {
          role: 'user',
          parts: [{ type: 'text', content: `my password=${REDACTED}, compute 2+2` }],
        },
        { api_key: REDACTED, n: 1 },
      ]),
    );
  });
});
