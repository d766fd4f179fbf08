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

/**
 * Temperatures go through kelvin: they have offsets, not just factors. Absolute zero is checked in
 * the unit given, where it is exact: through kelvin, -459.67 °F comes out a rounding error below.
 */
const TEMPERATURE_UNITS: Record<
  string,
  {
    absoluteZero: number;
    toKelvin: (value: number) => number;
    fromKelvin: (kelvin: number) => number;
  }
> = {
  C: {
    absoluteZero: -273.15,
    toKelvin: (value) => value + 273.15,
    fromKelvin: (kelvin) => kelvin - 273.15,
  },
  // Divided before multiplied: 9e307 K is 1.6e308 °F, but 9e307 × 9 would overflow on the way.
  F: {
    absoluteZero: -459.67,
    toKelvin: (value) => ((value - 32) / 9) * 5 + 273.15,
    fromKelvin: (kelvin) => ((kelvin - 273.15) / 5) * 9 + 32,
  },
  K: { absoluteZero: 0, toKelvin: (value) => value, fromKelvin: (kelvin) => kelvin },
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

/**
 * Converts between units of one dimension; the result to 12 significant digits. A result beyond
 * ±1.8e308 is `Infinity`, which the tool runner refuses with a message for the model
 * (src/tools/finite-numbers.ts).
 */
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
    const unit = TEMPERATURE_UNITS[from]!;
    if (value < unit.absoluteZero)
      throw new ConversionError(`${value} ${from} is below absolute zero.`);
    result = TEMPERATURE_UNITS[to]!.fromKelvin(Math.max(0, unit.toKelvin(value)));
  } else {
    // The factors' ratio first: 1e308 km is 6.2e307 mi, though 1e308 km is 1e311 m.
    result = value * (LINEAR_UNITS[from]!.factor / LINEAR_UNITS[to]!.factor);
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
