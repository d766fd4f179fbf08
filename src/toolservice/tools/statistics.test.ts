import { summarize } from './statistics';

describe('summarize', () => {
  it('gives count, sum, mean, median, extremes and population standard deviation', () => {
    expect(summarize([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({
      count: 8,
      sum: 40,
      mean: 5,
      median: 4.5,
      min: 2,
      max: 9,
      standard_deviation: 2,
    });
  });

  it('takes the middle value of an odd count as the median, whatever the order', () => {
    expect(summarize([9, 1, 5]).median).toBe(5);
  });

  it('refuses an empty list', () => {
    expect(() => summarize([])).toThrow(RangeError);
  });
});
