import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace';

/** The values of `OTEL_EXPORTER_OTLP_PROTOCOL` the specification defines, `grpc` first (ours). */
export const OTLP_PROTOCOLS = ['grpc', 'http/protobuf', 'http/json'] as const;

export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/**
 * A fresh OTLP trace exporter for the protocol. Everything else comes from the standard variables,
 * read by the exporters themselves (0.301): the endpoint (over HTTP, `/v1/traces` is appended to
 * `OTEL_EXPORTER_OTLP_ENDPOINT` and never to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, which is used
 * as given), the headers of `OTEL_EXPORTER_OTLP_HEADERS` and `_TRACES_HEADERS` (percent-decoded),
 * timeout, compression and certificates.
 */
export function createOtlpTraceExporter(protocol: OtlpProtocol): SpanExporter {
  switch (protocol) {
    case 'http/protobuf':
      return new ProtobufTraceExporter();
    case 'http/json':
      return new JsonTraceExporter();
    case 'grpc':
      return new GrpcTraceExporter();
  }
}
