import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ExperimentReport } from '../../dev/evals/report/experiment-report';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../dev/otlp/receiver';
import { runEval, type EvalCommand } from '../support/run-eval';

/** Four cases of the dataset: a tool, memory across turns, delegation, a refusal. */
const SUBSET = [
  'calculator-multiplication',
  'memory-session-recall',
  'delegate-research',
  'refuse-blank-task',
];

let receiver: OtlpReceiver;
let out: string;
let command: EvalCommand;
let report: ExperimentReport;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  out = mkdtempSync(path.join(tmpdir(), 'evals-'));
  command = await runEval(
    [
      ...SUBSET.flatMap((id) => ['--filter', id]),
      '--experiment',
      'e2e',
      '--out',
      out,
      '--jaeger',
      'http://jaeger.test:16686',
    ],
    // A backend of the user's: the runner relays the runs' spans to it, with its own.
    { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
  );
  report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as ExperimentReport;
}, 120_000);
afterAll(async () => {
  await receiver.stop();
  rmSync(out, { recursive: true, force: true });
});

const spansOf = (traceId: string, name: string) =>
  receiver.spans.filter((span) => span.traceId === traceId && span.name === name);

describe('npm run eval, on a subset of the dataset, offline', () => {
  it('passes every case, writing a plain line a case (no terminal) and a table per evaluator', () => {
    expect({ code: command.code, stderr: command.stderr }).toEqual({ code: 0, stderr: '' });
    for (const id of SUBSET)
      expect(command.stdout).toMatch(new RegExp(`^  pass  ${id}  \\d+ ms$`, 'm'));
    expect(command.stdout).not.toContain('\r');
    expect(command.stdout).toMatch(/^ {2}evaluator +cases +passed +failed +mean$/m);
    expect(command.stdout).toMatch(/^ {2}delegation +2 +2 +0 +1\.000$/m);
    expect(command.stdout).toContain(
      `Reports: ${path.join(out, 'report.json')}, ${path.join(out, 'report.html')}`,
    );
  });

  it('writes the JSON report: each case with its trace id and scores, the judge apart', () => {
    expect(report.experiment).toMatchObject({ name: 'e2e', model: 'emulator', target: 'local' });
    expect(report.summary).toMatchObject({ cases: 4, passed: 4 });
    expect(report.cases.map((result) => result.id).sort()).toEqual([...SUBSET].sort());
    for (const result of report.cases) expect(result.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(report.measures.judge?.calls).toBe(
      report.summary.evaluators.find((e) => e.name === 'judge')?.cases,
    );
  });

  it('writes the HTML report, each case linked to its trace in Jaeger', () => {
    const page = readFileSync(path.join(out, 'report.html'), 'utf8');
    for (const result of report.cases)
      expect(page).toContain(`href="http://jaeger.test:16686/trace/${result.traceId}"`);
  });

  it("puts each case's scores on its run's trace: an agent.evaluation span under the run's agent.task", async () => {
    const traced = report.cases.filter((result) => result.status === 200);
    await receiver.waitFor((spans) =>
      traced.every((result) =>
        spans.some((span) => span.traceId === result.traceId && span.name === 'agent.evaluation'),
      ),
    );
    for (const result of traced) {
      const [task] = spansOf(result.traceId!, 'agent.task').filter(
        (span) => span.serviceName === 'agent-service',
      );
      const [evaluation] = spansOf(result.traceId!, 'agent.evaluation');
      expect(evaluation!.parentSpanId).toBe(task!.spanId);
      expect(evaluation!.serviceName).toBe('traced-agent-evals');
      expect(evaluation!.attributes).toMatchObject({
        'evaluation.experiment.id': report.experiment.id,
        'evaluation.experiment.name': 'e2e',
        'evaluation.dataset.name': 'agent',
        'evaluation.dataset.version': report.experiment.dataset.version,
        'evaluation.case.id': result.id,
      });
      const events = evaluation!.events.filter(
        (event) => event.name === 'gen_ai.evaluation.result',
      );
      expect(
        events.map((event) => [
          event.attributes['gen_ai.evaluation.name'],
          event.attributes['gen_ai.evaluation.score.value'],
        ]),
      ).toEqual(result.scores.map((score) => [score.name, score.value]));
    }
  });

  it("traces the judge's model call under the evaluation, apart from the run's", async () => {
    const judged = report.cases.find((result) => result.id === 'calculator-multiplication')!;
    const spans = await receiver.waitFor((received) =>
      received.some(
        (span) =>
          span.traceId === judged.traceId &&
          span.name === 'llm.generate' &&
          span.serviceName === 'traced-agent-evals',
      ),
    );
    const [evaluation] = spansOf(judged.traceId!, 'agent.evaluation');
    const judge = spans.find(
      (span: ReceivedSpan) =>
        span.traceId === judged.traceId &&
        span.name === 'llm.generate' &&
        span.serviceName === 'traced-agent-evals',
    )!;
    expect(judge.parentSpanId).toBe(evaluation!.spanId);
    expect(judge.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
  });

  it("relays the sub-agent's spans of a delegated run, and records the experiment in a trace of its own", async () => {
    const delegated = report.cases.find((result) => result.id === 'delegate-research')!;
    expect(
      receiver.spans.some(
        (span) => span.traceId === delegated.traceId && span.serviceName === 'sub-agent-service',
      ),
    ).toBe(true);
    const [experiment] = await receiver.waitFor((spans) =>
      spans.some((span) => span.name === 'evaluation.experiment'),
    );
    const experimentSpan = receiver.spans.find((span) => span.name === 'evaluation.experiment')!;
    expect(experiment).toBeDefined();
    expect(experimentSpan.parentSpanId).toBe('');
    expect(experimentSpan.attributes).toMatchObject({
      'evaluation.experiment.id': report.experiment.id,
      'evaluation.cases': 4,
      'evaluation.cases.passed': 4,
    });
  });
});
