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

  it.each([
    [[1e16, 1, -1e16], 1],
    [[1, 1e100, 1, -1e100], 2],
  ])('keeps what the rounding of large values would lose: %j sums to %d', (values, sum) => {
    // Before: 0, added in turn.
    expect(summarize(values).sum).toBe(sum);
  });

  it('gives [1e16, 1, -1e16] the mean of its exact sum, 1 / 3', () => {
    expect(summarize([1e16, 1, -1e16]).mean).toBe(0.333333333333);
  });

  it('refuses an empty list', () => {
    expect(() => summarize([])).toThrow(RangeError);
  });
});
