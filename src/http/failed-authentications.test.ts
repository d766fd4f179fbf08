import { FailedAuthentications } from './failed-authentications';

describe('FailedAuthentications', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('lets an address fail perMinute times, then says how long to wait until its window ends', () => {
    const failures = new FailedAuthentications(3, 100, clock);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(failures.retryAfterSeconds('a')).toBe(0);
      failures.count('a');
    }
    now += 20_000;
    expect(failures.retryAfterSeconds('a')).toBe(40);
    expect(failures.retryAfterSeconds('b')).toBe(0);
  });

  it('forgets an address once its minute is over', () => {
    const failures = new FailedAuthentications(1, 100, clock);
    failures.count('a');
    now += 60_000;
    expect(failures.retryAfterSeconds('a')).toBe(0);
  });

  it('tracks at most maxAddresses, forgetting the oldest first', () => {
    const failures = new FailedAuthentications(1, 2, clock);
    for (const address of ['a', 'b', 'c']) failures.count(address);
    expect(['a', 'b', 'c'].map((address) => failures.retryAfterSeconds(address) > 0)).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('keeps its windows when the wall clock steps back (it reads a monotonic clock)', () => {
    let wall = Date.now();
    const wallClock = jest.spyOn(Date, 'now').mockImplementation(() => wall);
    try {
      const failures = new FailedAuthentications(1);
      failures.count('attacker');
      wall -= 3_600_000;
      // Still its own minute: neither an hour longer nor forgotten.
      expect(failures.retryAfterSeconds('attacker')).toBe(60);
    } finally {
      wallClock.mockRestore();
    }
  });
});
