import { textTable } from '../report/text-table';
import type { Comparison } from './baseline';

const score = (value: number | undefined) => (value === undefined ? '' : value.toFixed(3));

/** The comparison as a table a CI log shows, and what it concludes. */
export function comparisonTable(comparison: Comparison): string {
  const rows = comparison.rows.map((row) => [
    row.evaluator,
    score(row.baseline),
    row.tolerance === undefined ? '' : `-${row.tolerance.toFixed(3)}`,
    score(row.current),
    row.current === undefined || row.baseline === undefined
      ? ''
      : `${row.current >= row.baseline ? '+' : ''}${(row.current - row.baseline).toFixed(3)}`,
    row.verdict === 'regressed' ? 'REGRESSED' : row.verdict,
  ]);
  const verdict = comparison.regressed
    ? `REGRESSION: ${comparison.rows
        .filter((row) => row.verdict === 'regressed')
        .map((row) => row.evaluator)
        .join(', ')} dropped past the tolerance of ${comparison.baselineFile}.`
    : `No regression against ${comparison.baselineFile}.`;
  return [
    `Against the baseline (${comparison.baselineFile}):`,
    textTable([['evaluator', 'baseline', 'tolerance', 'now', 'change', 'verdict'], ...rows]),
    ...comparison.notes.map((note) => `  note: ${note}`),
    verdict,
  ].join('\n');
}
