import { OldestFirstMap } from './oldest-first-map';

describe('OldestFirstMap', () => {
  it('answers its oldest entry, and a key set again becomes the newest', () => {
    const map = new OldestFirstMap<string, number>();
    map.set('a', 1).set('b', 2).set('c', 3);
    expect(map.oldest()).toEqual({ key: 'a', value: 1 });
    map.set('a', 4);
    expect(map.oldest()).toEqual({ key: 'b', value: 2 });
    map.delete('b');
    expect(map.oldest()).toEqual({ key: 'c', value: 3 });
    expect(map.get('a')).toBe(4);
    expect(map.size).toBe(2);
  });

  it('deletes its oldest entries while asked to, and stops at the first it keeps', () => {
    const map = new OldestFirstMap<string, number>();
    for (const [key, value] of [
      ['a', 1],
      ['b', 5],
      ['c', 2],
    ] as const)
      map.set(key, value);
    map.deleteOldestWhile((value) => value < 3);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([undefined, 5, 2]);
    map.deleteOldestWhile(() => map.size > 0);
    expect(map.size).toBe(0);
    expect(map.oldest()).toBeUndefined();
  });

  it('keeps the order of the live entries through many sets of the same keys', () => {
    const map = new OldestFirstMap<number, number>();
    // Far more sets than entries: the stale slots are dropped and the order survives it.
    for (let round = 0; round < 50; round += 1)
      for (let key = 0; key < 100; key += 1) map.set(key, round);
    map.set(0, 50);
    expect(map.slotsHeld).toBeLessThanOrEqual(4 * 100 + 2048);
    const order: number[] = [];
    map.deleteOldestWhile((_value, key) => {
      order.push(key);
      return true;
    });
    expect(order).toEqual([...Array.from({ length: 99 }, (_, index) => index + 1), 0]);
    expect(map.slotsHeld).toBeLessThanOrEqual(4 * 100 + 2048);
  });

  it('used as a bounded table of 10,000, forgets exactly the oldest', () => {
    const map = new OldestFirstMap<number, number>();
    for (let key = 0; key < 50_000; key += 1) {
      map.set(key, key);
      map.deleteOldestWhile(() => map.size > 10_000);
    }
    expect(map.size).toBe(10_000);
    expect(map.oldest()).toEqual({ key: 40_000, value: 40_000 });
    expect(map.get(39_999)).toBeUndefined();
    expect(map.slotsHeld).toBeLessThanOrEqual(4 * 10_000 + 2048);
  });

  it('stays within its bound as a full table whose newest entry is set again and again', () => {
    const map = new OldestFirstMap<number, number>();
    for (let key = 0; key < 10_000; key += 1) map.set(key, key);
    let most = 0;
    for (let round = 0; round < 50_000; round += 1) {
      map.set(round % 2 === 0 ? 9_999 : 10_000 + round, round);
      map.deleteOldestWhile(() => map.size > 10_000);
      most = Math.max(most, map.slotsHeld);
    }
    expect(most).toBeLessThanOrEqual(4 * 10_000 + 2048);
  });
});
