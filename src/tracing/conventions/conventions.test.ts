import { SpanKind } from '@opentelemetry/api';
import type { GenAiConventions } from './conventions';
import { LATEST_CONVENTIONS } from './latest';
import { conventionsFor } from './select-conventions';
import type { MemoryOperationInfo } from './span-info';
import { WORKSHOP_CONVENTIONS } from './workshop';

const endpoint = new URL('http://127.0.0.1:8081/api/v1/execute');
const task = { agentName: 'traced-agent', task: 'Add 2 and 2', requestModel: 'gemini-2.0-flash' };
const inference = {
  requestModel: 'gemini-2.0-flash',
  providerName: 'gcp.gemini',
  stepNumber: 0,
  endpoint: new URL('https://generativelanguage.googleapis.com/v1beta'),
};
const tool = {
  toolName: 'calculator',
  boundedName: 'calculator',
  callId: 'call-1',
  agentName: 'traced-agent',
};
const memory = (
  operation: MemoryOperationInfo['operation'],
  backend = 'in_memory',
): MemoryOperationInfo => ({ operation, memoryType: 'long_term', backend });
const delegation = (via: 'route' | 'tool') => ({
  endpoint,
  agentName: 'traced-sub-agent',
  via,
});

/** Every attribute name a table can write for one run, with the given content. */
function namesWritten(conventions: GenAiConventions): string[] {
  const starts = [
    conventions.task(task),
    conventions.inference(inference),
    conventions.tool(tool),
    ...(['read', 'search', 'write', 'erase'] as const).map((op) => conventions.memory(memory(op))),
    conventions.delegation(delegation('route')),
  ];
  return [
    ...starts.flatMap((start) => Object.keys(start?.attributes ?? {})),
    ...(['read', 'search', 'write', 'erase'] as const).flatMap((op) =>
      Object.keys(conventions.memoryOutcome(memory(op), { records: 1, used: 1 })),
    ),
    ...Object.keys(conventions.memoryContent('query', ['record'])),
    ...Object.keys(conventions.stream({ chunks: 2, firstChunkSeconds: 0.5 })),
    ...Object.keys(conventions.systemInstructions('Be brief.')),
  ];
}

describe('the naming table', () => {
  it('is chosen once by mode: the workshop names by default, the latest on opt-in', () => {
    expect(conventionsFor('workshop')).toBe(WORKSHOP_CONVENTIONS);
    expect(conventionsFor('latest')).toBe(LATEST_CONVENTIONS);
    expect(LATEST_CONVENTIONS.source).toBe('open-telemetry/semantic-conventions-genai v0.1.0');
  });

  describe('in the workshop mode', () => {
    const names = WORKSHOP_CONVENTIONS;

    it("keeps the workshop's span names and kinds", () => {
      expect(names.task(task)).toMatchObject({ name: 'agent.task', kind: SpanKind.INTERNAL });
      expect(names.inference(inference)).toMatchObject({
        name: 'llm.generate',
        kind: SpanKind.CLIENT,
      });
      expect(names.step({ stepNumber: 1, stepType: 'reasoning' })).toMatchObject({
        name: 'agent.step.reasoning',
        kind: SpanKind.INTERNAL,
      });
      expect(names.tool(tool)).toMatchObject({ name: 'tool.calculator', kind: SpanKind.INTERNAL });
      expect(names.tool({ ...tool, boundedName: 'unknown' }).name).toBe('tool.unknown');
      for (const operation of ['read', 'search', 'write', 'erase'] as const)
        expect(names.memory(memory(operation, 'postgresql'))).toMatchObject({
          name: `memory.${operation}`,
          kind: SpanKind.INTERNAL,
          attributes: { 'memory.operation': operation },
        });
      expect(names.delegation(delegation('route'))).toMatchObject({
        name: 'agent.delegate',
        kind: SpanKind.INTERNAL,
        attributes: { 'gen_ai.operation.name': 'invoke_agent', 'server.port': 8081 },
      });
    });

    it('gives a delegation the model asks for no span of its own: the tool span stands for it', () => {
      expect(names.delegation(delegation('tool'))).toBeUndefined();
    });

    it("keeps the workshop's attribute names and v1.41's metrics", () => {
      expect(names.memoryOutcome(memory('search'), { records: 3, used: 2 })).toEqual({
        'memory.records_found': 3,
        'memory.records_used': 2,
      });
      expect(names.memoryOutcome(memory('write'), { records: 1 })).toMatchObject({
        'memory.records_written': 1,
      });
      expect(names.memoryOutcome(memory('erase'), { records: 4 })).toMatchObject({
        'memory.records_erased': 4,
      });
      expect(names.memoryContent('query', ['turn'])).toEqual({ 'memory.content': ['turn'] });
      expect(names.stream({ chunks: 3, firstChunkSeconds: 0.12345 })).toEqual({
        'llm.streamed': true,
        'llm.stream.chunks': 3,
        'llm.time_to_first_chunk_ms': 123.45,
      });
      expect(names.systemInstructions('Be brief.')).toEqual({});
      const message = { role: 'assistant', parts: [{ type: 'text', content: 'Done.' }] };
      expect(names.outputMessages(message, 'stop')).toEqual([message]);
      expect(names.metrics).toMatchObject({
        modelCallDuration: 'gen_ai.client.operation.duration',
        timeToFirstChunk: 'gen_ai.client.operation.time_to_first_chunk',
        tokens: 'histogram_by_type',
      });
    });
  });

  describe('in the latest mode (semantic-conventions-genai v0.1.0)', () => {
    const names = LATEST_CONVENTIONS;

    it('names the run invoke_agent {agent}, INTERNAL, with the sampling-relevant attributes at start', () => {
      expect(names.task(task)).toEqual({
        name: 'invoke_agent traced-agent',
        kind: SpanKind.INTERNAL,
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.agent.name': 'traced-agent',
          'gen_ai.request.model': 'gemini-2.0-flash',
        },
      });
    });

    it('names a model call {operation} {model}: generate_content for Gemini, CLIENT', () => {
      expect(names.inference(inference)).toEqual({
        name: 'generate_content gemini-2.0-flash',
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'generate_content',
          'gen_ai.provider.name': 'gcp.gemini',
          'gen_ai.request.model': 'gemini-2.0-flash',
          'server.address': 'generativelanguage.googleapis.com',
          'server.port': 443,
        },
      });
    });

    it('names a tool call execute_tool {tool}, with the agent that runs it', () => {
      expect(names.tool(tool)).toEqual({
        name: 'execute_tool calculator',
        kind: SpanKind.INTERNAL,
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'calculator',
          'gen_ai.tool.type': 'function',
          'gen_ai.agent.name': 'traced-agent',
        },
      });
    });

    it('calls the sub-agent a remote agent invocation, CLIENT, from the route and from the tool', () => {
      for (const via of ['route', 'tool'] as const)
        expect(names.delegation(delegation(via))).toEqual({
          name: 'invoke_agent traced-sub-agent',
          kind: SpanKind.CLIENT,
          attributes: {
            'gen_ai.operation.name': 'invoke_agent',
            'gen_ai.provider.name': 'traced_agent',
            'gen_ai.agent.name': 'traced-sub-agent',
            'server.address': '127.0.0.1',
            'server.port': 8081,
          },
        });
    });

    it('names memory operations by the convention, CLIENT when the store is another process', () => {
      expect(names.memory(memory('search'))).toEqual({
        name: 'search_memory',
        kind: SpanKind.INTERNAL,
        attributes: { 'gen_ai.operation.name': 'search_memory' },
      });
      expect(names.memory(memory('search', 'postgresql')).kind).toBe(SpanKind.CLIENT);
      expect(names.memory(memory('write')).name).toBe('create_memory');
      expect(names.memory(memory('erase')).name).toBe('delete_memory');
    });

    it('keeps our own names where the convention has none: a memory read, a step', () => {
      expect(names.memory(memory('read', 'postgresql'))).toEqual({
        name: 'memory.read',
        kind: SpanKind.INTERNAL,
        attributes: { 'memory.operation': 'read' },
      });
      expect(names.memoryOutcome(memory('read'), { records: 2 })).toMatchObject({
        'memory.records_found': 2,
      });
      expect(names.step({ stepNumber: 1, stepType: 'reasoning' }).name).toBe(
        'agent.step.reasoning',
      );
    });

    it('counts memory records and records content in the structured formats', () => {
      for (const operation of ['search', 'write', 'erase'] as const)
        expect(names.memoryOutcome(memory(operation), { records: 3 })).toMatchObject({
          'gen_ai.memory.record.count': 3,
        });
      expect(names.memoryContent('B3 headers', [{ task: 't', response: 'r' }])).toEqual({
        'gen_ai.memory.query.text': 'B3 headers',
        'gen_ai.memory.records': [{ content: { task: 't', response: 'r' } }],
      });
      expect(names.systemInstructions('Be brief.')).toEqual({
        'gen_ai.system_instructions': [{ type: 'text', content: 'Be brief.' }],
      });
      expect(names.systemInstructions(undefined)).toEqual({});
      const message = { role: 'assistant', parts: [{ type: 'text', content: 'Done.' }] };
      expect(names.outputMessages(message, 'stop')).toEqual([
        { ...message, finish_reason: 'stop' },
      ]);
    });

    it('records a streamed call with the convention attributes, in seconds', () => {
      expect(names.stream({ chunks: 3, firstChunkSeconds: 0.25 })).toEqual({
        'gen_ai.request.stream': true,
        'llm.stream.chunks': 3,
        'gen_ai.response.time_to_first_chunk': 0.25,
      });
    });

    it('writes no workshop name that the convention renames', () => {
      const renamed = [
        'llm.streamed',
        'llm.time_to_first_chunk_ms',
        'memory.records_written',
        'memory.records_erased',
        'memory.content',
      ];
      expect(namesWritten(names).filter((name) => renamed.includes(name))).toEqual([]);
      expect(namesWritten(WORKSHOP_CONVENTIONS)).toEqual(expect.arrayContaining(renamed));
    });

    it("uses v0.1.0's metrics: inference duration and token counters by modality", () => {
      expect(names.metrics).toMatchObject({
        modelCallDuration: 'gen_ai.client.inference.duration',
        timeToFirstChunk: 'gen_ai.client.inference.time_to_first_chunk',
        tokens: 'counters_by_modality',
      });
      expect(
        names.metrics.toolAttributes({
          toolName: 'calculator',
          toolType: 'function',
          agentName: 'traced-agent',
        }),
      ).toEqual({
        'gen_ai.tool.name': 'calculator',
        'gen_ai.tool.type': 'function',
        'gen_ai.agent.name': 'traced-agent',
      });
      expect(names.metrics.runAttributes({ agentName: 'traced-agent' })).toEqual({
        'gen_ai.agent.name': 'traced-agent',
        'gen_ai.request.model': undefined,
      });
    });
  });
});
