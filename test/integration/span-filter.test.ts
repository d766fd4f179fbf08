import request from '../support/contract-request';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../dev/otlp/receiver';
import { spawnService, stopAllServices } from '../support/spawn-service';

/**
 * Workshop exercise 2, on a real process: SPAN_MIN_DURATION_MS, on exported OTLP data and in the
 * tree printer.
 */

const SERVER_SPAN = 'POST /api/v1/agent/execute';
/** Longer than anything in these runs: only roots, failures and their ancestors can be kept. */
const MIN_DURATION_MS = '10000';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await stopAllServices();
  await receiver.stop();
});

function orphansOf(spans: readonly ReceivedSpan[]): string[] {
  const ids = new Set(spans.map((span) => span.spanId));
  return spans
    .filter((span) => span.parentSpanId !== '' && !ids.has(span.parentSpanId))
    .map((span) => span.name);
}

describe('SPAN_MIN_DURATION_MS', () => {
  it('exports each trace with its root, its failed spans and their ancestors, and no orphan', async () => {
    const service = await spawnService({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '50',
        SPAN_MIN_DURATION_MS: MIN_DURATION_MS,
      },
    });
    const quiet = await request(service.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'Calculate 2 + 2' })
      .expect(200);
    // Division by zero: the calculator fails, the agent answers anyway.
    const failing = await request(service.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'Calculate 1 / 0' })
      .expect(200);
    expect(await service.stop('SIGTERM')).toBe(0);

    const quietTrace = receiver.spansOfTrace(quiet.body.trace_id as string);
    expect(quietTrace.map((span) => span.name)).toEqual([SERVER_SPAN]);

    const failingTrace = receiver.spansOfTrace(failing.body.trace_id as string);
    expect(failingTrace.map((span) => span.name).sort()).toEqual(
      ['agent.step.reasoning', 'agent.task', SERVER_SPAN, 'tool.calculator'].sort(),
    );
    expect(failingTrace.find((span) => span.name === 'tool.calculator')?.status.code).toBe('ERROR');
    expect(orphansOf(receiver.spans)).toEqual([]);
  });

  it("works with the tree printer, which also shows each span's attributes with TRACE_TREE_ATTRIBUTES=true", async () => {
    const service = await spawnService({
      env: {
        OTEL_TRACES_EXPORTER: 'console',
        SPAN_MIN_DURATION_MS: MIN_DURATION_MS,
        TRACE_TREE_ATTRIBUTES: 'true',
      },
    });
    const response = await request(service.url)
      .post('/api/v1/agent/execute')
      .set('x-correlation-id', 'filter-test-1')
      .send({ task: 'Calculate 1 / 0' })
      .expect(200);
    const traceId = response.body.trace_id as string;
    expect(await service.stop('SIGTERM')).toBe(0);

    const printed = service.output().slice(service.output().indexOf(`Trace ${traceId}`));
    expect(printed).toMatch(new RegExp(`^Trace ${traceId}\\n${SERVER_SPAN} `));
    expect(printed).toContain('└─ agent.task');
    expect(printed).toMatch(/tool\.calculator .*✗ ERROR/);
    expect(printed).not.toContain('memory.read');
    expect(printed).toContain('correlation.id = filter-test-1');
    expect(printed).toMatch(/host\.name = \S+/);
    expect(printed).toContain('gen_ai.tool.name = calculator');
  });
});
