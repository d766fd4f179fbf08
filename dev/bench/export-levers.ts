/**
 * `node dist-dev/dev/bench/export-levers.js <grpc-endpoint> <http-endpoint> <rounds> <spans> <batch>
 * <compression>`: export's configuration alternatives, per span, in a process of its own (the
 * receivers' CPU is not counted): spans with the 14 attributes of an enriched `llm.generate` span,
 * created, filled, ended and exported by one batch span processor per configuration, with the
 * service's own exporters: over OTLP/gRPC to the first endpoint, or over OTLP/HTTP (protobuf or
 * JSON) to the second. Prints one JSON line: the paired figures and the number of spans made.
 */
import { ROOT_CONTEXT, SpanKind, type Attributes } from '@opentelemetry/api';
import type { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { TracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { createOtlpTraceExporter } from '../../src/tracing/export/otlp-trace-exporter';
import type { OtlpProtocol } from '../../src/variables';
import { cpuUsPer, pairedRounds, type Contender } from './paired-rounds';

interface ExportConfiguration {
  name: string;
  /** `OTEL_EXPORTER_OTLP_PROTOCOL`. */
  protocol: OtlpProtocol;
  /** `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`; the queue holds at least four batches. */
  batchSize: number;
  /** `OTEL_EXPORTER_OTLP_COMPRESSION`. */
  compression: 'none' | 'gzip';
  /** Host, pid and version on every span (as the enriching processor does), or on the resource only. */
  staticOnSpans: boolean;
}

/** The service's configuration: the SDK's defaults, and the process metadata on every span. */
const REFERENCE: ExportConfiguration = {
  name: 'The service as configured (gRPC, batch 512, no compression, metadata on every span)',
  protocol: 'grpc',
  batchSize: 512,
  compression: 'none',
  staticOnSpans: true,
};

/** The reference first, then each alternative changing one thing of it. */
function exportConfigurations(options: {
  batchSize: number;
  compression: 'none' | 'gzip';
}): ExportConfiguration[] {
  return [
    REFERENCE,
    { ...REFERENCE, name: `Batch size ${options.batchSize}`, batchSize: options.batchSize },
    {
      ...REFERENCE,
      name: `Compression ${options.compression}`,
      compression: options.compression,
    },
    {
      ...REFERENCE,
      name: 'Host, pid and version on the resource only',
      staticOnSpans: false,
    },
    { ...REFERENCE, name: 'Protocol http/protobuf', protocol: 'http/protobuf' },
    { ...REFERENCE, name: 'Protocol http/json', protocol: 'http/json' },
  ];
}

const STATIC_ATTRIBUTES: Attributes = {
  'host.name': 'a3f9c2d1e0b7',
  'process.pid': 12_345,
  'service.version': '0.1.0',
};

const SPAN_ATTRIBUTES: Attributes = {
  'gen_ai.operation.name': 'generate_content',
  'gen_ai.provider.name': 'gcp.gemini',
  'gen_ai.request.model': 'gemini-2.5-flash',
  'agent.step.number': 0,
  'server.address': '127.0.0.1',
  'server.port': 8090,
  'correlation.id': 'c-0123456789',
  'user.id': 'ana',
  'gen_ai.usage.input_tokens': 12,
  'gen_ai.usage.output_tokens': 7,
  'gen_ai.response.finish_reasons': ['STOP'],
};

interface ExportContenders {
  contenders: Contender[];
  /** Spans ended so far, by every contender: what the receivers must have received together. */
  readonly spansMade: number;
  shutdown(): Promise<void>;
}

function exportContenders(
  configurations: readonly ExportConfiguration[],
  endpoints: { grpc: string; http: string },
  spans: number,
): ExportContenders {
  const providers = configurations.map((configuration) => {
    const resource = defaultResource().merge(
      resourceFromAttributes({
        'service.name': 'agent-service',
        'deployment.environment.name': 'development',
        ...(configuration.staticOnSpans ? { 'service.version': '0.1.0' } : STATIC_ATTRIBUTES),
      }),
    );
    const processor = new BatchSpanProcessor({
      exporter: createOtlpTraceExporter(configuration.protocol, {
        // Over HTTP a `url` given in code is used as it is: the exporter appends no path.
        url: configuration.protocol === 'grpc' ? endpoints.grpc : `${endpoints.http}/v1/traces`,
        compression: configuration.compression as CompressionAlgorithm,
      }),
      maxExportBatchSize: configuration.batchSize,
      maxQueueSize: Math.max(2_048, configuration.batchSize * 4),
    });
    return new TracerProvider({ resource, spanProcessors: [processor] });
  });
  let spansMade = 0;
  const contenders = configurations.map((configuration, index): Contender => {
    const provider = providers[index]!;
    const tracer = provider.getTracer('export-levers');
    return {
      name: configuration.name,
      round: () =>
        cpuUsPer(spans, async () => {
          // One batch at a time, then flushed: the bounded queue never drops a span, so every
          // span measured is really exported (spans made faster than the exporter sends them
          // would otherwise be dropped, and their export never paid for).
          for (let made = 0; made < spans; made += configuration.batchSize) {
            const batchEnd = Math.min(spans, made + configuration.batchSize);
            for (let index = made; index < batchEnd; index += 1) {
              const span = tracer.startSpan(
                'llm.generate',
                { kind: SpanKind.CLIENT },
                ROOT_CONTEXT,
              );
              if (configuration.staticOnSpans) span.setAttributes(STATIC_ATTRIBUTES);
              span.setAttributes(SPAN_ATTRIBUTES);
              span.end();
              spansMade += 1;
            }
            await provider.forceFlush();
          }
        }),
    };
  });
  return {
    contenders,
    get spansMade() {
      return spansMade;
    },
    shutdown: async () => {
      await Promise.all(providers.map((provider) => provider.shutdown()));
    },
  };
}

async function main(): Promise<void> {
  const [grpc, http, rounds, spans, batchSize, compression] = process.argv.slice(2);
  if (!grpc || !http || (compression !== 'gzip' && compression !== 'none')) {
    throw new Error(
      'usage: export-levers <grpc-endpoint> <http-endpoint> <rounds> <spans> <batch> <gzip|none>',
    );
  }
  const exporting = exportContenders(
    exportConfigurations({ batchSize: Number(batchSize), compression }),
    { grpc, http },
    Number(spans),
  );
  const figures = await pairedRounds(exporting.contenders, Number(rounds));
  await exporting.shutdown();
  process.stdout.write(`${JSON.stringify({ figures, spansMade: exporting.spansMade })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`export-levers failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
