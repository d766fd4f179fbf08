import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EvaluatorSummary } from '../report/summary';
import { baselineFrom, compareToBaseline, readBaseline, type Baseline } from './baseline';
import { comparisonTable } from './comparison-table';

const BASELINE: Baseline = {
  dataset: 'agent',
  dataset_version: 'aaaaaaaaaaaa',
  model: 'emulator',
  evaluators: {
    trajectory: { score: 1, tolerance: 0.02 },
    answer_facts: { score: 0.9, tolerance: 0.05 },
    judge: { score: 0.8, tolerance: 0.02 },
  },
};
const run = (means: Record<string, number>): EvaluatorSummary[] =>
  Object.entries(means).map(([name, mean]) => ({ name, cases: 10, passed: 10, mean }));
const compare = (means: Record<string, number>, version = 'aaaaaaaaaaaa') =>
  compareToBaseline(run(means), BASELINE, {
    baselineFile: 'evals/baseline.json',
    datasetVersion: version,
    model: 'emulator',
  });

describe('the comparison with a baseline', () => {
  it('passes scores within their tolerance', () => {
    const comparison = compare({ trajectory: 0.98, answer_facts: 0.85, judge: 0.8 });
    expect(comparison.regressed).toBe(false);
    expect(comparison.rows.map((row) => row.verdict)).toEqual(['ok', 'ok', 'ok']);
  });

  it('fails a score that drops past its tolerance, and says which in a table', () => {
    const comparison = compare({ trajectory: 0.75, answer_facts: 0.9, judge: 0.8 });
    expect(comparison.regressed).toBe(true);
    expect(comparisonTable(comparison)).toBe(
      [
        'Against the baseline (evals/baseline.json):',
        '  evaluator     baseline  tolerance    now  change  verdict',
        '  ------------  --------  ---------  -----  ------  ---------',
        '  trajectory       1.000     -0.020  0.750  -0.250  REGRESSED',
        '  answer_facts     0.900     -0.050  0.900  +0.000  ok',
        '  judge            0.800     -0.020  0.800  +0.000  ok',
        'REGRESSION: trajectory dropped past the tolerance of evals/baseline.json.',
      ].join('\n'),
    );
  });

  it('tells an improvement, an evaluator not measured and a new one apart, none of them failing', () => {
    const comparison = compare({ trajectory: 1, answer_facts: 1, outcome: 1 });
    expect(comparison.regressed).toBe(false);
    expect(comparison.rows.map((row) => [row.evaluator, row.verdict])).toEqual([
      ['trajectory', 'ok'],
      ['answer_facts', 'improved'],
      ['judge', 'not measured'],
      ['outcome', 'new'],
    ]);
  });

  it("notes a dataset version other than the baseline's", () => {
    expect(compare({ trajectory: 1 }, 'bbbbbbbbbbbb').notes).toEqual([
      'the baseline is of dataset version aaaaaaaaaaaa, this run of bbbbbbbbbbbb',
    ]);
  });
});

describe('a baseline file', () => {
  it('is written from a run, rounded down, keeping the tolerances it stated', () => {
    const written = baselineFrom(run({ judge: 0.86666, outcome: 1 }), {
      dataset: 'agent',
      datasetVersion: 'cccccccccccc',
      model: 'emulator',
      previous: BASELINE,
    });
    expect(written).toEqual({
      dataset: 'agent',
      dataset_version: 'cccccccccccc',
      model: 'emulator',
      evaluators: {
        judge: { score: 0.8666, tolerance: 0.02 },
        outcome: { score: 1, tolerance: 0.02 },
      },
    });
  });

  it('is refused, naming the file and the field, when it breaks the schema', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'baseline-'));
    const file = path.join(directory, 'baseline.json');
    writeFileSync(
      file,
      JSON.stringify({ ...BASELINE, evaluators: { judge: { score: 2, tolerance: 0 } } }),
    );
    expect(() => readBaseline(file)).toThrow(`${file}: evaluators.judge.score: Too big`);
  });

  it("holds the repository's baseline to the schema", () => {
    expect(readBaseline('evals/baseline.json').model).toBe('emulator');
  });
});
