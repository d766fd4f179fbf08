import { EMULATOR_ONLY, type EvalCase } from '../dataset/case-schema';

export interface Selection {
  selected: EvalCase[];
  /** Left out, with why. */
  skipped: { id: string; reason: string }[];
}

/**
 * The cases `--filter` names (by a part of the id, or a tag; all without a filter), less those
 * tagged emulator-only when the runner's own services do not run on the emulator: `elsewhere` says
 * where they run instead (the Gemini API, a --target with its own settings).
 */
export function selectCases(
  cases: readonly EvalCase[],
  { filters, elsewhere }: { filters: readonly string[]; elsewhere: string | undefined },
): Selection {
  const matching = cases.filter(
    (evalCase) =>
      !filters.length ||
      filters.some((filter) => evalCase.id.includes(filter) || evalCase.tags.includes(filter)),
  );
  const skipped = elsewhere
    ? matching.filter((evalCase) => evalCase.tags.includes(EMULATOR_ONLY))
    : [];
  return {
    selected: matching.filter((evalCase) => !skipped.includes(evalCase)),
    skipped: skipped.map((evalCase) => ({
      id: evalCase.id,
      reason: `${EMULATOR_ONLY}, ${elsewhere}`,
    })),
  };
}
