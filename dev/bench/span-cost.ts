/**
 * `node dist-dev/dev/bench/span-cost.js <otlp-endpoint> <spans>`: the cost of one span, measured
 * alone in its own process: create it, set the attributes an `llm.generate` span carries, end it,
 * and export it over OTLP/gRPC through the batch processor. Prints one JSON line.
 */
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  TracerProvider,
  BatchSpanProcessor,
  NoopSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';

const BATCH = 512;

function makeSpans(count: number, processor: SpanProcessor) {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'span-cost' }),
    spanProcessors: [processor],
  });
  const tracer = provider.getTracer('span-cost');
  return {
    provider,
    async run(): Promise<{ wallMs: number; cpuMs: number }> {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      for (let made = 0; made < count; made += BATCH) {
        for (let index = made; index < Math.min(count, made + BATCH); index += 1) {
          const span = tracer.startSpan('llm.generate', {
            attributes: {
              'gen_ai.operation.name': 'generate_content',
              'gen_ai.provider.name': 'gcp.gemini',
              'gen_ai.request.model': 'gemini-2.0-flash',
              'agent.step.number': 1,
              'server.address': '127.0.0.1',
              'server.port': 8090,
            },
          });
          span.setAttributes({
            'gen_ai.response.model': 'gemini-2.0-flash',
            'gen_ai.response.id': `response-${index}`,
            'gen_ai.response.finish_reasons': ['STOP'],
            'gen_ai.usage.input_tokens': 1200,
            'gen_ai.usage.output_tokens': 80,
          });
          span.end();
        }
        // One batch at a time, so the bounded queue never drops: every span is really exported.
        await provider.forceFlush();
      }
      const cpu = process.cpuUsage(cpuBefore);
      return { wallMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 };
    },
  };
}

async function main(): Promise<void> {
  const [endpoint, countArgument] = process.argv.slice(2);
  const count = Number(countArgument ?? 20_000);
  // Warm up both paths, so the JIT is measured warm, as in a running service.
  await makeSpans(2_000, new NoopSpanProcessor()).run();
  const withoutExport = await makeSpans(count, new NoopSpanProcessor()).run();
  const exporting = makeSpans(
    count,
    new BatchSpanProcessor({
      exporter: new OTLPTraceExporter({ url: endpoint }),
      maxExportBatchSize: BATCH,
    }),
  );
  await makeSpans(
    2_000,
    new BatchSpanProcessor({
      exporter: new OTLPTraceExporter({ url: endpoint }),
      maxExportBatchSize: BATCH,
    }),
  ).run();
  const withExport = await exporting.run();
  await exporting.provider.shutdown();
  trace.disable();
  const perSpanUs = (ms: number) => Math.round((ms * 1000 * 100) / count) / 100;
  process.stdout.write(
    `${JSON.stringify({
      spans: count,
      createSetEnd: {
        wallUsPerSpan: perSpanUs(withoutExport.wallMs),
        cpuUsPerSpan: perSpanUs(withoutExport.cpuMs),
      },
      withOtlpExport: {
        wallUsPerSpan: perSpanUs(withExport.wallMs),
        cpuUsPerSpan: perSpanUs(withExport.cpuMs),
      },
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`span-cost failed: ${(error as Error).message}\n`);
  process.exit(1);
});
