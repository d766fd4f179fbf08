import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as JsonMetricExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtobufMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { OtlpProtocol } from '../../variables';
import { grpcSettings, type OtlpSettings } from './otlp-trace-exporter';

export { AggregationTemporalityPreference };

export interface OtlpMetricSettings extends OtlpSettings {
  temporalityPreference?: AggregationTemporalityPreference;
}

/**
 * A fresh OTLP metric exporter for the protocol, as `createOtlpTraceExporter` is for spans: without
 * settings the exporters read the standard variables themselves (0.301): the endpoint (over HTTP,
 * `/v1/metrics` is appended to `OTEL_EXPORTER_OTLP_ENDPOINT` and never to
 * `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`), the headers of `OTEL_EXPORTER_OTLP_HEADERS` and
 * `_METRICS_HEADERS` (percent-decoded), the temporality of
 * `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`, timeout, compression and certificates. With
 * the variables, `url` is only given over gRPC, when only the traces endpoint is set (see
 * `TracingConfig.otlpMetricsUrl`).
 */
export function createOtlpMetricExporter(
  protocol: OtlpProtocol,
  settings: OtlpMetricSettings = {},
): PushMetricExporter {
  switch (protocol) {
    case 'http/protobuf':
      return new ProtobufMetricExporter(settings);
    case 'http/json':
      return new JsonMetricExporter(settings);
    case 'grpc':
      return new GrpcMetricExporter(grpcSettings(settings));
  }
}
