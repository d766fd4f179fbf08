import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../dev/otlp/receiver';
import { isCompleteTrace } from '../../dev/otlp/received-trace';
import { differencesFromFixture, type ConventionsFixture } from '../support/conventions-fixture';
import { ROOT, spawnService, stopAllServices } from '../support/spawn-service';

/**
 * The whole span tree of one tool-calling, delegating run of the three services, in each
 * naming mode, against a fixture written from the conventions' YAML definitions
 * (test/fixtures/genai-conventions/, which records the repository, version and commit of each
 * file read). Content capture is on, so the opt-in content attributes are checked too.
 */

const AGENT = 'agent-service';
const TOOLS = 'tool-service';
const SUB_AGENT = 'sub-agent-service';
/** Offline, the emulator's planner asks for the calculator, the MCP tool and the sub-agent at once. */
const TASK =
  'Calculate 6 * 7, convert 100 km to mi, and delegate to the sub-agent the search for B3 headers. My password=hunter2';

const readFixture = (mode: string): ConventionsFixture =>
  JSON.parse(
    readFileSync(path.join(ROOT, 'test/fixtures/genai-conventions', `${mode}.json`), 'utf8'),
  ) as ConventionsFixture;

let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await stopAllServices();
  await receiver?.stop();
});

describe.each(['workshop', 'latest'])('in the %s naming mode', (mode) => {
  const fixture = readFixture(mode);
  let spans: ReceivedSpan[];

  beforeAll(async () => {
    const env = (serviceName: string) => ({
      OTEL_SERVICE_NAME: serviceName,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
      ...fixture.env,
    });
    const [tools, subAgent] = await Promise.all([
      spawnService({
        entry: 'dist/toolservice/server.js',
        register: 'dist/toolservice/register.js',
        env: env(TOOLS),
      }),
      spawnService({
        entry: 'dist/subagent/server.js',
        register: 'dist/subagent/register.js',
        env: env(SUB_AGENT),
      }),
    ]);
    const agent = await spawnService({
      env: { ...env(AGENT), MCP_SERVER_URL: `${tools.url}/mcp`, SUB_AGENT_URL: subAgent.url },
    });
    const until = Date.now() + 15_000;
    while (!agent.output().includes('MCP server connected') && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 20));

    const response = await request(agent.url)
      .post('/api/v1/agent/execute')
      .send({ task: TASK, user_id: 'ana', session_id: 'session-1' });
    expect(response.status).toBe(200);
    const traceId = response.headers['x-trace-id']!;
    const received = await receiver.waitFor(
      (all) =>
        isCompleteTrace(
          all.filter((span) => span.traceId === traceId),
          [AGENT, TOOLS, SUB_AGENT],
        ),
      { description: `trace ${traceId} from the three services` },
    );
    // SIGTERM flushes what is still on its way; the agent first, as the others' client.
    await agent.stop('SIGTERM');
    await Promise.all([tools.stop('SIGTERM'), subAgent.stop('SIGTERM')]);
    spans = receiver.spans.filter((span) => span.traceId === traceId);
    expect(received.length).toBeGreaterThan(0);
  }, 60_000);

  it('has the span tree, names, kinds and attributes its fixture says', () => {
    expect(differencesFromFixture(spans, fixture)).toEqual([]);
  });

  it('redacts secrets in the content it records', () => {
    const everything = JSON.stringify(spans.map((span) => span.attributes));
    expect(everything).toContain('[REDACTED]');
    expect(everything).not.toContain('hunter2');
  });
});
