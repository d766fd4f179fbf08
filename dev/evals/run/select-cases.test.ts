import { evalCaseSchema } from '../dataset/case-schema';
import { selectCases } from './select-cases';

const evalCase = (id: string, tags: string[] = []) =>
  evalCaseSchema.parse({ id, input: { task: 'x' }, expect: {}, tags });
const CASES = [
  evalCase('calculator-power', ['calculator']),
  evalCase('memory-recall', ['memory']),
  evalCase('deadline', ['refusal', 'emulator-only']),
];
const ids = (cases: { id: string }[]) => cases.map((each) => each.id);

describe('selecting cases', () => {
  it('takes every case without a filter, and those whose id contains a filter or that are tagged with it', () => {
    expect(ids(selectCases(CASES, { filters: [], elsewhere: undefined }).selected)).toEqual([
      'calculator-power',
      'memory-recall',
      'deadline',
    ]);
    expect(
      ids(selectCases(CASES, { filters: ['power', 'memory'], elsewhere: undefined }).selected),
    ).toEqual(['calculator-power', 'memory-recall']);
    expect(
      ids(selectCases(CASES, { filters: ['refusal'], elsewhere: undefined }).selected),
    ).toEqual(['deadline']);
  });

  it("skips the emulator-only cases where the services are not the runner's own on the emulator, saying why", () => {
    expect(selectCases(CASES, { filters: [], elsewhere: 'on the Gemini API' })).toEqual({
      selected: [CASES[0], CASES[1]],
      skipped: [{ id: 'deadline', reason: 'emulator-only, on the Gemini API' }],
    });
  });
});
