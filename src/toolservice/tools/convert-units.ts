import { z } from 'zod';
import { nonBlankText } from '../../non-blank-text';
import { defineTool } from '../../tools/tool';

type Dimension = 'length' | 'mass' | 'temperature';

/**
 * Length in metres and mass in kilograms per unit; exact by definition (international yard and
 * pound).
 */
const LINEAR_UNITS: Record<string, { dimension: 'length' | 'mass'; factor: number }> = {
  mm: { dimension: 'length', factor: 0.001 },
  cm: { dimension: 'length', factor: 0.01 },
  m: { dimension: 'length', factor: 1 },
  km: { dimension: 'length', factor: 1_000 },
  in: { dimension: 'length', factor: 0.0254 },
  ft: { dimension: 'length', factor: 0.3048 },
  yd: { dimension: 'length', factor: 0.9144 },
  mi: { dimension: 'length', factor: 1_609.344 },
  mg: { dimension: 'mass', factor: 0.000001 },
  g: { dimension: 'mass', factor: 0.001 },
  kg: { dimension: 'mass', factor: 1 },
  t: { dimension: 'mass', factor: 1_000 },
  oz: { dimension: 'mass', factor: 0.028349523125 },
  lb: { dimension: 'mass', factor: 0.45359237 },
};

/** Temperatures go through kelvin: they have offsets, not just factors. */
const TEMPERATURE_UNITS: Record<
  string,
  { toKelvin: (value: number) => number; fromKelvin: (kelvin: number) => number }
> = {
  C: { toKelvin: (value) => value + 273.15, fromKelvin: (kelvin) => kelvin - 273.15 },
  F: {
    toKelvin: (value) => ((value - 32) * 5) / 9 + 273.15,
    fromKelvin: (kelvin) => ((kelvin - 273.15) * 9) / 5 + 32,
  },
  K: { toKelvin: (value) => value, fromKelvin: (kelvin) => kelvin },
};

const ALIASES: Record<string, string> = {
  millimeter: 'mm',
  centimeter: 'cm',
  meter: 'm',
  kilometer: 'km',
  inch: 'in',
  inches: 'in',
  foot: 'ft',
  feet: 'ft',
  yard: 'yd',
  mile: 'mi',
  milligram: 'mg',
  gram: 'g',
  kilogram: 'kg',
  tonne: 't',
  ounce: 'oz',
  pound: 'lb',
  lbs: 'lb',
  c: 'C',
  '°c': 'C',
  celsius: 'C',
  f: 'F',
  '°f': 'F',
  fahrenheit: 'F',
  k: 'K',
  kelvin: 'K',
};

const SUPPORTED_UNITS: readonly string[] = [
  ...Object.keys(LINEAR_UNITS),
  ...Object.keys(TEMPERATURE_UNITS),
];

export class ConversionError extends Error {
  override readonly name = 'ConversionError';
}

/** `Kilometres`, `km`, `°F` → the unit's symbol; British spellings and plurals included. */
export function normalizeUnit(unit: string): string {
  const word = unit.trim().toLowerCase().replace('metre', 'meter');
  const singular = word.length > 2 && word.endsWith('s') ? word.slice(0, -1) : word;
  for (const candidate of [word, singular]) {
    const symbol = ALIASES[candidate] ?? candidate;
    if (symbol in LINEAR_UNITS || symbol in TEMPERATURE_UNITS) return symbol;
  }
  throw new ConversionError(
    `Unknown unit "${unit}". Supported: ${SUPPORTED_UNITS.join(', ')} (or their names).`,
  );
}

function dimensionOf(symbol: string): Dimension {
  return LINEAR_UNITS[symbol]?.dimension ?? 'temperature';
}

export interface Conversion {
  value: number;
  from_unit: string;
  to_unit: string;
  result: number;
  dimension: Dimension;
}

/** Converts between units of one dimension; the result to 12 significant digits. */
export function convertUnits(value: number, fromUnit: string, toUnit: string): Conversion {
  const from = normalizeUnit(fromUnit);
  const to = normalizeUnit(toUnit);
  const dimension = dimensionOf(from);
  if (dimensionOf(to) !== dimension) {
    throw new ConversionError(
      `Cannot convert ${dimension} (${from}) to ${dimensionOf(to)} (${to}).`,
    );
  }
  let result: number;
  if (dimension === 'temperature') {
    const kelvin = TEMPERATURE_UNITS[from]!.toKelvin(value);
    if (kelvin < 0) throw new ConversionError(`${value} ${from} is below absolute zero.`);
    result = TEMPERATURE_UNITS[to]!.fromKelvin(kelvin);
  } else {
    result = (value * LINEAR_UNITS[from]!.factor) / LINEAR_UNITS[to]!.factor;
  }
  return { value, from_unit: from, to_unit: to, result: Number(result.toPrecision(12)), dimension };
}

export const convertUnitsTool = defineTool({
  name: 'convert_units',
  description:
    'Converts a value between units of length (mm, cm, m, km, in, ft, yd, mi), mass (mg, g, kg, t, oz, lb) ' +
    'or temperature (C, F, K).',
  argumentsSchema: z
    .object({
      value: z.number().finite().describe('The quantity to convert'),
      from_unit: nonBlankText().max(32).describe('The unit of value, e.g. km'),
      to_unit: nonBlankText().max(32).describe('The unit wanted, e.g. mi'),
    })
    .strict(),
  run: ({ value, from_unit, to_unit }) => ({ ...convertUnits(value, from_unit, to_unit) }),
});
