import jsep from 'jsep';
import { z } from 'zod';
import { defineTool } from '../tool';
import { LIMITS } from '../../limits';

export const MAX_EXPRESSION_LENGTH = LIMITS.maxExpressionLength;

/**
 * jsep only parses: it turns text into a syntax tree and never runs anything. We evaluate that
 * tree ourselves and accept only numbers, arithmetic, and the functions and constants below;
 * anything else (member access, `this`, strings, arrays) is rejected, so hostile input has
 * nothing to reach.
 */
const FUNCTIONS: ReadonlyMap<string, (...values: number[]) => number> = new Map<
  string,
  (...values: number[]) => number
>([
  ['abs', Math.abs],
  ['sqrt', Math.sqrt],
  ['cbrt', Math.cbrt],
  ['round', Math.round],
  ['floor', Math.floor],
  ['ceil', Math.ceil],
  ['min', Math.min],
  ['max', Math.max],
  ['pow', Math.pow],
  ['exp', Math.exp],
  ['ln', Math.log],
  ['log', Math.log10],
  ['log2', Math.log2],
  ['sin', Math.sin],
  ['cos', Math.cos],
  ['tan', Math.tan],
]);

const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
]);

const BINARY: ReadonlyMap<string, (left: number, right: number) => number> = new Map<
  string,
  (left: number, right: number) => number
>([
  ['+', (left, right) => left + right],
  ['-', (left, right) => left - right],
  ['*', (left, right) => left * right],
  [
    '/',
    (left, right) => {
      if (right === 0) throw new CalculationError('Division by zero');
      return left / right;
    },
  ],
  [
    '%',
    (left, right) => {
      if (right === 0) throw new CalculationError('Modulo by zero');
      return left % right;
    },
  ],
  ['^', (left, right) => left ** right],
  ['**', (left, right) => left ** right],
]);

export class CalculationError extends Error {
  override readonly name = 'CalculationError';
}

// `^` means power here, as people write it, not bitwise xor. Same precedence as `**`,
// right-associative. A leading sign binds tighter than a power, as in spreadsheets (`-2 ^ 2` is 4):
// jsep drops parentheses from its tree, so `(-2) ^ 2` and `-2 ^ 2` cannot be told apart. Write `-(2
// ^ 2)`.
jsep.addBinaryOp('^', 11, true);

/** Math's own functions that take any number of arguments; the others take exactly `length`. */
const VARIADIC: ReadonlySet<string> = new Set(['min', 'max']);

function call(name: string, fn: (...values: number[]) => number, args: number[]): number {
  if (VARIADIC.has(name) ? args.length === 0 : args.length !== fn.length) {
    const wanted = VARIADIC.has(name) ? 'at least one argument' : `${fn.length} argument(s)`;
    throw new CalculationError(`${name} takes ${wanted}, got ${args.length}`);
  }
  return fn(...args);
}

function evaluateUnchecked(node: jsep.Expression): number {
  switch (node.type) {
    case 'Literal': {
      const { value } = node as jsep.Literal;
      if (typeof value !== 'number')
        throw new CalculationError(`Only numbers are allowed, got ${JSON.stringify(value)}`);
      return value;
    }
    case 'Identifier': {
      const { name } = node as jsep.Identifier;
      const constant = CONSTANTS.get(name.toLowerCase());
      if (constant === undefined) throw new CalculationError(`Unknown name "${name}"`);
      return constant;
    }
    case 'UnaryExpression': {
      const { operator, argument } = node as jsep.UnaryExpression;
      const value = evaluateNode(argument);
      if (operator === '-') return -value;
      if (operator === '+') return value;
      throw new CalculationError(`Unsupported operator "${operator}"`);
    }
    case 'BinaryExpression': {
      const { operator, left, right } = node as jsep.BinaryExpression;
      const apply = BINARY.get(operator);
      if (!apply) throw new CalculationError(`Unsupported operator "${operator}"`);
      return apply(evaluateNode(left), evaluateNode(right));
    }
    case 'CallExpression': {
      const { callee, arguments: args } = node as jsep.CallExpression;
      const name =
        callee.type === 'Identifier' ? (callee as jsep.Identifier).name.toLowerCase() : '';
      const fn = FUNCTIONS.get(name);
      if (!fn) throw new CalculationError(`Unknown function "${name || callee.type}"`);
      return call(name, fn, args.map(evaluateNode));
    }
    default:
      throw new CalculationError(`Unsupported syntax (${node.type})`);
  }
}

/** A sub-expression as the model wrote it, near enough to find it (jsep keeps no positions). */
function textOf(node: jsep.Expression): string {
  switch (node.type) {
    case 'Literal':
      return String((node as jsep.Literal).raw);
    case 'Identifier':
      return (node as jsep.Identifier).name;
    case 'UnaryExpression': {
      const { operator, argument } = node as jsep.UnaryExpression;
      return `${operator}${operandText(argument)}`;
    }
    case 'BinaryExpression': {
      const { operator, left, right } = node as jsep.BinaryExpression;
      return `${operandText(left)} ${operator} ${operandText(right)}`;
    }
    case 'CallExpression': {
      const { callee, arguments: args } = node as jsep.CallExpression;
      return `${textOf(callee)}(${args.map(textOf).join(', ')})`;
    }
    default:
      return node.type;
  }
}

const operandText = (node: jsep.Expression) =>
  node.type === 'BinaryExpression' ? `(${textOf(node)})` : textOf(node);

/**
 * Every value on the way must be finite, not only the last: `1 / (10 ^ 400)` would otherwise be
 * answered 0, from an overflow nobody saw. The same rule as for every tool's result
 * (src/tools/finite-numbers.ts), with the sub-expression that broke it named. A value too small to
 * represent rounds to 0, as IEEE 754 arithmetic does everywhere.
 */
function evaluateNode(node: jsep.Expression): number {
  const value = evaluateUnchecked(node);
  if (Number.isFinite(value)) return value;
  throw new CalculationError(
    Number.isNaN(value)
      ? `${textOf(node)} is not a real number`
      : `${textOf(node)} is beyond the largest number the calculator can represent (±1.8e308)`,
  );
}

export function evaluateExpression(expression: string): number {
  let tree: jsep.Expression;
  try {
    tree = jsep(expression);
  } catch (error) {
    throw new CalculationError(`Cannot parse "${expression}": ${(error as Error).message}`);
  }
  return evaluateNode(tree);
}

/** Removes binary floating-point noise (0.1 + 0.2) without hiding real precision. */
function tidy(value: number): number {
  // Integers carry no binary noise; rounding them to 15 digits would change exact results like
  // 12345678 * 87654321.
  if (Number.isInteger(value)) return value;
  return Number.parseFloat(value.toPrecision(15));
}

export const calculator = defineTool({
  name: 'calculator',
  description:
    'Evaluates an arithmetic expression exactly: + - * / % ^ (power), parentheses, the constants pi and e, ' +
    'and the functions abs, sqrt, cbrt, round, floor, ceil, min, max, pow, exp, ln, log, log2, sin, cos, tan. ' +
    'A leading minus binds tighter than ^: write -(2 ^ 2) for -4.',
  argumentsSchema: z
    .object({
      expression: z
        .string()
        .min(1)
        .max(MAX_EXPRESSION_LENGTH)
        .describe('The expression to evaluate, e.g. "17 * 23"'),
    })
    .strict(),
  run: ({ expression }) => ({ expression, result: tidy(evaluateExpression(expression)) }),
});
