import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { createEmptyMetadata } from '@opentelemetry/otlp-grpc-exporter-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { OtlpProtocol } from '../../variables';

/**
 * Settings given in code (from `OTEL_CONFIG_FILE`); what is left out, the exporters take from the
 * standard variables. Headers are merged with those of the variables whatever is given here.
 */
export interface OtlpSettings {
  url?: string;
  headers?: Record<string, string>;
  compression?: CompressionAlgorithm;
  timeoutMillis?: number;
}

/** Over gRPC, headers travel as metadata. */
export function grpcSettings({ headers, ...settings }: OtlpSettings) {
  if (!headers) return settings;
  const metadata = createEmptyMetadata();
  for (const [name, value] of Object.entries(headers)) metadata.set(name, value);
  return { ...settings, metadata };
}

/**
 * A fresh OTLP trace exporter for the protocol. Without settings everything comes from the standard
 * variables, read by the exporters themselves (0.301): the endpoint (over HTTP, `/v1/traces` is
 * appended to `OTEL_EXPORTER_OTLP_ENDPOINT` and never to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`,
 * which is used as given), the headers of `OTEL_EXPORTER_OTLP_HEADERS` and `_TRACES_HEADERS`
 * (percent-decoded), timeout, compression and certificates.
 */
export function createOtlpTraceExporter(
  protocol: OtlpProtocol,
  settings: OtlpSettings = {},
): SpanExporter {
  switch (protocol) {
    case 'http/protobuf':
      return new ProtobufTraceExporter(settings);
    case 'http/json':
      return new JsonTraceExporter(settings);
    case 'grpc':
      return new GrpcTraceExporter(grpcSettings(settings));
  }
}
