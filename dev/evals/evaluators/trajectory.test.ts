import { evaluationInput } from '../../../test/support/evaluation-input';
import { runSpans } from '../../../test/support/run-spans';
import { toolPrecision } from './tool-precision';
import { toolRecall } from './tool-recall';
import { trajectory } from './trajectory';

type Call = { name: string; args?: Record<string, unknown>; ok?: boolean };

/** A run that made these tool calls, in this order. */
function ranTools(...calls: Call[]) {
  const trace = runSpans();
  const task = trace.task(trace.server());
  for (const { name, ...call } of calls) trace.tool(task, name, call);
  return trace.spans;
}

const expectTools = (order: string, calls: unknown[], ...actual: Call[]) =>
  evaluationInput({ expect: { tools: { order, calls } }, spans: ranTools(...actual) });

const CALCULATOR = { name: 'calculator', args: { expression: '17 * 23' } };
const SEARCH = { name: 'search_knowledge_base', args: { query: 'B3' } };

describe('the trajectory evaluator', () => {
  it('passes the exact calls in the exact order, arguments included', () => {
    expect(
      trajectory.evaluate(expectTools('exact', [CALCULATOR, SEARCH], CALCULATOR, SEARCH)),
    ).toEqual({
      name: 'trajectory',
      value: 1,
      label: 'pass',
      explanation: 'exact: calculator, search_knowledge_base',
    });
  });

  it('fails exact for the right calls in another order, or with one more', () => {
    expect(
      trajectory.evaluate(expectTools('exact', [CALCULATOR, SEARCH], SEARCH, CALCULATOR)),
    ).toMatchObject({
      value: 0,
      label: 'fail',
      explanation: 'exact: search_knowledge_base, calculator (out of order)',
    });
    expect(
      trajectory.evaluate(expectTools('exact', [CALCULATOR], CALCULATOR, SEARCH)),
    ).toMatchObject({
      value: 0,
      explanation: 'exact: calculator, search_knowledge_base (2 call(s) where 1 were expected)',
    });
  });

  it('passes in_order with other calls between the expected ones, not out of order', () => {
    const other = { name: 'get_current_time' };
    expect(
      trajectory.evaluate(expectTools('in_order', [CALCULATOR, SEARCH], CALCULATOR, other, SEARCH)),
    ).toMatchObject({ value: 1 });
    expect(
      trajectory.evaluate(expectTools('in_order', [CALCULATOR, SEARCH], SEARCH, CALCULATOR)),
    ).toMatchObject({ value: 0 });
  });

  it('passes any_order in any order', () => {
    expect(
      trajectory.evaluate(expectTools('any_order', [CALCULATOR, SEARCH], SEARCH, CALCULATOR)),
    ).toMatchObject({ value: 1 });
  });

  it('says which argument differs', () => {
    const wrong = { name: 'calculator', args: { expression: '17 + 23' } };
    expect(trajectory.evaluate(expectTools('exact', [CALCULATOR], wrong))).toMatchObject({
      value: 0,
      explanation:
        'exact: calculator (calculator: arguments {"expression":"17 + 23"}, not {"expression":"17 * 23"})',
    });
  });

  it('matches arguments by JSON schema and by predicate', () => {
    const bySchema = {
      name: 'convert_units',
      args_schema: {
        type: 'object',
        required: ['value', 'from_unit'],
        properties: { value: { type: 'number', minimum: 0 }, from_unit: { enum: ['km', 'm'] } },
      },
    };
    const converted = {
      name: 'convert_units',
      args: { value: 100, from_unit: 'km', to_unit: 'mi' },
    };
    expect(trajectory.evaluate(expectTools('exact', [bySchema], converted))).toMatchObject({
      value: 1,
    });
    expect(
      trajectory.evaluate(
        expectTools('exact', [bySchema], { ...converted, args: { value: -1, from_unit: 'km' } }),
      ),
    ).toMatchObject({ value: 0, explanation: expect.stringContaining('must be >= 0') });

    const byPredicate = {
      name: 'get_current_time',
      args_where: { timezone: { matches: '^Europe/' } },
    };
    const madrid = { name: 'get_current_time', args: { timezone: 'Europe/Madrid' } };
    const tokyo = { name: 'get_current_time', args: { timezone: 'Asia/Tokyo' } };
    expect(trajectory.evaluate(expectTools('exact', [byPredicate], madrid))).toMatchObject({
      value: 1,
    });
    expect(trajectory.evaluate(expectTools('exact', [byPredicate], tokyo))).toMatchObject({
      value: 0,
      explanation: expect.stringContaining(
        'argument timezone: "Asia/Tokyo" does not match /^Europe//',
      ),
    });
  });

  it('fails a call that failed unless the case expects it to', () => {
    const failed = { ...CALCULATOR, ok: false };
    expect(trajectory.evaluate(expectTools('exact', [CALCULATOR], failed))).toMatchObject({
      value: 0,
      explanation: 'exact: calculator (failed) (calculator failed)',
    });
    expect(
      trajectory.evaluate(expectTools('exact', [{ ...CALCULATOR, ok: false }], failed)),
    ).toMatchObject({ value: 1 });
  });

  it('cannot match arguments that were not recorded, and says why', () => {
    expect(
      trajectory.evaluate(expectTools('exact', [CALCULATOR], { name: 'calculator' })),
    ).toMatchObject({
      value: 0,
      explanation: expect.stringContaining(
        'its arguments were not recorded (content capture is off)',
      ),
    });
  });

  it('expects no call at all with an empty exact list', () => {
    expect(trajectory.evaluate(expectTools('exact', []))).toMatchObject({
      value: 1,
      explanation: 'exact: no tool call',
    });
    expect(trajectory.evaluate(expectTools('exact', [], SEARCH))).toMatchObject({ value: 0 });
  });

  it('does not judge a case that expects no trajectory', () => {
    expect(trajectory.evaluate(evaluationInput({ spans: ranTools(SEARCH) }))).toBeUndefined();
  });
});

describe('tool recall and precision', () => {
  it('counts the expected calls made (recall) and the calls made that were expected (precision)', () => {
    const input = expectTools(
      'exact',
      [CALCULATOR, SEARCH],
      CALCULATOR,
      { name: 'get_current_time' },
      { name: 'format_markdown' },
    );
    expect(toolRecall.evaluate(input)).toEqual({
      name: 'tool_recall',
      value: 0.5,
      label: 'fail',
      explanation: '1 of 2 expected call(s) made: search_knowledge_base was not called',
    });
    expect(toolPrecision.evaluate(input)).toEqual({
      name: 'tool_precision',
      value: 1 / 3,
      label: 'fail',
      explanation: '1 of 3 call(s) expected (calculator, get_current_time, format_markdown)',
    });
  });

  it('pairs each expected call with its own actual call, the specific ones first', () => {
    const anyCalculation = { name: 'calculator' };
    const input = expectTools('any_order', [anyCalculation, CALCULATOR], CALCULATOR, {
      name: 'calculator',
      args: { expression: '1 + 1' },
    });
    expect(toolRecall.evaluate(input)).toMatchObject({ value: 1 });
    expect(trajectory.evaluate(input)).toMatchObject({ value: 1 });
  });

  it('are whole when nothing was expected and nothing was called', () => {
    const input = expectTools('exact', []);
    expect(toolRecall.evaluate(input)).toMatchObject({ value: 1, label: 'pass' });
    expect(toolPrecision.evaluate(input)).toMatchObject({ value: 1, label: 'pass' });
  });
});
