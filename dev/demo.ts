/**
 * `npm run demo`: the multi-service demo without Docker. Starts the sub-agent, the MCP tool
 * service and the agent as three processes on free loopback ports, wired like
 * docker-compose.tracing.yml (with 127.0.0.1 for the hosts), receives their spans over OTLP/gRPC
 * here in Jaeger's place, sends a few tasks, and prints each answer and its cross-service trace as
 * one tree. `npm run demo -- --attributes` shows each span's attributes under it (`gen_ai.*`,
 * `correlation.id`, `host.name`, ...).
 */
import { renderTraceTree } from '../src/tracing/export/render-trace-tree';
import { startOtlpReceiver, type OtlpReceiver } from './otlp/receiver';
import { isCompleteTrace, receivedToTreeSpan } from './otlp/received-trace';
import {
  spawnService,
  stopAllServices,
  waitForMcpTools,
  type SpawnedService,
} from './process/spawn-service';

const AGENT = 'agent-service';
const SUB_AGENT = 'sub-agent-service';
const TOOLS = 'tool-service';

interface DemoTask {
  title: string;
  path: string;
  body: Record<string, unknown>;
  services: string[];
}

const TASKS: DemoTask[] = [
  {
    title: 'A task that uses two tools at once',
    path: '/api/v1/agent/execute',
    body: {
      task: 'Calculate 17 * 23 and search the knowledge base for context propagation',
      user_id: 'ana',
      session_id: 'demo',
    },
    services: [AGENT],
  },
  {
    title: 'A task the agent delegates to the sub-agent (the delegate_to_subagent tool)',
    path: '/api/v1/agent/execute',
    body: { task: 'Delegate to the sub-agent: what is tail sampling?', user_id: 'ana' },
    services: [AGENT, SUB_AGENT],
  },
  {
    title:
      'Three services in one trace: convert_units on the MCP tool service, beside a delegation to the sub-agent',
    path: '/api/v1/agent/execute',
    body: {
      task: 'Convert 100 km to mi and delegate to the sub-agent: what is tail sampling?',
      user_id: 'ana',
    },
    services: [AGENT, SUB_AGENT, TOOLS],
  },
  {
    title: 'The workshop endpoint, POST /api/v1/agent/delegate',
    path: '/api/v1/agent/delegate',
    body: { task: 'Search the knowledge base for B3 headers', user_id: 'ana' },
    services: [AGENT, SUB_AGENT],
  },
  {
    title:
      'A task that fails on purpose (division by zero: the tool fails, the agent answers anyway)',
    path: '/api/v1/agent/execute',
    body: { task: 'Calculate 1 / 0', user_id: 'ana' },
    services: [AGENT],
  },
];

const print = (text = '') => process.stdout.write(`${text}\n`);
const showAttributes = process.argv.includes('--attributes');

function tracingEnv(receiver: OtlpReceiver, serviceName: string): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: serviceName,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '100',
  };
}

async function runTask(
  agent: SpawnedService,
  receiver: OtlpReceiver,
  task: DemoTask,
  index: number,
): Promise<void> {
  print(`── ${index + 1}. ${task.title}`);
  print(`→ POST ${task.path} ${JSON.stringify(task.body)}`);
  const started = performance.now();
  const response = await fetch(`${agent.url}${task.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-correlation-id': `demo-${index + 1}` },
    body: JSON.stringify(task.body),
  });
  const answer = (await response.json()) as {
    response?: string;
    steps?: unknown;
    trace_id?: string;
    error?: unknown;
  };
  print(`← ${response.status} in ${Math.round(performance.now() - started)} ms`);
  print(
    answer.response ? `  ${answer.response.replace(/\n/g, '\n  ')}` : `  ${JSON.stringify(answer)}`,
  );
  const traceId = answer.trace_id ?? response.headers.get('x-trace-id');
  if (!traceId) throw new Error('the response carries no trace id');
  const spans = await receiver.waitFor(
    (received) =>
      isCompleteTrace(
        received.filter((span) => span.traceId === traceId),
        task.services,
      ),
    {
      description: `the whole trace ${traceId}`,
    },
  );
  const trace = spans.filter((span) => span.traceId === traceId);
  print();
  print(
    renderTraceTree(trace.map(receivedToTreeSpan), {
      traceId,
      showService: true,
      width: 100,
      showAttributes,
    }),
  );
  print();
}

async function main(): Promise<void> {
  const started = performance.now();
  const receiver = await startOtlpReceiver();
  print(`OTLP/gRPC receiver (in Jaeger's place) on ${receiver.endpoint}`);
  try {
    const subAgent = await spawnService({
      entry: 'dist/subagent/server.js',
      register: 'dist/subagent/register.js',
      env: tracingEnv(receiver, SUB_AGENT),
    });
    print(`${SUB_AGENT} on ${subAgent.url}`);
    const tools = await spawnService({
      entry: 'dist/toolservice/server.js',
      register: 'dist/toolservice/register.js',
      env: tracingEnv(receiver, TOOLS),
    });
    print(`${TOOLS} on ${tools.url} (MCP at /mcp)`);
    const mcpUrl = `${tools.url}/mcp`;
    const agent = await spawnService({
      env: { ...tracingEnv(receiver, AGENT), SUB_AGENT_URL: subAgent.url, MCP_SERVER_URL: mcpUrl },
    });
    print(`${AGENT} on ${agent.url} (SUB_AGENT_URL=${subAgent.url}, MCP_SERVER_URL=${mcpUrl})`);
    await waitForMcpTools(agent);
    print();
    for (const [index, task] of TASKS.entries()) await runTask(agent, receiver, task, index);

    const codes = [
      await agent.stop('SIGTERM'),
      await subAgent.stop('SIGTERM'),
      await tools.stop('SIGTERM'),
    ];
    if (codes.some((code) => code !== 0))
      throw new Error(`a service did not exit cleanly (exit codes ${codes.join(', ')})`);
    print(
      `The three services stopped cleanly. ${receiver.spanCount} spans received in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    );
    print(
      'With Docker, the same topology runs in Jaeger: docker compose -f docker-compose.tracing.yml up --build',
    );
  } finally {
    await stopAllServices();
    await receiver.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
