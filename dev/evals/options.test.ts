import { baselineFile, parseOptions, UsageError } from './options';

describe('the options of npm run eval', () => {
  it('has defaults that run the whole dataset offline, four cases at a time, with the judge', () => {
    expect(parseOptions([])).toEqual({
      dataset: 'evals/datasets/agent.jsonl',
      filter: [],
      concurrency: 4,
      caseTimeoutMs: 60_000,
      experiment: 'local',
      out: '.evals',
      jaeger: 'http://localhost:16686',
      updateBaseline: false,
      judge: true,
      help: false,
    });
  });

  it('reads every option', () => {
    const options = parseOptions([
      '--filter',
      'memory',
      '--filter',
      'mcp',
      '--target',
      'http://127.0.0.1:8080',
      '--otlp-port',
      '14317',
      '--concurrency',
      '2',
      '--case-timeout-ms',
      '5000',
      '--experiment',
      'ci',
      '--no-judge',
      '--compare',
      'baseline',
    ]);
    expect(options).toMatchObject({
      filter: ['memory', 'mcp'],
      target: 'http://127.0.0.1:8080',
      otlpPort: 14317,
      concurrency: 2,
      caseTimeoutMs: 5000,
      experiment: 'ci',
      judge: false,
      compare: 'baseline',
    });
  });

  it('refuses an unknown option, and a bad value naming its option', () => {
    expect(() => parseOptions(['--concurency', '2'])).toThrow(UsageError);
    expect(() => parseOptions(['--concurrency', '0'])).toThrow(/^--concurrency: Too small/);
    expect(() => parseOptions(['--case-timeout-ms', 'soon'])).toThrow(/^--case-timeout-ms: /);
    expect(() => parseOptions(['--target', 'localhost:8080'])).toThrow(/^--target: /);
  });

  it('finds a baseline by name under evals/, or by path', () => {
    expect(baselineFile('baseline')).toBe('evals/baseline.json');
    expect(baselineFile('/tmp/other.json')).toBe('/tmp/other.json');
  });
});
