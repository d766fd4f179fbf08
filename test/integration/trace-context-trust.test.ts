import request from '../support/contract-request';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../dev/otlp/receiver';
import { isCompleteTrace } from '../../dev/otlp/received-trace';
import { startSniffingSubAgent, type SniffingSubAgent } from '../support/sniffing-sub-agent';
import { spanTree } from '../support/span-tree';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';

const AGENT = 'agent-service';
const SUB_AGENT = 'sub-agent-service';
const PUBLIC_KEY = 'public-client-key';
const AGENT_KEY = 'agent-to-sub-agent-key';
const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';
const TASK = { task: 'Search the knowledge base for sampling' };

let receiver: OtlpReceiver;

const tracingEnv = (serviceName: string) => ({
  OTEL_SERVICE_NAME: serviceName,
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_BSP_SCHEDULE_DELAY: '50',
});

async function completeTrace(traceId: string, services: string[] = []) {
  const spans = await receiver.waitFor((received) =>
    isCompleteTrace(
      received.filter((span) => span.traceId === traceId),
      services,
    ),
  );
  return spanTree(spans.filter((span) => span.traceId === traceId));
}

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await stopAllServices();
  await receiver.stop();
});

describe('TRACE_CONTEXT_TRUST=internal (a public edge)', () => {
  let agent: SpawnedService;
  let subAgent: SpawnedService;
  beforeAll(async () => {
    const distrust = { TRACE_CONTEXT_TRUST: 'internal', AGENT_API_KEYS: PUBLIC_KEY };
    // The sub-agent knows the agent's key as internal: the agent's calls are continued.
    subAgent = await spawnService({
      entry: 'dist/subagent/server.js',
      register: 'dist/subagent/register.js',
      env: { ...tracingEnv(SUB_AGENT), ...distrust, INTERNAL_API_KEYS: AGENT_KEY },
    });
    agent = await spawnService({
      env: {
        ...tracingEnv(AGENT),
        ...distrust,
        SUB_AGENT_URL: subAgent.url,
        SUB_AGENT_API_KEY: AGENT_KEY,
      },
    });
  });

  it('starts a new trace for a caller that is not internal, with a link to the context it sent', async () => {
    const response = await request(agent.url)
      .post('/api/v1/agent/execute')
      .set({
        Authorization: `Bearer ${PUBLIC_KEY}`,
        traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`,
      })
      .send(TASK)
      .expect(200);
    expect(response.body.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(response.body.trace_id).not.toBe(CALLER_TRACE_ID);
    expect(response.headers['x-trace-id']).toBe(response.body.trace_id);

    const server = (await completeTrace(response.body.trace_id)).one('POST /api/v1/agent/execute');
    expect(server.parentSpanId).toBe('');
    expect(server.links).toEqual([{ traceId: CALLER_TRACE_ID, spanId: CALLER_SPAN_ID }]);
    expect(receiver.spansOfTrace(CALLER_TRACE_ID)).toEqual([]);
  });

  it('starts a new trace for an unauthenticated caller too, without continuing its trace id', async () => {
    const response = await request(agent.url)
      .post('/api/v1/agent/execute')
      .set('traceparent', `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`)
      .send(TASK)
      .expect(401);
    expect(response.headers['x-trace-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(response.headers['x-trace-id']).not.toBe(CALLER_TRACE_ID);
  });

  it.each([
    ['traceparent …-00', { traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-00` }],
    [
      'X-B3-Sampled: 0',
      { 'X-B3-TraceId': CALLER_TRACE_ID, 'X-B3-SpanId': CALLER_SPAN_ID, 'X-B3-Sampled': '0' },
    ],
    ['b3: 0', { b3: '0' }],
  ])(
    'traces the request of a caller that is not internal even when it sends %s',
    async (_case, headers) => {
      const response = await request(agent.url)
        .post('/api/v1/agent/execute')
        .set({ 'X-API-Key': PUBLIC_KEY, ...headers })
        .send(TASK)
        .expect(200);
      expect(response.body.trace_id).not.toBe(CALLER_TRACE_ID);
      const tree = await completeTrace(response.body.trace_id);
      expect(tree.one('POST /api/v1/agent/execute').parentSpanId).toBe('');
      expect(tree.one('agent.task')).toBeDefined();
    },
  );

  it('ignores the baggage of a caller that is not internal: its user.id is on no span of either service', async () => {
    const response = await request(agent.url)
      .post('/api/v1/agent/delegate')
      .set({
        Authorization: `Bearer ${PUBLIC_KEY}`,
        baggage: 'user.id=mallory,correlation.id=forged-1',
      })
      .send(TASK)
      .expect(200);
    expect(response.headers['x-correlation-id']).not.toBe('forged-1');
    const tree = await completeTrace(response.body.trace_id, [AGENT, SUB_AGENT]);
    expect(tree.spans.length).toBeGreaterThan(8);
    for (const span of tree.spans)
      expect({ name: span.name, user: span.attributes['user.id'] }).toEqual({
        name: span.name,
        user: undefined,
      });
  });

  it('keeps agent → sub-agent one trace when the sub-agent knows the agent key as internal', async () => {
    const response = await request(agent.url)
      .post('/api/v1/agent/delegate')
      .set('X-API-Key', PUBLIC_KEY)
      .send({ ...TASK, user_id: 'ana' })
      .expect(200);
    const tree = await completeTrace(response.body.trace_id, [AGENT, SUB_AGENT]);
    expect(tree.roots()).toEqual([tree.one('POST /api/v1/agent/delegate')]);
    const subServer = tree.one('POST /api/v1/execute');
    expect(subServer.links).toEqual([]);
    expect(subServer.attributes['user.id']).toBe('ana');
  });

  it('continues the trace context of a caller that presents an internal key, and accepts the key as an API key', async () => {
    const response = await request(subAgent.url)
      .post('/api/v1/execute')
      .set({
        Authorization: `Bearer ${AGENT_KEY}`,
        traceparent: `00-${CALLER_TRACE_ID}-${CALLER_SPAN_ID}-01`,
      })
      .send(TASK)
      .expect(200);
    expect(response.body.trace_id).toBe(CALLER_TRACE_ID);
    expect((await serverSpanOf(CALLER_TRACE_ID, 'POST /api/v1/execute')).parentSpanId).toBe(
      CALLER_SPAN_ID,
    );
  });
});

/** The server span of a trace whose root lives in a caller that exports nothing. */
async function serverSpanOf(traceId: string, name?: string) {
  const isIt = (span: ReceivedSpan) =>
    span.traceId === traceId && span.kind === 'SERVER' && (!name || span.name === name);
  return (await receiver.waitFor((received) => received.some(isIt))).find(isIt)!;
}

describe('B3 sampling states, as the B3 specification says (default trust)', () => {
  let sniffer: SniffingSubAgent;
  let agent: SpawnedService;
  beforeAll(async () => {
    sniffer = await startSniffingSubAgent();
    agent = await spawnService({ env: { ...tracingEnv(AGENT), SUB_AGENT_URL: sniffer.url } });
  });
  afterAll(async () => {
    await sniffer.close();
  });

  it('honours b3: 0 (deny): nothing of the request is exported, and the deny goes on downstream with new ids', async () => {
    const denied = await request(agent.url)
      .post('/api/v1/agent/delegate')
      .set('b3', '0')
      .send(TASK)
      .expect(200);
    const traceId = String(denied.headers['x-trace-id']);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const downstream = sniffer.requests.at(-1)!;
    expect(downstream).toMatchObject({ 'x-b3-traceid': traceId, 'x-b3-sampled': '0' });
    expect(downstream.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));

    // Spans are exported in the order they end: once a later request's trace is in, the denied one
    // would be too.
    const later = await request(agent.url).post('/api/v1/agent/delegate').send(TASK).expect(200);
    await completeTrace(String(later.headers['x-trace-id']));
    expect(receiver.spansOfTrace(traceId)).toEqual([]);
  });

  it('honours the debug flag d: the trace is continued and sampled, and goes on downstream as X-B3-Flags: 1', async () => {
    const traceId = '80f198ee56343ba864fe8b2a57d3eff7';
    const parentId = 'e457b5a2e4d86bd1';
    const response = await request(agent.url)
      .post('/api/v1/agent/delegate')
      .set('b3', `${traceId}-${parentId}-d`)
      .send(TASK)
      .expect(200);
    expect(response.headers['x-trace-id']).toBe(traceId);
    const downstream = sniffer.requests.at(-1)!;
    expect(downstream).toMatchObject({ 'x-b3-traceid': traceId, 'x-b3-flags': '1' });
    expect(downstream).not.toHaveProperty('x-b3-sampled');
    expect((await serverSpanOf(traceId)).parentSpanId).toBe(parentId);
  });

  it('honours X-B3-Flags: 1 over X-B3-Sampled: 0, and passes it on as d in a single b3 header', async () => {
    const singleHeader = await spawnService({
      env: { ...tracingEnv(AGENT), SUB_AGENT_URL: sniffer.url, OTEL_PROPAGATORS: 'b3' },
    });
    const traceId = '463ac35c9f6413ad48485a3953bb6124';
    const parentId = 'a2fb4a1d1a96d312';
    const response = await request(singleHeader.url)
      .post('/api/v1/agent/delegate')
      .set({
        'X-B3-TraceId': traceId,
        'X-B3-SpanId': parentId,
        'X-B3-Sampled': '0',
        'X-B3-Flags': '1',
      })
      .send(TASK)
      .expect(200);
    expect(response.headers['x-trace-id']).toBe(traceId);
    expect(sniffer.requests.at(-1)!.b3).toMatch(new RegExp(`^${traceId}-[0-9a-f]{16}-d$`));
    expect((await serverSpanOf(traceId)).parentSpanId).toBe(parentId);
    await singleHeader.stop();
  });
});
