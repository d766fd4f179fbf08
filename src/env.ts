import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * How an environment variable is read, for the one schema of them all (src/variables.ts): one
 * rule for empty variables, one way to report a bad one.
 */

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * The text of the file a variable names (`MODEL_PRICING_FILE`, `OTEL_CONFIG_FILE`), and how to end
 * start-up over it: `fail` throws one line naming the variable, the file and the problem.
 */
export function readVariableFile(
  variable: string,
  file: string,
): { text: string; fail: (problem: string) => never } {
  const fail = (problem: string): never => {
    throw new ConfigError(`Invalid configuration: ${variable} ${file}: ${problem}`);
  };
  try {
    return { text: readFileSync(file, 'utf8'), fail };
  } catch (error) {
    return fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** The largest delay `setTimeout` can wait; a larger one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * As the OpenTelemetry specification reads booleans: case-insensitive `true` (or `1`); anything
 * else is false.
 */
export const envBoolean = z
  .string()
  .optional()
  .transform((value) => ['true', '1'].includes(value?.trim().toLowerCase() ?? ''));

/** A trimmed string, or undefined. */
export const envString = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() ? value.trim() : undefined));

/** Durations and sizes: a whole number from 1 up to what a timer can wait. */
export const envPositiveInt = (fallback: number) =>
  z.coerce
    .number({ error: `must be a whole number from 1 to ${MAX_TIMER_MS}` })
    .int({ error: `must be a whole number from 1 to ${MAX_TIMER_MS}` })
    .positive({ error: `must be a whole number from 1 to ${MAX_TIMER_MS}` })
    .max(MAX_TIMER_MS, { error: `must be a whole number from 1 to ${MAX_TIMER_MS}` })
    .default(fallback);

function intInRange(min: number, max: number) {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/** A whole number from `min` to `max`. */
export const envIntInRange = (min: number, max: number, fallback: number) =>
  intInRange(min, max).default(fallback);

/** A whole number from `min` to `max`, or undefined: the caller's default applies. */
export const envOptionalIntInRange = (min: number, max: number) => intInRange(min, max).optional();

/** Comma-separated names: trimmed, lower-cased, empty items dropped. */
export const envList = z
  .string()
  .optional()
  .transform((value) =>
    value
      ?.split(',')
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean),
  );

/** Comma-separated secrets: trimmed, case kept. */
export const envSecretList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** One of a few words; the message lists them. */
export const envEnum = <const Values extends readonly [string, ...string[]]>(values: Values) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });

export const envUrl = z.url({ error: 'must be an absolute URL, e.g. http://localhost:8081' });

/**
 * Parses the variables `shape` names from `env`. An empty variable (`PORT=`) means "not set", as
 * in the OpenTelemetry specification, not "0" or "". Every problem is reported in one line that
 * names the variable and what it must be; values are never repeated (they may be secrets).
 */
export function parseEnv<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: NodeJS.ProcessEnv,
): z.infer<z.ZodObject<Shape>> {
  const set = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const parsed = z.object(shape).safeParse(set);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    .join('; ');
  throw new ConfigError(`Invalid configuration: ${problems}`);
}

/**
 * Ends start-up with one line on stderr and exit code 1: no stack trace for a configuration
 * mistake.
 */
export function exitOnStartFailure(error: unknown): never {
  process.stderr.write(
    `failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
