import type { SpanContents } from '../../src/tracing/semconv';
import { spanTable } from './span-docs';

const MEANINGS = new Map([
  ['gen_ai.operation.name', 'What the span does.'],
  ['gen_ai.usage.cost', 'What it cost in US dollars.'],
  ['llm.retry', 'One per retried attempt.'],
]);

describe('the span table of docs/spans.md', () => {
  it("writes a row per attribute and event, the spans on the first, each meaning the name's and the span's note", () => {
    const contents: SpanContents[] = [
      {
        spans: ['llm.generate'],
        about: 'CLIENT',
        attributes: [
          { name: 'gen_ai.operation.name', value: 'generate_content' },
          { name: 'gen_ai.usage.cost', workshopName: 'llm.cost', note: 'Per call.' },
        ],
        events: [{ event: 'llm.retry', attributes: ['llm.retry.attempt', 'error.type'] }],
      },
      {
        spans: 'failed spans',
        attributes: [],
        events: [{ event: 'exception', attributes: [], note: 'What was thrown | caught.' }],
      },
    ];
    expect(spanTable(contents, MEANINGS).split('\n')).toEqual([
      '| Span | Attribute | Workshop name | Meaning |',
      '| --- | --- | --- | --- |',
      '| `llm.generate` (CLIENT) | `gen_ai.operation.name` = `generate_content` | | What the span does. |',
      '| | `gen_ai.usage.cost` | `llm.cost` | What it cost in US dollars. Per call. |',
      '| | event `llm.retry` (`llm.retry.attempt`, `error.type`) | | One per retried attempt. |',
      '| failed spans | event `exception` | | What was thrown \\| caught. |',
    ]);
  });

  it('refuses a name with neither a description nor a note, and a span that carries nothing', () => {
    const undescribed = { spans: ['agent.task'], attributes: ['agent.mystery'] };
    expect(() => spanTable([undescribed], MEANINGS)).toThrow(/agent\.mystery: no description/);
    const empty = { spans: ['agent.task'], attributes: [] };
    expect(() => spanTable([empty], MEANINGS)).toThrow(/carries nothing/);
  });
});
