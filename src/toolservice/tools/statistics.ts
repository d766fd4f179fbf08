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

/** Count, sum, mean, median, extremes and spread of a non-empty list of numbers. */
export function summarize(values: readonly number[]): Summary {
  if (!values.length) throw new RangeError('At least one number is needed.');
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  const mean = sum / sorted.length;
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  const variance = sorted.reduce((total, value) => total + (value - mean) ** 2, 0) / sorted.length;
  return {
    count: sorted.length,
    sum: round(sum),
    mean: round(mean),
    median: round(median),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    standard_deviation: round(Math.sqrt(variance)),
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
