import request from 'supertest';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../dev/otlp/receiver';
import { startGeminiEmulator, type GeminiEmulator } from '../../src/emulator/emulator-server';
import { GEMINI_SDKS } from '../../src/models/gemini-sdk';
import { readSpansPage, type SpanSelector, type TableRow } from '../support/span-doc-table';
import { ROOT, spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';

/**
 * The span table of docs/spans.md against the spans real processes export: every attribute and
 * event it lists is on the span it names, and every attribute and event on our own spans is in it.
 * The test reads the table itself, so a new row is checked as soon as it is written.
 */

const table = readSpansPage(ROOT);

/**
 * Listed in the table but not produced by these services as they are: each says why, and the test
 * checks that it is indeed absent, so the note cannot outlive its reason.
 */
const NOT_PRODUCED_HERE: Record<string, string> = {
  'mcp.session.id': 'our tool service is stateless: it gives no MCP session id',
  'llm.streamed': 'only a streamed call has it: test/integration/agent-stream.test.ts checks it',
  'llm.stream.chunks': 'only a streamed call has it: test/integration/agent-stream.test.ts',
  'llm.time_to_first_chunk_ms':
    'only a streamed call has it: test/integration/agent-stream.test.ts',
};

// ---- The spans, from real processes ----

const AGENT = 'agent-service';
const TOOLS = 'tool-service';
const SUB_AGENT = 'sub-agent-service';
const OUR_SPAN =
  /^(agent\.task|llm\.generate|agent\.step\..+|tool\..+|memory\..+|agent\.delegate|tools\/call .+)$/;

let receiver: OtlpReceiver;
let emulator: GeminiEmulator;
/** Every span of the traces the requests below made, once every service has flushed. */
let spans: ReceivedSpan[];

const tracingEnv = (serviceName: string) => ({
  OTEL_SERVICE_NAME: serviceName,
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
  OTEL_BSP_SCHEDULE_DELAY: '50',
});

async function waitFor(condition: () => boolean, description: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const call = (name: string, args: Record<string, unknown>) => ({
  functionCall: { name, args },
});

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  emulator = await startGeminiEmulator();
});
afterAll(async () => {
  await emulator?.close();
  await receiver?.stop();
});

// ---- Which spans a row is about ----

const isOurs = (span: ReceivedSpan) => OUR_SPAN.test(span.name);
const failed = (span: ReceivedSpan) => span.status.code === 'ERROR';
const isRoot = (span: ReceivedSpan) => span.parentSpanId === '';

function rowIsAbout(row: TableRow, span: ReceivedSpan): boolean {
  switch (row.spans.kind) {
    case 'named':
      return row.spans.patterns.some((pattern) => pattern.test(span.name));
    case 'every':
      return true;
    case 'failed':
      return failed(span);
    case 'root':
      return isRoot(span);
  }
}

const describeRow = (spans: SpanSelector) =>
  spans.kind === 'named' ? spans.label : `${spans.kind} span(s)`;

/** The same services and the same run through each SDK: the table holds for both. */
describe.each(GEMINI_SDKS)('through @google/%s', (sdk) => {
  beforeAll(async () => {
    const requestsBefore = emulator.requests.length;
    const [tools, subAgent] = await Promise.all([
      spawnService({
        entry: 'dist/toolservice/server.js',
        register: 'dist/toolservice/register.js',
        env: tracingEnv(TOOLS),
      }),
      // The sub-agent answers with its own in-process emulator: the script below is the agent's.
      spawnService({
        entry: 'dist/subagent/server.js',
        register: 'dist/subagent/register.js',
        env: { ...tracingEnv(SUB_AGENT), GEMINI_SDK: sdk },
      }),
    ]);
    const [agent, adaptiveAgent] = await Promise.all([
      spawnService({
        env: {
          ...tracingEnv(AGENT),
          GEMINI_API_KEY: 'AIzaSy-span-table-test-key-0123456789',
          GEMINI_BASE_URL: emulator.url,
          MCP_SERVER_URL: `${tools.url}/mcp`,
          SUB_AGENT_URL: subAgent.url,
          GEMINI_SDK: sdk,
        },
      }),
      // The adaptive sampler's attribute on the root; and the content attributes, recorded on demand.
      spawnService({
        env: {
          ...tracingEnv(AGENT),
          OTEL_TRACES_SAMPLER: 'adaptive',
          OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
          GEMINI_SDK: sdk,
        },
      }),
    ]);
    await waitFor(
      () => agent.output().includes('MCP server connected'),
      'the agent to list MCP tools',
    );

    // One run with all that can happen in it: a retried model call; one step with a working tool,
    // a failing one, one that does not exist, an MCP tool that works and one that fails, and a
    // delegation; then, inside that step, a function call the model could not form (its event
    // belongs on agent.task all the same), and the answer.
    emulator.enqueue(
      { kind: 'error', status: 503, headers: { 'retry-after': '0' } },
      {
        kind: 'turn',
        parts: [
          call('calculator', { expression: '6 * 7' }),
          call('calculator', { expression: '1 / 0' }),
          call('rm_rf', {}),
          call('convert_units', { value: 100, from_unit: 'km', to_unit: 'mi' }),
          call('convert_units', { value: 1, from_unit: 'kg', to_unit: 'km' }),
          call('delegate_to_subagent', { task: 'Search the knowledge base for B3 headers' }),
        ],
      },
      { kind: 'turn', parts: [], finishReason: 'MALFORMED_FUNCTION_CALL' },
      { kind: 'turn', parts: [{ text: 'All done.' }] },
    );
    const identity = { user_id: 'ana', session_id: 'session-1' };
    const responses = await Promise.all([
      request(agent.url)
        .post('/api/v1/agent/execute')
        .send({ task: 'Do everything', ...identity }),
      request(agent.url)
        .post('/api/v1/agent/delegate')
        .send({ task: 'Search the knowledge base for B3 headers', ...identity }),
      request(adaptiveAgent.url)
        .post('/api/v1/agent/execute')
        .send({ task: 'Calculate 2 + 2', ...identity }),
    ]);
    // The user's memory erased, on the agent that captures content.
    responses.push(
      await request(adaptiveAgent.url).delete('/api/v1/memory?user_id=ana&session_id=session-1'),
    );
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    const traceIds = new Set(responses.map((response) => response.headers['x-trace-id']!));
    // Feedback on the run of the agent that captures content, so the comment is recorded too.
    const feedback = await request(adaptiveAgent.url).post('/api/v1/agent/feedback').send({
      trace_id: responses[2]!.body.trace_id,
      score: 1,
      label: 'helpful',
      comment: 'Right.',
    });
    expect(feedback.status).toBe(201);

    // SIGTERM flushes every span, so nothing is still on its way when the assertions run. The
    // agents stop first: they are the tool service's and the sub-agent's clients.
    const stop = (services: SpawnedService[]) =>
      Promise.all(services.map((service) => service.stop('SIGTERM')));
    const exitCodes = [...(await stop([agent, adaptiveAgent])), ...(await stop([tools, subAgent]))];
    expect(exitCodes).toEqual([0, 0, 0, 0]);
    spans = receiver.spans.filter((span) => traceIds.has(span.traceId));
    // The agent called the model through this SDK, and no other.
    const dialects = emulator.requests.slice(requestsBefore).map((recorded) => recorded.dialect);
    expect(new Set(dialects)).toEqual(new Set([sdk]));
  }, 60_000);

  afterAll(() => stopAllServices());

  describe("docs/spans.md's span table", () => {
    it('is found and read: rows for each of our spans, and the content attributes', () => {
      expect(table.rows.length).toBeGreaterThan(10);
      const labels = new Set(table.rows.map((row) => describeRow(row.spans)));
      for (const name of ['agent.task', 'llm.generate', 'agent.step.reasoning', 'agent.delegate'])
        expect(labels).toContain(name);
      expect(table.content).toContain('gen_ai.input.messages');
    });

    it('lists only attributes and events that are on the spans it names', () => {
      const missing: string[] = [];
      for (const row of table.rows) {
        const about = spans.filter((span) => rowIsAbout(row, span));
        const where = describeRow(row.spans);
        if (about.length === 0) {
          missing.push(`no ${where} span was exported`);
          continue;
        }
        for (const attribute of row.attributes) {
          if (attribute in NOT_PRODUCED_HERE) continue;
          const has = (span: ReceivedSpan) => attribute in span.attributes;
          // "every span" means every one, of every service; any other row, at least one.
          const present = row.spans.kind === 'every' ? about.every(has) : about.some(has);
          if (!present) {
            const without = about.filter((span) => !has(span)).map((span) => span.name);
            missing.push(`${attribute} on ${where} (not on: ${[...new Set(without)].join(', ')})`);
          }
        }
        for (const event of row.events) {
          const found = about.flatMap((span) => span.events.filter((e) => e.name === event.name));
          if (found.length === 0) missing.push(`event ${event.name} on ${where}`);
          for (const attribute of event.attributes)
            if (found.length > 0 && !found.some((one) => attribute in one.attributes))
              missing.push(`${attribute} on event ${event.name} of ${where}`);
        }
      }
      expect(missing).toEqual([]);
    });

    it('documents every attribute and event on our own spans, on the span it is on', () => {
      const documented = (span: ReceivedSpan) => {
        const rows = table.rows.filter((row) => rowIsAbout(row, span));
        return {
          attributes: new Set([...rows.flatMap((row) => row.attributes), ...table.content]),
          events: rows.flatMap((row) => row.events),
        };
      };
      const undocumented = new Set<string>();
      for (const span of spans.filter(isOurs)) {
        const { attributes, events } = documented(span);
        for (const key of Object.keys(span.attributes))
          if (!attributes.has(key)) undocumented.add(`${key} on ${span.name}`);
        for (const event of span.events) {
          const rows = events.filter((one) => one.name === event.name);
          if (rows.length === 0) undocumented.add(`event ${event.name} on ${span.name}`);
          for (const key of Object.keys(event.attributes))
            if (rows.length > 0 && !rows.some((one) => one.attributes.includes(key)))
              undocumented.add(`${key} on event ${event.name} of ${span.name}`);
        }
      }
      expect([...undocumented]).toEqual([]);
    });

    it('lists content attributes that are recorded when content capture is on', () => {
      const recorded = new Set(
        spans.filter(isOurs).flatMap((span) => Object.keys(span.attributes)),
      );
      expect(table.content.filter((attribute) => !recorded.has(attribute))).toEqual([]);
    });

    it('says why each attribute it lists but these services do not produce is absent', () => {
      for (const attribute of Object.keys(NOT_PRODUCED_HERE)) {
        expect(table.rows.some((row) => row.attributes.includes(attribute))).toBe(true);
        expect(spans.filter((span) => attribute in span.attributes)).toEqual([]);
      }
    });
  });

  describe('the run that exercised the table', () => {
    it('covered what the table describes: retries, corrections, tools of every kind, delegation, memory', () => {
      const names = new Set(spans.map((span) => span.name));
      for (const name of [
        'tool.calculator',
        'tool.unknown',
        'tool.convert_units',
        'tool.delegate_to_subagent',
        'tools/call convert_units',
        'agent.delegate',
        'memory.read',
        'memory.search',
        'memory.write',
        'memory.erase',
        'agent.step.reasoning',
      ])
        expect(names).toContain(name);
      const services = new Set(spans.map((span) => span.serviceName));
      expect(services).toEqual(new Set([AGENT, TOOLS, SUB_AGENT]));
      const events = new Set(spans.flatMap((span) => span.events.map((event) => event.name)));
      for (const name of ['llm.retry', 'agent.malformed_function_call', 'agent.finished'])
        expect(events).toContain(name);
    });
  });
});
