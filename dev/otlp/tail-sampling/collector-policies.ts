import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_HASH_SALT, type PolicyConfig } from './policies';

/** What the local tail sampler needs of the collector's `tail_sampling` processor. */
export interface TailSamplingConfig {
  /** How long after a trace's first span its decision is made. */
  decisionWaitMs: number;
  /** In the file's order; a trace is kept when any of them keeps it. */
  policies: PolicyConfig[];
}

/** Go durations as the collector's configuration writes them: `10s`, `500ms`, `1m`. */
const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000 };

const duration = z.string().transform((text, context) => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text.trim());
  if (match) return Number(match[1]) * DURATION_UNITS_MS[match[2]!]!;
  context.addIssue({ code: 'custom', message: `not a duration like 10s or 500ms: "${text}"` });
  return z.NEVER;
});

const policy = z.discriminatedUnion(
  'type',
  [
    z.object({
      name: z.string(),
      type: z.literal('status_code'),
      status_code: z.object({ status_codes: z.array(z.enum(['OK', 'ERROR', 'UNSET'])).min(1) }),
    }),
    z.object({
      name: z.string(),
      type: z.literal('latency'),
      latency: z.object({
        threshold_ms: z.number().int().min(0),
        upper_threshold_ms: z.number().int().min(0).default(0),
      }),
    }),
    z.object({
      name: z.string(),
      type: z.literal('probabilistic'),
      probabilistic: z.object({
        sampling_percentage: z.number(),
        hash_salt: z.string().default(''),
      }),
    }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'a policy type the local tail sampler does not apply (it knows status_code, latency and probabilistic): run the collector for the others'
        : undefined,
  },
);

const collectorFile = z.object({
  processors: z.object({
    tail_sampling: z.object({
      // The collector's default.
      decision_wait: duration.default(30_000),
      policies: z.array(policy).min(1),
    }),
  }),
});

function toPolicyConfig(entry: z.infer<typeof policy>): PolicyConfig {
  switch (entry.type) {
    case 'status_code':
      return { name: entry.name, type: entry.type, statusCodes: entry.status_code.status_codes };
    case 'latency':
      return {
        name: entry.name,
        type: entry.type,
        thresholdMs: entry.latency.threshold_ms,
        upperThresholdMs: entry.latency.upper_threshold_ms,
      };
    case 'probabilistic':
      return {
        name: entry.name,
        type: entry.type,
        samplingPercentage: entry.probabilistic.sampling_percentage,
        hashSalt: entry.probabilistic.hash_salt || DEFAULT_HASH_SALT,
      };
  }
}

/** The decision wait and policies of a collector configuration's `tail_sampling` processor. */
export function parseTailSampling(
  yamlText: string,
  source = 'the collector configuration',
): TailSamplingConfig {
  const result = collectorFile.safeParse(parse(yamlText));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${source}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const { decision_wait, policies } = result.data.processors.tail_sampling;
  return { decisionWaitMs: decision_wait, policies: policies.map(toPolicyConfig) };
}

export function readTailSampling(file: string): TailSamplingConfig {
  return parseTailSampling(readFileSync(file, 'utf8'), file);
}
