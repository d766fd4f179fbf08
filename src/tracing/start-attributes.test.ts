import {
  INVALID_SPAN_CONTEXT,
  trace,
  type Attributes,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { AgentTracer } from './agent-tracer';
import { LATEST_CONVENTIONS } from './conventions/latest';

/**
 * What a sampler sees: the name and attributes each span is started with. Every span is dropped
 * (not recording), as nine in ten are at 10% sampling.
 */
function samplerView() {
  const started: { name: string; attributes: Attributes }[] = [];
  const dropped = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
  const startActiveSpan = (name: string, options: SpanOptions, work: (span: Span) => unknown) => {
    started.push({ name, attributes: options.attributes ?? {} });
    return work(dropped);
  };
  return { started, tracer: { startSpan: () => dropped, startActiveSpan } as unknown as Tracer };
}

describe('the attributes a sampler may need (latest mode)', () => {
  it('are given when each span starts, even for a span that is then dropped', async () => {
    const { started, tracer } = samplerView();
    const agent = new AgentTracer({ tracer, conventions: LATEST_CONVENTIONS });
    const endpoint = new URL('http://127.0.0.1:8081/api/v1/execute');

    await agent.traceTask(
      { agentName: 'traced-agent', task: 'secret plan', requestModel: 'gemini-2.0-flash' },
      async () => {
        await agent.traceLlmCall(
          {
            requestModel: 'gemini-2.0-flash',
            providerName: 'gcp.gemini',
            stepNumber: 0,
            endpoint: new URL('https://generativelanguage.googleapis.com'),
          },
          () => undefined,
        );
        await agent.traceToolCall(
          { toolName: 'calculator', callId: 'c1', agentName: 'traced-agent' },
          () => undefined,
        );
        await agent.traceDelegation(
          { endpoint, agentName: 'traced-sub-agent', via: 'tool' },
          async () => undefined,
        );
      },
    );

    expect(started).toEqual([
      {
        name: 'invoke_agent traced-agent',
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.agent.name': 'traced-agent',
          'gen_ai.request.model': 'gemini-2.0-flash',
        },
      },
      {
        name: 'generate_content gemini-2.0-flash',
        attributes: {
          'gen_ai.operation.name': 'generate_content',
          'gen_ai.provider.name': 'gcp.gemini',
          'gen_ai.request.model': 'gemini-2.0-flash',
          'server.address': 'generativelanguage.googleapis.com',
          'server.port': 443,
        },
      },
      {
        name: 'execute_tool calculator',
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'calculator',
          'gen_ai.tool.type': 'function',
          'gen_ai.agent.name': 'traced-agent',
        },
      },
      {
        name: 'invoke_agent traced-sub-agent',
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.provider.name': 'traced_agent',
          'gen_ai.agent.name': 'traced-sub-agent',
          'server.address': '127.0.0.1',
          'server.port': 8081,
        },
      },
    ]);
    // Content is never a start attribute: a dropped span costs nothing for it.
    expect(JSON.stringify(started)).not.toContain('secret plan');
  });
});
