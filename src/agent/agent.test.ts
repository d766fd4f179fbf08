import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { z } from 'zod';
import { createTestAgent } from '../../test/support/agent-fixture';
import { CALL_ID } from '../../test/support/call-id';
import { idOf, installInMemoryTracing, parentOf } from '../../test/support/in-memory-tracing';
import { startGeminiEmulator, type GeminiEmulator } from '../emulator/emulator-server';
import { defineTool } from '../tools/tool';
import { LIMITS } from '../limits';
import { InMemoryStore } from './memory/in-memory-store';
import type { RunObserver } from './agent';
import type { ScriptedReply } from '../emulator/scripted-reply';
import { ModelError } from '../models/model-errors';
import { GEMINI_SDKS } from '../models/gemini-sdk';

/** The role tool results are sent back with: `@google/genai`'s API refuses `function`. */
const TOOL_RESULT_ROLE = { 'generative-ai': 'function', genai: 'user' } as const;

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
const calculatorCall = (expression: string) => ({
  functionCall: { name: 'calculator', args: { expression } },
});

/** Every behaviour of the loop, through each SDK's adapter: a regression in either fails here. */
describe.each(GEMINI_SDKS)('through @google/%s', (sdk) => {
  describe('Agent', () => {
    it('answers the example task with both tools in one step and states the result', async () => {
      const result = await createTestAgent({ sdk, emulator }).run({
        task: EXAMPLE_TASK,
        maxSteps: 10,
      });

      expect(result.response).toContain('391');
      expect(result.response).toMatch(/Context Propagation/);
      expect(result.steps).toEqual([
        { step: 1, tools_called: ['calculator', 'search_knowledge_base'] },
      ]);
      expect(result.totalSteps).toBe(1);
      expect(result.stoppedReason).toBe('completed');
    });

    it('nests memory, model, step and tool spans under agent.task as in the workshop tree', async () => {
      await createTestAgent({ sdk, emulator }).run({ task: EXAMPLE_TASK, maxSteps: 10 });

      const task = tracing.one('agent.task');
      const step = tracing.one('agent.step.reasoning');
      const [firstCall, secondCall] = tracing
        .byName('llm.generate')
        .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
      expect(parentOf(task)).toBeUndefined();
      for (const child of [
        tracing.one('memory.read'),
        firstCall!,
        step,
        tracing.one('memory.write'),
      ])
        expect(parentOf(child)).toBe(idOf(task));
      for (const child of [
        tracing.one('tool.calculator'),
        tracing.one('tool.search_knowledge_base'),
        secondCall!,
      ])
        expect(parentOf(child)).toBe(idOf(step));
      expect(firstCall!.attributes['agent.step.number']).toBe(0);
      expect(secondCall!.attributes['agent.step.number']).toBe(1);
      expect(step.attributes['agent.step.number']).toBe(1);
      expect(new Set(tracing.spans().map((span) => span.spanContext().traceId)).size).toBe(1);
    });

    it('records the GenAI attributes of each model call and sums token usage on the task', async () => {
      const result = await createTestAgent({ sdk, emulator }).run({
        task: EXAMPLE_TASK,
        maxSteps: 10,
        userId: 'ana',
        sessionId: 's1',
      });

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
      const sum = (key: string) =>
        calls.reduce((total, call) => total + (call.attributes[key] as number), 0);
      expect(result.usage).toEqual({
        inputTokens: sum('gen_ai.usage.input_tokens'),
        outputTokens: sum('gen_ai.usage.output_tokens'),
        // No pricing given: the cost is unknown, not 0.
        costUsd: null,
      });

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
      expect(tracing.one('tool.calculator').attributes['gen_ai.tool.call.id']).toMatch(
        CALL_ID[sdk],
      );
      expect(tracing.one('tool.calculator').attributes['tool.duration_ms']).toEqual(
        expect.any(Number),
      );
    });

    it('does not invent a conversation id when no session is given', async () => {
      await createTestAgent({ sdk, emulator }).run({ task: 'Calculate 1 + 1', maxSteps: 10 });
      expect(tracing.one('agent.task').attributes).not.toHaveProperty(['gen_ai.conversation.id']);
      expect(tracing.one('memory.read').attributes['memory.records_found']).toBe(0);
    });

    it('runs the tools of one turn concurrently, as overlapping sibling spans', async () => {
      emulator.enqueue({
        kind: 'turn',
        parts: [
          { functionCall: { name: 'slow_a', args: {} } },
          { functionCall: { name: 'slow_b', args: {} } },
        ],
      });
      await createTestAgent({
        sdk,
        emulator,
        extraTools: [slowTool('slow_a'), slowTool('slow_b')],
      }).run({
        task: 'do both',
        maxSteps: 10,
      });

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
      const result = await createTestAgent({ sdk, emulator }).run({
        task: 'never stop',
        maxSteps: 2,
      });

      expect(result.stoppedReason).toBe('max_steps');
      expect(result.totalSteps).toBe(2);
      expect(result.response).toBe('Working on it.');
      expect(emulator.requests.length - before).toBe(3);
      expect(tracing.one('agent.task').attributes['agent.stopped_reason']).toBe('max_steps');
    });

    it('gives an unknown tool back to the model as an error result, marks its span, and goes on', async () => {
      emulator.enqueue({
        kind: 'turn',
        parts: [{ functionCall: { name: 'launch_rockets', args: {} } }],
      });
      const result = await createTestAgent({ sdk, emulator }).run({ task: 'try it', maxSteps: 10 });

      expect(result.stoppedReason).toBe('completed');
      expect(result.response).toMatch(/launch_rockets failed: Unknown tool/);
      const span = tracing.one('tool.unknown');
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes).toMatchObject({
        'error.type': 'tool_not_found',
        'gen_ai.tool.name': 'launch_rockets',
        'tool.success': false,
      });
      expect(span.events.map((event) => event.name)).toContain('exception');
      const lastRequest = emulator.requests.at(-1)!.body.contents.at(-1)!;
      expect(lastRequest.role).toBe(TOOL_RESULT_ROLE[sdk]);
      expect(JSON.stringify(lastRequest.parts)).toContain('tool_not_found');
    });

    it('rejects invalid tool arguments before running the tool', async () => {
      emulator.enqueue({
        kind: 'turn',
        parts: [{ functionCall: { name: 'calculator', args: { expression: 42 } } }],
      });
      const result = await createTestAgent({ sdk, emulator }).run({
        task: 'bad args',
        maxSteps: 10,
      });

      expect(result.response).toMatch(/Invalid arguments for calculator: expression/);
      expect(tracing.one('tool.calculator').attributes['error.type']).toBe('invalid_arguments');
    });

    it('remembers the earlier turns of a session and gives them to the model', async () => {
      const memory = new InMemoryStore();
      const agent = createTestAgent({ sdk, emulator, memory });
      const first = await agent.run({
        task: 'Calculate 6 * 7',
        sessionId: 'session-a',
        maxSteps: 10,
      });
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

    it('never replays more history to the model than the per-session bound, however long the session', async () => {
      const agent = createTestAgent({ sdk, emulator, memory: new InMemoryStore() });
      const historySizes: number[] = [];
      for (let turn = 1; turn <= 6; turn += 1) {
        await agent.run({
          task: `Turn ${turn}: ${'note '.repeat(1_598)}`,
          sessionId: 'long-session',
          maxSteps: 10,
        });
        const contents = emulator.requests.at(-1)!.body.contents;
        const replayed = contents
          .slice(0, -1)
          .flatMap((content) => content.parts.map((part) => ('text' in part ? part.text : '')));
        historySizes.push(replayed.join('').length);
      }
      expect(historySizes[1]).toBeGreaterThan(8_000);
      expect(Math.max(...historySizes)).toBeLessThanOrEqual(LIMITS.memoryMaxSessionChars);
    });

    it('does not give a session to someone else who knows its id', async () => {
      const agent = createTestAgent({ sdk, emulator, memory: new InMemoryStore() });
      await agent.run({
        task: 'Calculate 40 + 2 for my private plan',
        userId: 'ana',
        sessionId: 'shared-id',
        maxSteps: 10,
      });
      tracing.reset();
      await agent.run({
        task: 'What did I ask?',
        userId: 'mallory',
        sessionId: 'shared-id',
        maxSteps: 10,
      });
      expect(JSON.stringify(emulator.requests.at(-1)!.body.contents)).not.toContain('private plan');
      expect(tracing.one('memory.read').attributes['memory.records_found']).toBe(0);
    });

    it('records no message content by default', async () => {
      await createTestAgent({ sdk, emulator }).run({
        task: 'Calculate 17 * 23 for my secret project',
        maxSteps: 10,
      });
      const everything = JSON.stringify(
        tracing.spans().map((span) => [span.attributes, span.events]),
      );
      expect(everything).not.toContain('secret project');
      expect(everything).not.toContain('17 * 23');
      expect(everything).not.toContain('gen_ai.input.messages');
    });

    it('keeps tool arguments out of a failed tool span too, when capture is off', async () => {
      emulator.enqueue({
        kind: 'turn',
        parts: [{ functionCall: { name: 'calculator', args: { expression: 'salary_of_bob +' } } }],
      });
      const result = await createTestAgent({ sdk, emulator }).run({ task: 'go', maxSteps: 10 });
      expect(result.response).toContain('salary_of_bob');
      const span = tracing.one('tool.calculator');
      expect(span.status).toEqual({
        code: SpanStatusCode.ERROR,
        message: 'calculator failed (tool_failed)',
      });
      expect(JSON.stringify([span.attributes, span.events])).not.toContain('salary_of_bob');
    });

    it('records sanitized content when capture is on, redacting secret-looking arguments', async () => {
      emulator.enqueue({
        kind: 'turn',
        parts: [
          {
            functionCall: {
              name: 'calculator',
              args: { expression: '2 + 2', api_key: 'sk-live-123' },
            },
          },
        ],
      });
      await createTestAgent({ sdk, emulator, captureContent: true }).run({
        task: 'Calculate 2 + 2',
        maxSteps: 10,
      });

      expect(tracing.one('agent.task').attributes['gen_ai.input.messages']).toContain(
        'Calculate 2 + 2',
      );
      expect(tracing.one('agent.task').attributes['gen_ai.output.messages']).toEqual(
        expect.any(String),
      );
      const tool = tracing.one('tool.calculator');
      expect(tool.attributes['gen_ai.tool.call.arguments']).toContain('[REDACTED]');
      expect(JSON.stringify(tracing.spans().map((span) => span.attributes))).not.toContain(
        'sk-live-123',
      );
    });

    it('fails the run with a ModelError, marking llm.generate and agent.task, when the model API rejects the request', async () => {
      emulator.enqueue({
        kind: 'error',
        status: 400,
        message: 'Request contains an invalid argument.',
      });
      const run = createTestAgent({ sdk, emulator }).run({ task: 'anything', maxSteps: 10 });

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
      const run = createTestAgent({ sdk, emulator, modelTimeoutMs: 100 }).run({
        task: 'anything',
        maxSteps: 10,
      });
      await expect(run).rejects.toMatchObject({ errorType: 'model_timeout' });
    });
  });

  describe('Agent, when the model misbehaves', () => {
    const retryEvents = () =>
      tracing.one('llm.generate').events.filter((event) => event.name === 'llm.retry');

    it.each([429, 500, 503])('retries a %d and the client never knows', async (status) => {
      const before = emulator.requests.length;
      emulator.enqueue({ kind: 'error', status }, { kind: 'turn', parts: [{ text: 'recovered' }] });
      const result = await createTestAgent({ sdk, emulator }).run({
        task: 'anything',
        maxSteps: 10,
      });

      expect(result.response).toBe('recovered');
      expect(emulator.requests.length - before).toBe(2);
      expect(retryEvents()).toHaveLength(1);
      expect(retryEvents()[0]!.attributes).toMatchObject({
        'llm.retry.attempt': 2,
        'http.response.status_code': status,
      });
      expect(tracing.one('llm.generate').status.code).not.toBe(SpanStatusCode.ERROR);
    });

    it('waits as long as the Retry-After header asks', async () => {
      emulator.enqueue(
        { kind: 'error', status: 503, headers: { 'retry-after': '1' } },
        { kind: 'turn', parts: [{ text: 'ok' }] },
      );
      await createTestAgent({ sdk, emulator }).run({ task: 'anything', maxSteps: 10 });
      expect(retryEvents()[0]!.attributes!['llm.retry.delay_ms']).toBe(1000);
    });

    it("waits as long as Google's RetryInfo asks", async () => {
      const retryInfo = {
        '@type': 'type.googleapis.com/google.rpc.RetryInfo',
        retryDelay: '0.25s',
      };
      emulator.enqueue(
        { kind: 'error', status: 429, details: [retryInfo] },
        { kind: 'turn', parts: [{ text: 'ok' }] },
      );
      await createTestAgent({ sdk, emulator }).run({ task: 'anything', maxSteps: 10 });
      expect(retryEvents()[0]!.attributes!['llm.retry.delay_ms']).toBe(250);
    });

    it('gives up after a bounded number of attempts on a 5xx that persists', async () => {
      const failure = { kind: 'error', status: 503 } as const;
      emulator.enqueue(failure, failure, failure, failure);
      const run = createTestAgent({ sdk, emulator }).run({ task: 'anything', maxSteps: 10 });
      await expect(run).rejects.toMatchObject({ errorType: 'model_unavailable' });
      expect(retryEvents()).toHaveLength(3);
      expect(tracing.one('llm.generate').attributes['error.type']).toBe('model_unavailable');
    });

    it('does not retry a request the API rejects (4xx)', async () => {
      const before = emulator.requests.length;
      emulator.enqueue({ kind: 'error', status: 400 });
      await expect(
        createTestAgent({ sdk, emulator }).run({ task: 'anything', maxSteps: 10 }),
      ).rejects.toMatchObject({
        errorType: 'model_rejected_request',
      });
      expect(emulator.requests.length - before).toBe(1);
    });

    it('does not wait for a Retry-After longer than the request has left', async () => {
      emulator.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '60' } });
      const run = createTestAgent({ sdk, emulator, requestTimeoutMs: 2_000 }).run({
        task: 'anything',
        maxSteps: 10,
      });
      await expect(run).rejects.toMatchObject({
        errorType: 'model_rate_limited',
        options: { retryAfterSeconds: 60 },
      });
      expect(retryEvents()).toHaveLength(0);
    });

    it.each(['SAFETY', 'RECITATION'])(
      'fails with model_blocked when the answer is withheld for %s',
      async (finishReason) => {
        emulator.enqueue({ kind: 'turn', parts: [], finishReason });
        await expect(
          createTestAgent({ sdk, emulator }).run({ task: 'anything', maxSteps: 10 }),
        ).rejects.toMatchObject({
          errorType: 'model_blocked',
        });
        expect(tracing.one('llm.generate').attributes).toMatchObject({
          'error.type': 'model_blocked',
          'gen_ai.response.finish_reasons': [finishReason],
        });
        expect(tracing.one('agent.task').attributes['error.type']).toBe('model_blocked');
      },
    );

    it('asks again after a MALFORMED_FUNCTION_CALL, and completes', async () => {
      emulator.enqueue(
        { kind: 'turn', parts: [], finishReason: 'MALFORMED_FUNCTION_CALL' },
        { kind: 'turn', parts: [{ text: 'fine now' }] },
      );
      const result = await createTestAgent({ sdk, emulator }).run({
        task: 'anything',
        maxSteps: 10,
      });
      expect(result.response).toBe('fine now');
      const [failed, recovered] = tracing.byName('llm.generate');
      expect(failed!.attributes['error.type']).toBe('model_malformed_function_call');
      expect(recovered!.status.code).not.toBe(SpanStatusCode.ERROR);
      expect(JSON.stringify(emulator.requests.at(-1)!.body.contents.at(-1))).toContain(
        'could not be parsed',
      );
    });

    it('gives up when the function calls stay malformed', async () => {
      const malformed: ScriptedReply = {
        kind: 'turn',
        parts: [],
        finishReason: 'MALFORMED_FUNCTION_CALL',
      };
      emulator.enqueue(malformed, malformed, malformed);
      await expect(
        createTestAgent({ sdk, emulator }).run({ task: 'anything', maxSteps: 10 }),
      ).rejects.toMatchObject({
        errorType: 'model_malformed_function_call',
      });
    });

    it('ends the whole run at its deadline, whatever the model does', async () => {
      emulator.enqueue({ kind: 'hang' });
      const run = createTestAgent({
        sdk,
        emulator,
        requestTimeoutMs: 150,
        modelTimeoutMs: 10_000,
      }).run({
        task: 'anything',
        maxSteps: 10,
      });
      await expect(run).rejects.toMatchObject({ errorType: 'request_timeout' });
      expect(tracing.one('agent.task').attributes['error.type']).toBe('request_timeout');
    });

    it('caps the model calls of one run', async () => {
      const keepCalling: ScriptedReply = { kind: 'turn', parts: [calculatorCall('1 + 1')] };
      emulator.enqueue(keepCalling, keepCalling);
      const run = createTestAgent({ sdk, emulator, maxModelCalls: 2 }).run({
        task: 'anything',
        maxSteps: 25,
      });
      await expect(run).rejects.toMatchObject({ errorType: 'model_call_limit' });
      expect(tracing.byName('llm.generate')).toHaveLength(3);
      expect(tracing.one('agent.task').attributes['error.type']).toBe('model_call_limit');
    });
  });

  describe('Agent, when a tool misbehaves', () => {
    const hugeTool = defineTool({
      name: 'huge',
      description: 'Returns far too much',
      argumentsSchema: z.object({}).strict(),
      run: () => ({ data: 'x'.repeat(50_000) }),
    });

    it('cuts a huge result before it reaches the model or a span', async () => {
      emulator.enqueue({ kind: 'turn', parts: [{ functionCall: { name: 'huge', args: {} } }] });
      await createTestAgent({
        sdk,
        emulator,
        extraTools: [hugeTool],
        maxToolResultChars: 1_000,
        captureContent: true,
      }).run({
        task: 'go',
        maxSteps: 10,
      });
      const sent = JSON.stringify(emulator.requests.at(-1)!.body.contents.at(-1));
      expect(sent.length).toBeLessThan(2_000);
      expect(sent).toContain('original_chars');
      const span = tracing.one('tool.huge');
      expect(span.attributes).toMatchObject({
        'tool.result_size': 50_011,
        'tool.result_truncated': true,
      });
      expect(String(span.attributes['gen_ai.tool.call.result']).length).toBeLessThan(2_000);
    });
  });

  /** Everything a streamed run reports, in order, as short strings. */
  function recordingObserver() {
    const events: string[] = [];
    const deltas: string[] = [];
    const observer: RunObserver = {
      onStepStarted: (step) => events.push(`step ${step}`),
      onToolStarted: ({ name }) => events.push(`tool.started ${name}`),
      onToolFinished: ({ name, ok }) => events.push(`tool.finished ${name} ${ok}`),
      onTextDelta: (text) => {
        if (events.at(-1) !== 'text') events.push('text');
        deltas.push(text);
      },
    };
    return { observer, events, deltas };
  }

  const multiWordText = 'The answer arrives in several pieces of whole words, as a model streams.';

  describe('Agent, streamed', () => {
    it('reports steps, tools and the text as it arrives, through the same loop', async () => {
      const { observer, events, deltas } = recordingObserver();
      const result = await createTestAgent({ sdk, emulator }).run({
        task: EXAMPLE_TASK,
        maxSteps: 10,
        observer,
      });

      expect(events).toEqual([
        'step 1',
        'tool.started calculator',
        'tool.started search_knowledge_base',
        'tool.finished calculator true',
        'tool.finished search_knowledge_base true',
        'text',
      ]);
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe(result.response);
      expect(emulator.requests.at(-1)?.method).toBe('streamGenerateContent');
    });

    it('says a tool failed in tool.finished', async () => {
      const { observer, events } = recordingObserver();
      emulator.enqueue({ kind: 'turn', parts: [calculatorCall('1 / 0')] });
      await createTestAgent({ sdk, emulator }).run({ task: 'go', maxSteps: 10, observer });
      expect(events).toContain('tool.finished calculator false');
    });

    it('keeps llm.generate open until the stream ends, marked streamed, with the final chunk usage', async () => {
      emulator.enqueue({
        kind: 'turn',
        parts: [{ text: multiWordText }],
        usage: { promptTokenCount: 11, candidatesTokenCount: 40 },
        chunkDelayMs: 40,
      });
      const { observer, deltas } = recordingObserver();
      const result = await createTestAgent({ sdk, emulator }).run({
        task: 'go',
        maxSteps: 10,
        observer,
      });

      const span = tracing.one('llm.generate');
      const durationMs = span.duration[0] * 1e3 + span.duration[1] / 1e6;
      const firstChunkMs = span.attributes['llm.time_to_first_chunk_ms'] as number;
      expect(span.attributes).toMatchObject({
        'llm.streamed': true,
        'llm.stream.chunks': deltas.length,
        'gen_ai.usage.input_tokens': 11,
        'gen_ai.usage.output_tokens': 40,
      });
      expect(deltas.length).toBeGreaterThan(2);
      expect(firstChunkMs).toBeGreaterThan(0);
      // Open for the whole stream: each chunk waited 40 ms, the first one among them.
      expect(durationMs).toBeGreaterThanOrEqual(firstChunkMs + 40 * (deltas.length - 1) - 5);
      expect(result.usage).toEqual({ inputTokens: 11, outputTokens: 40, costUsd: null });
    });

    it('does not mark a call that is not streamed', async () => {
      await createTestAgent({ sdk, emulator }).run({ task: 'Say hello', maxSteps: 10 });
      expect(tracing.one('llm.generate').attributes['llm.streamed']).toBeUndefined();
    });

    it('retries a failure before the first chunk', async () => {
      emulator.enqueue({ kind: 'error', status: 503 }, { kind: 'turn', parts: [{ text: 'ok' }] });
      const { observer } = recordingObserver();
      const result = await createTestAgent({ sdk, emulator }).run({
        task: 'go',
        maxSteps: 10,
        observer,
      });
      expect(result.response).toBe('ok');
      expect(tracing.one('llm.generate').events.map((event) => event.name)).toContain('llm.retry');
    });

    it('does not retry a stream that fails after its first chunk, whose text the client has', async () => {
      const before = emulator.requests.length;
      emulator.enqueue({ kind: 'turn', parts: [{ text: multiWordText }], failAfterChunks: 2 });
      const { observer, deltas } = recordingObserver();
      const run = createTestAgent({ sdk, emulator }).run({ task: 'go', maxSteps: 10, observer });

      await expect(run).rejects.toMatchObject({ errorType: 'model_network_error' });
      expect(deltas).toHaveLength(2);
      expect(emulator.requests.length - before).toBe(1);
      const span = tracing.one('llm.generate');
      expect(span.events.map((event) => event.name)).not.toContain('llm.retry');
      expect(span.attributes).toMatchObject({
        'error.type': 'model_network_error',
        'llm.stream.chunks': 2,
      });
    });

    it('cancels the model stream when the client goes away, and the span says so', async () => {
      emulator.enqueue({ kind: 'turn', parts: [{ text: multiWordText }], chunkDelayMs: 300 });
      const client = new AbortController();
      const { observer } = recordingObserver();
      observer.onTextDelta = () => client.abort(new Error('client disconnected'));
      const run = createTestAgent({ sdk, emulator }).run({
        task: 'go',
        maxSteps: 10,
        observer,
        signal: client.signal,
      });

      await expect(run).rejects.toMatchObject({ errorType: 'request_cancelled' });
      for (const name of ['llm.generate', 'agent.task']) {
        expect(tracing.one(name).status.code).toBe(SpanStatusCode.ERROR);
        expect(tracing.one(name).attributes['error.type']).toBe('request_cancelled');
      }
      expect(tracing.one('llm.generate').attributes['llm.stream.chunks']).toBe(1);
    });
  });
});
