import { compareOutput, normalizeLine } from './match-output';

/** What `npm run taller:intro` printed in a real run (the tree only). */
const RUN = `Trace ca674620a6178933df1cde5701b709ed
POST /api/v1/agent/execute                                      145.5 ms
└─ agent.task                                                   112.5 ms
   ├─ memory.read                                                 0.7 ms
   ├─ memory.search                                               0.5 ms
   ├─ llm.generate                                               64.6 ms
   │  └─ POST                                                    28.4 ms
   ├─ agent.step.reasoning                                       42.3 ms
   │  ├─ tool.calculator                                         30.1 ms
   │  ├─ tool.search_knowledge_base                              28.2 ms
   │  └─ llm.generate                                            11.1 ms
   │     └─ POST                                                  6.2 ms
   └─ memory.write                                                0.5 ms

17:10:02 INFO  POST /api/v1/agent/execute 200 133 ms trace_id=ca674620a6178933df1cde5701b709ed
1 trace tree printed`;

/** The tree the guide showed before this check: no memory.search. */
const TREE_WITHOUT_MEMORY_SEARCH = `Trace 04d631ef1edbccc5d9bc37871c7acbb6
POST /api/v1/agent/execute                                      428.9 ms
└─ agent.task                                                   356.8 ms
   ├─ memory.read                                                 1.1 ms
   ├─ llm.generate                                               76.9 ms
   │  └─ POST                                                    39.2 ms`;

describe("comparing a guide's output with a run's", () => {
  it('sets aside durations, ids, clocks and column padding', () => {
    const shown = RUN.replace(/\d+\.\d ms/g, '1.0 ms').replace(
      /ca674620a6178933df1cde5701b709ed/g,
      '0'.repeat(32),
    );
    expect(compareOutput(shown, RUN)).toEqual({ matches: true, problems: [] });
    expect(normalizeLine('│  └─ POST      6.2 ms')).toBe('‹6›POST ‹duration›');
  });

  it('fails on a tree that lacks a span the run printed (the guide’s old tree had no memory.search)', () => {
    const { matches, problems } = compareOutput(TREE_WITHOUT_MEMORY_SEARCH, RUN);
    expect(matches).toBe(false);
    expect(problems).toEqual([
      expect.stringContaining('these lines are printed, but not unbroken or not in this order'),
    ]);
  });

  it('takes a line of "..." as a cut, and every other run of lines as unbroken', () => {
    const cut = `Trace 04d631ef1edbccc5d9bc37871c7acbb6
POST /api/v1/agent/execute     1 ms
   ...
   │  ├─ tool.calculator         1 ms
   │  ├─ tool.search_knowledge_base 1 ms
...
1 trace tree printed`;
    expect(compareOutput(cut, RUN).matches).toBe(true);
    expect(compareOutput(cut.replace('\n...\n1 trace', '\n1 trace'), RUN).matches).toBe(false);
  });

  it('fails on a count that differs (19 tests where the run passed 20)', () => {
    const run = 'Test Suites: 2 passed, 2 total\nTests:       20 passed, 20 total\nTime: 31.2 s';
    const { matches, problems } = compareOutput('Tests:       19 passed, 19 total', run);
    expect(matches).toBe(false);
    expect(problems).toEqual([expect.stringContaining('"Tests: 19 passed, 19 total"')]);
  });

  it('fails on text the run never printed', () => {
    const shown = 'Una ejecución real: 13 árboles para 100 peticiones.OST';
    expect(
      compareOutput(shown, '{"decisions":1000000,"sampled":65,"nanosecondsPerDecision":77}')
        .matches,
    ).toBe(false);
  });

  it("accepts a varying number within the step's bounds, in the guide and in the run alike", () => {
    const variations = [{ pattern: /^(\d+) trace trees? printed/, min: 1, max: 19 }];
    expect(compareOutput('13 trace trees printed', '8 trace trees printed', variations)).toEqual({
      matches: true,
      problems: [],
    });
    expect(
      compareOutput('13 trace trees printed', '31 trace trees printed', variations).problems,
    ).toEqual(['the run: 31 is outside 1..19 in "31 trace trees printed"']);
    expect(
      compareOutput('45 trace trees printed', '8 trace trees printed', variations).matches,
    ).toBe(false);
  });
});
