import { createHash } from 'node:crypto';
import type { Tool, ToolRegistry } from '../../../src/tools';
import type { EvalCase } from './case-schema';
import { DatasetError, parseCase, type Dataset } from './read-dataset';

/** The tag of the cases the agent's tools bring in their own file (`Tool.example`). */
const TOOL_EXAMPLE = 'tool-example';

/** Ends the user's words as a sentence, so that the call spelled out after them reads as one. */
const sentence = (text: string) => (/[.?!]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/**
 * A tool's example as a case: the user's task with the call spelled out after it ("Use word_count
 * with {...}.", which the emulator's planner and a real model both follow), that call and no
 * other, and the facts the answer must state. Checked by the case schema, like a line of a file.
 */
function exampleCase(tool: Tool): EvalCase | undefined {
  const { example } = tool;
  if (!example) return undefined;
  // Arguments the tool would refuse make a case no agent can pass: said here, naming the tool.
  const args = tool.argumentsSchema.safeParse(example.args);
  if (!args.success)
    throw new DatasetError(
      `the example of the tool ${tool.name}: its args are not the tool's: ${args.error.issues.map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`).join('; ')}`,
    );
  const id = `${TOOL_EXAMPLE}-${tool.name.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 48);
  return parseCase(
    {
      id,
      description: `The example in the file of the tool ${tool.name}.`,
      input: {
        task: `${sentence(example.task)} Use ${tool.name} with ${JSON.stringify(example.args)}.`,
      },
      expect: {
        tools: { order: 'exact', calls: [{ name: tool.name, args: example.args }] },
        facts: example.facts,
      },
      tags: [TOOL_EXAMPLE],
    },
    `the example of the tool ${tool.name}`,
  );
}

/**
 * The dataset with one case more for each tool of `registry` that has an example, so that a new
 * tool is evaluated from its own file. The version covers the examples: changing one is a new
 * version of what was run, as changing a line of the file is.
 */
export function withToolExamples(dataset: Dataset, registry: ToolRegistry): Dataset {
  const ids = new Set(dataset.cases.map((evalCase) => evalCase.id));
  const examples: EvalCase[] = [];
  for (const name of registry.names) {
    const tool = registry.get(name);
    const evalCase = tool && exampleCase(tool);
    if (!evalCase) continue;
    if (ids.has(evalCase.id))
      throw new DatasetError(
        `the example of the tool ${name}: the id "${evalCase.id}" is already used in ${dataset.name}`,
      );
    ids.add(evalCase.id);
    examples.push(evalCase);
  }
  if (!examples.length) return dataset;
  const version = createHash('sha256')
    .update(dataset.version)
    .update(JSON.stringify(examples))
    .digest('hex')
    .slice(0, 12);
  return { ...dataset, version, cases: [...dataset.cases, ...examples] };
}
