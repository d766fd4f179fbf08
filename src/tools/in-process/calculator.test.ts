import type { JsonObject } from '../tool';
import {
  CalculationError,
  MAX_EXPRESSION_LENGTH,
  calculator,
  evaluateExpression,
} from './calculator';

const signal = new AbortController().signal;

/** The calculator answers synchronously. */
function calculate(expression: string): JsonObject {
  return calculator.run({ expression }, { signal }) as JsonObject;
}

function errorOf(expression: string): CalculationError {
  try {
    evaluateExpression(expression);
  } catch (error) {
    expect(error).toBeInstanceOf(CalculationError);
    return error as CalculationError;
  }
  throw new Error(`"${expression}" was evaluated instead of rejected`);
}

describe('calculator', () => {
  describe('arithmetic and precedence', () => {
    it.each([
      ['17 * 23', 391],
      ['2 + 3 * 4', 14],
      ['(2 + 3) * 4', 20],
      ['10 - 4 - 3', 3],
      ['100 / 10 / 5', 2],
      ['-3 + 5', 2],
      ['2 * -3', -6],
      ['+7', 7],
      ['17 % 5', 2],
      ['2 ** 10', 1024],
      ['2 ^ 10', 1024],
      ['1.5 * 4', 6],
    ])('evaluates %s to %d', (expression, expected) => {
      expect(evaluateExpression(expression)).toBe(expected);
    });

    it('evaluates ^ as power, right-associative', () => {
      expect(evaluateExpression('2 ^ 3 ^ 2')).toBe(512);
    });

    it('binds a leading sign tighter than a power, as spreadsheets do (documented in the tool)', () => {
      expect(evaluateExpression('-2 ^ 2')).toBe(4);
      expect(evaluateExpression('-(2 ^ 2)')).toBe(-4);
      expect(evaluateExpression('2 ^ -1')).toBe(0.5);
    });

    it('gives ^ a higher precedence than * and +', () => {
      expect(evaluateExpression('1 + 2 * 3 ^ 2')).toBe(19);
    });
  });

  describe('functions and constants', () => {
    it.each([
      ['sqrt(16)', 4],
      ['max(1, 7, 3)', 7],
      ['min(4, -2, 9)', -2],
      ['abs(-5)', 5],
      ['pow(2, 8)', 256],
      ['round(2.5)', 3],
      ['floor(2.9)', 2],
      ['log(1000)', 3],
      ['log2(8)', 3],
      ['SQRT(9)', 3],
    ])('evaluates %s to %d', (expression, expected) => {
      expect(evaluateExpression(expression)).toBe(expected);
    });

    it('knows pi and e, in any case', () => {
      expect(evaluateExpression('pi')).toBe(Math.PI);
      expect(evaluateExpression('PI')).toBe(Math.PI);
      expect(evaluateExpression('e')).toBe(Math.E);
    });

    it('combines functions, constants and operators', () => {
      expect(evaluateExpression('2 * pi * 0 + sqrt(max(9, 4)) ^ 2')).toBe(9);
    });
  });

  describe('float tidying', () => {
    it('reports 0.1 + 0.2 as 0.3', () => {
      expect(calculate('0.1 + 0.2')).toEqual({ expression: '0.1 + 0.2', result: 0.3 });
    });

    it('reports 1.1 * 1.1 as 1.21', () => {
      expect(calculate('1.1 * 1.1').result).toBe(1.21);
    });

    it('keeps large integer results exact', () => {
      expect(calculate('12345678 * 87654321').result).toBe(1082152022374638);
      expect(calculate('2 ^ 53').result).toBe(9007199254740992);
    });
  });

  describe('errors', () => {
    it('rejects division by zero', () => {
      expect(errorOf('1 / 0').message).toBe('Division by zero');
    });

    it('rejects modulo by zero', () => {
      expect(errorOf('5 % 0').message).toBe('Modulo by zero');
    });

    it('names an unknown function', () => {
      expect(errorOf('foo(1)').message).toBe('Unknown function "foo"');
    });

    it('names an unknown identifier', () => {
      expect(errorOf('x + 1').message).toBe('Unknown name "x"');
    });

    it('explains what could not be parsed', () => {
      expect(errorOf('1 +').message).toMatch(/^Cannot parse "1 \+": /);
    });

    it('rejects a result that is not a finite number', () => {
      expect(errorOf('10 ^ 400').message).toBe(
        '10 ^ 400 is beyond the largest number the calculator can represent (±1.8e308)',
      );
    });

    it('rejects operators it does not support', () => {
      expect(errorOf('1 == 1').message).toBe('Unsupported operator "=="');
      expect(errorOf('!1').message).toBe('Unsupported operator "!"');
    });
  });

  describe('numbers at the edges', () => {
    const TOO_LARGE = 'is beyond the largest number the calculator can represent (±1.8e308)';
    it.each([
      ['an overflow', '1e308 * 10', `1e308 * 10 ${TOO_LARGE}`],
      ['an overflow that what follows would hide', '1 / (1e308 * 10)', `1e308 * 10 ${TOO_LARGE}`],
      [
        'an overflow inside a larger expression',
        '(1 + 2) * 1e308 * 2',
        `(1 + 2) * 1e308 ${TOO_LARGE}`,
      ],
      ['a literal too large for a double', '1e999 * 0', `1e999 ${TOO_LARGE}`],
      ['a function that overflows', 'exp(710)', `exp(710) ${TOO_LARGE}`],
      ['the logarithm of zero', 'ln(0)', `ln(0) ${TOO_LARGE}`],
      ['the square root of a negative number', 'sqrt(-1)', 'sqrt(-1) is not a real number'],
      [
        'a fractional power of a negative number',
        '(-8) ^ (1 / 3)',
        '-8 ^ (1 / 3) is not a real number',
      ],
      ['zero divided by zero', '0 / 0', 'Division by zero'],
      ['min of nothing', 'min()', 'min takes at least one argument, got 0'],
      ['a function given too few arguments', 'pow(2)', 'pow takes 2 argument(s), got 1'],
      ['a function given too many arguments', 'abs(1, 2)', 'abs takes 1 argument(s), got 2'],
    ])('rejects %s (%s), naming the sub-expression', (_case, expression, message) => {
      expect(errorOf(expression).message).toBe(message);
    });

    it.each([
      ['the largest double', '1.7976931348623157e308', '1.7976931348623157e+308'],
      ['the most negative double', '-1.7976931348623157e308', '-1.7976931348623157e+308'],
      ['the smallest subnormal', '5e-324', '5e-324'],
      ['a subnormal from a division', '1e-310 / 10', '1e-311'],
      ['an underflow, rounded to 0 as IEEE 754 does', '1e-200 * 1e-200', '0'],
      ['a literal too small for a double, rounded to 0', '1e-400', '0'],
      ['minus zero, which JSON writes as 0', '-0', '0'],
      ['minus zero from a product', '-1 * 0', '0'],
    ])('answers %s (%s) with a number', (_case, expression, json) => {
      expect(JSON.stringify(calculate(expression).result)).toBe(json);
    });
  });

  describe('hostile input', () => {
    it.each([
      ['constructor', 'Unknown name "constructor"'],
      ['__proto__', 'Unknown name "__proto__"'],
      ['this', 'Unsupported syntax (ThisExpression)'],
      ['a.b', 'Unsupported syntax (MemberExpression)'],
      ['globalThis.x', 'Unsupported syntax (MemberExpression)'],
      ['process.exit(1)', 'Unknown function "MemberExpression"'],
      ['"str"', 'Only numbers are allowed, got "str"'],
      ['[1,2]', 'Unsupported syntax (ArrayExpression)'],
      ['1; 2', 'Unsupported syntax (Compound)'],
      ['constructor(1)', 'Unknown function "constructor"'],
      ['toString(1)', 'Unknown function "tostring"'],
    ])('rejects %s', (expression, message) => {
      expect(errorOf(expression).message).toBe(message);
    });

    it('rejects an assignment at parse time', () => {
      expect(errorOf('x = 1').message).toMatch(/^Cannot parse "x = 1": /);
    });

    it('does not run anything while rejecting process.exit(1)', () => {
      const exit = jest.spyOn(process, 'exit').mockImplementation(() => undefined as never);
      try {
        expect(() => evaluateExpression('process.exit(1)')).toThrow(CalculationError);
        expect(exit).not.toHaveBeenCalled();
      } finally {
        exit.mockRestore();
      }
    });
  });

  describe('the tool', () => {
    it('returns the expression and its result', () => {
      expect(calculate('17 * 23')).toEqual({ expression: '17 * 23', result: 391 });
    });

    it('lets a calculation error escape from run', () => {
      expect(() => calculate('1 / 0')).toThrow(new CalculationError('Division by zero'));
    });

    it('accepts an expression of exactly the maximum length', () => {
      const expression = '1'.repeat(MAX_EXPRESSION_LENGTH);
      expect(calculator.argumentsSchema.safeParse({ expression })).toEqual({
        success: true,
        data: { expression },
      });
    });

    it('rejects an empty expression', () => {
      const parsed = calculator.argumentsSchema.safeParse({ expression: '' });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['expression']);
    });

    it('rejects an expression over the maximum length', () => {
      const parsed = calculator.argumentsSchema.safeParse({
        expression: '1'.repeat(MAX_EXPRESSION_LENGTH + 1),
      });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['expression']);
    });

    it('rejects extra fields', () => {
      const parsed = calculator.argumentsSchema.safeParse({ expression: '1 + 1', precision: 2 });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]).toMatchObject({
        code: 'unrecognized_keys',
        keys: ['precision'],
      });
    });

    it('rejects a missing expression', () => {
      expect(calculator.argumentsSchema.safeParse({}).success).toBe(false);
    });
  });
});
