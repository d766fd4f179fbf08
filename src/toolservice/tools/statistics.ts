import { z } from 'zod';
import { defineTool } from '../../tools/tool';
import { LIMITS } from '../../limits';

export interface Summary {
  count: number;
  sum: number;
  mean: number;
  median: number;
  min: number;
  max: number;
  /** Population standard deviation. */
  standard_deviation: number;
}

const round = (value: number) => Number(value.toPrecision(12));

/**
 * A power of two near the largest magnitude. Dividing by it is exact (a power of two only shifts
 * the exponent) and brings every value within ±2, so that no sum or square overflows midway:
 * [1e308, 1e308] has a mean and a spread even though its sum does not fit. For everyday values the
 * results, to their 12 digits, are those of the plain formulas.
 */
function scaleOf(sorted: readonly number[]): number {
  const largest = Math.max(Math.abs(sorted[0]!), Math.abs(sorted[sorted.length - 1]!));
  if (largest === 0) return 1;
  // 2^1023 and 2^-1074 are the largest and smallest powers of two a double holds.
  return 2 ** Math.min(1023, Math.max(-1074, Math.floor(Math.log2(largest))));
}

/**
 * The sum with the low-order digits that each addition rounds away carried on the side (Neumaier's
 * compensated summation): [1e16, 1, -1e16] sums to 1, where adding in turn loses the 1 to the
 * rounding of 1e16 + 1 and answers 0.
 */
function compensatedSum(values: readonly number[]): number {
  let sum = 0;
  let lost = 0;
  for (const value of values) {
    const next = sum + value;
    lost += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum;
    sum = next;
  }
  return sum + lost;
}

/** The middle of `low` and `high` without computing a sum that may overflow. */
function midpoint(low: number, high: number): number {
  return Math.sign(low) === Math.sign(high) ? low + (high - low) / 2 : (low + high) / 2;
}

/**
 * Count, sum, mean, median, extremes and spread of a non-empty list of numbers. Only a result that
 * is itself beyond ±1.8e308 (the sum of [1e308, 1e308]) is `Infinity`, which the tool runner
 * refuses with a message for the model (src/tools/finite-numbers.ts).
 */
export function summarize(values: readonly number[]): Summary {
  if (!values.length) throw new RangeError('At least one number is needed.');
  const sorted = [...values].sort((a, b) => a - b);
  const count = sorted.length;
  const min = sorted[0]!;
  const max = sorted[count - 1]!;
  const scale = scaleOf(sorted);
  const scaled = sorted.map((value) => value / scale);
  const scaledSum = compensatedSum(scaled);
  const scaledMean = scaledSum / count;
  const scaledVariance =
    scaled.reduce((total, value) => total + (value - scaledMean) ** 2, 0) / count;
  const middle = Math.floor(count / 2);
  const median = count % 2 ? sorted[middle]! : midpoint(sorted[middle - 1]!, sorted[middle]!);
  return {
    count,
    sum: round(scaledSum * scale),
    // Within the extremes, whatever the rounding.
    mean: round(Math.min(max, Math.max(min, scaledMean * scale))),
    median: round(median),
    min,
    max,
    standard_deviation: round(Math.sqrt(scaledVariance) * scale),
  };
}

const MAX_STATISTICS_VALUES = LIMITS.maxStatisticsValues;

export const statisticsTool = defineTool({
  name: 'statistics',
  description:
    'Summarizes a list of numbers: count, sum, mean, median, minimum, maximum and (population) standard deviation.',
  argumentsSchema: z
    .object({
      values: z
        .array(z.number().finite())
        .min(1)
        .max(MAX_STATISTICS_VALUES)
        .describe('The numbers to summarize'),
    })
    .strict(),
  run: ({ values }) => ({ ...summarize(values) }),
});
