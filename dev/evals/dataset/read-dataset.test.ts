import { DatasetError, parseDataset } from './read-dataset';

const line = (value: unknown) => JSON.stringify(value);
const CASE = {
  id: 'calculator',
  input: { task: 'Calculate 17 * 23' },
  expect: { tools: { order: 'exact', calls: [{ name: 'calculator' }] }, facts: ['391'] },
};

const parse = (...lines: string[]) => parseDataset(lines.join('\n'), 'evals/datasets/test.jsonl');
const failure = (...lines: string[]): string => {
  try {
    parse(...lines);
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return (error as Error).message;
  }
  throw new Error('the dataset was accepted');
};

describe('reading a JSONL dataset', () => {
  it('reads one case a line, skipping blank lines, with defaults filled in', () => {
    const dataset = parse(line(CASE), '', line({ ...CASE, id: 'second', tags: ['tools'] }), '');

    expect(dataset.name).toBe('test');
    expect(dataset.cases.map((evalCase) => evalCase.id)).toEqual(['calculator', 'second']);
    expect(dataset.cases[0]).toMatchObject({
      setup: [],
      tags: [],
      expect: { status: 200, tools: { calls: [{ name: 'calculator', ok: true }] } },
    });
  });

  it('versions the dataset by its content', () => {
    const version = parse(line(CASE)).version;
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    expect(parse(line(CASE)).version).toBe(version);
    expect(parse(line({ ...CASE, tags: ['x'] })).version).not.toBe(version);
  });

  it('names the line, the case and the field of a case that breaks the schema', () => {
    const broken = { ...CASE, expect: { tools: { order: 'sorted', calls: [] } } };
    expect(failure(line(CASE), line({ ...broken, id: 'broken' }))).toMatch(
      /^evals\/datasets\/test\.jsonl:2 \(case "broken"\): expect\.tools\.order: Invalid option/,
    );
  });

  it('names the line of a line that is not JSON', () => {
    expect(failure(line(CASE), '', '{"id": "half"')).toMatch(
      /^evals\/datasets\/test\.jsonl:3: not JSON/,
    );
  });

  it('refuses an unknown field, so that a typo is no silent default', () => {
    expect(failure(line({ ...CASE, expect: { fact: ['391'] } }))).toMatch(
      /:1 \(case "calculator"\): expect: Unrecognized key: "fact"/,
    );
  });

  it('refuses arguments matched two ways at once, and a pattern that is no regular expression', () => {
    const twice = { name: 'calculator', args: {}, args_where: { expression: { contains: '1' } } };
    expect(
      failure(line({ ...CASE, expect: { tools: { order: 'exact', calls: [twice] } } })),
    ).toMatch(/expect\.tools\.calls\[0\]: match the arguments one way/);
    expect(failure(line({ ...CASE, expect: { facts: [{ matches: '(' }] } }))).toMatch(
      /expect\.facts\[0\]/,
    );
  });

  it('refuses a turn with both a task and a raw body, and one with neither', () => {
    expect(failure(line({ ...CASE, input: { task: 'x', body: {} } }))).toMatch(
      /input: give either task/,
    );
    expect(failure(line({ ...CASE, input: {} }))).toMatch(/input: give either task/);
  });

  it('refuses an id used twice, naming both lines', () => {
    expect(failure(line(CASE), line(CASE))).toBe(
      'evals/datasets/test.jsonl:2: the id "calculator" is already used on line 1',
    );
  });

  it('refuses an empty dataset', () => {
    expect(failure('', '')).toBe('evals/datasets/test.jsonl: no case in it');
  });
});
