import { runSpans, runTotals, TRACE_ID } from '../../../test/support/run-spans';
import { isCompleteRunTrace, readRunTrace } from './run-trace';

/** A run that delegates to the sub-agent and calls an MCP tool, as the demo's third task does. */
function delegatingRun() {
  const trace = runSpans();
  const root = trace.server();
  const task = trace.task(root, runTotals({ steps: 1, modelCalls: 2, costUsd: 0.0003 }));
  trace.memory(task, 'read', 0);
  trace.model(task, 900, 40);
  const step = trace.span('agent.step.reasoning', { parent: task });
  const convert = trace.tool(step, 'convert_units', { args: { value: 100 } });
  const mcpCall = trace.span('tools/call convert_units', {
    parent: convert,
    kind: 'CLIENT',
    attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'convert_units' },
  });
  const mcpPost = trace.client(mcpCall);
  trace.span('POST /mcp', { parent: mcpPost, kind: 'SERVER', service: 'tool-service' });
  const delegate = trace.tool(step, 'delegate_to_subagent', { args: { task: 'what is B3?' } });
  const post = trace.client(delegate);
  const subServer = trace.server('sub-agent-service', post);
  const subTask = trace.task(subServer);
  trace.tool(subTask, 'search_knowledge_base');
  trace.model(subTask);
  trace.model(step, 1000, 50);
  trace.memory(task, 'write', 0);
  return { ...trace, root, task };
}

describe('a run read from its trace', () => {
  it("lists the run's own tool calls in the order they started, not those of the tools or the sub-agent", () => {
    const run = readRunTrace(TRACE_ID, delegatingRun().spans);

    expect(run.toolCalls).toEqual([
      { name: 'convert_units', args: { value: 100 }, ok: true, joinedRuns: [] },
      {
        name: 'delegate_to_subagent',
        args: { task: 'what is B3?' },
        ok: true,
        joinedRuns: ['sub-agent-service'],
      },
    ]);
  });

  it('orders the calls of one step as the model asked for them, whenever they started', () => {
    const trace = runSpans();
    const task = trace.task(trace.server());
    const step = (number: number, toolCalls: string[]) =>
      trace.span('agent.step.reasoning', {
        parent: task,
        attributes: { 'agent.step.number': number, 'agent.step.tool_calls': toolCalls },
      });
    const second = step(2, ['format_markdown']);
    const first = step(1, ['calculator', 'search_knowledge_base', 'calculator']);
    trace.tool(second, 'format_markdown');
    trace.tool(first, 'search_knowledge_base');
    trace.tool(first, 'calculator', { args: { expression: '1 + 1' } });
    trace.tool(first, 'calculator', { args: { expression: '2 + 2' } });

    expect(
      readRunTrace(TRACE_ID, trace.spans).toolCalls.map(
        (call) => call.args?.expression ?? call.name,
      ),
    ).toEqual(['1 + 1', 'search_knowledge_base', '2 + 2', 'format_markdown']);
  });

  it("takes the run's model calls, memory and totals, not the sub-agent's", () => {
    const { spans, task } = delegatingRun();
    const run = readRunTrace(TRACE_ID, spans);

    expect(run.task).toBe(task);
    expect(run.modelCalls.map((call) => call.inputTokens)).toEqual([900, 1000]);
    expect(run.memory.map((operation) => operation.operation)).toEqual(['read', 'write']);
    expect(run).toMatchObject({ steps: 1, modelCallCount: 2, costUsd: 0.0003 });
    expect(run.durationMs).toBe(0.5);
  });

  it('reads a failed tool call as not ok, and arguments as unknown when they were not recorded', () => {
    const trace = runSpans();
    const task = trace.task(trace.server());
    trace.tool(task, 'calculator', { ok: false });
    expect(readRunTrace(TRACE_ID, trace.spans).toolCalls).toEqual([
      { name: 'calculator', args: undefined, ok: false, joinedRuns: [] },
    ]);
  });

  it('has no run when the request was refused before the agent ran', () => {
    const trace = runSpans();
    const root = trace.server();
    const run = readRunTrace(TRACE_ID, trace.spans);
    expect(run).toMatchObject({ root, task: undefined, toolCalls: [], durationMs: 0.5 });
  });
});

describe("whether a run's trace has arrived whole", () => {
  it('is whole with the root, every parent, and the other side of each call to our services', () => {
    expect(isCompleteRunTrace(delegatingRun().spans)).toBe(true);
  });

  it("is not while the sub-agent's spans, or the tool service's, are missing", () => {
    const { spans } = delegatingRun();
    const without = (service: string) => spans.filter((span) => span.serviceName !== service);
    expect(isCompleteRunTrace(without('sub-agent-service'))).toBe(false);
    expect(isCompleteRunTrace(without('tool-service'))).toBe(false);
  });

  it('is not without its root, nor while a parent is missing', () => {
    const { spans, root, task } = delegatingRun();
    expect(isCompleteRunTrace(spans.filter((span) => span !== root))).toBe(false);
    expect(isCompleteRunTrace(spans.filter((span) => span !== task))).toBe(false);
  });

  it('does not wait for the other side of a call that failed', () => {
    const trace = runSpans();
    const task = trace.task(trace.server());
    trace.client(trace.tool(task, 'delegate_to_subagent', { ok: false }), true);
    expect(isCompleteRunTrace(trace.spans)).toBe(true);
  });
});
