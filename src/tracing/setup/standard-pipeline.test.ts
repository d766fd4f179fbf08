import { ROOT_CONTEXT } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { AGENT_SERVICE_DEFAULTS } from '../../service-defaults';
import { RateLimitedLog } from './exporter-log';
import { pipelineFromEnvironment } from './standard-pipeline';
import { loadTracingConfig } from './tracing-config';

/** The pipeline of `npm start`: no OTLP endpoint, so the console's tree printer. */
function consolePipeline() {
  const config = loadTracingConfig({ OTEL_METRICS_EXPORTER: 'none' }, AGENT_SERVICE_DEFAULTS);
  return pipelineFromEnvironment(config, { log: new RateLimitedLog(), serviceVersion: '0.1.0' });
}

describe('the pipeline of the OTEL_* variables', () => {
  it("prints each trace's tree as soon as its root ends, not after a batch's delay", async () => {
    const written: string[] = [];
    const write = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((text: string | Uint8Array) => written.push(String(text)) > 0);
    const provider = new TracerProvider({ spanProcessors: consolePipeline().exportingProcessors });
    try {
      const root = provider
        .getTracer('test')
        .startSpan('POST /api/v1/agent/execute', {}, ROOT_CONTEXT);
      root.end();
      expect(written.join('')).toContain(`Trace ${root.spanContext().traceId}\n`);
    } finally {
      await provider.shutdown();
      write.mockRestore();
    }
  });
});
