import { CallerDemand } from './caller-demand';

describe('CallerDemand', () => {
  it('counts each caller over a sliding window: all of this one, the uncovered share of the last', () => {
    let now = 0;
    const demand = new CallerDemand(1_000, 100, () => now);
    for (let request = 0; request < 10; request++) demand.count('a');
    demand.count('b');
    demand.count('b');
    expect([demand.demandOf('a'), demand.demandOf('b')]).toEqual([
      { own: 10, total: 12, callers: 2 },
      { own: 2, total: 12, callers: 2 },
    ]);

    now = 1_250;
    for (let request = 0; request < 3; request++) demand.count('c');
    // Three quarters of the last window still in view.
    expect([demand.demandOf('a'), demand.demandOf('c')]).toEqual([
      { own: 7.5, total: 12, callers: 3 },
      { own: 3, total: 12, callers: 3 },
    ]);

    now = 3_000;
    expect(demand.demandOf('a')).toEqual({ own: 0, total: 0, callers: 0 });
  });

  it('counts the callers past its bound as one crowd, which weighs what they ask together', () => {
    const demand = new CallerDemand(1_000, 3, () => 0);
    for (const caller of ['a', 'b', 'c', 'd', 'e', 'a']) demand.count(caller);
    // a and b have their own places; c, d and e, past them, ask 3 as the crowd.
    expect(['a', 'b', 'c', 'e'].map((caller) => demand.demandOf(caller).own)).toEqual([2, 1, 3, 3]);
    expect(demand.demandOf('a')).toMatchObject({ total: 6, callers: 3 });
  });

  it('finds callers who ask alike equal to the average, however the window divides them', () => {
    for (let callers = 2; callers <= 12; callers++)
      for (const share of [0.007, 0.3, 0.5, 0.993]) {
        let now = 0;
        const demand = new CallerDemand(1_000, 100, () => now);
        const alike = Array.from({ length: callers }, (_, caller) => `caller-${caller}`);
        for (const caller of alike)
          for (let request = 0; request < 7; request++) demand.count(caller);
        now = 1_000 + share * 1_000;
        for (const caller of alike) demand.count(caller);
        expect(alike.filter((caller) => !demand.asksAtLeastTheAverage(caller))).toEqual([]);
      }
  });
});
