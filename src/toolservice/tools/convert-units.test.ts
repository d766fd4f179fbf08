import { convertUnits, convertUnitsTool, ConversionError, normalizeUnit } from './convert-units';

describe('convertUnits', () => {
  it('converts 100 km to 62.137… miles', () => {
    expect(convertUnits(100, 'km', 'mi')).toEqual({
      value: 100,
      from_unit: 'km',
      to_unit: 'mi',
      result: 62.1371192237,
      dimension: 'length',
    });
  });

  it.each([
    [1, 'mi', 'km', 1.609344],
    [12, 'in', 'ft', 1],
    [3, 'ft', 'cm', 91.44],
    [1, 'kg', 'lb', 2.20462262185],
    [16, 'oz', 'lb', 1],
    [2.5, 't', 'kg', 2500],
    [100, 'C', 'F', 212],
    [32, 'F', 'C', 0],
    [0, 'C', 'K', 273.15],
    [-40, 'F', 'C', -40],
  ])('converts %p %s to %s', (value, from, to, expected) => {
    expect(convertUnits(value, from, to).result).toBeCloseTo(expected, 9);
  });

  it('reads unit names, plurals, British spellings and degree signs', () => {
    expect(['Kilometres', 'miles', 'feet', 'lbs', '°F', 'celsius', 'K'].map(normalizeUnit)).toEqual(
      ['km', 'mi', 'ft', 'lb', 'F', 'C', 'K'],
    );
  });

  it('refuses an unknown unit, naming the supported ones', () => {
    expect(() => convertUnits(1, 'parsec', 'km')).toThrow(
      /Unknown unit "parsec". Supported: mm, cm, m, km/,
    );
  });

  it('refuses to convert between dimensions', () => {
    expect(() => convertUnits(1, 'kg', 'km')).toThrow(
      new ConversionError('Cannot convert mass (kg) to length (km).'),
    );
  });

  it('refuses a temperature below absolute zero', () => {
    expect(() => convertUnits(-300, 'C', 'F')).toThrow(/below absolute zero/);
  });

  it('refuses a unit made only of invisible format characters as empty', () => {
    const parsed = convertUnitsTool.argumentsSchema.safeParse({
      value: 1,
      from_unit: '\u200b',
      to_unit: '\ufeff\u2060',
    });
    expect(
      parsed.error?.issues.map(({ path, message }) => `${path.join('.')}: ${message}`),
    ).toEqual(['from_unit: must not be empty', 'to_unit: must not be empty']);
  });
});
