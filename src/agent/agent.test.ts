import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { z } from 'zod';
import { createTestAgent } from '../../test/support/agent-fixture';
import { idOf, installInMemoryTracing, parentOf } from '../../test/support/in-memory-tracing';
import { startGeminiEmulator, type GeminiEmulator } from '../emulator/emulator-server';
import { defineTool } from '../tools/tool';
import { InMemoryStore } from './memory/in-memory-store';
import { ModelError } from './model-errors';

const EXAMPLE_TASK = 'Calculate 17 * 23 and search the knowledge base for context propagation';
const tracing = installInMemoryTracing();
let emulator: GeminiEmulator;

beforeAll(async () => {
  emulator = await startGeminiEmulator();
});
afterAll(async () => {
  await emulator.close();
  await tracing.shutdown();
});
beforeEach(() => tracing.reset());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const slowTool = (name: string) =>
  defineTool({
    name,
    description: 'Waits a little, then answers',
    argumentsSchema: z.object({}).strict(),
    run: async () => {
      await sleep(60);
      return { done: name };
    },
  });
const calculatorCall = (expression: string) => ({ functionCall: { name: 'calculator', args: { expression } } });

describe('Agent', () => {
  it('answers the example task with both tools in one step and states the result', async () => {
    const result = await createTestAgent({ emulator }).run({ task: EXAMPLE_TASK, maxSteps: 10 });

    expect(result.response).toContain('391');
    expect(result.response).toMatch(/Context Propagation/);
    expect(result.steps).toEqual([{ step: 1, tools_called: ['calculator', 'search_knowledge_base'] }]);
    expect(result.totalSteps).toBe(1);
    expect(result.stoppedReason).toBe('completed');
  });

  it('nests memory, model, step and tool spans under agent.task as in the workshop tree', async () => {
    await createTestAgent({ emulator }).run({ task: EXAMPLE_TASK, maxSteps: 10 });

    const task = tracing.one('agent.task');
    const step = tracing.one('agent.step.reasoning');
    const [firstCall, secondCall] = tracing
      .byName('llm.generate')
      .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
    expect(parentOf(task)).toBeUndefined();
    for (const child of [tracing.one('memory.read'), firstCall!, step, tracing.one('memory.write')])
      expect(parentOf(child)).toBe(idOf(task));
    for (const child of [tracing.one('tool.calculator'), tracing.one('tool.search_knowledge_base'), secondCall!])
      expect(parentOf(child)).toBe(idOf(step));
    expect(firstCall!.attributes['agent.step.number']).toBe(0);
    expect(secondCall!.attributes['agent.step.number']).toBe(1);
    expect(step.attributes['agent.step.number']).toBe(1);
    expect(new Set(tracing.spans().map((span) => span.spanContext().traceId)).size).toBe(1);
  });

  it('records the GenAI attributes of each model call and sums token usage on the task', async () => {
    const result = await createTestAgent({ emulator }).run({ task: EXAMPLE_TASK, maxSteps: 10, userId: 'ana', sessionId: 's1' });

    const calls = tracing.byName('llm.generate');
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.kind).toBe(SpanKind.CLIENT);
      expect(call.attributes).toMatchObject({
        'gen_ai.operation.name': 'generate_content',
        'gen_ai.provider.name': 'gcp.gemini',
        'gen_ai.request.model': 'gemini-2.0-flash',
        'gen_ai.response.model': 'gemini-2.0-flash',
        'gen_ai.response.finish_reasons': ['STOP'],
        'server.address': '127.0.0.1',
        'server.port': emulator.port,
      });
      expect(call.attributes['gen_ai.response.id']).toEqual(expect.any(String));
      expect(Number.isInteger(call.attributes['gen_ai.usage.input_tokens'])).toBe(true);
      expect(Number.isInteger(call.attributes['gen_ai.usage.output_tokens'])).toBe(true);
    }
    const sum = (key: string) => calls.reduce((total, call) => total + (call.attributes[key] as number), 0);
    expect(result.usage).toEqual({ inputTokens: sum('gen_ai.usage.input_tokens'), outputTokens: sum('gen_ai.usage.output_tokens') });

    expect(tracing.one('agent.task').attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'test-agent',
      'gen_ai.conversation.id': 's1',
      'user.id': 'ana',
      'agent.total_steps': 1,
      'agent.stopped_reason': 'completed',
      'gen_ai.usage.input_tokens': result.usage.inputTokens,
      'gen_ai.usage.output_tokens': result.usage.outputTokens,
    });
    expect(tracing.one('tool.calculator').attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'calculator',
      'gen_ai.tool.type': 'function',
      'tool.success': true,
    });
    expect(tracing.one('tool.calculator').attributes['gen_ai.tool.call.id']).toMatch(/^call_/);
    expect(tracing.one('tool.calculator').attributes['tool.duration_ms']).toEqual(expect.any(Number));
  });

  it('does not invent a conversation id when no session is given', async () => {
    await createTestAgent({ emulator }).run({ task: 'Calculate 1 + 1', maxSteps: 10 });
    expect(tracing.one('agent.task').attributes).not.toHaveProperty('gen_ai.conversation.id');
    expect(tracing.one('memory.read').attributes['memory.records_found']).toBe(0);
  });

  it('runs the tools of one turn concurrently, as overlapping sibling spans', async () => {
    emulator.enqueue({
      kind: 'turn',
      parts: [{ functionCall: { name: 'slow_a', args: {} } }, { functionCall: { name: 'slow_b', args: {} } }],
    });
    await createTestAgent({ emulator, extraTools: [slowTool('slow_a'), slowTool('slow_b')] }).run({ task: 'do both', maxSteps: 10 });

    const a = tracing.one('tool.slow_a');
    const b = tracing.one('tool.slow_b');
    expect(parentOf(a)).toBe(parentOf(b));
    const ms = (time: [number, number]) => time[0] * 1e3 + time[1] / 1e6;
    expect(ms(a.startTime)).toBeLessThan(ms(b.endTime));
    expect(ms(b.startTime)).toBeLessThan(ms(a.endTime));
  });

  it('stops at max_steps with stopped_reason "max_steps" when the model keeps asking for tools', async () => {
    const before = emulator.requests.length;
    emulator.enqueue(
      { kind: 'turn', parts: [{ text: 'Working on it.' }, calculatorCall('1 + 1')] },
      { kind: 'turn', parts: [calculatorCall('2 + 2')] },
      { kind: 'turn', parts: [calculatorCall('3 + 3')] },
    );
    const result = await createTestAgent({ emulator }).run({ task: 'never stop', maxSteps: 2 });

    expect(result.stoppedReason).toBe('max_steps');
    expect(result.totalSteps).toBe(2);
    expect(result.response).toBe('Working on it.');
    expect(emulator.requests.length - before).toBe(3);
    expect(tracing.one('agent.task').attributes['agent.stopped_reason']).toBe('max_steps');
  });

  it('gives an unknown tool back to the model as an error result, marks its span, and goes on', async () => {
    emulator.enqueue({ kind: 'turn', parts: [{ functionCall: { name: 'launch_rockets', args: {} } }] });
    const result = await createTestAgent({ emulator }).run({ task: 'try it', maxSteps: 10 });

    expect(result.stoppedReason).toBe('completed');
    expect(result.response).toMatch(/launch_rockets failed: Unknown tool/);
    const span = tracing.one('tool.unknown');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes).toMatchObject({ 'error.type': 'tool_not_found', 'gen_ai.tool.name': 'launch_rockets', 'tool.success': false });
    expect(span.events.map((event) => event.name)).toContain('exception');
    const lastRequest = emulator.requests.at(-1)!.body.contents.at(-1)!;
    expect(lastRequest.role).toBe('function');
    expect(JSON.stringify(lastRequest.parts)).toContain('tool_not_found');
  });

  it('rejects invalid tool arguments before running the tool', async () => {
    emulator.enqueue({ kind: 'turn', parts: [{ functionCall: { name: 'calculator', args: { expression: 42 } } }] });
    const result = await createTestAgent({ emulator }).run({ task: 'bad args', maxSteps: 10 });

    expect(result.response).toMatch(/Invalid arguments for calculator: expression/);
    expect(tracing.one('tool.calculator').attributes['error.type']).toBe('invalid_arguments');
  });

  it('remembers the earlier turns of a session and gives them to the model', async () => {
    const memory = new InMemoryStore();
    const agent = createTestAgent({ emulator, memory });
    const first = await agent.run({ task: 'Calculate 6 * 7', sessionId: 'session-a', maxSteps: 10 });
    tracing.reset();
    await agent.run({ task: 'And what is sampling?', sessionId: 'session-a', maxSteps: 10 });

    const contents = emulator.requests.at(-1)!.body.contents;
    expect(contents[0]).toEqual({ role: 'user', parts: [{ text: 'Calculate 6 * 7' }] });
    expect(contents[1]).toEqual({ role: 'model', parts: [{ text: first.response }] });
    expect(tracing.one('memory.read').attributes).toMatchObject({
      'memory.records_found': 1,
      'memory.type': 'short_term',
      'memory.operation': 'read',
    });
    expect(tracing.one('memory.write').attributes['memory.records_written']).toBe(1);
  });

  it('records no message content by default', async () => {
    await createTestAgent({ emulator }).run({ task: 'Calculate 17 * 23 for my secret project', maxSteps: 10 });
    const everything = JSON.stringify(tracing.spans().map((span) => [span.attributes, span.events]));
    expect(everything).not.toContain('secret project');
    expect(everything).not.toContain('17 * 23');
    expect(everything).not.toContain('gen_ai.input.messages');
  });

  it('records sanitized content when capture is on, redacting secret-looking arguments', async () => {
    emulator.enqueue({
      kind: 'turn',
      parts: [{ functionCall: { name: 'calculator', args: { expression: '2 + 2', api_key: 'sk-live-123' } } }],
    });
    await createTestAgent({ emulator, captureContent: true }).run({ task: 'Calculate 2 + 2', maxSteps: 10 });

    expect(tracing.one('agent.task').attributes['gen_ai.input.messages']).toContain('Calculate 2 + 2');
    expect(tracing.one('agent.task').attributes['gen_ai.output.messages']).toEqual(expect.any(String));
    const tool = tracing.one('tool.calculator');
    expect(tool.attributes['gen_ai.tool.call.arguments']).toContain('[REDACTED]');
    expect(JSON.stringify(tracing.spans().map((span) => span.attributes))).not.toContain('sk-live-123');
  });

  it('fails the run with a ModelError, marking llm.generate and agent.task, when the model API rejects the request', async () => {
    emulator.enqueue({ kind: 'error', status: 400, message: 'Request contains an invalid argument.' });
    const run = createTestAgent({ emulator }).run({ task: 'anything', maxSteps: 10 });

    await expect(run).rejects.toBeInstanceOf(ModelError);
    await expect(run).rejects.toMatchObject({ errorType: 'model_rejected_request' });
    for (const name of ['llm.generate', 'agent.task']) {
      const span = tracing.one(name);
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).toBe('model_rejected_request');
      expect(span.events.some((event) => event.name === 'exception')).toBe(true);
    }
  });

  it('times a model call out with its own deadline', async () => {
    emulator.enqueue({ kind: 'hang' });
    const run = createTestAgent({ emulator, modelTimeoutMs: 100 }).run({ task: 'anything', maxSteps: 10 });
    await expect(run).rejects.toMatchObject({ errorType: 'model_timeout' });
  });
});
