import type { WireContent, WireGenerateRequest, WirePart } from './gemini-wire';
import {
  findConversion,
  findDelegatedTask,
  findExpression,
  findSearchQuery,
  findStatisticsValues,
  findThinkingDelayMs,
  planReply,
  planToolCalls,
} from './planner';

const EXAMPLE_TASK = 'Calculate 17 * 23 and search the knowledge base for context propagation';
const ALL_TOOLS = [
  'calculator',
  'search_knowledge_base',
  'get_current_time',
  'format_markdown',
  'delegate_to_subagent',
];

const user = (text: string): WireContent => ({ role: 'user', parts: [{ text }] });
const model = (parts: WirePart[]): WireContent => ({ role: 'model', parts });
const functionResponses = (
  ...responses: { name: string; response: Record<string, unknown> }[]
): WireContent => ({
  role: 'function',
  parts: responses.map((functionResponse) => ({ functionResponse })),
});

function request(
  contents: WireContent[],
  toolNames: readonly string[] = ALL_TOOLS,
): WireGenerateRequest {
  return {
    contents,
    tools: [
      {
        functionDeclarations: toolNames.map((name) => ({ name, description: `The ${name} tool` })),
      },
    ],
  };
}

function textOf(parts: readonly WirePart[]): string {
  expect(parts).toHaveLength(1);
  const [part] = parts;
  if (!part || !('text' in part))
    throw new Error(`expected a text part, got ${JSON.stringify(part)}`);
  return part.text;
}

const calculatorResult = { name: 'calculator', response: { expression: '17 * 23', result: 391 } };
const searchResult = {
  name: 'search_knowledge_base',
  response: {
    query: 'context propagation',
    total: 1,
    results: [
      {
        title: 'Context Propagation',
        section: 'W3C Trace Context',
        source: 'context-propagation.md',
        score: 60.9,
        snippet: 'The default format is W3C Trace Context.',
      },
    ],
  },
};

describe('findExpression', () => {
  it.each([
    [EXAMPLE_TASK, '17 * 23'],
    ['What is (2 + 3) * 4?', '(2 + 3) * 4'],
    ['compute 2^10', '2^10'],
    ['What is 10 - 3?', '10 - 3'],
    ['Multiply 3.5 * 2 please', '3.5 * 2'],
    ['Delegate to the sub-agent: compute 2+2', '2+2'],
  ])('finds the arithmetic in %j', (task, expected) => {
    expect(findExpression(task)).toBe(expected);
  });

  it('ignores plain numbers without an operator', () => {
    expect(findExpression('I have 3 cats')).toBeUndefined();
    expect(findExpression('Meet at 10:30')).toBeUndefined();
  });

  it('does not take a date such as 2026-11-21 for arithmetic', () => {
    expect(findExpression('The workshop is on 2026-11-21')).toBeUndefined();
    expect(findExpression('Remind me on 2026-11-21T09:00')).toBeUndefined();
  });

  it('still finds the arithmetic in a task that also has a date', () => {
    expect(findExpression('On 2026-11-21 compute 2 + 2')).toBe('2 + 2');
  });

  it('still treats spaced subtraction of numbers as arithmetic', () => {
    expect(findExpression('What is 2026 - 11 - 21?')).toBe('2026 - 11 - 21');
  });

  it('picks the longest expression when there are several', () => {
    expect(findExpression('first 1 + 1, then (4 + 5) * 6')).toBe('(4 + 5) * 6');
  });
});

describe('findSearchQuery', () => {
  it('takes what follows "search the knowledge base for", up to "and"', () => {
    expect(findSearchQuery(EXAMPLE_TASK)).toBe('context propagation');
  });

  it('takes what follows "search for"', () => {
    expect(findSearchQuery('Search for B3 headers')).toBe('B3 headers');
  });

  it('takes what follows "look up", without the final period', () => {
    expect(findSearchQuery('Look up tail sampling.')).toBe('tail sampling');
  });

  it('uses the whole question, without its question mark, for a what-question', () => {
    expect(findSearchQuery('What is sampling?')).toBe('What is sampling');
  });

  it('finds nothing to search in a task with no search words and no question', () => {
    expect(findSearchQuery('Calculate 2+2')).toBeUndefined();
  });
});

describe('findDelegatedTask', () => {
  it('keeps what comes after "delegate to the sub-agent:"', () => {
    expect(findDelegatedTask('Delegate to the sub-agent: compute 2+2')).toBe('compute 2+2');
  });

  it('falls back to the whole task when nothing follows', () => {
    expect(findDelegatedTask('delegate')).toBe('delegate');
  });
});

describe('planToolCalls', () => {
  const all = new Set(ALL_TOOLS);

  it('asks for the calculator and the knowledge base in one turn for the example task', () => {
    expect(planToolCalls(EXAMPLE_TASK, all)).toEqual([
      { name: 'calculator', args: { expression: '17 * 23' } },
      { name: 'search_knowledge_base', args: { query: 'context propagation' } },
    ]);
  });

  it('asks for the time in the named IANA zone', () => {
    const calls = planToolCalls('what time is it in Europe/Madrid', all);
    expect(calls).toContainEqual({ name: 'get_current_time', args: { timezone: 'Europe/Madrid' } });
    expect(calls.map((call) => call.name)).not.toContain('calculator');
  });

  it('asks for the time with no zone when none is named', () => {
    expect(planToolCalls('Tell me the time', all)).toEqual([
      { name: 'get_current_time', args: {} },
    ]);
  });

  it('delegates the rest of the task to the sub-agent', () => {
    expect(planToolCalls('Delegate to the sub-agent: compute 2+2', all)).toContainEqual({
      name: 'delegate_to_subagent',
      args: { task: 'compute 2+2' },
    });
  });

  it('asks only for tools that are available', () => {
    expect(planToolCalls(EXAMPLE_TASK, new Set(['calculator']))).toEqual([
      { name: 'calculator', args: { expression: '17 * 23' } },
    ]);
    expect(
      planToolCalls('Delegate to the sub-agent: compute 2+2', new Set(['get_current_time'])),
    ).toEqual([]);
  });

  it('asks for nothing when the task needs no tool', () => {
    expect(planToolCalls('hello there', all)).toEqual([]);
  });
});

describe('planReply', () => {
  it('answers the first turn with function calls', () => {
    expect(planReply(request([user(EXAMPLE_TASK)]))).toEqual({
      parts: [
        { functionCall: { name: 'calculator', args: { expression: '17 * 23' } } },
        { functionCall: { name: 'search_knowledge_base', args: { query: 'context propagation' } } },
      ],
      finishReason: 'STOP',
    });
  });

  it('answers with text stating every result once the function responses are in', () => {
    const first = planReply(request([user(EXAMPLE_TASK)]));
    const reply = planReply(
      request([
        user(EXAMPLE_TASK),
        model(first.parts),
        functionResponses(calculatorResult, searchResult),
      ]),
    );
    expect(reply.finishReason).toBe('STOP');
    expect(textOf(reply.parts)).toBe(
      [
        '17 * 23 = 391',
        'From the knowledge base (Context Propagation: W3C Trace Context): The default format is W3C Trace Context.',
      ].join('\n'),
    );
  });

  it('says so when the knowledge base has nothing', () => {
    const task = 'Search for zzqx';
    const reply = planReply(
      request([
        user(task),
        model([{ functionCall: { name: 'search_knowledge_base', args: { query: 'zzqx' } } }]),
        functionResponses({
          name: 'search_knowledge_base',
          response: { query: 'zzqx', total: 0, results: [] },
        }),
      ]),
    );
    expect(textOf(reply.parts)).toBe('The knowledge base has nothing on "zzqx".');
  });

  it('runs a second round with format_markdown when asked for markdown, then answers with its output', () => {
    const task = 'Calculate 17 * 23 and format the answer as markdown';
    const first = planReply(request([user(task)]));
    expect(first.parts).toEqual([
      { functionCall: { name: 'calculator', args: { expression: '17 * 23' } } },
    ]);

    const history = [user(task), model(first.parts), functionResponses(calculatorResult)];
    const second = planReply(request(history));
    expect(second.parts).toEqual([
      { functionCall: { name: 'format_markdown', args: { text: '## Findings\n* 17 * 23 = 391' } } },
    ]);

    const formatted = {
      name: 'format_markdown',
      response: { markdown: '## Findings\n\n- 17 * 23 = 391', headings: 1 },
    };
    const final = planReply(
      request([...history, model(second.parts), functionResponses(formatted)]),
    );
    expect(textOf(final.parts)).toBe('## Findings\n\n- 17 * 23 = 391');
  });

  it('skips the markdown round when format_markdown is not available', () => {
    const task = 'Calculate 17 * 23 and format the answer as markdown';
    const first = planReply(request([user(task)], ['calculator']));
    const reply = planReply(
      request(
        [user(task), model(first.parts), functionResponses(calculatorResult)],
        ['calculator'],
      ),
    );
    expect(textOf(reply.parts)).toBe('17 * 23 = 391');
  });

  it('answers with text when no tools are declared', () => {
    const reply = planReply({ contents: [user(EXAMPLE_TASK)] });
    expect(reply.parts).toEqual([
      {
        text:
          `No tool was needed for this. You asked: "${EXAMPLE_TASK}". ` +
          'I am the offline Gemini emulator, so this is all I can say without tools.',
      },
    ]);
  });

  it('states an error from a function response in the final answer', () => {
    const task = 'compute 1 / 0';
    const reply = planReply(
      request([
        user(task),
        model([{ functionCall: { name: 'calculator', args: { expression: '1 / 0' } } }]),
        functionResponses({
          name: 'calculator',
          response: { error: { type: 'tool_failed', message: 'Division by zero' } },
        }),
      ]),
    );
    expect(textOf(reply.parts)).toBe('calculator failed: Division by zero');
  });

  it('plans afresh for a new task later in the same conversation', () => {
    const reply = planReply(
      request([
        user(EXAMPLE_TASK),
        model([{ functionCall: { name: 'calculator', args: { expression: '17 * 23' } } }]),
        functionResponses(calculatorResult),
        model([{ text: '17 * 23 = 391' }]),
        user('now compute 2 ^ 10'),
      ]),
    );
    expect(reply.parts).toEqual([
      { functionCall: { name: 'calculator', args: { expression: '2 ^ 10' } } },
    ]);
  });
});

describe('conversions (the convert_units tool of the MCP tool service)', () => {
  const withConverter = new Set([...ALL_TOOLS, 'convert_units']);

  it('sends "convert 100 km to mi" to convert_units with the value and both units', () => {
    expect(planToolCalls('Convert 100 km to mi', withConverter)).toEqual([
      { name: 'convert_units', args: { value: 100, from_unit: 'km', to_unit: 'mi' } },
    ]);
  });

  it('reads negative and decimal values and unit names', () => {
    expect(findConversion('please convert -40.5 fahrenheit into celsius')).toEqual({
      value: -40.5,
      from_unit: 'fahrenheit',
      to_unit: 'celsius',
    });
  });

  it('does not ask for convert_units when the MCP server has not declared it', () => {
    expect(planToolCalls('Convert 100 km to mi', new Set(ALL_TOOLS))).toEqual([]);
  });

  it('states the conversion in its final answer', () => {
    const result = {
      name: 'convert_units',
      response: { value: 100, from_unit: 'km', to_unit: 'mi', result: 62.1371192237 },
    };
    const reply = planReply(
      request(
        [
          user('Convert 100 km to mi'),
          model([{ functionCall: { name: 'convert_units', args: {} } }]),
          functionResponses(result),
        ],
        [...withConverter],
      ),
    );
    expect(textOf(reply.parts)).toBe('100 km = 62.1371192237 mi');
  });
});

describe('statistics (the statistics tool of the MCP tool service)', () => {
  const withStatistics = new Set([...ALL_TOOLS, 'statistics']);

  it('sends the numbers after "mean" to statistics', () => {
    expect(planToolCalls('Give the mean and median of 3, 5, 8 and 10', withStatistics)).toEqual([
      { name: 'statistics', args: { values: [3, 5, 8, 10] } },
    ]);
  });

  it('reads negative and decimal values, and no numbers before the word', () => {
    expect(findStatisticsValues('For week 12, the average of -1.5, 2 and 4')).toEqual([-1.5, 2, 4]);
  });

  it('asks for nothing without a number to summarize, or without the tool', () => {
    expect(findStatisticsValues('Explain the median')).toBeUndefined();
    expect(planToolCalls('The mean of 1, 2 and 3', new Set(ALL_TOOLS))).toEqual([]);
  });

  it('states the summary in its final answer', () => {
    const task = 'The mean of 1, 2 and 6';
    const summary = {
      count: 3,
      sum: 9,
      mean: 3,
      median: 2,
      min: 1,
      max: 6,
      standard_deviation: 2.16,
    };
    const reply = planReply(
      request(
        [
          user(task),
          model([{ functionCall: { name: 'statistics', args: { values: [1, 2, 6] } } }]),
          functionResponses({ name: 'statistics', response: summary }),
        ],
        [...withStatistics],
      ),
    );
    expect(textOf(reply.parts)).toBe(
      'Of the 3 values: mean 3, median 2, minimum 1, maximum 6, standard deviation 2.16.',
    );
  });
});

describe('recalling the conversation (what memory gave the model)', () => {
  it('quotes the earlier requests, without calling a tool', () => {
    const reply = planReply(
      request([
        user('Calculate 6 * 7'),
        model([{ text: '6 * 7 = 42' }]),
        user('What did I ask you before?'),
      ]),
    );
    expect(textOf(reply.parts)).toBe('Earlier you asked: "Calculate 6 * 7".');
  });

  it('asks for the tools a recall question also names: "delegate: what did I ask?" delegates', () => {
    expect(planToolCalls('Delegate to the sub-agent: what did I ask?', new Set(ALL_TOOLS))).toEqual(
      [{ name: 'delegate_to_subagent', args: { task: 'what did I ask?' } }],
    );
    expect(findSearchQuery('What did I ask you before?')).toBeUndefined();
  });

  it('says there is nothing to recall in a conversation that starts with the question', () => {
    const reply = planReply(request([user('What was my previous question?')]));
    expect(textOf(reply.parts)).toBe('I have no earlier request of yours in this conversation.');
  });
});

describe('a slow model', () => {
  it('answers "take 3 seconds to think" three seconds later, with the planned calls', () => {
    expect(findThinkingDelayMs('Take 3 seconds to think, then calculate 2 + 2')).toBe(3000);
    expect(planReply(request([user('Take 3 seconds to think, then calculate 2 + 2')]))).toEqual({
      parts: [{ functionCall: { name: 'calculator', args: { expression: '2 + 2' } } }],
      finishReason: 'STOP',
      delayMs: 3000,
    });
  });

  it('waits at most two minutes, and not at all unless asked', () => {
    expect(findThinkingDelayMs('take 9999 seconds to think')).toBe(120_000);
    expect(planReply(request([user('Calculate 2 + 2')])).delayMs).toBeUndefined();
  });
});

describe('a judge', () => {
  it('answers a judge request with a verdict in JSON, whatever tools are declared', () => {
    const reply = planReply(
      request([user('<answer>17 * 23 = 391</answer>\n<reference>391</reference>')]),
    );
    expect(JSON.parse(textOf(reply.parts))).toEqual({
      score: 1,
      label: 'pass',
      explanation: "The answer uses 1 of the reference's 1 words.",
    });
  });
});

describe('a tool named with its arguments in JSON (any declared tool, a new one too)', () => {
  const withWordCount = new Set([...ALL_TOOLS, 'word_count']);

  it.each([
    'Use word_count with {"text": "one two three"}',
    'How many words? Call the word_count tool with arguments: {"text": "one two three"}.',
    'use the word_count tool with the arguments {"text":"one two three"} please',
  ])('calls it with those arguments: %j', (task) => {
    expect(planToolCalls(task, withWordCount)).toEqual([
      { name: 'word_count', args: { text: 'one two three' } },
    ]);
  });

  it('calls only the tools named, whatever the words inside the arguments ask for', () => {
    const task = 'Use word_count with {"text": "what time is it? {2 + 2} \\"search\\""}';
    expect(planToolCalls(task, withWordCount)).toEqual([
      { name: 'word_count', args: { text: 'what time is it? {2 + 2} "search"' } },
    ]);
  });

  it('calls each tool named, in the order named, in one turn', () => {
    const task =
      'Use word_count with {"text": "a b"}, then use calculator with {"expression": "1 + 1"}';
    expect(planToolCalls(task, withWordCount)).toEqual([
      { name: 'word_count', args: { text: 'a b' } },
      { name: 'calculator', args: { expression: '1 + 1' } },
    ]);
  });

  it.each([
    ['a tool the request does not declare', 'Use word_count with {"text": "a b"}', ALL_TOOLS],
    ['arguments that are not JSON', 'Use word_count with {text: a b}', [...withWordCount]],
    ['arguments never closed', 'Use word_count with {"text": "a b"', [...withWordCount]],
  ])('calls nothing for %s', (_, task, declared) => {
    expect(planToolCalls(task, new Set(declared))).toEqual([]);
  });

  it('reads at most 16 named calls, and no arguments longer than 4,096 characters (the task comes from clients)', () => {
    const many = Array.from(
      { length: 20 },
      (_, index) => `use word_count with {"text": "${index}"}`,
    );
    expect(planToolCalls(many.join(' '), withWordCount)).toHaveLength(16);
    const long = `Use word_count with {"text": "${'a '.repeat(2_100)}"}`;
    expect(planToolCalls(long, withWordCount)).toEqual([]);
  });

  it('judges a named call whose arguments quote an answer and a reference only when no tool is declared', () => {
    const task = 'Use word_count with {"text": "<answer>4</answer> <reference>4</reference>"}';
    expect(planReply(request([user(task)], [...withWordCount])).parts).toEqual([
      {
        functionCall: {
          name: 'word_count',
          args: { text: '<answer>4</answer> <reference>4</reference>' },
        },
      },
    ]);
  });

  it('states the result, and formats it only when the words outside the arguments ask', () => {
    const task = 'Use word_count with {"text": "format this"}';
    const call = { name: 'word_count', args: { text: 'format this' } };
    const answered = (text: string) =>
      planReply(
        request(
          [
            user(text),
            model([{ functionCall: call }]),
            functionResponses({ name: 'word_count', response: { words: 2 } }),
          ],
          [...withWordCount],
        ),
      );

    expect(textOf(answered(task).parts)).toBe('word_count returned {"words":2}');
    expect(answered(`${task} and format the answer as markdown`).parts).toEqual([
      {
        functionCall: {
          name: 'format_markdown',
          args: { text: '## Findings\n* word_count returned {"words":2}' },
        },
      },
    ]);
  });
});
