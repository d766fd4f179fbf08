/**
 * The largest magnitude a result can have, as a model reads it: past it a number is `Infinity`,
 * which JSON cannot carry (`JSON.stringify` writes `null`, and a tool's answer would read as
 * "no result").
 */
const LARGEST = '±1.8e308';

/** Where the first number JSON cannot carry sits in `value` (`result`, `values[2]`), and what it is. */
function findNonFinite(value: unknown, path: string): { path: string; value: number } | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { path, value };
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNonFinite(item, `${path}[${index}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findNonFinite(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Why `result` cannot be a tool's answer, for the model to act on, or undefined when every number
 * in it is finite. The one rule for every tool: an overflow or an undefined operation is an
 * error, never a `null` that reads as a value. (A result too small to represent rounds to 0, as
 * IEEE 754 arithmetic does everywhere: it is the nearest number, not a missing one.)
 */
export function describeNonFiniteResult(result: unknown): string | undefined {
  const found = findNonFinite(result, '');
  if (!found) return undefined;
  const where = found.path ? `"${found.path}"` : 'the result';
  return Number.isNaN(found.value)
    ? `${where} is not a number: the operation is undefined for these inputs.`
    : `${where} is ${found.value}, beyond the largest number it can represent (${LARGEST}): use smaller numbers (scale the input down, or a larger unit) and call again.`;
}
