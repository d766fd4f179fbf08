import { createHash } from 'node:crypto';
import request from '../support/contract-request';
import { startGeminiEmulator, type GeminiEmulator } from '../../src/emulator/emulator-server';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../dev/otlp/receiver';
import { startSniffingSubAgent } from '../support/sniffing-sub-agent';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';
import { completeTraceOf } from '../support/collect';

/**
 * One agent with two API keys delegates to one sub-agent that has keys of its own. The sub-agent's
 * model is an emulator started here, so the test sees every model input the sub-agent sends.
 */
const KEY_A = 'key-of-tenant-a';
const KEY_B = 'key-of-tenant-b';
const AGENT_KEY_AT_SUB_AGENT = 'key-of-the-agent';
const OTHER_KEY_AT_SUB_AGENT = 'key-of-a-direct-client';

let subAgentModel: GeminiEmulator;
let subAgent: SpawnedService;
let agent: SpawnedService;

beforeAll(async () => {
  subAgentModel = await startGeminiEmulator();
  subAgent = await spawnService({
    entry: 'dist/subagent/server.js',
    register: 'dist/subagent/register.js',
    env: {
      OTEL_TRACES_EXPORTER: 'none',
      GEMINI_BASE_URL: subAgentModel.url,
      AGENT_API_KEYS: `${AGENT_KEY_AT_SUB_AGENT},${OTHER_KEY_AT_SUB_AGENT}`,
    },
  });
  agent = await spawnService({
    env: {
      OTEL_TRACES_EXPORTER: 'none',
      AGENT_API_KEYS: `${KEY_A},${KEY_B}`,
      SUB_AGENT_URL: subAgent.url,
      SUB_AGENT_API_KEY: AGENT_KEY_AT_SUB_AGENT,
    },
  });
});
afterAll(async () => {
  await stopAllServices();
  await subAgentModel.close();
});

/** Everything the sub-agent's model was sent since `from`, as one string. */
const clientIdOf = (key: string) =>
  `key:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;

const subAgentModelInputSince = (from: number) =>
  subAgentModel.requests
    .slice(from)
    .map((recorded) => JSON.stringify(recorded.body.contents))
    .join('\n');

async function asTenant(key: string, path: string, body: object) {
  const from = subAgentModel.requests.length;
  await request(agent.url).post(path).set('Authorization', `Bearer ${key}`).send(body).expect(200);
  return subAgentModelInputSince(from);
}

describe('memory across services: a session belongs to the caller that started it', () => {
  it('gives key B nothing of key A delegating with the same user_id and session_id (/delegate)', async () => {
    const session = { user_id: 'u', session_id: 's' };
    await asTenant(KEY_A, '/api/v1/agent/delegate', {
      task: 'Remember operation marmalade for me',
      ...session,
    });

    const seenByB = await asTenant(KEY_B, '/api/v1/agent/delegate', {
      task: 'What did I ask you before?',
      ...session,
    });
    expect(seenByB).toContain('What did I ask you before?');
    expect(seenByB).not.toMatch(/marmalade/);

    // A's own session still has its turn: the memory works, it is only not shared.
    const seenByA = await asTenant(KEY_A, '/api/v1/agent/delegate', {
      task: 'And now?',
      ...session,
    });
    expect(seenByA).toMatch(/marmalade/);
  });

  it('gives key B nothing of key A delegating with the same user_id and session_id (delegate_to_subagent tool)', async () => {
    const session = { user_id: 'u2', session_id: 's2' };
    const seenForA = await asTenant(KEY_A, '/api/v1/agent/execute', {
      task: 'Delegate to the sub-agent: remember operation quince',
      ...session,
    });
    expect(seenForA).toMatch(/quince/);

    const seenByB = await asTenant(KEY_B, '/api/v1/agent/execute', {
      task: 'Delegate to the sub-agent: what did I ask?',
      ...session,
    });
    expect(seenByB).toMatch(/what did I ask/);
    expect(seenByB).not.toMatch(/quince/);
  });

  it('keeps a direct client of the sub-agent out of the tenants of the agent, even when it names one', async () => {
    const session = { user_id: 'u3', session_id: 's3' };
    await asTenant(KEY_A, '/api/v1/agent/delegate', {
      task: 'Remember operation persimmon',
      ...session,
    });
    const tenantA = clientIdOf(KEY_A);

    const from = subAgentModel.requests.length;
    await request(subAgent.url)
      .post('/api/v1/execute')
      .set('Authorization', `Bearer ${OTHER_KEY_AT_SUB_AGENT}`)
      .set('X-On-Behalf-Of', tenantA)
      .send({ task: 'What did I ask you before?', ...session })
      .expect(200);
    expect(subAgentModelInputSince(from)).not.toMatch(/persimmon/);
  });

  it('answers 400 invalid_request for an X-On-Behalf-Of that is not an identifier', async () => {
    const response = await request(subAgent.url)
      .post('/api/v1/execute')
      .set('Authorization', `Bearer ${OTHER_KEY_AT_SUB_AGENT}`)
      .set('X-On-Behalf-Of', 'not an <identifier>')
      .send({ task: 'anything' })
      .expect(400);
    expect(response.body.error).toEqual({
      code: 'invalid_request',
      message: expect.stringMatching(/X-On-Behalf-Of/),
    });
  });
});

describe('what the agent tells the sub-agent about its caller', () => {
  it('delegates for a tenant named with the longest X-On-Behalf-Of, its scope passed on as a digest', async () => {
    const sniffer = await startSniffingSubAgent();
    const sniffedAgent = await spawnService({
      env: { OTEL_TRACES_EXPORTER: 'none', AGENT_API_KEYS: KEY_A, SUB_AGENT_URL: sniffer.url },
    });
    const delegateFor = (url: string, tenant: string) =>
      request(url)
        .post('/api/v1/agent/delegate')
        .set('Authorization', `Bearer ${KEY_A}`)
        .set('X-On-Behalf-Of', tenant)
        .send({ task: 'anything' });
    try {
      // Before: 502 subagent_failed, the sub-agent refusing the 277 characters of the scope.
      await delegateFor(agent.url, 'a'.repeat(256)).expect(200);

      await delegateFor(sniffedAgent.url, 'a'.repeat(256)).expect(200);
      await delegateFor(sniffedAgent.url, 'b'.repeat(256)).expect(200);
      const [first, second] = sniffer.requests.map((headers) => headers['x-on-behalf-of']);
      expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(second).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(first).not.toBe(second);
    } finally {
      await sniffedAgent.stop();
      await sniffer.close();
    }
  });

  it('sends X-On-Behalf-Of with the caller id, never the key, on both delegation paths', async () => {
    const sniffer = await startSniffingSubAgent();
    const sniffedAgent = await spawnService({
      env: { OTEL_TRACES_EXPORTER: 'none', AGENT_API_KEYS: KEY_A, SUB_AGENT_URL: sniffer.url },
    });
    const asA = (path: string, task: string) =>
      request(sniffedAgent.url).post(path).set('X-API-Key', KEY_A).send({ task }).expect(200);
    try {
      await asA('/api/v1/agent/delegate', 'anything');
      await asA('/api/v1/agent/execute', 'Delegate to the sub-agent: anything');

      expect(sniffer.requests.map((headers) => headers['x-on-behalf-of'])).toEqual([
        clientIdOf(KEY_A),
        clientIdOf(KEY_A),
      ]);
      expect(JSON.stringify(sniffer.requests)).not.toContain(KEY_A);
    } finally {
      await sniffedAgent.stop();
      await sniffer.close();
    }
  });
});

describe('content capture across services: an agent that records none keeps its sub-agent from recording any', () => {
  let receiver: OtlpReceiver;
  let capturingSubAgent: SpawnedService;
  let discreetAgent: SpawnedService;
  const withOtlp = (serviceName: string, env: Record<string, string> = {}) => ({
    OTEL_SERVICE_NAME: serviceName,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '50',
    ...env,
  });
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    capturingSubAgent = await spawnService({
      entry: 'dist/subagent/server.js',
      register: 'dist/subagent/register.js',
      env: withOtlp('sub-agent-service', {
        OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
      }),
    });
    discreetAgent = await spawnService({
      env: withOtlp('agent-service', { SUB_AGENT_URL: capturingSubAgent.url }),
    });
  });
  afterAll(async () => {
    await discreetAgent.stop();
    await capturingSubAgent.stop();
    await receiver.stop();
  });

  const traceOf = (traceId: string, services: string[]) =>
    completeTraceOf(receiver, traceId, services);
  const everythingRecorded = (spans: ReceivedSpan[]) =>
    JSON.stringify(
      spans.map((span) => [span.attributes, span.events.map((event) => event.attributes)]),
    );

  it('records the task on the sub-agent when it is called directly (its own capture is on)', async () => {
    const response = await request(capturingSubAgent.url)
      .post('/api/v1/execute')
      .send({ task: 'Search for the wombat plan' })
      .expect(200);
    const spans = await traceOf(response.body.trace_id, ['sub-agent-service']);
    expect(everythingRecorded(spans)).toContain('wombat plan');
  });

  it.each([
    ['POST /api/v1/agent/delegate', '/api/v1/agent/delegate', 'Search for the quokka plan'],
    [
      'the delegate_to_subagent tool',
      '/api/v1/agent/execute',
      'Delegate to the sub-agent: search for the quokka plan',
    ],
  ])(
    'records no delegated task text on any sub-agent span, through %s',
    async (_path, path, task) => {
      const response = await request(discreetAgent.url).post(path).send({ task }).expect(200);
      const spans = await traceOf(response.body.trace_id, ['agent-service', 'sub-agent-service']);
      const subAgentSpans = spans.filter((span) => span.serviceName === 'sub-agent-service');
      expect(subAgentSpans.map((span) => span.name)).toContain('agent.task');
      for (const span of subAgentSpans) {
        expect(
          Object.keys(span.attributes).filter((key) =>
            /^gen_ai\.(input|output|system|tool\.call\.(arguments|result))/.test(key),
          ),
        ).toEqual([]);
      }
      expect(everythingRecorded(spans)).not.toMatch(/quokka/);
    },
  );
});
