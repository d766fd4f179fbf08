import request from '../support/contract-request';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../dev/otlp/receiver';
import { isCompleteTrace } from '../../dev/otlp/received-trace';
import { startSniffingSubAgent, type SniffingSubAgent } from '../support/sniffing-sub-agent';
import { spanTree } from '../support/span-tree';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';

const AGENT = 'agent-service';
const SUB_AGENT = 'sub-agent-service';

let receiver: OtlpReceiver;
let subAgent: SpawnedService;
let agent: SpawnedService;

const tracingEnv = (serviceName: string) => ({
  OTEL_SERVICE_NAME: serviceName,
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_BSP_SCHEDULE_DELAY: '50',
});
const startAgent = (subAgentUrl: string, env: Record<string, string> = {}) =>
  spawnService({ env: { ...tracingEnv(AGENT), SUB_AGENT_URL: subAgentUrl, ...env } });

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  subAgent = await spawnService({
    entry: 'dist/subagent/server.js',
    register: 'dist/subagent/register.js',
    env: tracingEnv(SUB_AGENT),
  });
  agent = await startAgent(subAgent.url);
});
afterAll(async () => {
  await stopAllServices();
  await receiver.stop();
});

async function crossServiceTrace(traceId: string) {
  const spans = await receiver.waitFor(
    (received) =>
      isCompleteTrace(
        received.filter((span) => span.traceId === traceId),
        [AGENT, SUB_AGENT],
      ),
    {
      description: `trace ${traceId} from both services`,
    },
  );
  return spanTree(spans.filter((span) => span.traceId === traceId));
}

/** The sub-agent's part of a trace must hang under the agent's HTTP client span, as one tree. */
/** With a user id forwarded, the sub-agent also searches that user's long-term memory. */
function expectSubAgentUnder(
  tree: ReturnType<typeof spanTree>,
  caller: ReceivedSpan,
  { withUser }: { withUser: boolean },
) {
  const [clientCall] = tree.childrenOf(caller);
  expect(clientCall).toMatchObject({ name: 'POST', kind: 'CLIENT', serviceName: AGENT });
  const [subServer] = tree.childrenOf(clientCall!);
  expect(subServer).toMatchObject({
    name: 'POST /api/v1/execute',
    kind: 'SERVER',
    serviceName: SUB_AGENT,
  });
  const [subTask] = tree.childrenOf(subServer!);
  expect(subTask).toMatchObject({ name: 'agent.task', serviceName: SUB_AGENT });
  expect(tree.childrenOf(subTask!).map((span) => span.name)).toEqual([
    'memory.read',
    ...(withUser ? ['memory.search'] : []),
    'llm.generate',
    'agent.step.reasoning',
    'memory.write',
  ]);
  return { subServer: subServer!, subTask: subTask! };
}

describe('delegation from the agent to the sub-agent service', () => {
  it('makes one trace of POST /api/v1/agent/delegate across both services', async () => {
    const response = await request(agent.url)
      .post('/api/v1/agent/delegate')
      .send({ task: 'Search the knowledge base for B3 headers', user_id: 'ana' })
      .expect(200);
    expect(response.body.response).toMatch(/B3/);
    const traceId: string = response.body.trace_id;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    const tree = await crossServiceTrace(traceId);
    const server = tree.one('POST /api/v1/agent/delegate');
    expect(tree.roots()).toEqual([server]);
    const delegate = tree.one('agent.delegate');
    expect(delegate.parentSpanId).toBe(server.spanId);
    expect(delegate.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'server.address': '127.0.0.1',
    });
    expectSubAgentUnder(tree, delegate, { withUser: true });
  });

  it('makes one trace when the model delegates with the delegate_to_subagent tool', async () => {
    const response = await request(agent.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'Delegate to the sub-agent: what is tail sampling?', user_id: 'ana' })
      .expect(200);
    expect(response.body.steps).toEqual([{ step: 1, tools_called: ['delegate_to_subagent'] }]);
    expect(response.body.response).toMatch(/The sub-agent answered: .*tail sampling/i);

    const tree = await crossServiceTrace(response.body.trace_id);
    expect(tree.roots()).toEqual([tree.one('POST /api/v1/agent/execute')]);
    const tool = tree.one('tool.delegate_to_subagent');
    expect(tool.parentSpanId).toBe(
      tree.named('agent.step.reasoning').find((span) => span.serviceName === AGENT)!.spanId,
    );
    const { subTask } = expectSubAgentUnder(tree, tool, { withUser: false });
    expect(subTask.attributes['gen_ai.agent.name']).toBe('traced-sub-agent');
  });

  it('copies the correlation id, the user id and process metadata onto every span of both services', async () => {
    const response = await request(agent.url)
      .post('/api/v1/agent/delegate')
      .set('X-Correlation-Id', 'corr-42')
      .send({ task: 'Search for sampling', user_id: 'ana' })
      .expect(200);
    expect(response.headers['x-correlation-id']).toBe('corr-42');

    const tree = await crossServiceTrace(response.body.trace_id);
    expect(new Set(tree.spans.map((span) => span.serviceName))).toEqual(
      new Set([AGENT, SUB_AGENT]),
    );
    for (const span of tree.spans) {
      expect({
        name: span.name,
        service: span.serviceName,
        correlation: span.attributes['correlation.id'],
        user: span.attributes['user.id'],
      }).toEqual({
        name: span.name,
        service: span.serviceName,
        correlation: 'corr-42',
        user: 'ana',
      });
      expect(span.attributes['process.pid']).toEqual(expect.any(Number));
      expect(span.attributes['host.name']).toEqual(expect.any(String));
      expect(span.attributes['service.version']).toBe('0.1.0');
    }
  });

  it('ignores baggage keys outside the allow-list and malformed values', async () => {
    const response = await request(agent.url)
      .post('/api/v1/agent/execute')
      .set('baggage', 'secret.plan=world-domination,correlation.id=has%20spaces%20%3Cscript%3E')
      .send({ task: 'Calculate 2 + 2' })
      .expect(200);
    const spans = await receiver.waitFor((received) =>
      isCompleteTrace(received.filter((span) => span.traceId === response.body.trace_id)),
    );
    const trace = spans.filter((span) => span.traceId === response.body.trace_id);
    expect(trace.some((span) => 'secret.plan' in span.attributes)).toBe(false);
    // A malformed incoming value is dropped: the id is generated instead, and echoed.
    const generated = response.headers['x-correlation-id'];
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(trace.every((span) => span.attributes['correlation.id'] === generated)).toBe(true);
  });
});

describe('what goes over the wire to the sub-agent', () => {
  let sniffer: SniffingSubAgent;
  let sniffedAgent: SpawnedService;
  beforeAll(async () => {
    sniffer = await startSniffingSubAgent();
    sniffedAgent = await startAgent(sniffer.url);
  });
  afterAll(async () => {
    await sniffedAgent.stop();
    await sniffer.close();
  });

  it('carries B3 multi-headers, traceparent and baggage injected by the propagators', async () => {
    const response = await request(sniffedAgent.url)
      .post('/api/v1/agent/delegate')
      .set('X-Correlation-Id', 'wire-1')
      .send({ task: 'anything', user_id: 'bob' })
      .expect(200);
    const traceId: string = response.body.trace_id ?? response.headers['x-trace-id'];
    const headers = sniffer.requests.at(-1)!;

    const spans = await receiver.waitFor((received) =>
      received.some(
        (span) => span.traceId === traceId && span.name === 'POST' && span.kind === 'CLIENT',
      ),
    );
    const clientSpan = spans.find(
      (span) => span.traceId === traceId && span.name === 'POST' && span.kind === 'CLIENT',
    )!;
    expect(headers['x-b3-traceid']).toBe(traceId);
    expect(headers['x-b3-spanid']).toBe(clientSpan.spanId);
    expect(headers['x-b3-sampled']).toBe('1');
    expect(headers.traceparent).toBe(`00-${traceId}-${clientSpan.spanId}-01`);
    expect(headers.baggage).toContain('correlation.id=wire-1');
    expect(headers.baggage).toContain('user.id=bob');
  });
});

describe('OTEL_PROPAGATORS', () => {
  it('replaces the default: with tracecontext alone, only traceparent goes on the wire', async () => {
    const sniffer = await startSniffingSubAgent();
    const w3cOnly = await startAgent(sniffer.url, { OTEL_PROPAGATORS: 'tracecontext' });
    const response = await request(w3cOnly.url)
      .post('/api/v1/agent/delegate')
      .send({ task: 'anything' })
      .expect(200);
    const headers = sniffer.requests.at(-1)!;
    expect(headers.traceparent).toMatch(
      new RegExp(`^00-${response.headers['x-trace-id']}-[0-9a-f]{16}-01$`),
    );
    expect(headers).not.toHaveProperty('x-b3-traceid');
    expect(headers).not.toHaveProperty('baggage');
    await w3cOnly.stop();
    await sniffer.close();
  });
});

describe('when the sub-agent misbehaves', () => {
  it('answers 502 subagent_unreachable when it is down, and the tool path still answers', async () => {
    const orphan = await startAgent('http://127.0.0.1:9');
    const delegated = await request(orphan.url)
      .post('/api/v1/agent/delegate')
      .send({ task: 'anything' });
    expect(delegated.status).toBe(502);
    expect(delegated.body.error).toEqual({
      code: 'subagent_unreachable',
      message: expect.stringMatching(/could not be reached/),
    });

    const viaTool = await request(orphan.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'Delegate to the sub-agent: what is sampling?' })
      .expect(200);
    expect(viaTool.body.stopped_reason).toBe('completed');
    expect(viaTool.body.response).toMatch(/delegate_to_subagent failed/);
    const tree = spanTree(
      await receiver.waitFor((received) =>
        isCompleteTrace(received.filter((span) => span.traceId === viaTool.body.trace_id)),
      ),
    );
    const tool = tree.spans.find(
      (span) => span.traceId === viaTool.body.trace_id && span.name === 'tool.delegate_to_subagent',
    )!;
    expect(tool.status.code).toBe('ERROR');
    await orphan.stop();
  });

  it('answers 504 subagent_timeout when it is slower than SUB_AGENT_TIMEOUT_MS', async () => {
    const slow = await startSniffingSubAgent({ delayMs: 5_000 });
    const impatient = await startAgent(slow.url, { SUB_AGENT_TIMEOUT_MS: '200' });
    const response = await request(impatient.url)
      .post('/api/v1/agent/delegate')
      .send({ task: 'anything' });
    expect(response.status).toBe(504);
    expect(response.body.error.code).toBe('subagent_timeout');
    await impatient.stop();
    await slow.close();
  });

  it.each([
    [
      'a 5xx',
      { status: 500, body: '{"error":{"code":"internal_error","message":"boom"}}' },
      'subagent_failed',
      /answered 500: boom/,
    ],
    ['garbage', { status: 200, body: '<html>hello</html>' }, 'subagent_bad_response', /not JSON/],
    [
      'JSON that is not an answer',
      { status: 200, body: '{"hello":"world"}' },
      'subagent_bad_response',
      /not an agent response/,
    ],
  ])('answers 502 when it answers %s', async (_case, behaviour, code, message) => {
    const broken = await startSniffingSubAgent(behaviour);
    const caller = await startAgent(broken.url);
    const response = await request(caller.url)
      .post('/api/v1/agent/delegate')
      .send({ task: 'anything' });
    expect(response.status).toBe(502);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.message).toMatch(message);
    await caller.stop();
    await broken.close();
  });

  it('answers 503 subagent_overloaded with its Retry-After when the sub-agent sheds the delegation', async () => {
    const busy = await startSniffingSubAgent({
      status: 503,
      headers: { 'retry-after': '7' },
      body: '{"error":{"code":"overloaded","message":"64 agent runs are in flight."}}',
    });
    const caller = await startAgent(busy.url);
    const response = await request(caller.url)
      .post('/api/v1/agent/delegate')
      .send({ task: 'anything' });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('7');
    expect(response.body.error).toEqual({
      code: 'subagent_overloaded',
      message: expect.stringContaining('64 agent runs are in flight'),
    });
    await caller.stop();
    await busy.close();
  });
});
