import { ROOT_CONTEXT, context, propagation, type Context } from '@opentelemetry/api';
import { installInMemoryTracing } from '../../test/support/in-memory-tracing';
import { AgentTracer } from './agent-tracer';

const tracing = installInMemoryTracing();
afterAll(() => tracing.shutdown());
beforeEach(() => tracing.reset());

const TASK = { agentName: 'test-agent', task: 'my private plan' };

const withEntries = (entries: Record<string, string>): Context =>
  propagation.setBaggage(
    ROOT_CONTEXT,
    propagation.createBaggage(
      Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, { value }])),
    ),
  );

/**
 * Runs a task span in `ctx`; answers what a call downstream would carry as `agent.content_capture`.
 */
async function runTask(
  tracer: AgentTracer,
  ctx: Context = ROOT_CONTEXT,
): Promise<string | undefined> {
  return context.with(ctx, () =>
    tracer.traceTask(
      TASK,
      () => propagation.getActiveBaggage()?.getEntry('agent.content_capture')?.value,
    ),
  );
}

describe('AgentTracer content capture, decided per service', () => {
  it('records the task when its own capture is on and nobody upstream said off', async () => {
    expect(await runTask(new AgentTracer({ captureContent: true }))).toBeUndefined();
    expect(tracing.one('agent.task').attributes['gen_ai.input.messages']).toContain(
      'my private plan',
    );
  });

  it('records no content when a service upstream said capture off, even with its own capture on', async () => {
    const tracer = new AgentTracer({ captureContent: true });
    const downstream = await runTask(tracer, withEntries({ 'agent.content_capture': 'off' }));
    expect(tracing.one('agent.task').attributes).not.toHaveProperty(['gen_ai.input.messages']);
    expect(tracer.capturesContent()).toBe(true);
    // And it says so to the services it calls in turn.
    expect(downstream).toBe('off');
  });

  it('tells the services it calls that capture is off when its own is off', async () => {
    expect(await runTask(new AgentTracer({ captureContent: false }))).toBe('off');
    expect(tracing.one('agent.task').attributes).not.toHaveProperty(['gen_ai.input.messages']);
  });

  it('lets no caller turn capture on: any other value is ignored, and off is passed on', async () => {
    const downstream = await runTask(
      new AgentTracer({ captureContent: false }),
      withEntries({ 'agent.content_capture': 'on' }),
    );
    expect(tracing.one('agent.task').attributes).not.toHaveProperty(['gen_ai.input.messages']);
    expect(downstream).toBe('off');
  });
});
