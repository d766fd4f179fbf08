import { KnownSecrets } from './known-secrets';
import { REDACTED } from './sanitize';

describe('KnownSecrets', () => {
  it('removes every occurrence of each configured secret', () => {
    const secrets = new KnownSecrets(['planted-key-0123', 'agent-key-4567']);
    expect(
      secrets.scrub('API key planted-key-0123 not valid (planted-key-0123); agent-key-4567'),
    ).toBe(`API key ${REDACTED} not valid (${REDACTED}); ${REDACTED}`);
  });

  it('removes a secret as it appears escaped in a JSON line', () => {
    const secret = 'quote"and\\slash-key';
    const line = JSON.stringify({ msg: `echo ${secret}` });
    expect(new KnownSecrets([secret]).scrub(line)).toBe(
      JSON.stringify({ msg: `echo ${REDACTED}` }),
    );
  });

  it('ignores secrets shorter than 8 characters, which would match ordinary text', () => {
    const secrets = new KnownSecrets(['abc', '']);
    expect(secrets.isEmpty).toBe(true);
    expect(secrets.scrub('abcdef')).toBe('abcdef');
  });

  it('still removes a text that is exactly the shortest secret, beside a longer secret', () => {
    const secrets = new KnownSecrets(['long-model-key-0123456789', 'short-k1']);
    expect(secrets.scrub('short-k1')).toBe(REDACTED);
    expect(secrets.scrub('long-model-key-0123456789')).toBe(REDACTED);
    expect(secrets.scrub('short-k')).toBe('short-k');
  });
});
