import { dependencyCheck, UnwellAnswer } from './readiness';

describe('a dependency check', () => {
  it('asks the dependency at most once per cache period, and once at a time', async () => {
    let now = 0;
    let probes = 0;
    const check = dependencyCheck({
      name: 'memory',
      what: 'The memory database',
      probe: async () => void (probes += 1),
      cacheMs: 1_000,
      now: () => now,
    });
    await Promise.all([check.check(), check.check(), check.check()]);
    expect(probes).toBe(1);
    now = 999;
    await check.check();
    expect(probes).toBe(1);
    now = 1_000;
    await check.check();
    expect(probes).toBe(2);
  });

  it('fails a dependency that does not answer within its timeout, and aborts the probe', async () => {
    let aborted = false;
    const check = dependencyCheck({
      name: 'sub_agent',
      what: 'The sub-agent',
      probe: (signal) =>
        new Promise(() => signal.addEventListener('abort', () => (aborted = true))),
      timeoutMs: 20,
    });
    expect(await check.check()).toBe('The sub-agent did not answer within 20 ms.');
    expect(aborted).toBe(true);
  });

  it.each([
    [
      'an error with a code',
      Object.assign(new Error('connect to postgres://agent:secret@db:5432 failed'), {
        code: 'ECONNREFUSED',
      }),
      'The memory database could not be reached (ECONNREFUSED).',
    ],
    [
      'a code in its cause',
      new TypeError('fetch failed http://user:secret@host', {
        cause: { code: 'UND_ERR_SOCKET' },
      }),
      'The memory database could not be reached (UND_ERR_SOCKET).',
    ],
    [
      'no code',
      new Error('password authentication failed for secret'),
      'The memory database could not be reached.',
    ],
    ['an answer that is not 2xx', new UnwellAnswer(503), 'The memory database answered 503.'],
  ])('says why it fails from %s, never the error text', async (_case, error, reason) => {
    const check = dependencyCheck({
      name: 'memory',
      what: 'The memory database',
      probe: () => Promise.reject(error),
    });
    expect(await check.check()).toBe(reason);
  });
});
