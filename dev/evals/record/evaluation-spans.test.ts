import {
  installInMemoryTracing,
  type InMemoryTracing,
} from '../../../test/support/in-memory-tracing';
import { trace } from '@opentelemetry/api';
import { endExperimentSpan, recordCaseEvaluation, startExperimentSpan } from './evaluation-spans';

const EXPERIMENT = {
  id: 'local-20261208T100000-abc123',
  name: 'local',
  datasetName: 'agent',
  datasetVersion: '8df392b7cf6d',
};
const RUN = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };

let tracing: InMemoryTracing;
beforeEach(() => {
  tracing = installInMemoryTracing();
});
afterEach(() => tracing.shutdown());

describe('the spans of an evaluation', () => {
  it("puts a case's scores on a span under the evaluated run, linked to its experiment", async () => {
    const tracer = trace.getTracer('test');
    const experimentSpan = startExperimentSpan(tracer, EXPERIMENT);
    let parentOfWork: string | undefined;
    await recordCaseEvaluation(
      tracer,
      { experiment: EXPERIMENT, experimentSpan, caseId: 'calculator', evaluated: RUN },
      async () => {
        parentOfWork = trace.getActiveSpan()?.spanContext().spanId;
        return [{ name: 'trajectory', value: 1, label: 'pass', explanation: 'exact: calculator' }];
      },
    );
    endExperimentSpan(experimentSpan, {
      cases: 1,
      passed: 1,
      means: [
        { name: 'trajectory', value: 1, label: 'pass', explanation: '1 of 1 case(s) passed' },
      ],
    });

    const evaluation = tracing.one('agent.evaluation');
    expect(evaluation.spanContext().traceId).toBe(RUN.traceId);
    expect(evaluation.parentSpanContext?.spanId).toBe(RUN.spanId);
    expect(parentOfWork).toBe(evaluation.spanContext().spanId);
    expect(evaluation.links.map((link) => link.context.spanId)).toEqual([
      experimentSpan.spanContext().spanId,
    ]);
    expect(evaluation.attributes).toEqual({
      'evaluation.experiment.id': EXPERIMENT.id,
      'evaluation.experiment.name': 'local',
      'evaluation.dataset.name': 'agent',
      'evaluation.dataset.version': '8df392b7cf6d',
      'evaluation.case.id': 'calculator',
    });
    expect(evaluation.events.map((event) => [event.name, event.attributes])).toEqual([
      [
        'gen_ai.evaluation.result',
        {
          'gen_ai.evaluation.name': 'trajectory',
          'gen_ai.evaluation.score.value': 1,
          'gen_ai.evaluation.score.label': 'pass',
          'gen_ai.evaluation.explanation': 'exact: calculator',
        },
      ],
    ]);

    const experiment = tracing.one('evaluation.experiment');
    expect(experiment.parentSpanContext).toBeUndefined();
    expect(experiment.attributes).toMatchObject({
      'evaluation.cases': 1,
      'evaluation.cases.passed': 1,
    });
    expect(experiment.events.map((event) => event.attributes?.['gen_ai.evaluation.name'])).toEqual([
      'trajectory',
    ]);
  });

  it('starts a trace of its own for a case whose run left no trace', async () => {
    const tracer = trace.getTracer('test');
    const experimentSpan = startExperimentSpan(tracer, EXPERIMENT);
    await recordCaseEvaluation(
      tracer,
      { experiment: EXPERIMENT, experimentSpan, caseId: 'no-trace', evaluated: undefined },
      async () => [],
    );
    experimentSpan.end();
    expect(tracing.one('agent.evaluation').parentSpanContext).toBeUndefined();
  });
});
