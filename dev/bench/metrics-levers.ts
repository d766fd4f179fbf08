/**
 * What metrics cost a request, measured directly: the metric records of the benchmark's request
 * (two model calls with their tokens and cost, one tool call, the run, and the http instrumentation's
 * `http.server.request.duration`) made through the SDK with a Prometheus reader, against the same
 * records through a no-op meter (metrics off). The benchmark's throughput ratio moves by more than
 * this between rounds on a busy two-core machine; CPU time per request does not.
 */
import { createNoopMeter, type Meter } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { AgentMetrics } from '../../src/tracing/agent-metrics';
import { cpuUsPer, type Contender } from './paired-rounds';

const MODEL = { providerName: 'gcp.gemini', requestModel: 'gemini-2.0-flash' };
const HTTP_ATTRIBUTES = {
  'http.request.method': 'POST',
  'http.route': '/api/v1/agent/execute',
  'http.response.status_code': 200,
  'url.scheme': 'http',
  'network.protocol.version': '1.1',
};

/** The records one benchmark request makes, through `meter`. */
function requestRecorder(meter: Meter): () => void {
  const agentMetrics = new AgentMetrics(meter);
  const httpDuration = meter.createHistogram('http.server.request.duration', { unit: 's' });
  return () => {
    for (let call = 0; call < 2; call += 1) {
      agentMetrics.recordModelCall(MODEL, 0.012, {});
      agentMetrics.recordModelUsage(MODEL, { inputTokens: 120, outputTokens: 30 }, 0.000021);
    }
    agentMetrics.recordToolCall({ toolName: 'calculator', toolType: 'function' }, 0.001, {});
    agentMetrics.recordRun(0.031, {
      agentName: 'agent-service',
      requestModel: MODEL.requestModel,
      stoppedReason: 'completed',
    });
    httpDuration.record(0.033, HTTP_ATTRIBUTES);
  };
}

function contender(name: string, meter: Meter, requests: number): Contender {
  const recordRequest = requestRecorder(meter);
  return {
    name,
    round: () =>
      cpuUsPer(requests, () => {
        for (let request = 0; request < requests; request += 1) recordRequest();
      }),
  };
}

/** Metrics off first (the reference), then on: the paired difference is their cost per request. */
export function metricsContenders(requests: number): Contender[] {
  const provider = new MeterProvider({
    readers: [new PrometheusExporter({ preventServerStart: true })],
  });
  return [
    contender('Metrics off (no-op meter)', createNoopMeter(), requests),
    contender('Metrics on (SDK, Prometheus reader)', provider.getMeter('traced-agent'), requests),
  ];
}
