import { z } from 'zod';
import { planToolCalls } from '../../../src/emulator/planner';
import { ToolRegistry, type Tool } from '../../../src/tools';
import { defineTool } from '../../../src/tools/tool';
import { DatasetError, parseDataset } from './read-dataset';
import { withToolExamples } from './tool-examples';

const wordCount = defineTool({
  name: 'word_count',
  description: 'Counts the words of a text.',
  argumentsSchema: z.object({ text: z.string() }).strict(),
  example: {
    task: 'How many words are in "one two three"?',
    args: { text: 'one two three' },
    facts: [{ matches: '\\b3\\b' }],
  },
  run: ({ text }) => ({ words: text.split(/\s+/).filter(Boolean).length }),
});
const withoutExample = defineTool({ ...wordCount, name: 'echo', example: undefined });

const fileCase = { id: 'calculator', input: { task: 'Calculate 1 + 1' }, expect: { facts: ['2'] } };
const dataset = parseDataset(JSON.stringify(fileCase), 'evals/datasets/agent.jsonl');
const registry = (...tools: Tool[]) => new ToolRegistry(tools);
const failure = (tool: Tool): string => {
  try {
    withToolExamples(dataset, registry(tool));
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return (error as Error).message;
  }
  throw new Error('the example was accepted');
};

describe("the agent's tools' own examples, as cases of the dataset", () => {
  it('adds a case per example: the task with the call spelled out, that call only, its facts', () => {
    const cases = withToolExamples(dataset, registry(withoutExample, wordCount)).cases;

    expect(cases.map((evalCase) => evalCase.id)).toEqual(['calculator', 'tool-example-word-count']);
    expect(cases[1]).toEqual({
      id: 'tool-example-word-count',
      description: 'The example in the file of the tool word_count.',
      input: {
        task: 'How many words are in "one two three"? Use word_count with {"text":"one two three"}.',
      },
      setup: [],
      expect: {
        status: 200,
        tools: {
          order: 'exact',
          calls: [{ name: 'word_count', args: { text: 'one two three' }, ok: true }],
        },
        facts: [{ matches: '\\b3\\b' }],
      },
      tags: ['tool-example'],
    });
  });

  it("phrases the task so that the emulator's planner makes exactly the expected call", () => {
    const [, example] = withToolExamples(dataset, registry(wordCount)).cases;
    const task = example!.input.task!;

    expect(planToolCalls(task, new Set(['word_count', 'search_knowledge_base']))).toEqual([
      { name: 'word_count', args: { text: 'one two three' } },
    ]);
  });

  it('leaves the dataset, its version included, as it is when no tool has an example', () => {
    expect(withToolExamples(dataset, registry(withoutExample))).toEqual(dataset);
  });

  it('gives the dataset a new version with each change to an example', () => {
    const version = (tool: Tool) => withToolExamples(dataset, registry(tool)).version;
    const changed = defineTool({
      ...wordCount,
      example: { ...wordCount.example!, args: { text: 'one two' } },
    });

    expect(version(wordCount)).toMatch(/^[0-9a-f]{12}$/);
    expect(version(wordCount)).not.toBe(dataset.version);
    expect(version(changed)).not.toBe(version(wordCount));
  });

  it('checks an example as it checks a line of the file, naming the tool', () => {
    const noFacts = defineTool({ ...wordCount, example: { ...wordCount.example!, facts: [] } });

    expect(failure(noFacts)).toMatch(
      /^the example of the tool word_count \(case "tool-example-word-count"\): expect\.facts: /,
    );
  });

  it("refuses an example whose arguments the tool's own schema refuses, naming the tool", () => {
    const wrongArgs = defineTool({
      ...wordCount,
      example: { ...wordCount.example!, args: { text: 3 } as unknown as { text: string } },
    });

    expect(failure(wrongArgs)).toMatch(
      /^the example of the tool word_count: its args are not the tool's: text: /,
    );
  });

  it('refuses an example whose id the file already uses', () => {
    const taken = parseDataset(
      JSON.stringify({ ...fileCase, id: 'tool-example-word-count' }),
      'evals/datasets/agent.jsonl',
    );
    expect(() => withToolExamples(taken, registry(wordCount))).toThrow(
      'the example of the tool word_count: the id "tool-example-word-count" is already used in agent',
    );
  });
});
