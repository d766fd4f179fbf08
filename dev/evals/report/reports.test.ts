import { caseResult, score } from '../../../test/support/case-results';
import { buildReport, type ExperimentReport } from './experiment-report';
import { htmlReport } from './html-report';
import { terminalReport } from './terminal-report';

function report(jaegerUrl = 'http://localhost:16686'): ExperimentReport {
  return buildReport({
    experiment: {
      id: 'local-20261208T100000-abc123',
      name: 'local',
      dataset: { name: 'agent', version: '8df392b7cf6d', file: 'evals/datasets/agent.jsonl' },
      model: 'emulator',
      target: 'local',
      startedAt: '2026-12-08T10:00:00.000Z',
      durationMs: 12_345,
    },
    jaegerUrl,
    results: [
      caseResult('calculator', [score('outcome', 1), score('trajectory', 1)], { latencyMs: 80 }),
      caseResult(
        'injection',
        [
          score('outcome', 1),
          score('answer_facts', 0, 'states forbidden "<script>alert(1)</script>"'),
        ],
        { traceId: '1'.repeat(32), answer: '<script>alert(1)</script>', latencyMs: 300 },
      ),
    ],
    skipped: [],
    evaluatorNames: ['outcome', 'trajectory', 'answer_facts'],
    judge: { calls: 2, inputTokens: 900, outputTokens: 40, costUsd: 0.0001 },
  });
}

describe('the reports', () => {
  it('summarize each evaluator over the cases it judged, and what the runs and the judge spent', () => {
    const built = report();
    expect(built.summary.evaluators).toEqual([
      { name: 'outcome', cases: 2, passed: 2, mean: 1 },
      { name: 'trajectory', cases: 1, passed: 1, mean: 1 },
      { name: 'answer_facts', cases: 1, passed: 0, mean: 0 },
    ]);
    expect(built.measures).toEqual({
      latencyMsP50: 80,
      latencyMsP95: 300,
      runTokens: 1000,
      runCostUsd: 0.0002,
      judge: { calls: 2, inputTokens: 900, outputTokens: 40, costUsd: 0.0001 },
    });
  });

  it('in the terminal: a table per evaluator, and each failure with its trace id', () => {
    const text = terminalReport(report());
    expect(text).toContain(
      [
        '  evaluator     cases  passed  failed   mean',
        '  ------------  -----  ------  ------  -----',
        '  outcome           2       2       0  1.000',
        '  trajectory        1       1       0  1.000',
        '  answer_facts      1       0       1  0.000',
      ].join('\n'),
    );
    expect(text).toContain(
      [
        'Failures (1 case(s)):',
        `  injection  trace ${'1'.repeat(32)}`,
        '    answer_facts 0.00: states forbidden "<script>alert(1)</script>"',
      ].join('\n'),
    );
  });

  it('as HTML: one page needing nothing from elsewhere, its text escaped, each case linked to its trace', () => {
    const page = htmlReport(report('http://jaeger.example:16686/'));
    expect(page).toContain(`href="http://jaeger.example:16686/trace/${'1'.repeat(32)}"`);
    expect(page).not.toContain('<script>');
    expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    const elsewhere = [...page.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map(([, url]) => url!)
      .filter((url) => !url.startsWith('http://jaeger.example:16686/trace/'));
    expect(elsewhere).toEqual([]);
    expect(page).not.toMatch(/<link|@import|url\(/);
  });
});
