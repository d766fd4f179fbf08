import { describedConstants } from './name-descriptions';

describe('the descriptions of the names module', () => {
  it('takes the doc comment right above each span, attribute and event name, on one line', () => {
    const source = [
      '/** What the span does. */',
      "export const ATTR_OPERATION = 'operation';",
      '/**',
      ' * One per retried attempt; each attempt has',
      ' * its own HTTP client span.',
      ' */',
      "export const EVENT_RETRY = 'retry';",
      'export const SPAN_RUN = stable.SPAN_RUN; // a trailing comment is not a description',
    ].join('\n');
    expect(describedConstants(source)).toEqual(
      new Map([
        ['ATTR_OPERATION', 'What the span does.'],
        ['EVENT_RETRY', 'One per retried attempt; each attempt has its own HTTP client span.'],
        ['SPAN_RUN', undefined],
      ]),
    );
  });

  it("does not take a section's comment, a blank line away, or a line comment for a name's", () => {
    const source = [
      '/** Ours: tools. */',
      '',
      "export const ATTR_TOOL_SUCCESS = 'tool.success';",
      '// Whether the tool returned a result.',
      "export const ATTR_TOOL_DURATION_MS = 'tool.duration_ms';",
    ].join('\n');
    expect(describedConstants(source)).toEqual(
      new Map([
        ['ATTR_TOOL_SUCCESS', undefined],
        ['ATTR_TOOL_DURATION_MS', undefined],
      ]),
    );
  });

  it('reads only exported span, attribute and event names', () => {
    const source = [
      '/** A metric. */',
      "export const METRIC_RUNS = 'runs';",
      '/** Not exported. */',
      "const ATTR_HIDDEN = 'hidden';",
      '/** A function. */',
      'export const spanNameForTool = (name: string) => `tool.${name}`;',
    ].join('\n');
    expect(describedConstants(source)).toEqual(new Map());
  });
});
