import { ToolRegistry } from '../../tools';
import { runToolCall } from '../../tools/run-tool-call';
import type { JsonObject, Tool } from '../../tools/tool';
import { ToolError } from '../../tools/tool-errors';
import { convertUnitsTool } from './convert-units';
import { statisticsTool } from './statistics';

/**
 * The tool service's tools at the edges of what a double holds, through the runner that the MCP
 * server uses: an answer is a number the model can read, or a tool error (`isError`) it can act on,
 * never a `null` that JSON made of Infinity or NaN.
 */

const registry = new ToolRegistry([convertUnitsTool, statisticsTool] as Tool[]);
const run = (name: string, args: JsonObject) =>
  runToolCall(registry, { id: 'call-1', name, arguments: args }, { timeoutMs: 1_000 });
const convert = (value: number, from_unit: string, to_unit: string) =>
  run('convert_units', { value, from_unit, to_unit });

async function errorOf(promise: Promise<unknown>): Promise<ToolError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

const TOO_LARGE = 'beyond the largest number it can represent (±1.8e308)';
const MAX = Number.MAX_VALUE;

describe('convert_units at the edges', () => {
  it.each([
    ['Infinity', Infinity],
    ['NaN', NaN],
  ])('refuses a value of %s as invalid arguments', async (_case, value) => {
    const error = await errorOf(convert(value, 'km', 'mi'));
    expect(error.errorType).toBe('invalid_arguments');
    expect(error.message).toMatch(/^Invalid arguments for convert_units: value: /);
  });

  it.each([
    ['1e308 t to mg', 1e308, 't', 'mg', 'Infinity'],
    ['-1e308 t to mg', -1e308, 't', 'mg', '-Infinity'],
    ['the largest double from K to F', MAX, 'K', 'F', 'Infinity'],
  ])('answers an overflow (%s) as a tool error', async (_case, value, from, to, result) => {
    const error = await errorOf(convert(value, from, to));
    expect(error.errorType).toBe('tool_failed');
    expect(error.message).toContain(`convert_units failed: "result" is ${result}, ${TOO_LARGE}`);
  });

  it.each([
    [
      'a huge value whose intermediate would overflow (1e308 km to mi)',
      1e308,
      'km',
      'mi',
      6.21371192237e307,
    ],
    [
      'a huge temperature whose intermediate would overflow (9e307 K to F)',
      9e307,
      'K',
      'F',
      1.62e308,
    ],
    ['the largest double to a larger unit', MAX, 'mm', 'km', 1.79769313486e302],
    ['the smallest subnormal to a smaller unit', Number.MIN_VALUE, 'kg', 'mg', 4.940656e-318],
    ['a value too small for the result, rounded to 0', 1e-320, 'mg', 't', 0],
    ['absolute zero in Fahrenheit, exactly 0 K', -459.67, 'F', 'K', 0],
  ])('converts %s', async (_case, value, from, to, expected) => {
    expect((await convert(value, from, to)).result).toBe(expected);
  });

  it('answers -0 as 0', async () => {
    expect(JSON.stringify(await convert(-0, 'm', 'km'))).toContain('"value":0,');
    expect(JSON.stringify((await convert(-0, 'm', 'km')).result)).toBe('0');
  });
});

describe('statistics at the edges', () => {
  const summarize = async (values: number[]) =>
    JSON.parse(JSON.stringify(await run('statistics', { values }))) as JsonObject;

  it.each([
    ['Infinity', [1, Infinity]],
    ['NaN', [NaN]],
  ])('refuses a list holding %s as invalid arguments', async (_case, values) => {
    const error = await errorOf(run('statistics', { values }));
    expect(error.errorType).toBe('invalid_arguments');
    expect(error.message).toMatch(/^Invalid arguments for statistics: values\.\d: /);
  });

  it('summarizes [1e308, 1e308, -1e308]: every result fits, though the plain formulas overflow', async () => {
    expect(await summarize([1e308, 1e308, -1e308])).toEqual({
      count: 3,
      sum: 1e308,
      mean: 3.33333333333e307,
      median: 1e308,
      min: -1e308,
      max: 1e308,
      standard_deviation: 9.42809041582e307,
    });
  });

  it('summarizes the largest doubles of both signs: a spread as large as a double holds', async () => {
    expect(await summarize([-MAX, MAX])).toMatchObject({
      sum: 0,
      mean: 0,
      median: 0,
      standard_deviation: 1.79769313486e308,
    });
  });

  it('answers a sum that no double holds (1e308 + 1e308) as a tool error naming it', async () => {
    const error = await errorOf(run('statistics', { values: [1e308, 1e308] }));
    expect(error.errorType).toBe('tool_failed');
    expect(error.message).toContain(`statistics failed: "sum" is Infinity, ${TOO_LARGE}`);
  });

  it('summarizes subnormal and tiny numbers without rounding them to 0', async () => {
    expect(await summarize([Number.MIN_VALUE, Number.MIN_VALUE])).toMatchObject({
      sum: 1e-323,
      mean: 5e-324,
      standard_deviation: 0,
    });
    expect(await summarize([1e-320, 2e-320])).toMatchObject({
      sum: 3e-320,
      mean: 1.5e-320,
      median: 1.5e-320,
      standard_deviation: 5e-321,
    });
  });

  it('answers -0 as 0', async () => {
    expect(await summarize([-0, 0])).toEqual({
      count: 2,
      sum: 0,
      mean: 0,
      median: 0,
      min: 0,
      max: 0,
      standard_deviation: 0,
    });
  });

  it('gives everyday values the results of the plain formulas', async () => {
    const values = [0.1, 0.2, 0.3, 1e6, -42.5, 3.14159, 2.5e-3, 17];
    const sum = [...values].sort((a, b) => a - b).reduce((total, value) => total + value, 0);
    const mean = sum / values.length;
    const variance =
      values.reduce((total, value) => total + (value - mean) ** 2, 0) / values.length;
    const round = (value: number) => Number(value.toPrecision(12));
    expect(await summarize(values)).toMatchObject({
      sum: round(sum),
      mean: round(mean),
      standard_deviation: round(Math.sqrt(variance)),
    });
  });
});
