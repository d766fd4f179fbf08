import request from '../support/contract-request';
import { startOtlpReceiver, type OtlpReceiver } from '../../dev/otlp/receiver';
import { overlap, spanTree } from '../support/span-tree';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';
import { GEMINI_SDKS } from '../../src/models/gemini-sdk';

const EXAMPLE_TASK = 'Calculate 17 * 23 and search the knowledge base for context propagation';
const SERVER_SPAN = 'POST /api/v1/agent/execute';

let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await stopAllServices();
  await receiver.stop();
});

const withOtlp = (env: Record<string, string> = {}) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_BSP_SCHEDULE_DELAY: '50',
  ...env,
});

/**
 * Waits until the trace's server span (the last to end) has arrived, then returns the whole trace.
 */
async function receivedTrace(traceId: string) {
  await receiver.waitFor(
    (spans) => spans.some((span) => span.traceId === traceId && span.kind === 'SERVER'),
    {
      description: `the spans of trace ${traceId}`,
    },
  );
  return spanTree(receiver.spansOfTrace(traceId));
}

describe.each(GEMINI_SDKS)(
  'the agent service, as a real process exporting over OTLP/gRPC, through @google/%s',
  (sdk) => {
    let service: SpawnedService;
    beforeAll(async () => {
      service = await spawnService({ env: withOtlp({ GEMINI_SDK: sdk }) });
    });
    afterAll(() => service.stop());

    it('exports the whole span tree of one request as one trace under the HTTP server span', async () => {
      await request(service.url).get('/healthz').expect(200);
      const response = await request(service.url)
        .post('/api/v1/agent/execute')
        .send({ task: EXAMPLE_TASK, user_id: 'ana', session_id: 's1' })
        .expect(200);
      const traceId: string = response.body.trace_id;
      expect(response.headers['x-trace-id']).toBe(traceId);

      const tree = await receivedTrace(traceId);
      const server = tree.one(SERVER_SPAN);
      expect(tree.roots()).toEqual([server]);
      expect(server.parentSpanId).toBe('');
      expect(server.kind).toBe('SERVER');
      expect(server.attributes['http.route']).toBe('/api/v1/agent/execute');
      expect(server.attributes['http.response.status_code']).toBe(200);
      // What Langfuse's Users and Sessions views read, on the trace's root.
      expect(server.attributes).toMatchObject({ 'user.id': 'ana', 'session.id': 's1' });

      const task = tree.one('agent.task');
      expect(tree.childrenOf(server)).toEqual([task]);
      const [memoryRead, memorySearch, firstCall, step, memoryWrite, ...rest] =
        tree.childrenOf(task);
      expect(
        [memoryRead, memorySearch, firstCall, step, memoryWrite].map((span) => span?.name),
      ).toEqual([
        'memory.read',
        'memory.search',
        'llm.generate',
        'agent.step.reasoning',
        'memory.write',
      ]);
      expect(rest).toEqual([]);

      const stepChildren = tree.childrenOf(step!);
      expect(stepChildren.map((span) => span.name).sort()).toEqual([
        'llm.generate',
        'tool.calculator',
        'tool.search_knowledge_base',
      ]);
      const calculator = tree.one('tool.calculator');
      const search = tree.one('tool.search_knowledge_base');
      expect(overlap(calculator, search)).toBe(true);

      for (const call of tree.named('llm.generate')) {
        expect(call.kind).toBe('CLIENT');
        const [httpCall, ...others] = tree.childrenOf(call);
        expect(others).toEqual([]);
        expect(httpCall).toMatchObject({ name: 'POST', kind: 'CLIENT' });
        expect(httpCall!.attributes['url.full']).toMatch(
          /\/v1beta\/models\/gemini-2\.0-flash:generateContent$/,
        );
        expect(call.attributeTypes['gen_ai.usage.input_tokens']).toBe('int');
        expect(call.attributeTypes['gen_ai.usage.output_tokens']).toBe('int');
        expect(call.attributes).toMatchObject({
          'gen_ai.operation.name': 'generate_content',
          'gen_ai.provider.name': 'gcp.gemini',
          'gen_ai.request.model': 'gemini-2.0-flash',
        });
      }
      expect(firstCall!.attributes['agent.step.number']).toBe(0);
      expect(task.attributes).toMatchObject({
        'gen_ai.conversation.id': 's1',
        'user.id': 'ana',
        'agent.total_steps': 1,
        'agent.stopped_reason': 'completed',
      });
      expect(task.attributes['gen_ai.usage.input_tokens']).toBe(response.body.usage.input_tokens);

      // The emulator's side of each model call and the health check are not part of the trace.
      expect(tree.named(SERVER_SPAN)).toHaveLength(1);
      expect(receiver.spans.some((span) => span.attributes['url.path'] === '/healthz')).toBe(false);
      expect(server.resource).toMatchObject({
        'service.name': 'agent-service',
        'service.version': '0.1.0',
        // NODE_ENV as the test harness sets it (test/support/spawn-service.ts).
        'deployment.environment.name': 'test',
      });
    });

    it('continues a trace that arrives with B3 headers only', async () => {
      const traceId = '463ac35c9f6413ad48485a3953bb6124';
      const parentId = 'a2fb4a1d1a96d312';
      const response = await request(service.url)
        .post('/api/v1/agent/execute')
        .set({ 'X-B3-TraceId': traceId, 'X-B3-SpanId': parentId, 'X-B3-Sampled': '1' })
        .send({ task: 'Calculate 2 + 2' })
        .expect(200);
      expect(response.body.trace_id).toBe(traceId);
      expect((await receivedTrace(traceId)).one(SERVER_SPAN).parentSpanId).toBe(parentId);
    });

    it('continues a trace that arrives with traceparent only', async () => {
      const traceId = '0af7651916cd43dd8448eb211c80319c';
      const parentId = 'b7ad6b7169203331';
      const response = await request(service.url)
        .post('/api/v1/agent/execute')
        .set('traceparent', `00-${traceId}-${parentId}-01`)
        .send({ task: 'Calculate 3 + 3' })
        .expect(200);
      expect(response.body.trace_id).toBe(traceId);
      expect((await receivedTrace(traceId)).one(SERVER_SPAN).parentSpanId).toBe(parentId);
    });

    it('answers errors as JSON with the trace id header', async () => {
      const response = await request(service.url)
        .post('/api/v1/agent/execute')
        .send({ task: '' })
        .expect(400);
      expect(response.body.error.code).toBe('invalid_request');
      expect(response.headers['x-trace-id']).toMatch(/^[0-9a-f]{32}$/);
    });
  },
);

describe('shutdown', () => {
  it('flushes every finished span on SIGTERM and exits 0', async () => {
    // A schedule delay longer than the test: only the shutdown flush can deliver these spans.
    const service = await spawnService({ env: withOtlp({ OTEL_BSP_SCHEDULE_DELAY: '600000' }) });
    const response = await request(service.url)
      .post('/api/v1/agent/execute')
      .send({ task: EXAMPLE_TASK })
      .expect(200);
    const traceId: string = response.body.trace_id;
    expect(receiver.spansOfTrace(traceId)).toEqual([]);

    expect(await service.stop('SIGTERM')).toBe(0);
    const tree = await receivedTrace(traceId);
    expect(tree.spans.map((span) => span.name).sort()).toEqual(
      [
        'POST',
        'POST',
        SERVER_SPAN,
        'agent.step.reasoning',
        'agent.task',
        'llm.generate',
        'llm.generate',
        'memory.read',
        'memory.write',
        'tool.calculator',
        'tool.search_knowledge_base',
      ].sort(),
    );
  });
});

describe('without an OTLP endpoint', () => {
  it('prints each finished trace as a tree', async () => {
    const service = await spawnService();
    const response = await request(service.url)
      .post('/api/v1/agent/execute')
      .send({ task: EXAMPLE_TASK })
      .expect(200);
    await service.stop();
    const printed = service.output();
    expect(printed).toContain(`Trace ${response.body.trace_id}`);
    expect(printed).toMatch(/^POST \/api\/v1\/agent\/execute +\d+\.\d ms$/m);
    expect(printed).toMatch(/^└─ agent\.task +\d+\.\d ms$/m);
    expect(printed).toMatch(/^ {3}│ {2}├─ tool\.calculator +\d+\.\d ms$/m);
  });
});

describe('with OTEL_SDK_DISABLED=true', () => {
  it('serves requests with no trace id and exports nothing', async () => {
    const before = receiver.spanCount;
    const service = await spawnService({ env: withOtlp({ OTEL_SDK_DISABLED: 'true' }) });
    const response = await request(service.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'Calculate 17 * 23' })
      .expect(200);
    expect(response.body.response).toContain('391');
    expect(response.body.trace_id).toBeNull();
    expect(response.headers['x-trace-id']).toBeUndefined();
    expect(await service.stop()).toBe(0);
    expect(receiver.spanCount).toBe(before);
  });
});

describe('message content and attribute length', () => {
  it('records no content by default, and warns at start-up that the API is open', async () => {
    const service = await spawnService({ env: withOtlp() });
    const response = await request(service.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'Calculate 12345 * 2 for the quarterly-report' })
      .expect(200);
    const tree = await receivedTrace(response.body.trace_id);
    await service.stop();
    const everything = JSON.stringify(
      tree.spans.map((span) => [span.attributes, span.events.map((event) => event.attributes)]),
    );
    expect(everything).not.toContain('quarterly-report');
    expect(everything).not.toContain('12345 * 2');
    expect(service.output()).toContain('AGENT_API_KEYS is not set');
  });

  it('with capture on, records content sanitized and no longer than OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', async () => {
    const limit = 120;
    const service = await spawnService({
      env: withOtlp({
        OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
        OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: String(limit),
      }),
    });
    const task = `Calculate 6 * 7 ${'and more words '.repeat(40)}`;
    const response = await request(service.url)
      .post('/api/v1/agent/execute')
      .send({ task })
      .expect(200);
    const tree = await receivedTrace(response.body.trace_id);
    await service.stop();
    expect(String(tree.one('agent.task').attributes['gen_ai.input.messages'])).toContain(
      'Calculate 6 * 7',
    );
    expect(String(tree.one('tool.calculator').attributes['gen_ai.tool.call.arguments'])).toContain(
      '6 * 7',
    );
    for (const span of tree.spans) {
      for (const [key, value] of Object.entries(span.attributes)) {
        if (typeof value === 'string')
          expect({ key, length: value.length }).toEqual({
            key,
            length: Math.min(value.length, limit),
          });
      }
    }
  });
});
