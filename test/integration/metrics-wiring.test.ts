import request from 'supertest';
import { startOtlpReceiver } from '../../dev/otlp/receiver';
import { parsePrometheusText, sumOf } from '../support/prometheus-text';
import {
  freePort,
  spawnService,
  stopAllServices,
  type SpawnedService,
} from '../support/spawn-service';
import { until } from '../support/until';

/** Metrics where processes meet: the MCP tool service and its caller, and the SDK switched off. */
afterAll(() => stopAllServices());

const prometheusOn = (port: number) => ({
  OTEL_TRACES_EXPORTER: 'none',
  OTEL_METRICS_EXPORTER: 'prometheus',
  OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
  OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
});
const scrape = async (port: number) =>
  parsePrometheusText(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());

describe('MCP operation durations', () => {
  let tools: SpawnedService;
  let agent: SpawnedService;
  let toolsMetrics: number;
  let agentMetrics: number;
  beforeAll(async () => {
    [toolsMetrics, agentMetrics] = [await freePort(), await freePort()];
    tools = await spawnService({
      entry: 'dist/toolservice/server.js',
      register: 'dist/toolservice/register.js',
      env: prometheusOn(toolsMetrics),
    });
    agent = await spawnService({
      env: { ...prometheusOn(agentMetrics), MCP_SERVER_URL: `${tools.url}/mcp` },
    });
    await until(
      () => agent.output().includes('MCP server connected'),
      'the agent to list the MCP tools',
      20_000,
    );
  });

  it('are observed once per tools/call, on the agent (client) and on the tool service (server)', async () => {
    const answer = await request(agent.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'Convert 100 km to mi' })
      .expect(200);
    expect(answer.body.steps[0].tools_called).toEqual(['convert_units']);

    const call = {
      mcp_method_name: 'tools/call',
      gen_ai_tool_name: 'convert_units',
      gen_ai_operation_name: 'execute_tool',
    };
    const client = await scrape(agentMetrics);
    expect(sumOf(client, 'mcp_client_operation_duration_count', call)).toBe(1);
    expect(sumOf(client, 'mcp_server_operation_duration_count')).toBe(0);
    const server = await scrape(toolsMetrics);
    expect(sumOf(server, 'mcp_server_operation_duration_count', call)).toBe(1);
    expect(sumOf(server, 'mcp_client_operation_duration_count')).toBe(0);
  });
});

it('exports no metrics with OTEL_SDK_DISABLED=true: no Prometheus port, nothing over OTLP, even at shutdown', async () => {
  const receiver = await startOtlpReceiver({ transport: 'http' });
  const metricsPort = await freePort();
  const service = await spawnService({
    env: {
      ...prometheusOn(metricsPort),
      OTEL_SDK_DISABLED: 'true',
      OTEL_METRICS_EXPORTER: 'prometheus,otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_METRIC_EXPORT_INTERVAL: '50',
    },
  });
  try {
    await request(service.url)
      .post('/api/v1/agent/execute')
      .send({ task: 'Calculate 2 + 2' })
      .expect(200);
    await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow();
    // With the SDK on, shutdown would flush the metrics recorded so far.
    expect(await service.stop('SIGTERM')).toBe(0);
    expect(receiver.requests).toEqual([]);
  } finally {
    await service.stop();
    await receiver.stop();
  }
});
