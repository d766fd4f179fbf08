import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { EvaluatorSummary } from '../report/summary';

/**
 * The scores an experiment must keep (evals/baseline.json): each evaluator's mean, and how far it
 * may drop before the comparison fails. Written by `npm run eval -- --update-baseline`, reviewed
 * like code.
 */
export const baselineSchema = z.strictObject({
  dataset: z.string(),
  dataset_version: z.string(),
  model: z.string(),
  evaluators: z.record(
    z.string(),
    z.strictObject({ score: z.number().min(0).max(1), tolerance: z.number().min(0).max(1) }),
  ),
});

export type Baseline = z.infer<typeof baselineSchema>;

/** A new evaluator's tolerance: less than one case of a small evaluator, more than rounding. */
const DEFAULT_TOLERANCE = 0.02;
/** Scores are means of floats: equal within this. */
const EPSILON = 1e-9;

export type Verdict = 'ok' | 'regressed' | 'improved' | 'not measured' | 'new';

export interface ComparisonRow {
  evaluator: string;
  baseline: number | undefined;
  tolerance: number | undefined;
  current: number | undefined;
  verdict: Verdict;
}

export interface Comparison {
  baselineFile: string;
  rows: ComparisonRow[];
  regressed: boolean;
  /** What a reader should know: another dataset version or model than the baseline's. */
  notes: string[];
}

export function readBaseline(file: string): Baseline {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot be read as JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  return parsed.data;
}

function verdictOf(
  baseline: Baseline['evaluators'][string] | undefined,
  current: number | undefined,
): Verdict {
  if (!baseline) return 'new';
  if (current === undefined) return 'not measured';
  if (current < baseline.score - baseline.tolerance - EPSILON) return 'regressed';
  if (current > baseline.score + baseline.tolerance + EPSILON) return 'improved';
  return 'ok';
}

/**
 * Each evaluator's mean against the baseline's: `regressed` below its score less its tolerance
 * (which fails the comparison), `improved` above it plus its tolerance (time to update the
 * baseline), `not measured` when no case of this run exercised it (a filtered run, no judge).
 */
export function compareToBaseline(
  summary: readonly EvaluatorSummary[],
  baseline: Baseline,
  {
    baselineFile,
    datasetVersion,
    model,
  }: { baselineFile: string; datasetVersion: string; model: string },
): Comparison {
  const means = new Map(summary.map((evaluator) => [evaluator.name, evaluator.mean]));
  const names = [...new Set([...Object.keys(baseline.evaluators), ...means.keys()])];
  const rows = names.map((evaluator): ComparisonRow => {
    const expected = baseline.evaluators[evaluator];
    const current = means.get(evaluator);
    return {
      evaluator,
      baseline: expected?.score,
      tolerance: expected?.tolerance,
      current,
      verdict: verdictOf(expected, current),
    };
  });
  const notes = [
    ...(baseline.dataset_version === datasetVersion
      ? []
      : [
          `the baseline is of dataset version ${baseline.dataset_version}, this run of ${datasetVersion}`,
        ]),
    ...(baseline.model === model
      ? []
      : [`the baseline is of ${baseline.model}, this run of ${model}`]),
  ];
  return { baselineFile, rows, regressed: rows.some((row) => row.verdict === 'regressed'), notes };
}

/**
 * This run's means as the new baseline (rounded down: never above what was measured), with the
 * tolerances the old one stated.
 */
export function baselineFrom(
  summary: readonly EvaluatorSummary[],
  {
    dataset,
    datasetVersion,
    model,
    previous,
  }: { dataset: string; datasetVersion: string; model: string; previous?: Baseline },
): Baseline {
  return {
    dataset,
    dataset_version: datasetVersion,
    model,
    evaluators: Object.fromEntries(
      summary.map((evaluator) => [
        evaluator.name,
        {
          score: Math.floor(evaluator.mean * 10_000) / 10_000,
          tolerance: previous?.evaluators[evaluator.name]?.tolerance ?? DEFAULT_TOLERANCE,
        },
      ]),
    ),
  };
}
