/**
 * Which head sampler a service uses (workshop, exercise 1): read from `OTEL_TRACES_SAMPLER` and
 * `OTEL_TRACES_SAMPLER_ARG` when they are set, as the OpenTelemetry specification says; otherwise
 * chosen by environment: 10% of new traces in production, all of them anywhere else.
 *
 * Pure: the configuration calls it once, the SDK setup builds the sampler from its result
 * (`create-sampler.ts`), and the start-up log prints its description.
 */

/** The specification's values, plus ours: `adaptive` (see adaptive-sampler.ts). */
const SAMPLER_NAMES = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'adaptive',
] as const;

type SamplerName = (typeof SAMPLER_NAMES)[number];

export type SamplerSetting =
  | {
      name: 'always_on' | 'always_off' | 'parentbased_always_on' | 'parentbased_always_off';
      source: SamplerSource;
    }
  | { name: 'traceidratio' | 'parentbased_traceidratio'; ratio: number; source: SamplerSource }
  | { name: 'adaptive'; targetPerSecond: number; source: SamplerSource };

/** Why this sampler: set explicitly, or the default for the environment. */
export type SamplerSource = 'OTEL_TRACES_SAMPLER' | 'default for NODE_ENV=production' | 'default';

const PRODUCTION_DEFAULT_RATIO = 0.1;
/** The specification's default when `OTEL_TRACES_SAMPLER_ARG` is not set for a ratio sampler. */
const DEFAULT_RATIO = 1;
export const DEFAULT_ADAPTIVE_TARGET_PER_SECOND = 10;

export class SamplerSettingError extends Error {
  override readonly name = 'SamplerSettingError';
}

function isSamplerName(name: string): name is SamplerName {
  return (SAMPLER_NAMES as readonly string[]).includes(name);
}

function parseNumber(
  arg: string,
  sampler: string,
  isValid: (value: number) => boolean,
  expected: string,
): number {
  const value = Number(arg);
  if (!arg.trim() || !Number.isFinite(value) || !isValid(value))
    throw new SamplerSettingError(
      `OTEL_TRACES_SAMPLER_ARG: "${arg}" is not ${expected} (OTEL_TRACES_SAMPLER=${sampler})`,
    );
  return value;
}

export interface SamplerEnvironment {
  /** `OTEL_TRACES_SAMPLER`, unset if empty. */
  sampler?: string;
  /** `OTEL_TRACES_SAMPLER_ARG`, unset if empty. */
  arg?: string;
  /** `NODE_ENV`. */
  environment: string;
}

/**
 * Unknown names and invalid arguments are refused at start-up rather than replaced by a default,
 * as the SDK would do with a logged error: a typo must not silently sample 100% in production.
 */
export function chooseSampler({ sampler, arg, environment }: SamplerEnvironment): SamplerSetting {
  if (sampler === undefined) {
    return environment === 'production'
      ? {
          name: 'parentbased_traceidratio',
          ratio: PRODUCTION_DEFAULT_RATIO,
          source: 'default for NODE_ENV=production',
        }
      : { name: 'parentbased_always_on', source: 'default' };
  }
  const name = sampler.trim().toLowerCase();
  if (!isSamplerName(name))
    throw new SamplerSettingError(
      `OTEL_TRACES_SAMPLER: "${sampler}" is not one of ${SAMPLER_NAMES.join(', ')}`,
    );
  const source = 'OTEL_TRACES_SAMPLER';
  switch (name) {
    case 'traceidratio':
    case 'parentbased_traceidratio': {
      const ratio =
        arg === undefined
          ? DEFAULT_RATIO
          : parseNumber(arg, name, (value) => value >= 0 && value <= 1, 'a number from 0 to 1');
      return { name, ratio, source };
    }
    case 'adaptive': {
      const targetPerSecond =
        arg === undefined
          ? DEFAULT_ADAPTIVE_TARGET_PER_SECOND
          : parseNumber(arg, name, (value) => value > 0, 'a positive number of traces per second');
      return { name, targetPerSecond, source };
    }
    default:
      return { name, source };
  }
}

/** For the start-up log, e.g. `parentbased_traceidratio 0.1 (default for NODE_ENV=production)`. */
export function describeSampler(setting: SamplerSetting): string {
  const argument =
    'ratio' in setting
      ? ` ${setting.ratio}`
      : 'targetPerSecond' in setting
        ? ` ${setting.targetPerSecond}/s`
        : '';
  return `${setting.name}${argument} (${setting.source})`;
}
