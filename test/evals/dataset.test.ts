import { readDataset } from '../../dev/evals/dataset/read-dataset';
import { withToolExamples } from '../../dev/evals/dataset/tool-examples';
import { createAgentToolRegistry } from '../../src/tools';
import { servedTools } from '../../src/toolservice/served-tools';

/**
 * The first dataset (evals/datasets/agent.jsonl) against what issue 25 asks of it: enough cases,
 * every tool exercised (by a line of the file, or by the example in the tool's own file), and
 * each kind of behaviour covered by tagged cases.
 */
const dataset = readDataset('evals/datasets/agent.jsonl');
const expectedTools = new Set(
  withToolExamples(dataset, createAgentToolRegistry()).cases.flatMap(
    (evalCase) => evalCase.expect.tools?.calls.map((call) => call.name) ?? [],
  ),
);
const tagged = (tag: string) => dataset.cases.filter((evalCase) => evalCase.tags.includes(tag));

describe('the first dataset', () => {
  it('holds at least 40 valid cases', () => {
    expect(dataset.cases.length).toBeGreaterThanOrEqual(40);
  });

  it("exercises every tool of the agent (in the file or by its own example), the sub-agent's delegation and the MCP tool service's", () => {
    const tools = [
      ...createAgentToolRegistry().declarations.map((tool) => tool.name),
      'delegate_to_subagent',
      ...servedTools().map((tool) => tool.name),
    ];
    expect(tools.filter((tool) => !expectedTools.has(tool))).toEqual([]);
  });

  it('covers delegation, memory across turns, refusals of each kind, and adversarial prompts', () => {
    expect(
      dataset.cases.filter((evalCase) => evalCase.expect.delegated).length,
    ).toBeGreaterThanOrEqual(3);
    expect(
      dataset.cases.filter(
        (evalCase) => evalCase.setup.length && evalCase.expect.memory === 'recalled',
      ).length,
    ).toBeGreaterThanOrEqual(3);
    expect(tagged('bad-input').length).toBeGreaterThanOrEqual(3);
    expect(tagged('failing-tool').length).toBeGreaterThanOrEqual(3);
    expect(tagged('deadline')).toHaveLength(1);
    expect(tagged('injection').length).toBeGreaterThanOrEqual(2);
    expect(
      tagged('adversarial').filter((evalCase) => evalCase.expect.memory === 'empty').length,
    ).toBeGreaterThanOrEqual(1);
  });
});
